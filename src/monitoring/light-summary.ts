import type { Executor } from '../db/database.ts';
import { departmentNames } from '../org/index.ts';
import { projectNames } from '../projects/index.ts';
import { followUpsOf } from './follow-up-repository.ts';

/** The order lights are listed in: the worst first. */
const order = ['红', '黄', '蓝', '绿'];

export interface LightSummary {
  /** 红 3 · 黄 5 · 蓝 1 · 绿 20 */
  total: string;
  /** The same, as numbers (worst first): what a chart draws. */
  counts: { light: string; count: number }[];
  /** One line per department, those with the most red first. */
  departments: string[];
  /** The red projects, those flagged 建议暂缓拨款 first. */
  red: string[];
}

/** The lights of a monitoring campaign's submitted reports, for the departments a user may see. */
export async function lightSummary(
  db: Executor,
  formId: string,
  period: string,
  visible?: number[],
): Promise<LightSummary | undefined> {
  const rows = (await followUpsOf(db, formId, period)).filter((r) => !visible || visible.includes(r.departmentId));
  if (!rows.length) return undefined;
  const count = (list: typeof rows) => order.map((l) => list.filter((r) => r.light === l).length);
  const line = (counts: number[]) =>
    order
      .map((l, i) => (counts[i] ? `${l} ${counts[i]}` : ''))
      .filter(Boolean)
      .join(' · ');
  const byDept = new Map<number, typeof rows>();
  for (const r of rows) byDept.set(r.departmentId, [...(byDept.get(r.departmentId) ?? []), r]);
  const deptNames = await departmentNames(db, [...byDept.keys()]);
  const departments = [...byDept]
    .map(([d, list]) => ({ d, counts: count(list) }))
    .sort((a, b) => b.counts[0]! - a.counts[0]! || b.counts[1]! - a.counts[1]!)
    .map(({ d, counts }) => `${deptNames.get(d) ?? ''}：${line(counts)}`);
  const red = rows.filter((r) => r.light === '红').sort((a, b) => Number(!!b.flaggedAt) - Number(!!a.flaggedAt));
  const names = await projectNames(
    db,
    red.map((r) => r.projectId),
    true,
  );
  return {
    total: line(count(rows)),
    counts: order.map((light, i) => ({ light, count: count(rows)[i]! })),
    departments,
    red: red.map(
      (r) =>
        `${names.get(r.projectId) ?? ''}（${deptNames.get(r.departmentId) ?? ''}）` +
        `${r.action ? `：${r.action}` : ''}${r.flaggedAt ? ' · 建议暂缓拨款' : r.status === 'done' ? ' · 已落实' : ''}`,
    ),
  };
}
