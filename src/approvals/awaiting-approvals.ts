import type { BotContext } from '../bot/bot-types.ts';
import { type SubmissionRow, submissionsByIds } from '../forms/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { type PendingTask, delegatorsOf, pendingTasks } from './approval-repository.ts';
import { excludedFrom } from './chain.ts';

/** A chain waiting on the user, with the submission it decides. */
export type Awaiting = PendingTask & { submission: SubmissionRow };

/**
 * Chains waiting on the user, or on whoever delegated to them today, oldest first: each chain once, and none the
 * user may not decide (their own submission, or one they filled). 待审批 and 待办 list these; three statements however
 * many there are.
 */
export async function awaitingApprovals(ctx: BotContext): Promise<Awaiting[]> {
  const me = ctx.user!.id;
  const delegators = await delegatorsOf(ctx.tx, me, beijingDate(ctx.now));
  const seen = new Set<number>();
  const tasks: PendingTask[] = [];
  for (const t of await pendingTasks(ctx.tx, [me, ...delegators])) {
    if (seen.has(t.instanceId) || excludedFrom(t.state, t.submitterId).has(me)) continue;
    seen.add(t.instanceId);
    tasks.push(t);
  }
  const submissions = await submissionsByIds(
    ctx.tx,
    tasks.map((t) => t.submissionId),
  );
  return tasks.flatMap((t) => {
    const submission = submissions.get(t.submissionId);
    return submission ? [{ ...t, submission }] : [];
  });
}
