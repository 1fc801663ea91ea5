import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';

/**
 * A named lease on the shared database: at most one holder at a time, renewed while it works, taken over by another
 * instance once it lapses (the holder died or lost the database). Clocks of the instances must agree to well within
 * the ttl (NTP does that); a holder that cannot renew in time stops acting before its lease can be taken.
 */
export interface Lease {
  /**
   * Renews or takes the lease when it is due; resolves whether this instance holds it now. `tookOver` is true on the
   * call that took it from someone else (or took it first), so the caller can clean up after the previous holder.
   */
  hold(): Promise<{ held: boolean; tookOver: boolean }>;
  /** Gives the lease up (graceful stop), so another instance takes over at once instead of after the ttl. */
  release(): Promise<void>;
}

export function createLease(db: Db, name: string, holder: string, ttlMs: number, now: () => number): Lease {
  // Renewed at a third of the ttl, so two missed renewals still leave it held.
  const renewEvery = ttlMs / 3;
  let heldUntil = 0;
  let renewedAt = -Infinity;
  let inFlight: Promise<{ held: boolean; tookOver: boolean }> | undefined;

  const takeOrRenew = async (t: number): Promise<{ held: boolean; tookOver: boolean }> => {
    const mine = await db('leases')
      .where({ name, holder })
      .andWhere('expires_at', '>=', t)
      .update({ expires_at: t + ttlMs });
    if (mine) return { held: true, tookOver: false };
    const taken = await db('leases')
      .where({ name })
      .andWhere('expires_at', '<', t)
      .update({ holder, expires_at: t + ttlMs, epoch: db.raw('epoch + 1') });
    if (taken) return { held: true, tookOver: true };
    try {
      await db('leases').insert({ name, holder, epoch: 1, expires_at: t + ttlMs });
      return { held: true, tookOver: true };
    } catch (err) {
      if (isUniqueViolation(err)) return { held: false, tookOver: false };
      throw err;
    }
  };

  return {
    hold() {
      const t = now();
      if (t < heldUntil && t - renewedAt < renewEvery) return Promise.resolve({ held: true, tookOver: false });
      // Callers asking together (the sender's lanes) share one round trip, and only the first hears `tookOver`.
      const shared = inFlight;
      if (shared) return shared.then((r) => ({ ...r, tookOver: false }));
      inFlight = takeOrRenew(t)
        .then((r) => {
          // The lease counts from before the statement: a slow round trip shortens it, never lengthens it.
          heldUntil = r.held ? t + ttlMs : 0;
          renewedAt = t;
          return r;
        })
        .finally(() => (inFlight = undefined));
      return inFlight;
    },
    async release() {
      heldUntil = 0;
      await db('leases').where({ name, holder }).update({ expires_at: 0 });
    },
  };
}
