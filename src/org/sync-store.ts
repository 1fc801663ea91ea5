import type { Executor } from '../db/database.ts';
import { chunks } from '../shared/chunks.ts';
import { departmentIdsByCode } from './org-repository.ts';
import type { DepartmentKind } from './org-plan.ts';
import type { Role } from './roles.ts';
import type { StoredOrg, SyncPlan } from './sync-plan.ts';
import { orgChanged } from './org-cache.ts';

/** The org as sync compares it: departments by code, people with their department, unit heads and who gave them. */
export async function loadStoredOrg(db: Executor): Promise<StoredOrg> {
  const depts: { id: number; code: string; name: string; kind: DepartmentKind; parent_id: number | null }[] = await db(
    'departments',
  ).select('id', 'code', 'name', 'kind', 'parent_id');
  const codeOf = new Map(depts.map((d) => [d.id, d.code]));
  const users: Record<string, unknown>[] = await db('users').select(
    'id',
    'name',
    'open_id',
    'mobile',
    'email',
    'department_id',
    'active',
    'synced_at',
  );
  const roles: { user_id: number; role: Role; scope_department_id: number; source: string }[] = await db(
    'role_assignments',
  )
    .whereNotNull('scope_department_id')
    .select('user_id', 'role', 'scope_department_id', 'source');
  return {
    departments: depts.map((d) => ({
      code: d.code,
      name: d.name,
      kind: d.kind,
      parentCode: d.parent_id ? (codeOf.get(d.parent_id) ?? null) : null,
    })),
    users: users.map((u) => ({
      id: Number(u.id),
      name: String(u.name),
      openId: (u.open_id as string | null) ?? null,
      mobile: (u.mobile as string | null) ?? null,
      email: (u.email as string | null) ?? null,
      departmentCode: codeOf.get(Number(u.department_id)) ?? '',
      active: Boolean(u.active),
      synced: u.synced_at !== null && u.synced_at !== undefined,
    })),
    roles: roles.map((r) => ({
      userId: Number(r.user_id),
      role: r.role,
      departmentCode: codeOf.get(Number(r.scope_department_id)) ?? '',
      source: r.source,
    })),
  };
}

/**
 * Applies a plan in the caller's transaction. Nothing is deleted: leavers are marked inactive with the date they left
 * (their records and history stay), departments Lark no longer shows stay, roles from files and admins stay.
 */
export async function applySyncPlan(tx: Executor, plan: SyncPlan, now: number): Promise<void> {
  await orgChanged(tx);
  for (const d of plan.departments.added)
    await tx('departments').insert({ code: d.code, name: d.name, kind: d.kind, created_at: now, updated_at: now });
  const ids = await departmentIdsByCode(tx);
  const idOf = (code: string | null) => (code ? (ids.get(code) ?? null) : null);
  for (const d of plan.departments.added)
    await tx('departments')
      .where({ code: d.code })
      .update({ parent_id: idOf(d.parentCode) });
  for (const d of plan.departments.renamed)
    await tx('departments').where({ code: d.code }).update({ name: d.to, updated_at: now });
  for (const d of plan.departments.moved)
    await tx('departments')
      .where({ code: d.code })
      .update({ parent_id: idOf(d.to), kind: d.kind, updated_at: now });
  await applyUsers(tx, plan.users, idOf, now);
  await applyLeaders(tx, plan.leaders, idOf);
}

async function applyUsers(
  tx: Executor,
  users: SyncPlan['users'],
  idOf: (code: string | null) => number | null,
  now: number,
): Promise<void> {
  // A first sync of a city adds thousands: in batches, under the databases' parameter limits.
  for (const batch of chunks(users.added, 500)) {
    await tx('users').insert(
      batch.map((u) => ({
        name: u.name,
        open_id: u.openId,
        mobile: u.mobile ?? null,
        email: u.email ?? null,
        department_id: idOf(u.department),
        active: true,
        synced_at: now,
        created_at: now,
        updated_at: now,
      })),
    );
  }
  for (const u of users.updated) {
    const patch = { name: u.name, open_id: u.openId, mobile: u.mobile, email: u.email, updated_at: now };
    await tx('users')
      .where({ id: u.id })
      .update(Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
  }
  for (const u of users.moved)
    await tx('users')
      .where({ id: u.id })
      .update({ department_id: idOf(u.to), updated_at: now });
  const mark = async (ids: number[], patch: Record<string, unknown>) => {
    for (const batch of chunks(ids, 500)) await tx('users').whereIn('id', batch).update(patch);
  };
  await mark(users.adopted, { synced_at: now });
  await mark(
    users.returned.map((u) => u.id),
    { active: true, left_at: null, updated_at: now },
  );
  await mark(
    users.left.map((u) => u.id),
    { active: false, left_at: now, updated_at: now },
  );
}

async function applyLeaders(
  tx: Executor,
  leaders: SyncPlan['leaders'],
  idOf: (code: string | null) => number | null,
): Promise<void> {
  for (const r of leaders.revoke)
    await tx('role_assignments')
      .where({ user_id: r.userId, role: 'unit_head', scope_department_id: idOf(r.department), source: 'sync' })
      .delete();
  for (const g of leaders.grant) {
    const user = await tx('users').where({ open_id: g.openId }).first('id');
    await tx('role_assignments')
      .insert({ user_id: user.id, role: 'unit_head', scope_department_id: idOf(g.department), source: 'sync' })
      .onConflict(['user_id', 'role', 'scope_department_id'])
      .ignore();
  }
}
