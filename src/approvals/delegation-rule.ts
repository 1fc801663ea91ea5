import type { Executor } from '../db/database.ts';
import { sameApproverGrants, type OrgUser } from '../org/index.ts';

/**
 * Who an approver may delegate to (委托): a colleague holding one of the same approver roles for the same scope,
 * so the delegate could hold every step the delegator holds. A delegate who submitted or filled a revision is still
 * refused on that revision by the chain itself (separation of duties).
 */
export const delegateCandidates = (db: Executor, user: OrgUser): Promise<number[]> => sameApproverGrants(db, user);
