import { Gauge, type Registry } from 'prom-client';
import type { Db, Executor } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';

/**
 * Claims a named run (`reminders:2026-10-08`, `org-sync:2026-10-08`) for this instance: the first instance to record it
 * wins, the others find it taken. Resolves whether this one won.
 */
export async function claimRun(db: Executor, key: string, instance: string, now: number): Promise<boolean> {
  try {
    await db('scheduler_runs').insert({ key, instance, at: now });
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Gives a claimed run back after it failed, so a later tick (of any instance) tries again. */
export async function releaseRun(db: Executor, key: string): Promise<void> {
  await db('scheduler_runs').where({ key }).delete();
}

/** Drops claims under `prefix` older than `before` (hourly claims would otherwise pile up). */
export async function pruneRuns(db: Executor, prefix: string, before: number): Promise<number> {
  return db('scheduler_runs').where('key', 'like', `${prefix}%`).where('at', '<', before).delete();
}

/** Daily tasks whose runs are claimed here, as the metric's `task` label shows them (`job` is Prometheus's own). */
const tasks = ['reminders', 'org-sync'] as const;

/**
 * `jixiao_last_run_timestamp_seconds{task}`: when each daily job last ran on any instance, read at scrape time, so
 * an alert can say the reminders stopped (the run is claimed in the database, so every instance reports the same).
 */
export function registerRunGauge(db: Db, registry: Registry): void {
  new Gauge({
    name: 'jixiao_last_run_timestamp_seconds',
    help: 'When each daily task (reminders, org-sync) last ran on any instance',
    labelNames: ['task'] as const,
    registers: [registry],
    async collect() {
      for (const task of tasks) {
        // A database outage must not break /metrics: the gauge keeps its last value.
        const r = await db('scheduler_runs')
          .where('key', 'like', `${task}:%`)
          .max({ at: 'at' })
          .first()
          .catch(() => undefined);
        if (r?.at) this.set({ task }, Number(r.at) / 1000);
      }
    },
  });
}
