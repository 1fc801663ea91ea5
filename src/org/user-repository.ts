import type { Executor } from '../db/database.ts';
import { type Department, toDepartment } from './department.ts';
import type { Role } from './roles.ts';

export interface RoleGrant {
  role: Role;
  /** Department id the role applies to; null = everywhere. */
  scopeDepartmentId: number | null;
}

export interface OrgUser {
  id: number;
  openId: string | null;
  name: string;
  departmentId: number;
  departmentName: string;
  /** Their department with its supervising department, read with them. */
  department: Department;
  roles: RoleGrant[];
}

interface SenderRow {
  id: number;
  open_id: string;
  name: string;
  department_id: number;
  department_name: string;
  department_code: string;
  department_kind: string;
  department_parent_id: number | null;
  parent_kind: string | null;
  parent_name: string | null;
  role: Role | null;
  scope_department_id: number | null;
}

/** A person by open_id with one row per role (or one row with a null role), as the org cache also reads it. */
export const senderRows = (db: Executor, openId: string) =>
  db('users as u')
    .join('departments as d', 'd.id', 'u.department_id')
    .leftJoin('departments as p', 'p.id', 'd.parent_id')
    .leftJoin('role_assignments as r', 'r.user_id', 'u.id')
    .where({ 'u.open_id': openId, 'u.active': true })
    .select('u.id', 'u.open_id', 'u.name', 'u.department_id', 'd.name as department_name', 'r.role')
    .select('d.code as department_code', 'd.kind as department_kind', 'd.parent_id as department_parent_id')
    .select('p.kind as parent_kind', 'p.name as parent_name', 'r.scope_department_id');

export function toOrgUser(rows: SenderRow[]): OrgUser | null {
  const u = rows[0];
  if (!u) return null;
  return {
    id: Number(u.id),
    openId: u.open_id,
    name: u.name,
    departmentId: Number(u.department_id),
    departmentName: u.department_name,
    department: toDepartment({
      ...{ id: u.department_id, code: u.department_code, name: u.department_name, kind: u.department_kind },
      ...{ parent_id: u.department_parent_id, parent_kind: u.parent_kind, parent_name: u.parent_name },
    }),
    roles: rows
      .filter((r) => r.role !== null)
      .map((r) => ({
        role: r.role!,
        scopeDepartmentId: r.scope_department_id === null ? null : Number(r.scope_department_id),
      })),
  };
}

/** The sender of an event with their roles, in one statement: it runs on every event the org cache misses. */
export async function findUserByOpenId(db: Executor, openId: string): Promise<OrgUser | null> {
  return toOrgUser(await senderRows(db, openId));
}

export async function usersWithRole(
  db: Executor,
  role: Role,
): Promise<{ id: number; name: string; openId: string | null }[]> {
  const rows = await db('users as u')
    .join('role_assignments as r', 'r.user_id', 'u.id')
    .where({ 'r.role': role, 'u.active': true })
    .distinct('u.id', 'u.name', 'u.open_id')
    .orderBy('u.id');
  return rows.map((r: { id: number; name: string; open_id: string | null }) => ({
    id: Number(r.id),
    name: r.name,
    openId: r.open_id,
  }));
}

export const hasRole = (user: OrgUser | null, ...roles: Role[]) =>
  Boolean(user?.roles.some((g) => roles.includes(g.role)));
