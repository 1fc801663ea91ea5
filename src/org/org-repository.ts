import type { Executor } from '../db/database.ts';
import { chunks } from '../shared/chunks.ts';
import type { DepartmentKind, ExistingOrg, OrgPlan } from './org-plan.ts';
import { orgChanged } from './org-cache.ts';

export async function loadExistingOrg(db: Executor): Promise<ExistingOrg> {
  const depts: { code: string; kind: DepartmentKind }[] = await db('departments').select('code', 'kind');
  const users: { id: number; open_id: string | null; mobile: string | null; email: string | null }[] = await db(
    'users',
  ).select('id', 'open_id', 'mobile', 'email');
  return {
    departments: new Map(depts.map((d) => [d.code, d.kind])),
    users: users.map((u) => ({ id: u.id, openId: u.open_id, mobile: u.mobile, email: u.email })),
  };
}

export async function departmentIdsByCode(db: Executor): Promise<Map<string, number>> {
  const rows: { id: number; code: string }[] = await db('departments').select('id', 'code');
  return new Map(rows.map((r) => [r.code, r.id]));
}

export interface OrgImportCounts {
  departmentsCreated: number;
  departmentsUpdated: number;
  usersCreated: number;
  usersUpdated: number;
}

/** Applies a validated plan; the caller owns the transaction so a failure changes nothing. */
export async function applyOrgPlan(tx: Executor, plan: OrgPlan, now: number): Promise<OrgImportCounts> {
  await orgChanged(tx);
  const before = await departmentIdsByCode(tx);
  const counts: OrgImportCounts = { departmentsCreated: 0, departmentsUpdated: 0, usersCreated: 0, usersUpdated: 0 };
  for (const d of plan.departments) {
    if (before.has(d.code)) counts.departmentsUpdated++;
    else counts.departmentsCreated++;
  }
  // Two passes because a parent may appear after its children in the file.
  for (const chunk of chunks(plan.departments, 200)) {
    await tx('departments')
      .insert(
        chunk.map((d) => ({
          code: d.code,
          name: d.name,
          kind: d.kind,
          parent_id: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict('code')
      .merge(['name', 'kind', 'updated_at']);
  }
  const ids = await departmentIdsByCode(tx);
  for (const d of plan.departments) {
    await tx('departments')
      .where({ id: ids.get(d.code) })
      .update({ parent_id: d.parent ? ids.get(d.parent) : null });
  }

  for (const u of plan.users) {
    const created = await applyUser(tx, u, ids, now);
    if (created) counts.usersCreated++;
    else counts.usersUpdated++;
  }
  return counts;
}

/** Writes one person and replaces their roles; resolves true when they were new. */
async function applyUser(
  tx: Executor,
  u: OrgPlan['users'][number],
  ids: Map<string, number>,
  now: number,
): Promise<boolean> {
  const row = {
    name: u.name,
    open_id: u.openId ?? null,
    mobile: u.mobile ?? null,
    email: u.email ?? null,
    department_id: ids.get(u.department)!,
    active: true,
    updated_at: now,
  };
  let userId = u.existingId;
  if (userId) {
    // Fields the file leaves empty keep their stored value (e.g. an open_id resolved later from the mobile number).
    const patch = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
    await tx('users').where({ id: userId }).update(patch);
  } else {
    const [id] = await tx('users').insert({ ...row, created_at: now });
    userId = Number(id);
  }
  // The file's roles replace the roles files gave before; an admin's grants and leaders' roles from sync stay.
  await tx('role_assignments').where({ user_id: userId, source: 'import' }).delete();
  if (u.roles.length) {
    await tx('role_assignments')
      .insert(
        u.roles.map((r) => ({
          user_id: userId,
          role: r.role,
          scope_department_id: r.scope ? ids.get(r.scope)! : null,
        })),
      )
      .onConflict(['user_id', 'role', 'scope_department_id'])
      .ignore();
  }
  return !u.existingId;
}
