import type { Executor } from '../db/database';
import { evaluate, truthy } from '../forms/expression/evaluate';
import type { CompiledForm } from '../forms/compile-form';
import type { FormContext, FormData } from '../forms/form-engine';
import type { ChainSpec, StepSpec } from './chain-schema';
import type { StepState } from './chain';

/** The supervising department of a unit: its parent when the parent is one, or itself when it is one. */
export async function supervisingDepartment(db: Executor, departmentId: number): Promise<number | null> {
  const d = await db('departments').where({ id: departmentId }).first('id', 'kind', 'parent_id');
  if (!d) return null;
  if (d.kind === 'supervising') return Number(d.id);
  if (d.parent_id === null) return null;
  const parent = await db('departments').where({ id: d.parent_id }).first('id', 'kind');
  return parent?.kind === 'supervising' ? Number(parent.id) : null;
}

async function resolve(db: Executor, spec: StepSpec['approvers'], departmentId: number): Promise<number[]> {
  if ('people' in spec) {
    return (await db('users').whereIn('open_id', spec.people).where({ active: true }).orderBy('id').pluck('id')).map(Number);
  }
  let scope: number | null | undefined;
  if (spec.of === 'submitter_department') scope = departmentId;
  if (spec.of === 'supervising_department') scope = await supervisingDepartment(db, departmentId);
  if (spec.of && scope === null) return [];
  const q = db('role_assignments as r').join('users as u', 'u.id', 'r.user_id').where({ 'r.role': spec.role, 'u.active': true });
  if (scope !== undefined) q.where('r.scope_department_id', scope);
  return (await q.distinct('u.id').orderBy('u.id').pluck('u.id')).map(Number);
}

export interface ResolvedChain {
  steps: StepState[];
  /** Steps that found nobody and went to the admins: logged as warnings. */
  warnings: string[];
}

/**
 * Builds the steps of a chain for one submission: applies each step's condition, resolves its approvers, and sends a
 * step that finds nobody to the admins (never letting it pass silently).
 */
export async function buildSteps(db: Executor, form: CompiledForm, chain: ChainSpec, data: FormData, ctx: FormContext, departmentId: number): Promise<ResolvedChain> {
  const steps: StepState[] = [];
  const warnings: string[] = [];
  const scope = { ...data, project: ctx.project ?? null, department: ctx.department ?? null, settings: form.def.settings as never };
  for (const spec of chain.steps) {
    if (spec.when && !truthy(evaluate(form.expr(spec.when), [scope]))) continue;
    let approvers = await resolve(db, spec.approvers, departmentId);
    let note: string | undefined;
    if (spec.mode === 'one') approvers = approvers.slice(0, 1);
    if (!approvers.length) {
      approvers = await resolve(db, { role: 'admin' }, departmentId);
      note = `“${spec.title}”未找到审批人，已转管理员处理`;
      warnings.push(note);
    }
    steps.push({ id: spec.id, title: spec.title, mode: spec.mode, k: spec.k, approvers, decisions: [], status: 'waiting', note });
  }
  return { steps, warnings };
}
