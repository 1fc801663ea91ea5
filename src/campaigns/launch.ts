import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Executor } from '../db/database.ts';
import { type CompiledForm, type FormStore, appliesTo, projectScope } from '../forms/index.ts';
import { enqueueNew } from '../lark/outbox-repository.ts';
import { AppError } from '../shared/errors.ts';
import { type Policy, type Population, describePopulation, needsFiller, policySchema } from './campaign-schema.ts';
import {
  type CampaignRow,
  addTasks,
  getCampaign,
  openCampaignWithKey,
  populationSubjects,
  subjectNames,
  tasksWithState,
} from './campaign-repository.ts';
import { departmentNames, roleHoldersByDepartment } from '../org/index.ts';
import { type HeldBack, exAnteGate } from '../project-rules/index.ts';
import { projectsByIds } from '../projects/index.ts';
import { chineseDay } from '../shared/clock.ts';
import { SEND_FROM_HOUR, beijingDate, uncoveredYears } from '../shared/working-days.ts';

export interface LaunchInput {
  title: string;
  formId: string;
  population: Population;
  opensOn: string;
  deadline: string;
  policy?: Partial<Policy>;
  /** The date the reports are as of (双监控 7月31日): the form's `campaign.as_of`. */
  asOf?: string;
}

export interface LaunchResult {
  campaign: CampaignRow;
  newTasks: number;
  totalTasks: number;
  cardsQueued: number;
  /** True when an open campaign for the same form, year and scope already existed: nothing was created or sent. */
  existing: boolean;
  /** When the task cards go out, if not now: the opening day at 09:00 Beijing time. */
  notifyAt?: string;
  /** Projects left out until their 事前绩效评估 passes (a form with requires_ex_ante). */
  heldBack: HeldBack[];
  /** Subjects of the population the form is not for (its applies_if). */
  notApplicable?: number;
  /** Units with tasks and no filler to tell: the tasks reach nobody until someone is given the 填报人 role. */
  unreached?: { department: string; tasks: number }[];
  /** Years of the campaign's dates that no holiday calendar covers: reminders there count weekends only. */
  uncoveredYears?: number[];
}

const dateRe = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a launch request; every problem is a sentence the bureau can act on. */
export function validateLaunch(store: FormStore, input: LaunchInput): string[] {
  const problems: string[] = [];
  const form = store.get(input.formId);
  if (!form) problems.push(`表单 ${input.formId} 不存在`);
  if (!input.title.trim()) problems.push('请填写任务名称');
  if (!dateRe.test(input.opensOn)) problems.push('开始日期格式应为 YYYY-MM-DD');
  if (!dateRe.test(input.deadline)) problems.push('截止日期格式应为 YYYY-MM-DD');
  if (dateRe.test(input.opensOn) && dateRe.test(input.deadline) && input.deadline < input.opensOn)
    problems.push('截止日期不能早于开始日期');
  if (input.asOf !== undefined && !(dateRe.test(input.asOf) && !Number.isNaN(Date.parse(input.asOf))))
    problems.push('数据截止日期格式应为 YYYY-MM-DD');
  if (form && (form.def.attach_to === 'project') !== (input.population.kind === 'projects')) {
    problems.push(
      form.def.attach_to === 'project'
        ? `“${form.def.title}”按项目填报，填报范围应选择项目`
        : `“${form.def.title}”按部门填报，填报范围应选择部门`,
    );
  }
  return problems;
}

/**
 * Creates a campaign and one task per subject, and queues a task card to each responsible filler, all in the
 * caller's transaction. Cards for a campaign that opens later wait in the outbox until 09:00 on its first day.
 */
export async function launchCampaign(
  db: Executor,
  store: FormStore,
  cards: CardRenderer,
  input: LaunchInput,
  userId: number | null,
  now: number,
): Promise<LaunchResult> {
  const problems = validateLaunch(store, input);
  if (problems.length)
    throw new AppError('validation_failed', problems[0]!, {
      issues: problems.map((message) => ({ where: '发起填报', message })),
    });
  const parsedPolicy = policySchema.safeParse(input.policy ?? {});
  if (!parsedPolicy.success)
    throw new AppError('validation_failed', '提醒策略无效：提醒日应为非负整数，升级天数至少为 1');
  const policy = parsedPolicy.data;
  const period = input.population.kind === 'projects' ? String(input.population.year) : input.deadline.slice(0, 4);
  const key = openKey(input.formId, period, input.population);
  const found = await openCampaignWithKey(db, key, false);
  if (found) return existingResult(db, found);
  try {
    // Without `returning`, knex resolves a single-row insert to [insert id] on both MySQL and SQLite.
    const [id] = await db('campaigns').insert({
      title: input.title.trim(),
      form_id: input.formId,
      period,
      population: JSON.stringify(input.population),
      opens_on: input.opensOn,
      deadline: input.deadline,
      as_of: input.asOf ?? null,
      policy: JSON.stringify(policy),
      status: 'open',
      open_key: key,
      created_by: userId,
      created_at: now,
      updated_at: now,
    });
    return await populate(db, store, cards, (await getCampaign(db, Number(id)))!, userId, now, 'campaign.launch');
  } catch (err) {
    // A concurrent launch of the same campaign committed first: ours waited on its key and lost.
    const winner = isUniqueViolation(err) ? await openCampaignWithKey(db, key, true) : undefined;
    if (winner) return existingResult(db, winner);
    throw err;
  }
}

/** Form, period and population, canonical: the same scope chosen twice gives the same key. */
export function openKey(formId: string, period: string, population: Population): string {
  const canonical = JSON.stringify(population, (_k, v: unknown) =>
    Array.isArray(v)
      ? [...v].sort()
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
  return `${formId}|${period}|${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

async function existingResult(db: Executor, c: CampaignRow): Promise<LaunchResult> {
  // A shared lock, like the read that found the campaign: its twin's tasks may be newer than this snapshot.
  const n = await db('campaign_tasks').where({ campaign_id: c.id }).count({ n: '*' }).forShare().first();
  return { campaign: c, newTasks: 0, totalTasks: Number(n?.n ?? 0), cardsQueued: 0, existing: true, heldBack: [] };
}

/**
 * Relaunch (the population grew) or extend the deadline: adds only missing tasks, never duplicates them or their cards.
 */
export async function relaunchCampaign(
  db: Executor,
  store: FormStore,
  cards: CardRenderer,
  campaignId: number,
  deadline: string | undefined,
  userId: number | null,
  now: number,
): Promise<LaunchResult> {
  const c = await getCampaign(db, campaignId);
  if (!c) throw new AppError('not_found', `填报任务 ${campaignId} 不存在`);
  if (deadline) {
    if (!dateRe.test(deadline) || deadline < c.opensOn)
      throw new AppError('validation_failed', `新的截止日期无效：应为 YYYY-MM-DD，且不早于开始日期 ${c.opensOn}`);
    // A closed campaign reopens under its key, unless the same scope was launched again meanwhile.
    const key = c.status === 'open' ? undefined : openKey(c.formId, c.period, c.population);
    if (key && (await openCampaignWithKey(db, key, true)))
      throw new AppError('conflict', '同一表单、年度和范围已有进行中的任务，不能重新开放');
    await db('campaigns')
      .where({ id: c.id })
      .update({ deadline, status: 'open', ...(key ? { open_key: key } : {}), updated_at: now });
    if (deadline !== c.deadline) await deadlineNotices(db, cards, { ...c, deadline }, c.deadline, now);
  }
  return populate(
    db,
    store,
    cards,
    (await getCampaign(db, c.id))!,
    userId,
    now,
    deadline ? 'campaign.extend' : 'campaign.relaunch',
  );
}

async function populate(
  db: Executor,
  store: FormStore,
  cards: CardRenderer,
  c: CampaignRow,
  userId: number | null,
  now: number,
  action: string,
): Promise<LaunchResult> {
  const form = store.get(c.formId)!;
  const population = await populationSubjects(db, c.population);
  if (!population.length)
    throw new AppError('validation_failed', `填报范围“${describePopulation(c.population)}”内没有对象`);
  const applicable = await applicableTo(db, form, population);
  const gate = form.def.requires_ex_ante
    ? await exAnteGate(
        db,
        applicable.filter((x) => x.type === 'project').map((x) => x.id),
      )
    : undefined;
  const subjects = gate ? applicable.filter((x) => gate.allowed.has(x.id)) : applicable;
  const heldBack = gate?.held ?? [];
  const notApplicable = population.length - applicable.length;
  const newTasks = subjects.length ? await addTasks(db, c.id, subjects, now) : 0;

  const fillers = await roleHoldersByDepartment(db, 'filler');
  const { items, availableAt } = await taskNotices(db, cards, c, form.def.title, subjects, fillers, now);
  const queued = await enqueueNew(db, items, now);
  const unreached = await unreachedUnits(db, subjects, fillers);
  if (heldBack.length) await enqueueNew(db, heldNotices(cards, c, heldBack, fillers, availableAt), now);
  await appendAudit(db, {
    at: now,
    actorUserId: userId,
    action,
    entityType: 'campaign',
    entityId: c.id,
    source: userId ? 'bot' : 'cli',
    detail: {
      newTasks,
      totalTasks: subjects.length,
      deadline: c.deadline,
      cardsQueued: queued,
      heldBack: heldBack.length,
    },
  });
  return {
    campaign: c,
    newTasks,
    totalTasks: subjects.length,
    cardsQueued: queued,
    existing: false,
    notifyAt: availableAt > now ? `${c.opensOn} 上午 ${SEND_FROM_HOUR} 点` : undefined,
    heldBack,
    notApplicable,
    unreached,
    uncoveredYears: uncoveredYears(c.opensOn, c.deadline),
  };
}

/** The units whose tasks reach no filler, with how many tasks each. */
async function unreachedUnits(db: Executor, subjects: Subjects, fillers: Fillers) {
  const counts = new Map<number, number>();
  for (const s of subjects)
    if (!(fillers.get(s.departmentId)?.length || fillers.get(0)?.length))
      counts.set(s.departmentId, (counts.get(s.departmentId) ?? 0) + 1);
  const names = await departmentNames(db, [...counts.keys()]);
  return [...counts].map(([id, tasks]) => ({ department: names.get(id) ?? String(id), tasks }));
}

/** The subjects the form is for (`applies_if`, e.g. monitoring not for tier C): one read of their projects. */
async function applicableTo(db: Executor, form: CompiledForm, population: Subjects): Promise<Subjects> {
  if (!form.def.applies_if) return population;
  const projects = new Map(
    (
      await projectsByIds(
        db,
        population.filter((x) => x.type === 'project').map((x) => x.id),
      )
    ).map((p) => [p.id, p]),
  );
  return population.filter((x) => {
    const p = projects.get(x.id);
    return x.type !== 'project' || (p !== undefined && appliesTo(form, { project: projectScope(p) }));
  });
}

/** The units of held-back projects hear what to do first: one card per filler per campaign. */
function heldNotices(cards: CardRenderer, c: CampaignRow, held: HeldBack[], fillers: Fillers, availableAt: number) {
  const byFiller = new Map<number, { openId: string; lines: string[] }>();
  for (const h of held)
    for (const f of fillers.get(h.departmentId) ?? []) {
      const entry = byFiller.get(f.id) ?? { openId: f.openId, lines: [] };
      entry.lines.push(`${h.name}（${h.code}）：${h.reason}`);
      byFiller.set(f.id, entry);
    }
  return [...byFiller].map(([userId, f]) => ({
    message: {
      kind: 'send' as const,
      receiveIdType: 'open_id' as const,
      receiveId: f.openId,
      card: cards.render('notice', {
        title: `“${c.title}”：以下项目需先完成事前绩效评估`,
        color: 'orange',
        lines: [
          ...f.lines,
          '事前绩效评估通过（予以支持或调整后支持）后，绩效目标填报任务将随任务补发下达。',
          '请发送“填报 项目编码”，填写《事前绩效评估表》。',
        ],
      }),
    },
    uuid: `gate:${c.id}:${userId}:${f.lines.length}`,
    ref: `campaign:${c.id}`,
    availableAt,
  }));
}

type Subjects = Awaited<ReturnType<typeof populationSubjects>>;
type Fillers = Awaited<ReturnType<typeof roleHoldersByDepartment>>;

/** One card per filler listing their tasks; its uuid changes only when their task count does. */
async function taskNotices(
  db: Executor,
  cards: CardRenderer,
  c: CampaignRow,
  formTitle: string,
  subjects: Subjects,
  fillers: Fillers,
  now: number,
) {
  const names = await subjectNames(db, subjects, true);
  const byFiller = new Map<string, { openId: string; userId: number; tasks: Subjects }>();
  for (const s of subjects) {
    for (const f of fillers.get(s.departmentId) ?? []) {
      const entry = byFiller.get(f.openId) ?? { openId: f.openId, userId: f.id, tasks: [] };
      entry.tasks.push(s);
      byFiller.set(f.openId, entry);
    }
  }
  const openAt = Date.parse(`${c.opensOn}T${String(SEND_FROM_HOUR - 8).padStart(2, '0')}:00:00Z`);
  const availableAt = beijingDate(now) < c.opensOn ? openAt : now;
  const items = [...byFiller.values()].map((f) => ({
    message: {
      kind: 'send' as const,
      receiveIdType: 'open_id' as const,
      receiveId: f.openId,
      card: cards.render('task-notice', {
        title: c.title,
        formTitle,
        deadline: c.deadline,
        count: f.tasks.length,
        tasks: f.tasks.slice(0, 5).map((t) => ({
          name: names.get(`${t.type}:${t.id}`) ?? '',
          open: { action: 'form.open', form: c.formId, type: t.type, id: t.id },
        })),
        more: Math.max(0, f.tasks.length - 5),
        todo: { action: 'command', command: 'todo' },
      }),
    },
    uuid: `launch:${c.id}:${f.userId}:${f.tasks.length}`,
    ref: `campaign:${c.id}`,
    availableAt,
  }));
  return { items, availableAt };
}

/** The fillers with unfinished tasks hear of a moved deadline, once per new date. */
async function deadlineNotices(db: Executor, cards: CardRenderer, c: CampaignRow, before: string, now: number) {
  const open = (await tasksWithState(db, [c.id])).filter((t) => needsFiller(t.state));
  const fillers = await roleHoldersByDepartment(db, 'filler');
  const people = new Map<number, { openId: string; count: number }>();
  for (const t of open)
    for (const f of fillers.get(t.departmentId) ?? [])
      people.set(f.id, { openId: f.openId, count: (people.get(f.id)?.count ?? 0) + 1 });
  const items = [...people].map(([userId, p]) => ({
    message: {
      kind: 'send' as const,
      receiveIdType: 'open_id' as const,
      receiveId: p.openId,
      card: cards.render('notice', {
        title: `“${c.title}”截止日期调整`,
        color: 'orange',
        lines: [
          `截止日期由 ${chineseDay(before)} 调整为 ${chineseDay(c.deadline, true)}。`,
          `您还有 ${p.count} 项未完成，请按新的截止日期完成。`,
        ],
        buttons: [{ primary: true, text: '查看待办', value: { action: 'command', command: 'todo' } }],
      }),
    },
    uuid: `deadline:${c.id}:${c.deadline}:${userId}`,
    ref: `campaign:${c.id}`,
  }));
  await enqueueNew(db, items, now);
}
