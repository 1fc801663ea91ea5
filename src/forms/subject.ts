import type { Executor } from '../db/database';
import type { OrgUser } from '../org/user-repository';
import type { Value } from './expression/evaluate';
import type { FormDefinition } from './form-schema';
import type { FormContext } from './form-engine';

/** What a form is filled about: a project or a department, with the names expressions and cards show. */
export interface Subject {
  type: 'project' | 'department';
  id: number;
  departmentId: number;
  label: string;
  period: string;
  ctx: FormContext;
}

export async function projectSubject(db: Executor, projectId: number): Promise<Subject | undefined> {
  const p = await db('projects as p')
    .join('departments as d', 'd.id', 'p.department_id')
    .where('p.id', projectId)
    .first(
      'p.id',
      'p.code',
      'p.name',
      'p.year',
      'p.tier',
      'p.amount',
      'p.department_id',
      'p.is_new',
      'p.is_gov_investment',
      'p.is_policy',
      'd.name as department_name',
      'd.code as department_code',
    );
  if (!p) return undefined;
  const project: Record<string, Value> = {
    code: p.code,
    name: p.name,
    year: Number(p.year),
    tier: p.tier,
    amount: Number(p.amount),
    amount_wan: Number(p.amount) / 10000,
    is_new: Boolean(p.is_new),
    is_gov_investment: Boolean(p.is_gov_investment),
    is_policy: Boolean(p.is_policy),
  };
  return {
    type: 'project',
    id: Number(p.id),
    departmentId: Number(p.department_id),
    label: `${p.name}（${p.code}）`,
    period: String(p.year),
    ctx: { project, department: { name: p.department_name, code: p.department_code } },
  };
}

export async function departmentSubject(
  db: Executor,
  departmentId: number,
  period: string,
): Promise<Subject | undefined> {
  const d = await db('departments').where({ id: departmentId }).first('id', 'name', 'code');
  if (!d) return undefined;
  return {
    type: 'department',
    id: Number(d.id),
    departmentId: Number(d.id),
    label: d.name,
    period,
    ctx: { department: { name: d.name, code: d.code } },
  };
}

export async function loadSubject(
  db: Executor,
  type: 'project' | 'department',
  id: number,
  period: string,
): Promise<Subject | undefined> {
  return type === 'project' ? projectSubject(db, id) : departmentSubject(db, id, period);
}

/** A filler may fill a form for subjects of the departments their filler role covers. */
export function mayFill(user: OrgUser, def: Pick<FormDefinition, 'fillers'>, departmentId: number): boolean {
  return user.roles.some(
    (g) => def.fillers.includes(g.role) && (g.scopeDepartmentId === null || g.scopeDepartmentId === departmentId),
  );
}
