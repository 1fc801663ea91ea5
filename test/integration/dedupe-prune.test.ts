import { afterEach, describe, expect, it } from 'vitest';
import { DEDUPE_RETENTION_MS, claimOnce, pruneDedupe } from '../../src/lark/dedupe-repository';
import { dialects, migratedDb } from '../helpers/databases';

describe.each(dialects())('dedupe keys on %s', (dialect) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('claims a key once, keeps it for Lark’s redelivery window, then prunes it', async () => {
    const t = await migratedDb(dialect);
    close = t.close;
    const now = 1_800_000_000_000;
    expect(await claimOnce(t.db, ['event:a', 'message:m'], now - DEDUPE_RETENTION_MS - 1)).toBe(true);
    expect(await claimOnce(t.db, ['event:b'], now - 7 * 3600_000)).toBe(true);
    expect(await claimOnce(t.db, ['message:m', 'event:c'], now)).toBe(false); // the message was seen under another event
    expect(await pruneDedupe(t.db, now)).toBe(2);
    expect((await t.db('lark_dedupe').pluck('key')).sort()).toEqual(['event:b']);
  });
});
