import type { Db, Executor } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';

/** Lark redelivers for up to ~7.1 hours; keys are kept at least this long before pruning. */
export const DEDUPE_RETENTION_MS = 8 * 3600_000;

/**
 * Keys outlive both Lark's redeliveries and the replay window by an hour, so a replayed request is either too old for
 * the window or still remembered here.
 */
export const dedupeRetentionMs = (replayWindowS: number) =>
  Math.max(DEDUPE_RETENTION_MS, replayWindowS * 1000 + 3600_000);

/**
 * Records that these keys have been handled, inside the caller's transaction. Returns false when any of them
 * was already recorded (by this or another instance): a concurrent duplicate waits on the row lock and then fails
 * here, so exactly one transaction handles the event. Keys are inserted in sorted order to avoid lock-order deadlocks.
 */
export async function claimOnce(tx: Executor, keys: string[], now: number): Promise<boolean> {
  try {
    await tx('lark_dedupe').insert([...new Set(keys)].sort().map((key) => ({ key, seen_at: now })));
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

export async function pruneDedupe(db: Db, now: number, retentionMs = DEDUPE_RETENTION_MS): Promise<number> {
  return db('lark_dedupe')
    .where('seen_at', '<', now - retentionMs)
    .delete();
}
