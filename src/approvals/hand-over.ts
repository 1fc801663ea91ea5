import type { Executor } from '../db/database.ts';
import { pendingTasks, replaceDelegation } from './approval-repository.ts';

/**
 * Someone left: their approvals go to `heir` as an open-ended delegation, so the heir sees them in 待审批 and decides
 * them under the chain's own checks (separation of duties included), and anything that reaches the leaver later
 * follows too. Resolves how many approvals were waiting on the leaver.
 */
export async function handOverApprovals(
  db: Executor,
  leaver: number,
  heir: number,
  today: string,
  now: number,
): Promise<number> {
  const waiting = (await pendingTasks(db, [leaver])).length;
  await replaceDelegation(db, { from: leaver, to: heir, start: today, end: '9999-12-31' }, now);
  return waiting;
}
