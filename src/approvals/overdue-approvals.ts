import type { Executor } from '../db/database.ts';
import { type FormStore, submissionsByIds } from '../forms/index.ts';
import { contactsOf } from '../org/index.ts';
import { beijingDate, workingDaysUntil } from '../shared/working-days.ts';
import { pendingTasks } from './approval-repository.ts';
import { pendingApprovers } from './chain.ts';

export interface OverdueApproval {
  userId: number;
  openId: string;
  userName: string;
  formTitle: string;
  stepTitle: string;
  /** Working days the approver has had it. */
  waited: number;
  /** Working days the step allows (`time_limit_days`, default 2). */
  limit: number;
}

/** Approvers who have held a pending decision at least as long as their step allows, as of the Beijing date `today`. */
export async function overdueApprovals(db: Executor, store: FormStore, today: string): Promise<OverdueApproval[]> {
  const tasks = await pendingTasks(db);
  const people = await contactsOf(db, [...new Set(tasks.map((t) => t.userId))]);
  const submissions = await submissionsByIds(
    db,
    tasks.map((t) => t.submissionId),
  );
  const out: OverdueApproval[] = [];
  for (const { state, userId, submissionId, createdAt } of tasks) {
    const person = people.get(userId);
    if (!pendingApprovers(state).includes(userId) || !person) continue;
    const form = store.get(submissions.get(submissionId)?.formId ?? '');
    const step = state.steps[state.current]!;
    const limit = form?.def.approval?.steps.find((x) => x.id === step.id)?.time_limit_days ?? 2;
    const waited = workingDaysUntil(beijingDate(createdAt), today);
    if (waited < limit) continue;
    out.push({
      userId,
      openId: person.openId,
      userName: person.name,
      formTitle: form?.def.title ?? '',
      stepTitle: step.title,
      waited,
      limit,
    });
  }
  return out;
}
