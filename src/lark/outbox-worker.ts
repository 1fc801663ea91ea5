import { hostname } from 'node:os';
import { Gauge } from 'prom-client';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Background } from '../shared/background';
import type { LarkApi } from './lark-api';
import {
  type OutboxRow,
  claimDue,
  markDead,
  markRetry,
  markSent,
  outboxStats,
  sentMessageId,
} from './outbox-repository';
import { RateLimiter, type RateLimits, larkRateLimits } from './rate-limiter';
import { classify } from './send-outcome';

export interface OutboxWorkerOptions {
  db: Db;
  api: LarkApi;
  logger: Logger;
  metrics: Metrics;
  workerId?: string;
  limits?: RateLimits;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  now?: () => number;
  random?: () => number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

export interface OutboxWorker extends Background {
  /** Claims and sends one batch; resolves with how many rows it handled. */
  runOnce(): Promise<number>;
  /** Runs batches until nothing is due (tests and benchmarks). */
  drain(maxMs?: number): Promise<void>;
}

/**
 * The only path to Lark. Claims due rows, waits for rate-limit room, sends with the row's idempotency key and
 * records the outcome. Several workers, in one process or many, share the table safely through leases.
 */
export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const now = o.now ?? Date.now;
  const workerId = o.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 6)}`;
  const limiter = new RateLimiter(o.limits ?? larkRateLimits, now);
  const batchSize = o.batchSize ?? 100;
  const concurrency = o.concurrency ?? 16;
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 500;
  const signal = { stopped: false };
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** A patch or buzz addressed by ref waits for the original send; it dies with it. */
  const resolveTarget = async (row: OutboxRow): Promise<OutboxRow | 'later' | 'dead'> => {
    const m = row.message;
    if ((m.kind !== 'patch' && m.kind !== 'buzz') || m.messageId || !m.targetRef) return row;
    const target = await sentMessageId(o.db, m.targetRef);
    if (target.state === 'sent' && target.messageId) return { ...row, message: { ...m, messageId: target.messageId } };
    return target.state === 'pending' ? 'later' : 'dead';
  };

  const sendOne = async (claimed: OutboxRow) => {
    const row = await resolveTarget(claimed);
    if (row === 'later') return markRetry(o.db, claimed, now() + 1000, 'waiting for the card to be sent', false);
    if (row === 'dead')
      return markDead(
        o.db,
        claimed,
        `the card ${String((claimed.message as { targetRef?: string }).targetRef)} was never sent`,
      );
    await limiter.acquire(row.recipient, signal);
    if (signal.stopped) return; // lease expires and another worker (or the next start) takes the row over
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
  };

  const runOnce = async () => {
    const rows = await claimDue(o.db, workerId, now(), batchSize, leaseMs);
    let next = 0;
    const lanes = Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
      while (next < rows.length && !signal.stopped) {
        const row = rows[next++]!;
        try {
          await sendOne(row);
        } catch (err) {
          // A database hiccup while recording: the lease runs out and the row is retried, uuid keeps it single.
          o.logger.error({ err, outboxId: row.id }, 'outbox row failed');
        }
      }
    });
    await Promise.all(lanes);
    return rows.length;
  };

  const run = async () => {
    while (!signal.stopped) {
      let handled = 0;
      try {
        handled = await runOnce();
      } catch (err) {
        o.logger.error({ err }, 'outbox batch failed');
      }
      if (!handled && !signal.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };

  registerOutboxGauges(o.db, o.metrics, now);

  return {
    runOnce,
    async drain(maxMs = 60_000) {
      const until = Date.now() + maxMs;
      while (Date.now() < until) {
        const stats = await outboxStats(o.db, now());
        if (!stats.pending) return;
        if (!(await runOnce())) await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('outbox did not drain in time');
    },
    start() {
      signal.stopped = false;
      loop ??= run();
    },
    async stop() {
      signal.stopped = true;
      wake?.();
      await loop;
      loop = undefined;
    },
  };
}

const registered = new WeakSet<Metrics>();

/** Depth and age gauges read the table at scrape time, so they are true across instances. */
function registerOutboxGauges(db: Db, metrics: Metrics, now: () => number): void {
  if (registered.has(metrics)) return;
  registered.add(metrics);
  let cached: Promise<Awaited<ReturnType<typeof outboxStats>>> | undefined;
  const stats = () => (cached ??= outboxStats(db, now()).finally(() => setTimeout(() => (cached = undefined), 0)));
  const gauge = (name: string, help: string, read: (s: Awaited<ReturnType<typeof outboxStats>>) => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      async collect() {
        // A database outage must not break /metrics: the gauge keeps its last value.
        await stats().then(
          (s) => this.set(read(s)),
          () => undefined,
        );
      },
    });
  gauge('jixiao_outbox_pending', 'Outbox rows waiting to be sent', (s) => s.pending);
  gauge('jixiao_outbox_dead', 'Outbox rows in dead letter', (s) => s.dead);
  gauge(
    'jixiao_outbox_oldest_pending_seconds',
    'Age of the oldest pending outbox row',
    (s) => s.oldestPendingAgeMs / 1000,
  );
}
