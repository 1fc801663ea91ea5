import type { Executor } from '../db/database.ts';
import type { BotEvent } from './events.ts';

/*
 * Events whose handler failed the same way a retry would (a bug, not the database): kept with the error so an
 * operator can replay them after the fix (`npm run cli -- events replay ID`). The person was told once.
 */

export interface FailedEvent {
  id: number;
  eventId: string;
  kind: string;
  openId: string | null;
  event: BotEvent;
  error: string;
  reference: string;
  attempts: number;
  status: 'failed' | 'replayed';
  firstFailedAt: number;
  lastFailedAt: number;
}

const toFailed = (r: Record<string, unknown>): FailedEvent => ({
  id: Number(r.id),
  eventId: String(r.event_id),
  kind: String(r.kind),
  openId: r.open_id === null ? null : String(r.open_id),
  event: JSON.parse(String(r.event)) as BotEvent,
  error: String(r.error),
  reference: String(r.reference),
  attempts: Number(r.attempts),
  status: r.status as FailedEvent['status'],
  firstFailedAt: Number(r.first_failed_at),
  lastFailedAt: Number(r.last_failed_at),
});

/** Records a failure; resolves true the first time this event failed (the person is told only then). */
export async function recordFailure(
  db: Executor,
  event: BotEvent,
  error: string,
  reference: string,
  now: number,
): Promise<boolean> {
  const n = await db('failed_events')
    .where({ event_id: event.eventId })
    .increment('attempts', 1)
    .update({ error: error.slice(0, 4000), last_failed_at: now, status: 'failed' });
  if (n > 0) return false;
  await db('failed_events')
    .insert({
      event_id: event.eventId,
      kind: event.kind,
      open_id: 'openId' in event ? event.openId : null,
      event: JSON.stringify(event),
      error: error.slice(0, 4000),
      reference,
      attempts: 1,
      status: 'failed',
      first_failed_at: now,
      last_failed_at: now,
    })
    .onConflict('event_id')
    .ignore();
  return true;
}

export async function listFailed(db: Executor, limit = 100): Promise<FailedEvent[]> {
  return (await db('failed_events').where({ status: 'failed' }).orderBy('id').limit(limit)).map(toFailed);
}

export async function getFailed(db: Executor, id: number): Promise<FailedEvent | undefined> {
  const r = await db('failed_events').where({ id }).first();
  return r ? toFailed(r) : undefined;
}

export async function markReplayed(db: Executor, id: number, now: number): Promise<void> {
  await db('failed_events').where({ id }).update({ status: 'replayed', replayed_at: now });
}
