import type { Executor } from '../db/database.ts';

/* Projects as other features ask about them. Only projects/ names the projects table. */

export interface Project {
  id: number;
  code: string;
  name: string;
  year: number;
  tier: string;
  amount: number;
  departmentId: number;
  isNew: boolean;
  isGovInvestment: boolean;
  isPolicy: boolean;
  /** Why the project has its tier: a tier rule's label, or 导入文件指定. */
  tierSource: string | null;
  /** The 事前绩效评估 trigger that applies, or null. */
  exAnteRule: string | null;
  exAnteConclusion: string | null;
  exAnteScore: number | null;
  /** Yuan: the amount the evaluation recommends. */
  exAnteAmount: number | null;
  /** 目标审核: the bureau's grade of the target and what follows from it. */
  targetReviewGrade: string | null;
  targetReviewAction: string | null;
  /** 上年评价等级, as imported. */
  previousGrade: string | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toProject = (p: Record<string, unknown>): Project => ({
  id: Number(p.id),
  code: String(p.code),
  name: String(p.name),
  year: Number(p.year),
  tier: String(p.tier),
  amount: Number(p.amount),
  departmentId: Number(p.department_id),
  isNew: Boolean(p.is_new),
  isGovInvestment: Boolean(p.is_gov_investment),
  isPolicy: Boolean(p.is_policy),
  tierSource: str(p.tier_source),
  exAnteRule: str(p.ex_ante_rule),
  exAnteConclusion: str(p.ex_ante_conclusion),
  exAnteScore: num(p.ex_ante_score),
  exAnteAmount: num(p.ex_ante_amount),
  targetReviewGrade: str(p.target_review_grade),
  targetReviewAction: str(p.target_review_action),
  previousGrade: str(p.previous_grade),
});

export async function getProject(db: Executor, id: number): Promise<Project | undefined> {
  const p = await db('projects').where({ id }).first();
  return p ? toProject(p) : undefined;
}

/** The projects of some departments, by code; `code` narrows to one. */
export async function projectsOf(db: Executor, departmentIds: number[], code?: string): Promise<Project[]> {
  if (!departmentIds.length) return [];
  const q = db('projects').whereIn('department_id', departmentIds).orderBy('code');
  if (code) q.where({ code });
  return (await q).map(toProject);
}

/** Projects of a budget year, optionally of some tiers, from an amount up, or named: id and department. */
export async function projectsOfYear(
  db: Executor,
  year: number,
  filter: { tiers?: string[]; minAmount?: number; codes?: string[]; departmentIds?: number[] } = {},
): Promise<{ id: number; departmentId: number }[]> {
  const q = db('projects').where({ year });
  if (filter.departmentIds) q.whereIn('department_id', filter.departmentIds);
  if (filter.tiers) q.whereIn('tier', filter.tiers);
  if (filter.codes) q.whereIn('code', filter.codes);
  if (filter.minAmount !== undefined) q.where('amount', '>=', filter.minAmount);
  const rows: { id: number; department_id: number }[] = await q.orderBy('id').select('id', 'department_id');
  return rows.map((r) => ({ id: Number(r.id), departmentId: Number(r.department_id) }));
}

/** A project as cards name it: 名称（编码）. */
export const projectLabel = (p: Pick<Project, 'name' | 'code'>) => `${p.name}（${p.code}）`;

/** Names of projects (`name（code）` with `withCode`), for lists of many. */
export async function projectNames(db: Executor, ids: number[], withCode = false): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000) {
    const rows: { id: number; name: string; code: string }[] = await db('projects')
      .whereIn('id', unique.slice(i, i + 1000))
      .select('id', 'name', 'code');
    for (const p of rows) names.set(Number(p.id), withCode ? projectLabel(p) : p.name);
  }
  return names;
}

/** The latest budget year that has projects. */
export async function latestProjectYear(db: Executor): Promise<number | undefined> {
  const r = await db('projects').max({ y: 'year' }).first();
  return r?.y ? Number(r.y) : undefined;
}

/** Every project of a year (or all), by code: `projects list`. */
export async function listProjects(db: Executor, year?: number): Promise<Project[]> {
  const q = db('projects').orderBy('code');
  if (year !== undefined) q.where({ year });
  return (await q).map(toProject);
}

/** The outcome of a project's 事前绩效评估, written when the evaluation is approved. */
export async function recordExAnte(
  db: Executor,
  projectId: number,
  outcome: { conclusion: string; score: number | null; amount: number | null },
  now: number,
): Promise<void> {
  await db('projects').where({ id: projectId }).update({
    ex_ante_conclusion: outcome.conclusion,
    ex_ante_score: outcome.score,
    ex_ante_amount: outcome.amount,
    ex_ante_at: now,
    updated_at: now,
  });
}

/** Some projects by id, whole: the gate reads their ex-ante standing. */
export async function projectsByIds(db: Executor, ids: number[]): Promise<Project[]> {
  const out: Project[] = [];
  for (let i = 0; i < ids.length; i += 1000)
    out.push(...(await db('projects').whereIn('id', ids.slice(i, i + 1000))).map(toProject));
  return out;
}

/** The bureau's 目标审核 of a project's target, written when the review step records it. */
export async function recordTargetReview(
  db: Executor,
  projectId: number,
  review: { grade: string; action: string | null },
  now: number,
): Promise<void> {
  await db('projects').where({ id: projectId }).update({
    target_review_grade: review.grade,
    target_review_action: review.action,
    target_review_at: now,
    updated_at: now,
  });
}

export async function projectByCode(db: Executor, code: string): Promise<Project | undefined> {
  const p = await db('projects').where({ code }).first();
  return p ? toProject(p) : undefined;
}
