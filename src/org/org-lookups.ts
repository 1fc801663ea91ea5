import type { Executor } from '../db/database.ts';
import type { ReadMemo } from '../shared/read-memo.ts';
import { approverRoles, type Role } from './roles.ts';
import { type Department, type DepartmentRow, toDepartment } from './department.ts';
import type { OrgUser } from './user-repository.ts';

export type { Department } from './department.ts';

/*
 * The organisation as other features ask about it: names, open ids, who holds a role where, a department's parent.
 * Only org/ names its tables.
 */

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

/** A role, everywhere (`scope` undefined) or for one department. */
export interface RoleScope {
  role: Role;
  scope?: number;
}

export const roleScopeKey = (r: RoleScope) => `${r.role}@${r.scope ?? '*'}`;

/** Active holders of each of these roles (by `roleScopeKey`), in one statement. */
export async function roleHoldersIn(db: Executor, wanted: RoleScope[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>(wanted.map((w) => [roleScopeKey(w), []]));
  if (!wanted.length) return out;
  const rows: { id: number; role: Role; scope_department_id: number | null }[] = await db('role_assignments as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('u.active', true)
    .where((q) => {
      for (const w of wanted)
        q.orWhere((one) => {
          one.where('r.role', w.role);
          if (w.scope !== undefined) one.where('r.scope_department_id', w.scope);
        });
    })
    .orderBy('u.id')
    .select('u.id', 'r.role', 'r.scope_department_id');
  for (const w of wanted) {
    const ids = rows
      .filter((r) => r.role === w.role && (w.scope === undefined || Number(r.scope_department_id) === w.scope))
      .map((r) => Number(r.id));
    out.set(roleScopeKey(w), [...new Set(ids)]);
  }
  return out;
}

export interface Person {
  name: string;
  openId: string | null;
}

/**
 * Names and open ids of people, for one event: the first call reads them, later calls read only people not yet
 * seen. Cards name approvers, delegates and submitters many times over in one decision.
 */
export async function peopleIn(
  reads: ReadMemo,
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, Person | undefined>> {
  const known = await reads.once('people', async () => new Map<number, Person | undefined>());
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  if (missing.length) {
    const rows: { id: number; name: string; open_id: string | null }[] = await db('users')
      .whereIn('id', missing)
      .select('id', 'name', 'open_id');
    for (const id of missing) known.set(id, undefined);
    for (const r of rows) known.set(Number(r.id), { name: r.name, openId: r.open_id });
  }
  return known;
}

export async function departmentOf(db: Executor, id: number): Promise<Department | undefined> {
  const d: DepartmentRow | undefined = await db('departments as d')
    .leftJoin('departments as p', 'p.id', 'd.parent_id')
    .where('d.id', id)
    .first('d.id', 'd.code', 'd.name', 'd.kind', 'd.parent_id', 'p.kind as parent_kind', 'p.name as parent_name');
  return d && toDepartment(d);
}

/** The department key of an event's reads; the sender's own department is put there from the sender (`bot-context`). */
export const departmentKey = (id: number) => `department:${id}`;

/** The department, read once per event. */
export function departmentIn(reads: ReadMemo, db: Executor, id: number): Promise<Department | undefined> {
  return reads.once(departmentKey(id), () => departmentOf(db, id));
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
  const kinds = new Map(rows.map((d) => [Number(d.id), d.kind]));
  return rows.map((d) => {
    const parentId = d.parent_id === null ? null : Number(d.parent_id);
    const supervisingId =
      d.kind === 'supervising'
        ? Number(d.id)
        : parentId !== null && kinds.get(parentId) === 'supervising'
          ? parentId
          : null;
    return { id: Number(d.id), code: d.code, name: d.name, kind: d.kind, parentId, supervisingId };
  });
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
