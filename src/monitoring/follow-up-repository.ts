import type { Executor } from '../db/database.ts';

/** One submitted report's follow-up: its light, its corrective action, whom it warned, whether it was flagged. */
export interface FollowUpRow {
  id: number;
  submissionId: number;
  revision: number;
  formId: string;
  period: string;
  projectId: number;
  departmentId: number;
  asOf: string | null;
  light: string | null;
  action: string | null;
  deadline: string | null;
  status: 'none' | 'open' | 'done';
  warnedLight: string | null;
  doneAt: number | null;
  flaggedAt: number | null;
}

const toRow = (r: Record<string, unknown>): FollowUpRow => ({
  id: Number(r.id),
  submissionId: Number(r.submission_id),
  revision: Number(r.revision),
  formId: String(r.form_id),
  period: String(r.period),
  projectId: Number(r.project_id),
  departmentId: Number(r.department_id),
  asOf: r.as_of ? String(r.as_of) : null,
  light: r.light ? String(r.light) : null,
  action: r.action ? String(r.action) : null,
  deadline: r.deadline ? String(r.deadline) : null,
  status: r.status as FollowUpRow['status'],
  warnedLight: r.warned_light ? String(r.warned_light) : null,
  doneAt: r.done_at === null ? null : Number(r.done_at),
  flaggedAt: r.flagged_at === null ? null : Number(r.flagged_at),
});

export type Recorded = Pick<
  FollowUpRow,
  'submissionId' | 'revision' | 'formId' | 'period' | 'projectId' | 'departmentId' | 'asOf' | 'light' | 'action'
> & { deadline: string | null; needsAction: boolean };

/**
 * Records what a submitted revision says. A later revision of the same report (after a return) replaces it: its
 * action is open again, while whom it warned stays, so the same light does not warn twice.
 */
export async function recordFollowUp(db: Executor, r: Recorded, now: number): Promise<void> {
  const values = {
    revision: r.revision,
    as_of: r.asOf,
    light: r.light,
    action: r.action,
    deadline: r.deadline,
    status: r.needsAction ? 'open' : 'none',
    done_at: null,
    done_by: null,
    updated_at: now,
  };
  await db('monitoring_follow_ups')
    .insert({
      ...values,
      submission_id: r.submissionId,
      form_id: r.formId,
      period: r.period,
      project_id: r.projectId,
      department_id: r.departmentId,
      created_at: now,
    })
    .onConflict(['submission_id'])
    .merge(values);
}

/** Reports whose light has not been warned about yet (or got worse since), for the day's digest. */
export async function unwarned(db: Executor, lights: string[]): Promise<FollowUpRow[]> {
  if (!lights.length) return [];
  const rows = await db('monitoring_follow_ups')
    .whereIn('light', lights)
    .where((q) => q.whereNull('warned_light').orWhereRaw('warned_light <> light'))
    .orderBy('id');
  return rows.map(toRow);
}

export async function markWarned(db: Executor, ids: number[]): Promise<void> {
  if (ids.length)
    await db('monitoring_follow_ups')
      .whereIn('id', ids)
      .update({ warned_light: db.ref('light') });
}

/** Open actions past their deadline, not yet flagged: the candidates for 建议暂缓拨款. */
export async function overdueActions(db: Executor, today: string): Promise<FollowUpRow[]> {
  const rows = await db('monitoring_follow_ups')
    .where({ status: 'open' })
    .whereNull('flagged_at')
    .where('deadline', '<', today)
    .orderBy('id');
  return rows.map(toRow);
}

export async function markFlagged(db: Executor, ids: number[], now: number): Promise<void> {
  if (ids.length) await db('monitoring_follow_ups').whereIn('id', ids).update({ flagged_at: now, updated_at: now });
}

/** The open corrective actions of some departments, soonest deadline first: 待办. */
export async function openActions(db: Executor, departmentIds: number[]): Promise<FollowUpRow[]> {
  if (!departmentIds.length) return [];
  const rows = await db('monitoring_follow_ups')
    .where({ status: 'open' })
    .whereIn('department_id', departmentIds)
    .orderBy('deadline')
    .orderBy('id');
  return rows.map(toRow);
}

export async function getFollowUp(db: Executor, id: number): Promise<FollowUpRow | undefined> {
  const r = await db('monitoring_follow_ups').where({ id }).first();
  return r ? toRow(r) : undefined;
}

/** Confirms an open action once: true when this call did it, false when it was no longer open. */
export async function markDone(db: Executor, id: number, userId: number, now: number): Promise<boolean> {
  const n = await db('monitoring_follow_ups')
    .where({ id, status: 'open' })
    .update({ status: 'done', done_at: now, done_by: userId, updated_at: now });
  return n === 1;
}

/** Every follow-up of a form and period, for the progress card's lights. */
export async function followUpsOf(db: Executor, formId: string, period: string): Promise<FollowUpRow[]> {
  const rows = await db('monitoring_follow_ups').where({ form_id: formId, period }).orderBy('id');
  return rows.map(toRow);
}
