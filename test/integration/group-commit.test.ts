import { afterEach, describe, expect, it } from 'vitest';
import { type Db, createDb } from '../../src/db/database';
import { groupCommit } from '../../src/db/group-commit';
import { claimOnce } from '../../src/lark/dedupe-repository';
import { dialects, migratedDb } from '../helpers/databases';

/** Runs `units` at once (in one tick, as a burst of events arrives) and settles them all. */
const together = <T>(units: (() => Promise<T>)[]) => Promise.allSettled(units.map((u) => u()));
const keys = async (db: Db) => ((await db('lark_dedupe').orderBy('key').pluck('key')) as string[]).map(String);

describe.each(dialects())('group commit on %s', (dialect) => {
  let close: (() => Promise<void>) | undefined;
  let other: Db | undefined;
  afterEach(async () => {
    await other?.destroy();
    await close?.();
    other = close = undefined;
  });

  async function setUp() {
    const m = await migratedDb(dialect);
    close = m.close;
    other = createDb(m.url); // a second connection: sees only what has committed
    const statements: string[] = [];
    m.db.on('query', (q: { sql: string }) => statements.push(q.sql.trim().split(/\s+/)[0]!.toUpperCase()));
    return { db: m.db, run: groupCommit(m.db), statements };
  }

  it('answers each unit only once its writes have committed; SQLite commits a burst together', async () => {
    const { db, run, statements } = await setUp();
    const seenAtAnswer: boolean[] = [];
    const insert = (k: string) => () =>
      run(async (tx) => {
        await tx('lark_dedupe').insert({ key: k, seen_at: 1 });
        return k;
      }).then(async (key) => {
        seenAtAnswer.push((await other!('lark_dedupe').where({ key }).first()) !== undefined);
        return key;
      });
    const results = await together(['a', 'b', 'c', 'd', 'e'].map(insert));
    expect(results.map((r) => r.status === 'fulfilled' && r.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seenAtAnswer).toEqual([true, true, true, true, true]);
    expect(await keys(db)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(statements.filter((s) => s === 'BEGIN;' || s === 'BEGIN').length).toBe(dialect === 'sqlite' ? 1 : 5);
    // A lone unit needs no savepoint.
    statements.length = 0;
    await insert('f')();
    expect(statements.some((s) => s === 'SAVEPOINT')).toBe(false);
  });

  it('rolls back a failing unit alone: the others of its group commit', async () => {
    const { db, run } = await setUp();
    const units = ['a', 'b', 'c'].map(
      (k) => () =>
        run(async (tx) => {
          await tx('lark_dedupe').insert({ key: k, seen_at: 1 });
          if (k === 'b') throw new Error('handler bug');
          return k;
        }),
    );
    const [a, b, c] = await together(units);
    expect(a).toEqual({ status: 'fulfilled', value: 'a' });
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'handler bug' } });
    expect(c).toEqual({ status: 'fulfilled', value: 'c' });
    expect(await keys(db)).toEqual(['a', 'c']);
  });

  it('lets exactly one of two units claim the same key, in one group or in two transactions', async () => {
    const { db, run } = await setUp();
    const claim = () => () => run((tx) => claimOnce(tx, ['event:x'], 1));
    const results = await together([claim(), claim(), claim()]);
    expect(results.map((r) => r.status === 'fulfilled' && r.value).sort()).toEqual([false, false, true]);
    expect(await keys(db)).toEqual(['event:x']);
  });

  it('on an infrastructure failure, SQLite rolls back the whole group and every unit is refused for redelivery', async () => {
    const { db, run } = await setUp();
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const units = ['a', 'b', 'c'].map(
      (k) => () =>
        run(async (tx) => {
          await tx('lark_dedupe').insert({ key: k, seen_at: 1 });
          if (k === 'b') throw busy;
          return k;
        }),
    );
    const results = await together(units);
    if (dialect === 'sqlite') {
      expect(results.map((r) => r.status === 'rejected' && r.reason)).toEqual([busy, busy, busy]);
      expect(await keys(db)).toEqual([]);
    } else {
      // Separate transactions: only the failing one is rolled back.
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await keys(db)).toEqual(['a', 'c']);
    }
  });
});
