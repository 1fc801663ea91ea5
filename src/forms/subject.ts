import type { BotContext } from '../bot/bot-types.ts';
import { departmentIn, type OrgUser } from '../org/index.ts';
import { type Project, getProject, projectLabel } from '../projects/index.ts';
import type { Value } from './expression/evaluate.ts';
import type { FormDefinition } from './form-schema.ts';
import type { FormContext } from './form-engine.ts';
import { isAssigned } from './form-assignments.ts';
import { beijingDate } from '../shared/clock.ts';

/** What a form is filled about: a project or a department, with the names expressions and cards show. */
export interface Subject {
  type: 'project' | 'department';
  id: number;
  departmentId: number;
  label: string;
  period: string;
  ctx: FormContext;
}

/** What expressions read as `project.*`. */
export function projectScope(p: Project): Record<string, Value> {
  return {
    code: p.code,
    name: p.name,
    year: p.year,
    tier: p.tier,
    amount: p.amount,
    amount_wan: p.amount / 10000,
    is_new: p.isNew,
    is_gov_investment: p.isGovInvestment,
    is_policy: p.isPolicy,
    ex_ante_rule: p.exAnteRule,
    ex_ante_conclusion: p.exAnteConclusion,
    ex_ante_amount_wan: p.exAnteAmount === null ? null : p.exAnteAmount / 10000,
    previous_grade: p.previousGrade,
  };
}

async function projectSubject(ctx: BotContext, projectId: number): Promise<Subject | undefined> {
  const p = await getProject(ctx.tx, projectId);
  const d = p && (await departmentIn(ctx.reads, ctx.tx, p.departmentId));
  if (!p || !d) return undefined;
  const project = projectScope(p);

  return {
    type: 'project',
    id: p.id,
    departmentId: p.departmentId,
    label: projectLabel(p),
    period: String(p.year),
    ctx: { project, department: { name: d.name, code: d.code, supervising: d.supervisingName ?? null } },
  };
}

async function departmentSubject(ctx: BotContext, departmentId: number, period: string): Promise<Subject | undefined> {
  const d = await departmentIn(ctx.reads, ctx.tx, departmentId);
  if (!d) return undefined;
  return {
    type: 'department',
    id: d.id,
    departmentId: d.id,
    label: d.name,
    period,
    ctx: { department: { name: d.name, code: d.code, supervising: d.supervisingName ?? null } },
  };
}

/** The period a subject's submission is opened for: the calendar year in Beijing. */
export const openPeriod = (now: number) => beijingDate(now).slice(0, 4);

/** The subject, read once per event (the period is the submission's, not part of what is read). */
export async function subjectOf(
  ctx: BotContext,
  type: 'project' | 'department',
  id: number,
  period = '',
): Promise<Subject | undefined> {
  if (type === 'department') return departmentSubject(ctx, id, period);
  return ctx.reads.once(`project-subject:${id}`, () => projectSubject(ctx, id));
}

/** A filler may fill a form for subjects of the departments their filler role covers. */
export function mayFill(user: OrgUser, def: Pick<FormDefinition, 'fillers'>, departmentId: number): boolean {
  return user.roles.some(
    (g) => def.fillers.includes(g.role) && (g.scopeDepartmentId === null || g.scopeDepartmentId === departmentId),
  );
}

type Filled = { type: string; id: number; period: string; departmentId: number };

/**
 * Whether the user fills this form for this subject: the subject's unit's fillers, or for an assigned form (抽评复核,
 * 重点评价) only the person assigned to the subject, who must also hold one of the form's roles. Null when they may,
 * else why not.
 */
export async function fillRefusal(
  ctx: BotContext,
  def: Pick<FormDefinition, 'id' | 'fillers' | 'assigned'>,
  subject: Filled,
): Promise<string | null> {
  const user = ctx.user;
  if (!def.assigned) return user && mayFill(user, def, subject.departmentId) ? null : notFiller;
  const holds = user?.roles.some((g) => def.fillers.includes(g.role));
  return holds && (await isAssigned(ctx.tx, def.id, subject, user!.id)) ? null : notAssigned;
}

const notFiller = '您不是该单位的填报人，不能填写此表';
const notAssigned = '您不是该对象的指定评价人，不能填写此表';
