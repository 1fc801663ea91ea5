import type { Executor } from '../db/database';
import { approverRoles, type Role } from './roles';
import type { OrgUser } from './user-repository';

/*
 * The organisation as other features ask about it: names, open ids, who holds a role where, a department's parent.
 * Only org/ names its tables.
 */

export async function namesOf(db: Executor, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return new Map();
  const rows: { id: number; name: string }[] = await db('users').whereIn('id', unique).select('id', 'name');
  return new Map(rows.map((u) => [Number(u.id), u.name]));
}

export async function openIdOf(db: Executor, userId: number): Promise<string | undefined> {
  const u = await db('users').where({ id: userId }).first('open_id');
  return u?.open_id ?? undefined;
}

/** Open ids of these people, in id order, leaving out anyone without one. */
export async function openIdsOf(db: Executor, ids: number[]): Promise<string[]> {
  if (!ids.length) return [];
  return db('users').whereIn('id', ids).whereNotNull('open_id').orderBy('id').pluck('open_id');
}

/** Id, name and open id of everyone with an open id among these people. */
export async function contactsOf(db: Executor, ids: number[]): Promise<Map<number, { name: string; openId: string }>> {
  const out = new Map<number, { name: string; openId: string }>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows: { id: number; name: string; open_id: string | null }[] = await db('users')
      .whereIn('id', ids.slice(i, i + 1000))
      .select('id', 'name', 'open_id');
    for (const r of rows) if (r.open_id) out.set(Number(r.id), { name: r.name, openId: r.open_id });
  }
  return out;
}

/** An active person by open id (a picker's choice), or undefined. */
export async function activeUserByOpenId(
  db: Executor,
  openId: string,
): Promise<{ id: number; name: string; openId: string } | undefined> {
  const u = await db('users').where({ open_id: openId, active: true }).first('id', 'name', 'open_id');
  return u ? { id: Number(u.id), name: u.name, openId: u.open_id } : undefined;
}

export async function activeUserIdsByOpenIds(db: Executor, openIds: string[]): Promise<number[]> {
  return (await db('users').whereIn('open_id', openIds).where({ active: true }).orderBy('id').pluck('id')).map(Number);
}

/** Active holders of a role: for one department's scope, or anywhere when `scope` is undefined. */
export async function roleHolders(db: Executor, role: Role, scope?: number): Promise<number[]> {
  const q = db('role_assignments as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.role': role, 'u.active': true });
  if (scope !== undefined) q.where('r.scope_department_id', scope);
  return (await q.distinct('u.id').orderBy('u.id').pluck('u.id')).map(Number);
}

/** Active holders of any approver role. */
export async function approverRoleHolders(db: Executor): Promise<number[]> {
  return (
    await db('role_assignments as r')
      .join('users as u', 'u.id', 'r.user_id')
      .whereIn('r.role', [...approverRoles])
      .where('u.active', true)
      .distinct('u.id')
      .orderBy('u.id')
      .pluck('u.id')
  ).map(Number);
}

/** Colleagues holding one of `user`'s approver roles for the same scope (who could hold the same steps). */
export async function sameApproverGrants(db: Executor, user: OrgUser): Promise<number[]> {
  const grants = user.roles.filter((g) => (approverRoles as readonly string[]).includes(g.role));
  if (!grants.length) return [];
  const q = db('role_assignments as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('u.active', true)
    .whereNot('u.id', user.id);
  q.where((w) => {
    for (const g of grants) {
      w.orWhere((x) => {
        x.where('r.role', g.role);
        if (g.scopeDepartmentId === null) x.whereNull('r.scope_department_id');
        else x.where('r.scope_department_id', g.scopeDepartmentId);
      });
    }
  });
  return (await q.distinct('u.id').orderBy('u.id').pluck('u.id')).map(Number);
}

/** A department's parent, or null. */
export async function parentOf(db: Executor, departmentId: number): Promise<number | null> {
  const d = await db('departments').where({ id: departmentId }).first('parent_id');
  return d?.parent_id == null ? null : Number(d.parent_id);
}

/** The supervising department of a unit: its parent when the parent is one, or itself when it is one. */
export async function supervisingDepartment(db: Executor, departmentId: number): Promise<number | null> {
  const d = await db('departments').where({ id: departmentId }).first('id', 'kind', 'parent_id');
  if (!d) return null;
  if (d.kind === 'supervising') return Number(d.id);
  if (d.parent_id === null) return null;
  const parent = await db('departments').where({ id: d.parent_id }).first('id', 'kind');
  return parent?.kind === 'supervising' ? Number(parent.id) : null;
}

export interface Department {
  id: number;
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
}

export async function departmentOf(db: Executor, id: number): Promise<Department | undefined> {
  const d = await db('departments').where({ id }).first('id', 'code', 'name', 'kind', 'parent_id');
  return d
    ? {
        id: Number(d.id),
        code: d.code,
        name: d.name,
        kind: d.kind,
        parentId: d.parent_id === null ? null : Number(d.parent_id),
      }
    : undefined;
}

export async function departmentNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows: { id: number; name: string }[] = await db('departments')
    .whereIn('id', [...new Set(ids)])
    .select('id', 'name');
  return new Map(rows.map((d) => [Number(d.id), d.name]));
}

/** Departments as select options (code, name), by code; `withoutBureau` leaves out the finance bureau itself. */
export async function departmentOptions(
  db: Executor,
  limit: number,
  withoutBureau = false,
): Promise<{ code: string; name: string }[]> {
  const q = db('departments').orderBy('code').limit(limit);
  if (withoutBureau) q.whereNot({ kind: 'bureau' });
  return q.select('code', 'name');
}

/** Active people of a department with an open id (a person picker's options), by id. */
export async function peopleOf(
  db: Executor,
  departmentId: number,
  limit: number,
): Promise<{ openId: string; name: string }[]> {
  const rows: { open_id: string; name: string }[] = await db('users')
    .where({ department_id: departmentId, active: true })
    .whereNotNull('open_id')
    .orderBy('id')
    .limit(limit)
    .select('open_id', 'name');
  return rows.map((r) => ({ openId: r.open_id, name: r.name }));
}

/** Active people with an open id: everyone, those of some departments (by code), or holders of some roles. */
export async function activePeople(
  db: Executor,
  filter: { departmentCodes?: string[]; roles?: Role[] } = {},
): Promise<{ id: number; openId: string }[]> {
  const q = db('users as u').where('u.active', true).whereNotNull('u.open_id');
  if (filter.departmentCodes) {
    q.join('departments as d', 'd.id', 'u.department_id').whereIn('d.code', filter.departmentCodes);
  }
  if (filter.roles) q.whereIn('u.id', db('role_assignments').whereIn('role', filter.roles).select('user_id'));
  const rows: { id: number; open_id: string }[] = await q.distinct('u.id', 'u.open_id').orderBy('u.id');
  return rows.map((u) => ({ id: Number(u.id), openId: u.open_id }));
}

/** Name and department of each of these people (a results table). */
export async function peopleWithDepartments(
  db: Executor,
  ids: number[],
): Promise<
  Map<number, { name: string; department: string; departmentId: number; active: boolean; openId: string | null }>
> {
  const out = new Map<
    number,
    { name: string; department: string; departmentId: number; active: boolean; openId: string | null }
  >();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows: { id: number; name: string; dept: string; dept_id: number; active: unknown; open_id: string | null }[] =
      await db('users as u')
        .join('departments as d', 'd.id', 'u.department_id')
        .whereIn('u.id', ids.slice(i, i + 1000))
        .select('u.id', 'u.name', 'd.name as dept', 'd.id as dept_id', 'u.active', 'u.open_id');
    for (const r of rows) {
      out.set(Number(r.id), {
        name: r.name,
        department: r.dept,
        departmentId: Number(r.dept_id),
        active: Boolean(r.active),
        openId: r.open_id,
      });
    }
  }
  return out;
}

/** Every department (a city has a few hundred): names, kinds and the tree. */
export async function allDepartments(db: Executor): Promise<Department[]> {
  const rows: { id: number; code: string; name: string; kind: string; parent_id: number | null }[] = await db(
    'departments',
  )
    .orderBy('code')
    .select('id', 'code', 'name', 'kind', 'parent_id');
  return rows.map((d) => ({
    id: Number(d.id),
    code: d.code,
    name: d.name,
    kind: d.kind,
    parentId: d.parent_id === null ? null : Number(d.parent_id),
  }));
}

/** Active holders of a role with an open id, keyed by the department their role covers (0 = everywhere). */
export async function roleHoldersByDepartment(
  db: Executor,
  role: Role,
): Promise<Map<number, { id: number; openId: string }[]>> {
  const rows: { scope_department_id: number | null; id: number; open_id: string }[] = await db('role_assignments as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.role': role, 'u.active': true })
    .whereNotNull('u.open_id')
    .select('r.scope_department_id', 'u.id', 'u.open_id');
  const map = new Map<number, { id: number; openId: string }[]>();
  for (const r of rows) {
    const key = r.scope_department_id === null ? 0 : Number(r.scope_department_id);
    map.set(key, [...(map.get(key) ?? []), { id: Number(r.id), openId: r.open_id }]);
  }
  return map;
}

/** Everyone with an open id, with department and role labels: the sandbox's list of whom one can act as. */
export async function directory(
  db: Executor,
): Promise<{ id: number; openId: string; name: string; department: string; roles: Role[] }[]> {
  const rows: { id: number; name: string; open_id: string; department: string }[] = await db('users as u')
    .join('departments as d', 'd.id', 'u.department_id')
    .whereNotNull('u.open_id')
    .orderBy('u.id')
    .select('u.id', 'u.name', 'u.open_id', 'd.name as department');
  const roles: { user_id: number; role: Role }[] = await db('role_assignments').select('user_id', 'role');
  return rows.map((u) => ({
    id: Number(u.id),
    openId: u.open_id,
    name: u.name,
    department: u.department,
    roles: [...new Set(roles.filter((r) => Number(r.user_id) === Number(u.id)).map((r) => r.role))],
  }));
}

export async function hasDepartments(db: Executor): Promise<boolean> {
  return Boolean(await db('departments').first('id'));
}
