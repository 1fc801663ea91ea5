import type { Executor } from '../db/database.ts';
import { submissionsOfForm } from '../forms/index.ts';
import { allDepartments, departmentIdsByCode, departmentNames } from '../org/index.ts';
import { projectNames, projectsOfYear } from '../projects/index.ts';
import { chunks } from '../shared/chunks.ts';
import { type Policy, type Population, type TaskState, policySchema, populationSchema } from './campaign-schema.ts';

export interface CampaignRow {
  id: number;
  title: string;
  formId: string;
  period: string;
  population: Population;
  opensOn: string;
  deadline: string;
  policy: Policy;
  status: 'open' | 'closed';
  asOf: string | null;
}

const toCampaign = (r: Record<string, unknown>): CampaignRow => ({
  id: Number(r.id),
  title: String(r.title),
  formId: String(r.form_id),
  period: String(r.period),
  population: populationSchema.parse(JSON.parse(String(r.population))),
  opensOn: String(r.opens_on),
  deadline: String(r.deadline),
  policy: policySchema.parse(JSON.parse(String(r.policy))),
  status: r.status as CampaignRow['status'],
  asOf: r.as_of ? String(r.as_of) : null,
});

export async function getCampaign(db: Executor, id: number): Promise<CampaignRow | undefined> {
  const r = await db('campaigns').where({ id }).first();
  return r ? toCampaign(r) : undefined;
}

/**
 * The open campaign with this key (form, period, population). `locking`: a locking read, which on MySQL sees a twin's
 * row committed after this transaction's snapshot. Without it no gap lock is taken: two launches that both lock a
 * missing row deadlock on their inserts.
 */
export async function openCampaignWithKey(
  db: Executor,
  key: string,
  locking: boolean,
): Promise<CampaignRow | undefined> {
  const q = db('campaigns').where({ open_key: key });
  if (locking) q.forUpdate();
  const r = await q.first();
  return r ? toCampaign(r) : undefined;
}

/** The newest open campaign of a form that has a task for this subject: what a new draft was started for. */
export async function campaignOfSubject(
  db: Executor,
  formId: string,
  subject: { type: string; id: number; period: string },
): Promise<CampaignRow | undefined> {
  const r = await db('campaigns as c')
    .join('campaign_tasks as t', 't.campaign_id', 'c.id')
    .where({ 'c.form_id': formId, 'c.period': subject.period, 'c.status': 'open' })
    .where({ 't.subject_type': subject.type, 't.subject_id': subject.id })
    .orderBy('c.id', 'desc')
    .first('c.*');
  return r ? toCampaign(r) : undefined;
}

export async function openCampaigns(db: Executor, today?: string): Promise<CampaignRow[]> {
  const q = db('campaigns').where({ status: 'open' }).orderBy('id');
  if (today) q.where('opens_on', '<=', today);
  return (await q).map(toCampaign);
}

/** The subjects a population covers: [subject type, subject id, department id]. */
export async function populationSubjects(
  db: Executor,
  p: Population,
): Promise<{ type: 'project' | 'department'; id: number; departmentId: number }[]> {
  if (p.kind === 'projects') {
    const ids = p.departments && (await departmentIdsByCode(db));
    const departmentIds = ids && p.departments!.map((c) => ids.get(c) ?? -1);
    const filter = { tiers: p.tiers, minAmount: p.min_amount, codes: p.codes, departmentIds };
    const projects = await projectsOfYear(db, p.year, filter);
    return projects.map((r) => ({ type: 'project' as const, id: r.id, departmentId: r.departmentId }));
  }
  const codes = p.kind === 'departments' ? new Set(p.codes) : undefined;
  return (await allDepartments(db))
    .filter((d) => d.kind !== 'bureau' && (!codes || codes.has(d.code)))
    .sort((a, b) => a.id - b.id)
    .map((d) => ({ type: 'department' as const, id: d.id, departmentId: d.id }));
}

/**
 * Adds tasks; ones that exist already are kept as they are (relaunching never duplicates). Returns how many were new.
 */
export async function addTasks(
  db: Executor,
  campaignId: number,
  subjects: { type: string; id: number; departmentId: number }[],
  now: number,
): Promise<number> {
  const before = Number(
    ((await db('campaign_tasks').where({ campaign_id: campaignId }).count({ n: '*' })) as { n: number }[])[0]!.n,
  );
  for (const chunk of chunks(subjects, 500)) {
    await db('campaign_tasks')
      .insert(
        chunk.map((s) => ({
          campaign_id: campaignId,
          subject_type: s.type,
          subject_id: s.id,
          department_id: s.departmentId,
          created_at: now,
        })),
      )
      .onConflict(['campaign_id', 'subject_type', 'subject_id'])
      .ignore();
  }
  const after = Number(
    ((await db('campaign_tasks').where({ campaign_id: campaignId }).count({ n: '*' })) as { n: number }[])[0]!.n,
  );
  return after - before;
}

export interface TaskRow {
  taskId: number;
  campaignId: number;
  subjectType: 'project' | 'department';
  subjectId: number;
  departmentId: number;
  state: TaskState;
  submissionId: number | null;
}

/**
 * Every task of some campaigns with its state, read from the matching submission (forms' API: one query per
 * campaign, for all its form's submissions or, given departments, for theirs only). The state is derived, never
 * stored, so it cannot drift from what was filed.
 */
export async function tasksWithState(
  db: Executor,
  campaignIds: number[],
  departmentIds?: number[],
): Promise<TaskRow[]> {
  if (!campaignIds.length) return [];
  const campaigns: { id: number; form_id: string; period: string }[] = await db('campaigns')
    .whereIn('id', campaignIds)
    .select('id', 'form_id', 'period');
  const q = db('campaign_tasks')
    .whereIn('campaign_id', campaignIds)
    .orderBy('id')
    .select('id', 'campaign_id', 'subject_type', 'subject_id', 'department_id');
  if (departmentIds) q.whereIn('department_id', departmentIds);
  const tasks: { id: number; campaign_id: number; subject_type: string; subject_id: number; department_id: number }[] =
    await q;
  const bySubject = new Map<string, { status: string; id: number }>();
  for (const c of campaigns) {
    const own = departmentIds && tasks.filter((t) => Number(t.campaign_id) === Number(c.id));
    const subjects = own?.map((t) => ({ type: t.subject_type, id: Number(t.subject_id) }));
    if (subjects?.length === 0) continue;
    for (const s of await submissionsOfForm(db, c.form_id, String(c.period), subjects)) {
      bySubject.set(`${c.id}:${s.subjectType}:${s.subjectId}`, { status: s.status, id: s.id });
    }
  }
  return tasks.map((t) => {
    const sub = bySubject.get(`${t.campaign_id}:${t.subject_type}:${t.subject_id}`);
    return {
      taskId: Number(t.id),
      campaignId: Number(t.campaign_id),
      subjectType: t.subject_type as TaskRow['subjectType'],
      subjectId: Number(t.subject_id),
      departmentId: Number(t.department_id),
      state: (sub?.status ?? 'not_started') as TaskState,
      submissionId: sub ? sub.id : null,
    };
  });
}

/** Display names of task subjects, keyed `project:<id>` / `department:<id>`; `withCode` adds a project's code. */
export async function subjectNames(
  db: Executor,
  subjects: { type: string; id: number }[],
  withCode = false,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const projectIds = subjects.filter((s) => s.type === 'project').map((s) => s.id);
  for (const [id, name] of await projectNames(db, projectIds, withCode)) names.set(`project:${id}`, name);
  const deptIds = subjects.filter((s) => s.type === 'department').map((s) => s.id);
  for (const [id, name] of await departmentNames(db, deptIds)) names.set(`department:${id}`, name);
  return names;
}

/** A form's campaigns, newest first (open or closed): 抽评 draws from a self-evaluation campaign. */
export async function campaignsOfForm(db: Executor, formId: string, limit = 10): Promise<CampaignRow[]> {
  return (await db('campaigns').where({ form_id: formId }).orderBy('id', 'desc').limit(limit)).map(toCampaign);
}

/**
 * Closes an open campaign and frees its key, so the same scope can be launched anew; resolves whether this call
 * closed it (a second click finds it closed).
 */
export async function closeCampaign(db: Executor, id: number, now: number): Promise<boolean> {
  const closed = { status: 'closed', open_key: null, updated_at: now };
  return (await db('campaigns').where({ id, status: 'open' }).update(closed)) > 0;
}
