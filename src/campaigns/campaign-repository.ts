import type { Executor } from '../db/database';
import { chunks } from '../org/org-repository';
import { type Policy, type Population, type TaskState, policySchema, populationSchema } from './campaign-schema';

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
    const q = db('projects').where({ year: p.year });
    if (p.tiers) q.whereIn('tier', p.tiers);
    if (p.min_amount !== undefined) q.where('amount', '>=', p.min_amount);
    return (await q.orderBy('id').select('id', 'department_id')).map((r: { id: number; department_id: number }) => ({
      type: 'project' as const,
      id: Number(r.id),
      departmentId: Number(r.department_id),
    }));
  }
  const q = db('departments').whereNot({ kind: 'bureau' });
  if (p.kind === 'departments') q.whereIn('code', p.codes);
  return (await q.orderBy('id').pluck('id')).map((id: number) => ({
    type: 'department' as const,
    id: Number(id),
    departmentId: Number(id),
  }));
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
 * Every task of some campaigns with its state, read from the matching submission in one query. The state is derived,
 * never stored, so it cannot drift from what was filed.
 */
export async function tasksWithState(
  db: Executor,
  campaignIds: number[],
  departmentIds?: number[],
): Promise<TaskRow[]> {
  if (!campaignIds.length) return [];
  const q = db('campaign_tasks as t')
    .join('campaigns as c', 'c.id', 't.campaign_id')
    .leftJoin('submissions as s', function () {
      this.on('s.form_id', 'c.form_id')
        .andOn('s.subject_type', 't.subject_type')
        .andOn('s.subject_id', 't.subject_id')
        .andOn('s.period', 'c.period');
    })
    .whereIn('t.campaign_id', campaignIds)
    .select(
      't.id as task_id',
      't.campaign_id',
      't.subject_type',
      't.subject_id',
      't.department_id',
      's.status',
      's.id as submission_id',
    );
  if (departmentIds) q.whereIn('t.department_id', departmentIds);
  return (await q).map((r: Record<string, unknown>) => ({
    taskId: Number(r.task_id),
    campaignId: Number(r.campaign_id),
    subjectType: r.subject_type as TaskRow['subjectType'],
    subjectId: Number(r.subject_id),
    departmentId: Number(r.department_id),
    state: (r.status ?? 'not_started') as TaskState,
    submissionId: r.submission_id === null ? null : Number(r.submission_id),
  }));
}

/** Users holding a role, keyed by the department the role covers. */
export async function roleHoldersByDepartment(
  db: Executor,
  role: string,
): Promise<Map<number, { id: number; openId: string }[]>> {
  const rows: { scope_department_id: number | null; id: number; open_id: string | null }[] = await db(
    'role_assignments as r',
  )
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.role': role, 'u.active': true })
    .whereNotNull('u.open_id')
    .select('r.scope_department_id', 'u.id', 'u.open_id');
  const map = new Map<number, { id: number; openId: string }[]>();
  for (const r of rows) {
    const key = r.scope_department_id === null ? 0 : Number(r.scope_department_id);
    map.set(key, [...(map.get(key) ?? []), { id: Number(r.id), openId: r.open_id! }]);
  }
  return map;
}
