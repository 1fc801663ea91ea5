import { afterEach, describe, expect, it } from 'vitest';
import { createLease } from '../../src/shared/lease';
import { claimRun, pruneRuns, releaseRun } from '../../src/shared/run-once';
import { dialects, migratedDb } from '../helpers/databases';

describe.each(dialects())('a shared lease on %s', (dialect) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('has one holder, renews, passes on when it lapses or is released, and counts hand-overs', async () => {
    const m = await migratedDb(dialect);
    close = m.close;
    let now = 1_000_000;
    const clock = () => now;
    const a = createLease(m.db, 'sender', 'A', 3000, clock);
    const b = createLease(m.db, 'sender', 'B', 3000, clock);
    expect(await a.hold()).toEqual({ held: true, tookOver: true });
    expect(await b.hold()).toEqual({ held: false, tookOver: false });
    now += 1500; // a renews (past a third of the ttl); b still cannot take it
    expect(await a.hold()).toEqual({ held: true, tookOver: false });
    now += 2000;
    expect(await b.hold()).toEqual({ held: false, tookOver: false });
    now += 3001; // a stopped renewing: it lapses and b takes over
    expect(await b.hold()).toEqual({ held: true, tookOver: true });
    expect(await a.hold()).toEqual({ held: false, tookOver: false });
    expect((await m.db('leases').where({ name: 'sender' }).first()).epoch).toBe(2);
    await b.release(); // a graceful stop hands over at once
    expect(await a.hold()).toEqual({ held: true, tookOver: true });
    expect((await m.db('leases').where({ name: 'sender' }).first()).epoch).toBe(3);
  });

  it('claims a named run for one instance, gives it back, and prunes old claims', async () => {
    const m = await migratedDb(dialect);
    close = m.close;
    const claims = await Promise.all(['A', 'B', 'C'].map((who) => claimRun(m.db, 'prune:2026-12-01T02', who, 1000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await releaseRun(m.db, 'prune:2026-12-01T02'); // the run failed: another tick may try again
    expect(await claimRun(m.db, 'prune:2026-12-01T02', 'B', 2000)).toBe(true);
    await claimRun(m.db, 'reminders:2026-12-01', 'A', 1000);
    expect(await pruneRuns(m.db, 'prune:', 5000)).toBe(1);
    expect(await m.db('scheduler_runs').pluck('key')).toEqual(['reminders:2026-12-01']);
  });
});
