import type { Executor } from '../db/database.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import { type OrgUser, findUserByOpenId, senderRows, toOrgUser } from './user-repository.ts';

/*
 * Writes to the organisation made by this process. A process-wide count on purpose: a write through any stack is
 * seen at once by every cache in the process (tests run several stacks in one), which costs at worst a needless
 * re-read.
 */
let localWrites = 0;

/**
 * Every write to people, departments or roles calls this in its transaction: caches in this process drop their
 * entries before the next event, caches in other processes when they next read the counter.
 */
export async function orgChanged(tx: Executor): Promise<void> {
  localWrites++;
  await tx('org_version').where({ id: 1 }).increment('version', 1);
}

export interface OrgCache {
  /** The sender of an event with their roles, as `findUserByOpenId`, from memory when nothing has changed. */
  user(tx: Executor, openId: string): Promise<OrgUser | null>;
  /** Drops every entry and reads the counter with the next sender: for reads that may have been rolled back. */
  forget(): void;
}

/**
 * Senders by open_id, with their roles. Intake looks the sender up on every event, and that read cost as much as the
 * rest of intake's own work. Correct because every org write goes through `orgChanged`: a write in this process
 * empties the cache before the next event; one in another process (a second instance, the CLI's import or sync) is
 * noticed within `checkEveryMs`, when an event reads the shared counter along with its sender. Between a write and
 * its commit an event may read and keep the old rows; the next counter check drops them, within the same bound.
 */
export function createOrgCache(opts: { checkEveryMs: number; maxEntries?: number }): OrgCache {
  const users = new BoundedCache<OrgUser | null>(opts.maxEntries ?? 10_000);
  let seenWrites = -1;
  let seenVersion: string | undefined;
  let checkedAt = -Infinity;

  /** Reads the sender and the counter in one statement (two for someone not in the organisation). */
  const readChecked = async (tx: Executor, openId: string) => {
    const now = performance.now();
    const writes = localWrites;
    const rows = await senderRows(tx, openId).select(
      tx('org_version').where({ id: 1 }).select('version').as('org_version'),
    );
    const version: unknown = rows.length
      ? rows[0].org_version
      : (await tx('org_version').where({ id: 1 }).first('version'))?.version;
    if (String(version) !== seenVersion || writes !== seenWrites) users.clear();
    seenVersion = String(version);
    seenWrites = writes;
    checkedAt = now;
    return { user: toOrgUser(rows), writes };
  };

  return {
    async user(tx, openId) {
      if (opts.checkEveryMs <= 0) return findUserByOpenId(tx, openId);
      const due = seenWrites !== localWrites || performance.now() - checkedAt >= opts.checkEveryMs;
      if (!due) {
        const hit = users.get(openId);
        if (hit !== undefined) return hit;
      }
      const before = localWrites;
      const { user, writes } = due
        ? await readChecked(tx, openId)
        : { user: await findUserByOpenId(tx, openId), writes: before };
      // A write that began while this read ran may not be in it: keep the answer only when none did.
      if (writes === localWrites) users.set(openId, user && freeze(user));
      return user;
    },
    forget() {
      users.clear();
      checkedAt = -Infinity;
    },
  };
}

const freeze = (u: OrgUser): OrgUser =>
  Object.freeze({
    ...u,
    department: Object.freeze({ ...u.department }),
    roles: Object.freeze(u.roles.map((g) => Object.freeze({ ...g }))),
  }) as OrgUser;
