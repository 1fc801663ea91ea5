import type { Executor } from '../db/database.ts';
import { type ChainState, pendingApprovers } from './chain.ts';

export interface InstanceRow {
  id: number;
  submissionId: number;
  revision: number;
  status: ChainState['status'];
  state: ChainState;
  version: number;
  submitterId: number;
  /** The message holding the submitter's card, updated in place at every step. */
  submitterMessageId?: string;
  createdAt: number;
  updatedAt: number;
  /** Read with the row by id: the newest revision under approval for the same submission (a card may be older). */
  latestRevision?: number;
  /** Read with the row by id: the cards sent for it, to update when their step is decided. */
  cards?: { step: number; ref: string }[];
}

const toInstance = (r: Record<string, unknown>): InstanceRow => ({
  id: Number(r.id),
  submissionId: Number(r.submission_id),
  revision: Number(r.revision),
  status: r.status as InstanceRow['status'],
  state: JSON.parse(String(r.state)) as ChainState,
  version: Number(r.version),
  submitterId: Number(r.submitter_id),
  ...(r.submitter_message_id ? { submitterMessageId: String(r.submitter_message_id) } : {}),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  ...(r.latest_revision ? { latestRevision: Number(r.latest_revision) } : {}),
});

export async function insertInstance(
  db: Executor,
  i: { submissionId: number; revision: number; state: ChainState; submitterId: number; submitterMessageId?: string },
  now: number,
): Promise<InstanceRow> {
  // Both drivers answer an insert with the new row's id (MySQL's insertId, SQLite's last rowid).
  const [id] = await db('approval_instances').insert({
    submission_id: i.submissionId,
    revision: i.revision,
    status: i.state.status,
    state: JSON.stringify(i.state),
    version: 0,
    submitter_id: i.submitterId,
    submitter_message_id: i.submitterMessageId ?? null,
    created_at: now,
    updated_at: now,
  });
  return { ...i, id: Number(id), status: i.state.status, version: 0, createdAt: now, updatedAt: now };
}

/**
 * The instance with what a decision needs besides: the newest revision under approval for its submission and the
 * cards sent for it (one row per card, so one statement).
 */
export async function getInstance(db: Executor, id: number, forUpdate = false): Promise<InstanceRow | undefined> {
  const newest = db('approval_instances as l').whereRaw('l.submission_id = i.submission_id').max('l.revision');
  const q = db('approval_instances as i')
    .leftJoin('approval_cards as c', 'c.instance_id', 'i.id')
    .where('i.id', id)
    .orderBy('c.id')
    .select('i.*', newest.as('latest_revision'), 'c.step as card_step', 'c.ref as card_ref');
  if (forUpdate) q.forUpdate();
  const rows: Record<string, unknown>[] = await q;
  if (!rows.length) return undefined;
  const cards = rows.filter((r) => r.card_ref).map((r) => ({ step: Number(r.card_step), ref: String(r.card_ref) }));
  return { ...toInstance(rows[0]!), cards };
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

/**
 * Makes approval_tasks mirror who must act now, from the change of state alone (the tasks always mirror the state
 * before it): new approvers get pending tasks; approvers no longer pending close theirs, `done` for `doneBy` and
 * `cancelled` otherwise. `fresh`: the instance was just created with `state` and has no tasks yet.
 */
export async function syncTasks(
  db: Executor,
  inst: InstanceRow,
  state: ChainState,
  now: number,
  doneBy: number[] = [],
  fresh = false,
): Promise<{ opened: number[] }> {
  const before = fresh ? [] : pendingApprovers(inst.state);
  const after = pendingApprovers(state);
  const sameStep = !fresh && inst.state.current === state.current;
  const stays = (u: number) => sameStep && after.includes(u);
  const closing = before.filter((u) => !stays(u));
  if (closing.length) {
    const done = doneBy.length ? doneBy : [0];
    await db('approval_tasks')
      .where({ instance_id: inst.id, step: inst.state.current, status: 'pending' })
      .whereIn('user_id', closing)
      .update({
        status: db.raw(
          `case when user_id in (${done.map(() => '?').join(',')}) then 'done' else 'cancelled' end`,
          done,
        ),
        closed_at: now,
      });
  }
  const opened = after.filter((u) => !(sameStep && before.includes(u)));
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

/** A task waiting on someone, with what lists of them show of its instance: the chain and its submitter. */
export interface PendingTask {
  taskId: number;
  instanceId: number;
  submissionId: number;
  userId: number;
  createdAt: number;
  state: ChainState;
  submitterId: number;
}

/**
 * Tasks waiting on these people (everyone's without `userIds`) in chains still pending, oldest first: one statement
 * however many there are.
 */
export async function pendingTasks(db: Executor, userIds?: number[]): Promise<PendingTask[]> {
  if (userIds && !userIds.length) return [];
  const q = db('approval_tasks as t')
    .join('approval_instances as i', 'i.id', 't.instance_id')
    .where({ 't.status': 'pending', 'i.status': 'pending' })
    .orderBy(['t.created_at', 't.id'])
    .select('t.id', 't.instance_id', 't.user_id', 't.created_at', 'i.submission_id', 'i.state', 'i.submitter_id');
  if (userIds) q.whereIn('t.user_id', userIds);
  const rows: Record<string, unknown>[] = await q;
  return rows.map((r) => ({
    taskId: Number(r.id),
    instanceId: Number(r.instance_id),
    submissionId: Number(r.submission_id),
    userId: Number(r.user_id),
    createdAt: Number(r.created_at),
    state: JSON.parse(String(r.state)) as ChainState,
    submitterId: Number(r.submitter_id),
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

/** Whom each of these people handed their approvals to for `date` (the newest delegation wins). */
export async function delegatesOf(db: Executor, userIds: number[], date: string): Promise<Map<number, number>> {
  if (!userIds.length) return new Map();
  const rows: { from_user_id: number; to_user_id: number }[] = await db('delegations')
    .whereIn('from_user_id', userIds)
    .whereNull('cancelled_at')
    .where('start_date', '<=', date)
    .where('end_date', '>=', date)
    .orderBy('id')
    .select('from_user_id', 'to_user_id');
  return new Map(rows.map((r) => [Number(r.from_user_id), Number(r.to_user_id)]));
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

/** The cards of one step of the instance, as read with it (`getInstance`) or from the table. */
export async function cardRefs(db: Executor, inst: InstanceRow, step: number): Promise<string[]> {
  if (inst.cards) return inst.cards.filter((c) => c.step === step).map((c) => c.ref);
  return db('approval_cards').where({ instance_id: inst.id, step }).orderBy('id').pluck('ref');
}

/** The user's delegation in force today or later, if any. */
export async function currentDelegation(
  db: Executor,
  userId: number,
  today: string,
): Promise<{ toUserId: number; start: string; end: string } | undefined> {
  const d = await db('delegations')
    .where({ from_user_id: userId })
    .whereNull('cancelled_at')
    .where('end_date', '>=', today)
    .orderBy('id', 'desc')
    .first('to_user_id', 'start_date', 'end_date');
  return d && { toUserId: Number(d.to_user_id), start: d.start_date, end: d.end_date };
}

export interface Delegation {
  from: number;
  to: number;
  start: string;
  end: string;
}

/** Whether exactly this delegation is in force (a second click on the card that made it). */
export async function hasDelegation(db: Executor, d: Delegation): Promise<boolean> {
  const row = await db('delegations')
    .where({ from_user_id: d.from, to_user_id: d.to, start_date: d.start, end_date: d.end })
    .whereNull('cancelled_at')
    .first('id');
  return Boolean(row);
}

/** Cancels the user's delegations in force; resolves how many there were. */
export async function cancelDelegations(db: Executor, from: number, now: number): Promise<number> {
  return db('delegations').where({ from_user_id: from }).whereNull('cancelled_at').update({ cancelled_at: now });
}

/** One delegation at a time: a new one replaces the user's current one. */
export async function replaceDelegation(db: Executor, d: Delegation, now: number): Promise<void> {
  await cancelDelegations(db, d.from, now);
  await db('delegations').insert({
    from_user_id: d.from,
    to_user_id: d.to,
    start_date: d.start,
    end_date: d.end,
    created_at: now,
  });
}
