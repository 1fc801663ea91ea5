import type { Db } from '../db/database.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LarkApi } from './lark-api.ts';
import { type OutboxRow, markDead, markRetry, markSent, sentMessageId } from './outbox-repository.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { classify } from './send-outcome.ts';

export interface SendDeps {
  db: Db;
  api: LarkApi;
  logger: Logger;
  metrics: Metrics;
  random?: () => number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

/** What sending one row needs from its worker. */
export interface Sending {
  o: SendDeps;
  now: () => number;
  limiter: RateLimiter;
  signal: { stopped: boolean };
  /** Whether this worker may still send (it holds the sender lease); checked right before each call. */
  mayAct: () => Promise<boolean>;
}

/** A patch or buzz addressed by ref waits for the original send; it dies with it. */
async function resolveTarget(w: Sending, row: OutboxRow): Promise<OutboxRow | 'later' | 'dead'> {
  const m = row.message;
  if ((m.kind !== 'patch' && m.kind !== 'buzz') || m.messageId || !m.targetRef) return row;
  const target = await sentMessageId(w.o.db, m.targetRef);
  if (target.state === 'sent' && target.messageId) return { ...row, message: { ...m, messageId: target.messageId } };
  return target.state === 'pending' ? 'later' : 'dead';
}

/** Waits for rate-limit room, sends with the row's idempotency key, and records what came of it. */
export async function sendRow(w: Sending, claimed: OutboxRow): Promise<void> {
  const { o, now } = w;
  const row = await resolveTarget(w, claimed);
  if (row === 'later') return markRetry(o.db, claimed, now() + 1000, 'waiting for the card to be sent', false);
  if (row === 'dead') {
    const ref = String((claimed.message as { targetRef?: string }).targetRef);
    return markDead(o.db, claimed, `the card ${ref} was never sent`);
  }
  await w.limiter.acquire(row.recipient, w.signal);
  // Stopped, or no longer the sender: the row's lease runs out (or the new sender releases it) and it is sent later.
  if (w.signal.stopped || !(await w.mayAct())) return;
  const { result, messageId } = await o.api.deliver(row.message, row.uuid);
  const outcome = classify(result, row.attempts, o.random, o.retryBaseMs);
  const t = now();
  switch (outcome.kind) {
    case 'sent':
      await markSent(o.db, row, t, messageId);
      o.metrics.outboxSent.inc({ kind: row.kind });
      return;
    case 'refresh_token':
      o.api.dropToken();
      await markRetry(o.db, row, t, outcome.reason);
      o.metrics.outboxRetried.inc({ reason: 'token' });
      return;
    case 'retry':
      await markRetry(o.db, row, t + outcome.delayMs, outcome.reason);
      o.metrics.outboxRetried.inc({ reason: outcome.reason.split(' ')[0] ?? 'other' });
      o.logger.warn(
        { outboxId: row.id, kind: row.kind, attempts: row.attempts + 1, delayMs: outcome.delayMs },
        `outbox retry: ${outcome.reason}`,
      );
      return;
    case 'dead':
      await markDead(o.db, row, outcome.reason);
      o.metrics.outboxDead.inc({ reason: outcome.reason.split(' ')[0] ?? 'other' });
      o.logger.error({ outboxId: row.id, kind: row.kind, ref: row.ref }, `outbox dead letter: ${outcome.reason}`);
      return;
  }
}
