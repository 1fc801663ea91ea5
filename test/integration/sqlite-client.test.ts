import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { migratedDb } from '../helpers/databases';

// The embedded database's client writes whole-number LIMIT and OFFSET into the SQL (see sqlite-client.ts).
describe('the SQLite client', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function withKeys(): Promise<Db> {
    const m = await migratedDb('sqlite');
    close = m.close;
    await m.db('lark_dedupe').insert(['a', 'b', 'c', 'd'].map((key) => ({ key, seen_at: 1 })));
    return m.db;
  }

  it('writes a limit and an offset into the statement and still reads the right rows', async () => {
    const db = await withKeys();
    const first = db('lark_dedupe').orderBy('key').first('key').toSQL();
    expect(first.sql).toMatch(/limit 1$/);
    expect(first.bindings).toEqual([]);
    expect(await db('lark_dedupe').orderBy('key').first('key')).toEqual({ key: 'a' });
    const page = db('lark_dedupe').orderBy('key').limit(2).offset(1);
    expect(page.toSQL().sql).toMatch(/limit 2 offset 1$/);
    expect(await page.clone().pluck('key')).toEqual(['b', 'c']);
    // An offset alone: SQLite needs a LIMIT before it.
    expect(await db('lark_dedupe').orderBy('key').offset(3).pluck('key')).toEqual(['d']);
    // The same in a transaction, whose client knex derives from the pool's.
    await db.transaction(async (tx) => {
      const q = tx('lark_dedupe').orderBy('key', 'desc').limit(1);
      expect(q.toSQL().bindings).toEqual([]);
      expect(await q.pluck('key')).toEqual(['d']);
    });
  });

  it('still binds an offset given as SQL, and a limit that is not a number never reaches the statement', async () => {
    const db = await withKeys();
    const raw = db('lark_dedupe')
      .orderBy('key')
      .limit(1)
      // knex takes SQL here though its types do not say so.
      .offset(db.raw('?', [2]) as unknown as number);
    expect(raw.toSQL().bindings).toEqual([2]);
    expect(await raw.pluck('key')).toEqual(['c']);
    const bad = db('lark_dedupe')
      .orderBy('key')
      .limit('1; drop table lark_dedupe' as unknown as number);
    expect(bad.toSQL().sql).toMatch(/limit 1$/);
    expect(await bad.pluck('key')).toEqual(['a']);
    expect(await db('lark_dedupe').count({ n: '*' })).toEqual([{ n: 4 }]);
  });
});
