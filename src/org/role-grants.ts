import type { Executor } from '../db/database.ts';
import type { Role } from './roles.ts';
import { orgChanged } from './org-cache.ts';

/** Who may give a role: a file import, an admin on the 管理员 card, or org sync from a Lark department leader. */
export type RoleSource = 'import' | 'admin' | 'sync';

export interface HeldRole {
  role: Role;
  scopeId: number | null;
  scope: string | null;
  source: RoleSource;
}

/** Active people whose name, mobile or open id is exactly `query` (a name can match several). */
export async function findPeople(
  db: Executor,
  query: string,
): Promise<
  { id: number; name: string; mobile: string | null; openId: string | null; department: string; departmentId: number }[]
> {
  const rows: {
    id: number;
    name: string;
    mobile: string | null;
    open_id: string | null;
    department: string;
    department_id: number;
  }[] = await db('users as u')
    .join('departments as d', 'd.id', 'u.department_id')
    .where('u.active', true)
    .where((q) => q.where('u.name', query).orWhere('u.mobile', query).orWhere('u.open_id', query))
    .orderBy('u.id')
    .limit(20)
    .select('u.id', 'u.name', 'u.mobile', 'u.open_id', 'd.name as department', 'u.department_id');
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    mobile: r.mobile,
    openId: r.open_id,
    department: r.department,
    departmentId: Number(r.department_id),
  }));
}

/** A department by code or exact name. */
export async function findDepartment(db: Executor, query: string): Promise<{ id: number; name: string } | undefined> {
  const d = await db('departments').where({ code: query }).orWhere({ name: query }).first('id', 'name');
  return d && { id: Number(d.id), name: d.name };
}

export async function rolesHeld(db: Executor, userId: number): Promise<HeldRole[]> {
  const rows: { role: Role; scope_department_id: number | null; name: string | null; source: RoleSource }[] = await db(
    'role_assignments as r',
  )
    .leftJoin('departments as d', 'd.id', 'r.scope_department_id')
    .where('r.user_id', userId)
    .orderBy('r.id')
    // A locking read: once a double click's twin committed, MySQL shows its row, not the transaction's snapshot.
    .forShare()
    .select('r.role', 'r.scope_department_id', 'd.name', 'r.source');
  return rows.map((r) => ({
    role: r.role,
    scopeId: r.scope_department_id === null ? null : Number(r.scope_department_id),
    scope: r.name,
    source: r.source,
  }));
}

/** Gives a role; resolves false when the person already holds it for that scope (nothing written). */
export async function grantRole(
  db: Executor,
  g: { userId: number; role: Role; scopeId: number | null; source: RoleSource },
): Promise<boolean> {
  // A locking read of the person queues a double click behind the first (a NULL scope has no unique key to do it);
  // the check is a locking read too, so on MySQL it sees what the first committed, not the transaction's snapshot.
  await db('users').where({ id: g.userId }).forUpdate().first('id');
  const same = db('role_assignments').where({ user_id: g.userId, role: g.role }).forUpdate();
  const scoped =
    g.scopeId === null ? same.whereNull('scope_department_id') : same.where('scope_department_id', g.scopeId);
  if (await scoped.first('id')) return false;
  await orgChanged(db);
  await db('role_assignments').insert({
    user_id: g.userId,
    role: g.role,
    scope_department_id: g.scopeId,
    source: g.source,
  });
  return true;
}

/** Takes a role away; resolves the source it had, or undefined when the person did not hold it. */
export async function revokeRole(
  db: Executor,
  r: { userId: number; role: Role; scopeId: number | null },
): Promise<RoleSource | undefined> {
  const q = () => {
    const same = db('role_assignments').where({ user_id: r.userId, role: r.role });
    return r.scopeId === null ? same.whereNull('scope_department_id') : same.where('scope_department_id', r.scopeId);
  };
  await db('users').where({ id: r.userId }).forUpdate().first('id');
  const row = await q().forUpdate().first('source');
  if (!row) return undefined;
  await orgChanged(db);
  await q().delete();
  return row.source;
}

/** How many active people hold the admin role: the last one may not be removed. */
export async function activeAdmins(db: Executor): Promise<number> {
  const r = await db('role_assignments as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.role': 'admin', 'u.active': true })
    .countDistinct({ n: 'u.id' })
    .first();
  return Number(r?.n ?? 0);
}
