import type { Executor } from '../db/database.ts';
import { parentOf, type OrgUser } from '../org/index.ts';
import { delegatorsOf } from './approval-repository.ts';
import type { ChainState } from './chain.ts';

/*
 * The one read rule for a submission's full content, used by every card, view and export that shows it:
 * - the fillers and the head of its unit;
 * - its approvers, past and present, and whoever acts for them by delegation today;
 * - the supervising department's reviewers and the finance section in charge (their scope is the unit or its parent);
 * - the performance division and admins (city-wide, or scoped to the unit or its parent).
 * Nobody else: not another unit, not the third-party evaluators (until a review assigns them).
 */

const unitRoles = new Set(['filler', 'unit_head']);
const overseeingRoles = new Set(['supervising_reviewer', 'finance_section', 'performance_division', 'admin']);

/** Whether a user's roles reach a department: their own unit's roles, or an overseeing role over it or its parent. */
export function rolesCover(user: OrgUser, departmentId: number, parentId: number | null): boolean {
  return user.roles.some((g) => {
    if (unitRoles.has(g.role)) return (g.scopeDepartmentId ?? user.departmentId) === departmentId;
    if (!overseeingRoles.has(g.role)) return false;
    return g.scopeDepartmentId === null || g.scopeDepartmentId === departmentId || g.scopeDepartmentId === parentId;
  });
}

/** Everyone who holds or held a step of the chain, or decided in it. */
export function chainPeople(state: ChainState): Set<number> {
  return new Set(
    state.steps.flatMap((s) => [...s.approvers, ...s.decisions.flatMap((d) => [d.userId, d.onBehalfOf ?? d.userId])]),
  );
}

/** `parentId` of the submission's department, when the caller has read it already. */
export async function mayReadSubmission(
  db: Executor,
  user: OrgUser,
  submission: { id: number; departmentId: number; parentId?: number | null },
  today: string,
): Promise<boolean> {
  const parentId =
    submission.parentId !== undefined ? submission.parentId : await parentOf(db, submission.departmentId);
  if (rolesCover(user, submission.departmentId, parentId)) return true;
  const states = (await db('approval_instances').where({ submission_id: submission.id }).pluck('state')).map(
    (s: string) => JSON.parse(s) as ChainState,
  );
  const people = new Set(states.flatMap((s) => [...chainPeople(s)]));
  if (people.has(user.id)) return true;
  return (await delegatorsOf(db, user.id, today)).some((d) => people.has(d));
}
