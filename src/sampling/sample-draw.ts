import { randomInt } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Executor } from '../db/database.ts';
import { getCampaign, tasksWithState } from '../campaigns/index.ts';
import { type FormStore, assignForm, projectScope, unassignForms } from '../forms/index.ts';
import { departmentNames } from '../org/index.ts';
import { projectsByIds } from '../projects/index.ts';
import { AppError } from '../shared/errors.ts';
import { type Candidate, type DrawResult, drawSample } from './draw-sample.ts';
import { queueReviewerNotices } from './reviewer-notices.ts';
import { assignReviewers } from './reviewers.ts';
import { type DrawRow, deleteDraw, drawOfCampaign, insertDraw, itemsOfDraw } from './sampling-repository.ts';
import type { SamplingRules } from './sampling-rules.ts';

export interface DrawInput {
  campaignId: number;
  ratio?: number;
  seed?: number;
  /** Show the sample without recording it. */
  dryRun?: boolean;
  /** Replace a recorded draw whose reviews have not started. */
  replace?: boolean;
}

export interface DrawOutcome {
  campaignId: number;
  title: string;
  drawId: number | null;
  seed: number;
  ratio: number;
  /** True when this campaign's draw was recorded before with the same ratio and seed: nothing changed. */
  existing: boolean;
  result: DrawResult;
  /** Project id → reviewer (user id). */
  reviewers: Map<number, number>;
}

/**
 * The population of a self-evaluation campaign: its projects whose self-evaluation is approved (a sample re-scores
 * final results; one still in approval may change). Candidates carry what the rules read.
 */
async function candidatesOf(db: Executor, campaignId: number): Promise<Candidate[]> {
  const tasks = (await tasksWithState(db, [campaignId])).filter(
    (t) => t.subjectType === 'project' && t.state === 'approved',
  );
  const projects = await projectsByIds(
    db,
    tasks.map((t) => t.subjectId),
  );
  const names = await departmentNames(db, [...new Set(projects.map((p) => p.departmentId))]);
  return projects.map((p) => ({
    projectId: p.id,
    code: p.code,
    departmentId: p.departmentId,
    departmentName: names.get(p.departmentId) ?? String(p.departmentId),
    tier: p.tier,
    project: projectScope(p),
  }));
}

async function checkedCampaign(db: Executor, store: FormStore, rules: SamplingRules, campaignId: number) {
  const c = await getCampaign(db, campaignId);
  if (!c) throw new AppError('not_found', `填报任务 ${campaignId} 不存在`);
  const source = store.get(rules.review.form)?.def.prefill?.form;
  if (!source) throw new AppError('config_invalid', `抽评复核表 ${rules.review.form} 不存在或未设置 prefill`);
  if (c.formId !== source) {
    const title = store.get(source)?.def.title ?? source;
    throw new AppError(
      'bad_request',
      `抽评只能从《${title}》的填报任务中抽取；任务 ${c.id}“${c.title}”填报的是其他表单`,
    );
  }
  return c;
}

/** Draws (or shows again) the sample of one self-evaluation campaign, assigns reviewers and records it. */
export async function drawForCampaign(
  db: Executor,
  store: FormStore,
  cards: CardRenderer,
  rules: SamplingRules,
  input: DrawInput,
  userId: number | null,
  now: number,
): Promise<DrawOutcome> {
  const c = await checkedCampaign(db, store, rules, input.campaignId);
  const ratio = input.ratio ?? rules.ratio;
  if (!(ratio > 0 && ratio <= 1)) throw new AppError('bad_request', '抽样比例应大于 0、不超过 1（如 0.115 即 11.5%）');
  const recorded = await drawOfCampaign(db, c.id);
  if (recorded && input.seed === undefined && input.ratio === undefined && !input.replace)
    return shown(db, recorded, c.title);
  const seed = input.seed ?? recorded?.seed ?? randomInt(2 ** 31);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new AppError('bad_request', '随机种子应为 0 到 4294967295 之间的整数');
  if (recorded && recorded.seed === seed && recorded.ratio === ratio) return shown(db, recorded, c.title);
  const result = drawSample(await candidatesOf(db, c.id), { ...rules.draw, ratio }, seed);
  if (!result.population) throw new AppError('conflict', `任务 ${c.id}“${c.title}”还没有审核通过的自评表，暂不能抽样`);
  if (input.dryRun)
    return {
      campaignId: c.id,
      title: c.title,
      drawId: null,
      seed,
      ratio,
      existing: false,
      result,
      reviewers: new Map(),
    };
  if (recorded) await replaceable(db, recorded, input.replace);
  const { drawId, reviewers } = await record(db, cards, rules, c, { ratio, seed, result }, userId, now);
  await appendAudit(db, {
    at: now,
    actorUserId: userId,
    action: recorded ? 'sampling.redraw' : 'sampling.draw',
    entityType: 'campaign',
    entityId: c.id,
    source: userId ? 'bot' : 'cli',
    detail: { draw: drawId, seed, ratio, population: result.population, size: result.size },
  });
  return { campaignId: c.id, title: c.title, drawId, seed, ratio, existing: false, result, reviewers };
}

/** Records the draw and its items, shares them among the reviewers, assigns the review form and tells them. */
async function record(
  db: Executor,
  cards: CardRenderer,
  rules: SamplingRules,
  c: { id: number; title: string; period: string },
  d: { ratio: number; seed: number; result: DrawResult },
  userId: number | null,
  now: number,
) {
  const drawId = await insertDraw(db, { campaignId: c.id, period: c.period, ...d }, userId, now);
  const items = await itemsOfDraw(db, drawId);
  const reviewers = await assignReviewers(db, rules, items);
  const assignments = items.map((i) => ({
    formId: rules.review.form,
    subjectType: 'project' as const,
    subjectId: i.projectId,
    period: c.period,
    userId: reviewers.get(i.projectId)!,
    source: `sampling:${drawId}`,
  }));
  await assignForm(db, assignments, userId, now);
  await queueReviewerNotices(db, cards, { id: drawId, title: c.title }, reviewers, now);
  return { drawId, reviewers };
}

/** A recorded draw is replaced only before any review: a started re-scoring keeps its sample. */
async function replaceable(db: Executor, d: DrawRow, replace?: boolean): Promise<void> {
  if (!replace)
    throw new AppError(
      'conflict',
      `任务 ${d.campaignId} 已抽样（种子 ${d.seed}，比例 ${d.ratio}）；如需重新抽样，请加 --replace（复核开始前可替换）`,
    );
  if ((await itemsOfDraw(db, d.id)).some((i) => i.reviewedAt !== null))
    throw new AppError('conflict', '已有项目完成复核，不能重新抽样');
  await unassignForms(db, `sampling:${d.id}`);
  await deleteDraw(db, d.id);
}

/** The recorded draw as it was made, in code order as drawn. */
async function shown(db: Executor, d: DrawRow, title: string): Promise<DrawOutcome> {
  const rows = await itemsOfDraw(db, d.id);
  const codes = new Map(
    (
      await projectsByIds(
        db,
        rows.map((i) => i.projectId),
      )
    ).map((p) => [p.id, p.code]),
  );
  const items = rows
    .map((i) => ({ ...i, code: codes.get(i.projectId) ?? '' }))
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  return {
    campaignId: d.campaignId,
    title,
    drawId: d.id,
    seed: d.seed,
    ratio: d.ratio,
    existing: true,
    result: { population: d.population, size: d.size, ...d.detail, items },
    reviewers: new Map(items.filter((i) => i.reviewerId !== null).map((i) => [i.projectId, i.reviewerId!])),
  };
}
