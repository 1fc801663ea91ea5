import type { Executor } from '../db/database.ts';
import { contactsOf, departmentNames } from '../org/index.ts';
import { projectsByIds } from '../projects/index.ts';
import type { DrawOutcome } from './sample-draw.ts';

/** A draw as `sample draw --json` prints it and the 抽评 card shows it: names, not ids. */
export interface DrawReport {
  campaign: number;
  draw: number | null;
  recorded: boolean;
  seed: number;
  ratio: number;
  population: number;
  eligible: number;
  size: number;
  rounding: string;
  strata: { stratum: string; population: number; mandatory: number; drawn: number }[];
  excluded: { code: string; reason: string }[];
  items: {
    code: string;
    name: string;
    department: string;
    tier: string;
    stratum: string;
    reason: string | null;
    reviewer: string | null;
  }[];
}

export async function drawReport(db: Executor, o: DrawOutcome): Promise<DrawReport> {
  const projects = new Map(
    (
      await projectsByIds(
        db,
        o.result.items.map((i) => i.projectId),
      )
    ).map((p) => [p.id, p]),
  );
  const departments = await departmentNames(db, [...new Set(o.result.items.map((i) => i.departmentId))]);
  const people = await contactsOf(db, [...new Set(o.reviewers.values())]);
  return {
    campaign: o.campaignId,
    draw: o.drawId,
    recorded: o.drawId !== null,
    seed: o.seed,
    ratio: o.ratio,
    population: o.result.population,
    eligible: o.result.eligible,
    size: o.result.size,
    rounding: o.result.rounding,
    strata: o.result.strata,
    excluded: o.result.excluded,
    items: o.result.items.map((i) => ({
      code: i.code,
      name: projects.get(i.projectId)?.name ?? '',
      department: departments.get(i.departmentId) ?? '',
      tier: projects.get(i.projectId)?.tier ?? '',
      stratum: i.stratum,
      reason: i.reason,
      reviewer: people.get(o.reviewers.get(i.projectId) ?? 0)?.name ?? null,
    })),
  };
}

/** The report as lines of text: the size and its rounding, the strata, then the projects. */
export function drawLines(r: DrawReport): string[] {
  const pct = `${Math.round(r.ratio * 10000) / 100}%`;
  const represented = r.strata.filter((s) => s.mandatory + s.drawn > 0).length;
  return [
    `抽评 · 任务 #${r.campaign}：自评已通过 ${r.population} 项${r.excluded.length ? `，排除 ${r.excluded.length} 项` : ''}，` +
      `按 ${pct} 抽取 ${r.size} 项（${r.rounding}），随机种子 ${r.seed}` +
      (r.recorded ? `，已记录为抽样 #${r.draw}` : '（预览，未记录）'),
    `分层 ${r.strata.length} 个，抽中 ${represented} 个（分层：总数 / 必抽 / 随机）：`,
    ...r.strata.map((s) => `  ${s.stratum}：${s.population} / ${s.mandatory} / ${s.drawn}`),
    ...(r.excluded.length ? ['排除：', ...r.excluded.map((e) => `  ${e.code}：${e.reason}`)] : []),
    '抽中项目：',
    ...r.items.map(
      (i) =>
        `  ${i.code}\t${i.name}\t${i.department}\t${i.tier} 类\t${i.reason ?? '随机'}\t复核人：${i.reviewer ?? '未分配'}`,
    ),
  ];
}
