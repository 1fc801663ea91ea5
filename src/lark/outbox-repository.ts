import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../db/database.ts';
import { jsonText } from '../db/json-literal.ts';
import { cardJson } from '../cards/card-json.ts';
import { type OutboxMessage, outboxMessageSchema, recipientOf } from './outbox-message.ts';

export interface OutboxRow {
  id: number;
  kind: OutboxMessage['kind'];
  uuid: string;
  recipient: string | null;
  message: OutboxMessage;
  attempts: number;
  ref: string | null;
  claimToken: string;
}

export interface EnqueueOptions {
  /**
   * Idempotency key (≤50 chars, Lark's limit). Deterministic keys make enqueueing idempotent too: a second
   * enqueue with the same key is ignored. Defaults to a random UUID.
   */
  uuid?: string;
  ref?: string;
  availableAt?: number;
}

/** Writes one message to the outbox; call it in the transaction of the change that causes it. */
export async function enqueue(
  tx: Executor,
  message: OutboxMessage,
  now: number,
  opts: EnqueueOptions = {},
): Promise<void> {
  await enqueueMany(tx, [{ message, ...opts }], now);
}

/** Writes messages to the outbox; a message whose uuid is already there is left out (it was queued before). */
export async function enqueueMany(
  tx: Executor,
  items: ({ message: OutboxMessage } & EnqueueOptions)[],
  now: number,
): Promise<void> {
  const rows = items.map(({ message, uuid, ref, availableAt }) => {
    const parsed = outboxMessageSchema.parse(message);
    const key = uuid ?? randomUUID();
    if (key.length > 50) throw new Error(`outbox uuid longer than 50 characters: ${key}`);
    return {
      kind: parsed.kind,
      recipient: recipientOf(parsed),
      uuid: key,
      payload: jsonText(tx, payloadOf(parsed, message)),
      ref: ref ?? null,
      status: 'pending',
      attempts: 0,
      available_at: availableAt ?? now,
      created_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await tx('outbox')
      .insert(rows.slice(i, i + 500))
      .onConflict('uuid')
      .ignore();
  }
}

/**
 * The stored message: the validated fields, and the card as the caller gave it (validation copies the card's top level
 * only, so the text is the same) through `cardJson`, which serialises a cached card once.
 */
function payloadOf(parsed: OutboxMessage, message: OutboxMessage): string {
  if (!('card' in parsed) || !('card' in message)) return JSON.stringify(parsed);
  const { card: _card, ...rest } = parsed;
  return `${JSON.stringify(rest).slice(0, -1)},"card":${cardJson(message.card)}}`;
}

/**
 * Like `enqueueMany`, for callers that tell people how many were notified: resolves how many messages were new. Costs
 * a look-up of the given uuids, so the per-event path (replies) does not use it.
 */
export async function enqueueNew(
  tx: Executor,
  items: ({ message: OutboxMessage } & EnqueueOptions & { uuid: string })[],
  now: number,
): Promise<number> {
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i += 500) {
    const uuids = items.slice(i, i + 500).map((it) => it.uuid);
    for (const u of await tx('outbox').whereIn('uuid', uuids).pluck('uuid')) seen.add(String(u));
  }
  const fresh = items.filter((it) => !seen.has(it.uuid));
  await enqueueMany(tx, fresh, now);
  return fresh.length;
}

/**
 * Claims up to `limit` due rows for one worker. The UPDATE re-checks the lease, so two workers (or instances)
 * racing for the same rows cannot both win; a crashed worker's rows become claimable again when its lease ends.
 */
export async function claimDue(
  db: Db,
  workerId: string,
  now: number,
  limit: number,
  leaseMs: number,
): Promise<OutboxRow[]> {
  const due = (q: ReturnType<Db['queryBuilder']>) =>
    q
      .where('status', 'pending')
      .andWhere('available_at', '<=', now)
      .andWhere((w) => w.whereNull('lease_until').orWhere('lease_until', '<', now));
  const ids: number[] = (await due(db('outbox').select('id')).orderBy('id').limit(limit)).map((r: { id: number }) =>
    Number(r.id),
  );
  if (!ids.length) return [];
  const claimToken = `${workerId}:${randomUUID().slice(0, 8)}`;
  await due(db('outbox').whereIn('id', ids)).update({ claimed_by: claimToken, lease_until: now + leaseMs });
  const rows = await db('outbox').where({ claimed_by: claimToken }).whereIn('id', ids).orderBy('id');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    kind: r.kind as OutboxMessage['kind'],
    uuid: String(r.uuid),
    recipient: (r.recipient as string) ?? null,
    message: outboxMessageSchema.parse(JSON.parse(String(r.payload))),
    attempts: Number(r.attempts),
    ref: (r.ref as string) ?? null,
    claimToken,
  }));
}

/**
 * A new sender takes over: rows still claimed by the previous one (it died mid-batch) are released at once instead of
 * when their leases run out. Should the old sender still be alive, its results no longer match the claim (ignored) and
 * the row is sent again under the same uuid, which Lark answers with the first message.
 */
export async function releaseOthersClaims(db: Db, workerId: string): Promise<number> {
  return db('outbox')
    .where({ status: 'pending' })
    .whereNotNull('claimed_by')
    .andWhere('claimed_by', 'not like', `${workerId}:%`)
    .update({ claimed_by: null, lease_until: null });
}

/**
 * The calls other senders made in the last minute (the longest rate window), so a new sender starts with the old one's
 * windows. Its own calls are already in its limiter (a restart of the loop takes the lease "over" from itself).
 */
export async function othersRecentSends(
  db: Db,
  workerId: string,
  since: number,
): Promise<{ recipient: string | null; at: number }[]> {
  const rows: { recipient: string | null; sent_at: number }[] = await db('outbox')
    .where('sent_at', '>=', since)
    .andWhere('claimed_by', 'not like', `${workerId}:%`)
    .select('recipient', 'sent_at');
  return rows.map((r) => ({ recipient: r.recipient, at: Number(r.sent_at) }));
}

/**
 * Each completion is guarded by the claim token: a worker whose lease ran out cannot overwrite the new owner's result.
 */
export async function markSent(db: Db, row: OutboxRow, now: number, messageId?: string): Promise<void> {
  await db('outbox')
    .where({ id: row.id, claimed_by: row.claimToken })
    .update({
      status: 'sent',
      sent_at: now,
      message_id: messageId ?? null,
      lease_until: null,
      attempts: row.attempts + 1,
    });
}

export async function markRetry(
  db: Db,
  row: OutboxRow,
  availableAt: number,
  error: string,
  countAttempt = true,
): Promise<void> {
  await db('outbox')
    .where({ id: row.id, claimed_by: row.claimToken })
    .update({
      available_at: availableAt,
      last_error: error.slice(0, 2000),
      lease_until: null,
      claimed_by: null,
      attempts: row.attempts + (countAttempt ? 1 : 0),
    });
}

export async function markDead(db: Db, row: OutboxRow, reason: string): Promise<void> {
  await db('outbox')
    .where({ id: row.id, claimed_by: row.claimToken })
    .update({ status: 'dead', last_error: reason.slice(0, 2000), lease_until: null, attempts: row.attempts + 1 });
}

export interface OutboxStats {
  pending: number;
  dead: number;
  sent: number;
  oldestPendingAgeMs: number;
}

export async function outboxStats(db: Db, now: number): Promise<OutboxStats> {
  const counts: { status: string; n: number }[] = await db('outbox')
    .select('status')
    .count({ n: '*' })
    .groupBy('status');
  const by = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  const oldest = await db('outbox').where('status', 'pending').min({ t: 'created_at' }).first();
  return {
    pending: by('pending'),
    dead: by('dead'),
    sent: by('sent'),
    oldestPendingAgeMs: oldest?.t ? Math.max(0, now - Number(oldest.t)) : 0,
  };
}

/** The message id a card was sent as, looked up by the outbox ref it was sent under. */
export async function sentMessageId(
  db: Db,
  ref: string,
): Promise<{ messageId?: string; state: 'sent' | 'pending' | 'dead' | 'unknown' }> {
  const r = await db('outbox')
    .where({ ref })
    .whereIn('kind', ['send', 'reply'])
    .orderBy('id', 'desc')
    .first('status', 'message_id');
  if (!r) return { state: 'unknown' };
  return { state: r.status, messageId: r.message_id ?? undefined };
}

/** How the messages queued under one ref stand: sent, pending, dead (a broadcast's delivery progress). */
/** Recipients of the messages under `ref` by status: a batch row counts each person it is addressed to. */
export async function deliveryByRef(db: Executor, ref: string): Promise<Record<'sent' | 'pending' | 'dead', number>> {
  const rows: { status: string; payload: string | null }[] = await db('outbox')
    .where({ ref })
    .select('status', db.raw("case when kind = 'batch_send' then payload end as payload"));
  const out = { sent: 0, pending: 0, dead: 0 };
  for (const r of rows) {
    if (!(r.status in out)) continue;
    const people = r.payload ? ((JSON.parse(r.payload) as { openIds?: string[] }).openIds?.length ?? 0) : 1;
    out[r.status as keyof typeof out] += people;
  }
  return out;
}

export async function deadLetterCount(db: Executor): Promise<number> {
  const r = await db('outbox').where({ status: 'dead' }).count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

/** How many messages went out under refs starting with `prefix`, by the ref's next segment (`rem:<userId>:<date>`). */
export async function sentCountsByRef(db: Executor, prefix: string, since: string): Promise<Map<string, number>> {
  const rows: { ref: string }[] = await db('outbox')
    .where('ref', 'like', `${prefix}%`)
    .where({ status: 'sent' })
    .select('ref');
  const counts = new Map<string, number>();
  for (const { ref } of rows) {
    const [key, date] = ref.slice(prefix.length).split(':');
    if (key && (!date || date >= since)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Whether a message under `ref` was queued at or after `since` (ms): a repeat of a request just made. */
export async function queuedSince(db: Executor, ref: string, since: number): Promise<boolean> {
  return Boolean(await db('outbox').where({ ref }).where('created_at', '>=', since).first('id'));
}
