import type { Executor } from '../db/database';
import type { Role } from './roles';

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
  roles: RoleGrant[];
}

export async function findUserByOpenId(db: Executor, openId: string): Promise<OrgUser | null> {
  const u = await db('users as u')
    .join('departments as d', 'd.id', 'u.department_id')
    .where({ 'u.open_id': openId, 'u.active': true })
    .first('u.id', 'u.open_id', 'u.name', 'u.department_id', 'd.name as department_name');
  if (!u) return null;
  const roles: { role: Role; scope_department_id: number | null }[] = await db('role_assignments')
    .where({ user_id: u.id })
    .select('role', 'scope_department_id');
  return {
    id: Number(u.id),
    openId: u.open_id,
    name: u.name,
    departmentId: Number(u.department_id),
    departmentName: u.department_name,
    roles: roles.map((r) => ({
      role: r.role,
      scopeDepartmentId: r.scope_department_id === null ? null : Number(r.scope_department_id),
    })),
  };
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
