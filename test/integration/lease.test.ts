import { afterEach, describe, expect, it } from 'vitest';
import { createLease } from '../../src/shared/lease';
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
});
