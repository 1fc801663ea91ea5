import type { Executor } from '../db/database';

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
}

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
