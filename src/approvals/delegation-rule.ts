import type { Executor } from '../db/database';
import { approverRoles } from '../org/roles';
import type { OrgUser } from '../org/user-repository';

/**
 * Who an approver may delegate to (委托): a colleague holding one of the same approver roles for the same scope,
 * so the delegate could hold every step the delegator holds. A delegate who submitted or filled a revision is still
 * refused on that revision by the chain itself (separation of duties).
 */
export async function delegateCandidates(db: Executor, user: OrgUser): Promise<number[]> {
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
