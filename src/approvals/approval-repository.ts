import type { Executor } from '../db/database';
import { type ChainState, pendingApprovers } from './chain';

export interface InstanceRow {
  id: number;
  submissionId: number;
  revision: number;
  status: ChainState['status'];
  state: ChainState;
  version: number;
  submitterId: number;
  updatedAt: number;
}

const toInstance = (r: Record<string, unknown>): InstanceRow => ({
  id: Number(r.id),
  submissionId: Number(r.submission_id),
  revision: Number(r.revision),
  status: r.status as InstanceRow['status'],
  state: JSON.parse(String(r.state)) as ChainState,
  version: Number(r.version),
  submitterId: Number(r.submitter_id),
  updatedAt: Number(r.updated_at),
});

export async function insertInstance(
  db: Executor,
  i: { submissionId: number; revision: number; state: ChainState; submitterId: number },
  now: number,
): Promise<InstanceRow> {
  await db('approval_instances').insert({
    submission_id: i.submissionId,
    revision: i.revision,
    status: i.state.status,
    state: JSON.stringify(i.state),
    version: 0,
    submitter_id: i.submitterId,
    created_at: now,
    updated_at: now,
  });
  return toInstance(
    await db('approval_instances').where({ submission_id: i.submissionId, revision: i.revision }).first(),
  );
}

export async function getInstance(db: Executor, id: number, forUpdate = false): Promise<InstanceRow | undefined> {
  const q = db('approval_instances').where({ id });
  if (forUpdate) q.forUpdate();
  const r = await q.first();
  return r ? toInstance(r) : undefined;
}

export async function latestInstance(db: Executor, submissionId: number): Promise<InstanceRow | undefined> {
  const r = await db('approval_instances').where({ submission_id: submissionId }).orderBy('revision', 'desc').first();
  return r ? toInstance(r) : undefined;
}

/** Optimistic write: succeeds only if nobody changed the instance since it was read. */
export async function saveInstance(db: Executor, inst: InstanceRow, state: ChainState, now: number): Promise<boolean> {
  const n = await db('approval_instances')
    .where({ id: inst.id, version: inst.version })
    .update({ state: JSON.stringify(state), status: state.status, version: inst.version + 1, updated_at: now });
  return n === 1;
}

/** Makes approval_tasks mirror who must act now: new approvers get pending tasks, everyone else's close. */
export async function syncTasks(
  db: Executor,
  inst: InstanceRow,
  state: ChainState,
  now: number,
  doneBy: number[] = [],
): Promise<{ opened: number[] }> {
  const pending = pendingApprovers(state);
  const open: { id: number; step: number; user_id: number }[] = await db('approval_tasks')
    .where({ instance_id: inst.id, status: 'pending' })
    .select('id', 'step', 'user_id');
  for (const t of open) {
    if (t.step === state.current && pending.includes(Number(t.user_id))) continue;
    await db('approval_tasks')
      .where({ id: t.id })
      .update({ status: doneBy.includes(Number(t.user_id)) ? 'done' : 'cancelled', closed_at: now });
  }
  const have = new Set(open.filter((t) => t.step === state.current).map((t) => Number(t.user_id)));
  const opened = pending.filter((u) => !have.has(u));
  if (opened.length) {
    await db('approval_tasks')
      .insert(
        opened.map((u) => ({
          instance_id: inst.id,
          step: state.current,
          user_id: u,
          status: 'pending',
          created_at: now,
        })),
      )
      .onConflict(['instance_id', 'step', 'user_id'])
      .merge(['status', 'created_at']);
  }
  return { opened };
}

export interface PendingTask {
  taskId: number;
  instanceId: number;
  submissionId: number;
  userId: number;
  createdAt: number;
}

export async function pendingTasks(db: Executor, userIds: number[]): Promise<PendingTask[]> {
  if (!userIds.length) return [];
  const rows = await db('approval_tasks')
    .whereIn('user_id', userIds)
    .where({ status: 'pending' })
    .orderBy('created_at')
    .select('id', 'instance_id', 'user_id', 'created_at');
  if (!rows.length) return [];
  const subs = new Map<number, number>(
    (
      await db('approval_instances')
        .whereIn(
          'id',
          rows.map((r: { instance_id: number }) => r.instance_id),
        )
        .select('id', 'submission_id')
    ).map((r: { id: number; submission_id: number }) => [Number(r.id), Number(r.submission_id)]),
  );
  return rows.map((r: { id: number; instance_id: number; user_id: number; created_at: number }) => ({
    taskId: Number(r.id),
    instanceId: Number(r.instance_id),
    submissionId: subs.get(Number(r.instance_id))!,
    userId: Number(r.user_id),
    createdAt: Number(r.created_at),
  }));
}

/** People who handed their approvals to `delegateId` for `date` (YYYY-MM-DD). */
export async function delegatorsOf(db: Executor, delegateId: number, date: string): Promise<number[]> {
  return (
    await db('delegations')
      .where({ to_user_id: delegateId })
      .whereNull('cancelled_at')
      .where('start_date', '<=', date)
      .where('end_date', '>=', date)
      .pluck('from_user_id')
  ).map(Number);
}

export async function delegateOf(db: Executor, userId: number, date: string): Promise<number | undefined> {
  const r = await db('delegations')
    .where({ from_user_id: userId })
    .whereNull('cancelled_at')
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .orderBy('id', 'desc')
    .first('to_user_id');
  return r ? Number(r.to_user_id) : undefined;
}

/** Records an approval card queued under `ref`, so the step's cards can be updated when it is decided. */
export async function recordCard(
  db: Executor,
  card: { instanceId: number; step: number; userId: number; ref: string },
): Promise<void> {
  await db('approval_cards')
    .insert({ instance_id: card.instanceId, step: card.step, user_id: card.userId, ref: card.ref })
    .onConflict('ref')
    .ignore();
}

export async function cardRefs(db: Executor, instanceId: number, step: number): Promise<string[]> {
  return db('approval_cards').where({ instance_id: instanceId, step }).orderBy('id').pluck('ref');
}
