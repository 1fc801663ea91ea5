import { hostname } from 'node:os';
import { Gauge } from 'prom-client';
import type { Db } from '../db/database.ts';
import type { Metrics } from '../observability/metrics.ts';
import { type Background, pollLoop } from '../shared/background.ts';
import { createLease } from '../shared/lease.ts';
import { type OutboxRow, claimDue, outboxStats, othersRecentSends, releaseOthersClaims } from './outbox-repository.ts';
import { type SendDeps, type Sending, sendRow } from './outbox-send.ts';
import { RateLimiter, type RateLimits, larkRateLimits } from './rate-limiter.ts';

export interface OutboxWorkerOptions extends SendDeps {
  workerId?: string;
  limits?: RateLimits;
  batchSize?: number;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  now?: () => number;
  /**
   * Elects one sender among all instances on the database (lease `sender`, this long): only the holder claims and
   * sends, so one limiter keeps the app's rate. Without it every worker sends (tests of concurrent claiming).
   */
  electionTtlMs?: number;
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
  const limiter = new RateLimiter(o.limits ?? larkRateLimits(), now);
  const batchSize = o.batchSize ?? 100;
  const concurrency = o.concurrency ?? 16;
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 500;
  const signal = { stopped: false };
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const election = electSender(o, workerId, limiter, now);
  const sending: Sending = { o, now, limiter, signal, mayAct: election.mayAct };
  const sendOne = (row: OutboxRow) => sendRow(sending, row);

  const runOnce = async () => {
    if (!(await election.mayClaim())) return 0;
    const rows = await claimDue(o.db, workerId, now(), batchSize, leaseMs);
    await inLanes(rows, concurrency, signal, async (row) => {
      try {
        await sendOne(row);
      } catch (err) {
        // A database hiccup while recording: the lease runs out and the row is retried, uuid keeps it single.
        o.logger.error({ err, outboxId: row.id }, 'outbox row failed');
      }
    });
    return rows.length;
  };

  const run = () => pollLoop('outbox', runOnce, signal, pollMs, o.logger, (w) => (wake = w));
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
      await election.release();
    },
  };
}

/**
 * With `electionTtlMs`, the worker sends only while it holds the `sender` lease. Taking it over, it releases the rows
 * the previous sender had claimed and starts its rate windows from the last minute of sends.
 */
function electSender(o: OutboxWorkerOptions, workerId: string, limiter: RateLimiter, now: () => number) {
  const lease = o.electionTtlMs ? createLease(o.db, 'sender', workerId, o.electionTtlMs, now) : undefined;
  return {
    mayAct: async () => !lease || (await lease.hold()).held,
    async mayClaim() {
      if (!lease) return true;
      const { held, tookOver } = await lease.hold();
      o.metrics.outboxSender.set(held ? 1 : 0);
      if (held && tookOver) {
        const released = await releaseOthersClaims(o.db, workerId);
        limiter.seed(await othersRecentSends(o.db, workerId, now() - 60_000));
        o.logger.info({ workerId, released }, 'this instance is now the sender');
      }
      return held;
    },
    async release() {
      if (!lease) return;
      o.metrics.outboxSender.set(0);
      await lease.release().catch((err) => o.logger.warn({ err }, 'sender lease not released'));
    },
  };
}

/** Works through the rows with at most `lanes` in flight, until done or stopped. */
async function inLanes<T>(rows: T[], lanes: number, signal: { stopped: boolean }, each: (row: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < rows.length && !signal.stopped) await each(rows[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, rows.length) }, lane));
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
