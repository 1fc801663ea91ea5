import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { createOrgCache, grantRole, revokeRole } from '../../src/org/index';
import { dialects, migratedDb } from '../helpers/databases';

/** Counts the statements `act` runs on `db`. */
async function counted<T>(db: Db, act: () => Promise<T>): Promise<{ value: T; statements: number }> {
  let statements = 0;
  const listen = () => void statements++;
  db.on('query', listen);
  try {
    return { value: await act(), statements };
  } finally {
    db.off('query', listen);
  }
}

async function person(db: Db): Promise<number> {
  const now = Date.now();
  await db('departments').insert({ code: 'U1', name: '教育局', kind: 'unit', created_at: now, updated_at: now });
  const dept = Number((await db('departments').first('id')).id);
  await db('users').insert({
    open_id: 'ou_a',
    name: '张伟',
    department_id: dept,
    active: true,
    created_at: now,
    updated_at: now,
  });
  return Number((await db('users').first('id')).id);
}

describe.each(dialects())('the cache of event senders on %s', (dialect) => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('answers from memory, sees this process’s role changes at once and another’s within the check interval', async () => {
    const m = await migratedDb(dialect);
    close = m.close;
    const db = m.db;
    const id = await person(db);
    const cache = createOrgCache({ checkEveryMs: 300 });

    const first = await counted(db, () => cache.user(db, 'ou_a'));
    expect(first.value?.name).toBe('张伟');
    expect(first.statements).toBe(1); // the sender and the shared version, together
    const again = await counted(db, () => cache.user(db, 'ou_a'));
    expect(again).toEqual({ value: first.value, statements: 0 });
    expect(Object.isFrozen(again.value?.roles)).toBe(true);
    expect(await cache.user(db, 'ou_nobody')).toBeNull();

    // A grant in this process is seen by the next event, before any interval has passed.
    await db.transaction((tx) => grantRole(tx, { userId: id, role: 'filler', scopeId: null, source: 'admin' }));
    expect((await cache.user(db, 'ou_a'))?.roles.map((g) => g.role)).toEqual(['filler']);

    // Another process (an instance, the CLI) revokes and bumps the shared version: seen once the interval is over.
    await db('role_assignments').where({ user_id: id }).delete();
    await db('org_version').where({ id: 1 }).increment('version', 1);
    expect((await cache.user(db, 'ou_a'))?.roles).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await cache.user(db, 'ou_a'))?.roles).toEqual([]);

    await db.transaction((tx) => revokeRole(tx, { userId: id, role: 'filler', scopeId: null }));
    const off = createOrgCache({ checkEveryMs: 0 });
    expect((await counted(db, () => off.user(db, 'ou_a'))).statements).toBe(1);
    expect((await counted(db, () => off.user(db, 'ou_a'))).statements).toBe(1);
  });

  it('carries the sender’s department with its supervising department, as fresh as the sender', async () => {
    const m = await migratedDb(dialect);
    close = m.close;
    const db = m.db;
    await person(db);
    const now = Date.now();
    await db('departments').insert({
      code: 'S1',
      name: '市教育工委',
      kind: 'supervising',
      created_at: now,
      updated_at: now,
    });
    const parent = Number((await db('departments').where({ code: 'S1' }).first('id')).id);
    await db('departments').where({ code: 'U1' }).update({ parent_id: parent });
    const cache = createOrgCache({ checkEveryMs: 300 });

    const u = await cache.user(db, 'ou_a');
    expect(u?.department).toEqual({
      ...{ id: u?.departmentId, code: 'U1', name: '教育局', kind: 'unit', parentId: parent },
      ...{ supervisingId: parent, supervisingName: '市教育工委' },
    });
    expect(Object.isFrozen((await cache.user(db, 'ou_a'))?.department)).toBe(true); // as kept, shared by events

    // Renamed by another process (an org sync): seen with the sender once the interval is over.
    await db('departments').where({ id: parent }).update({ name: '市委教育工委' });
    await db('org_version').where({ id: 1 }).increment('version', 1);
    await new Promise((r) => setTimeout(r, 350));
    expect((await cache.user(db, 'ou_a'))?.department.supervisingName).toBe('市委教育工委');
  });
});
