import type { Executor } from '../db/database';
import { isUniqueViolation } from '../db/errors';

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
