import type { Executor } from '../db/database.ts';
import { type FormStore, submissionsByIds } from '../forms/index.ts';
import { contactsOf } from '../org/index.ts';
import { beijingDate, workingDaysUntil } from '../shared/working-days.ts';
import { type ChainState, pendingApprovers } from './chain.ts';

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
  const rows: { instance_id: number; user_id: number; created_at: number; state: string; submission_id: number }[] =
    await db('approval_tasks as t')
      .join('approval_instances as i', 'i.id', 't.instance_id')
      .where({ 't.status': 'pending', 'i.status': 'pending' })
      .select('t.instance_id', 't.user_id', 't.created_at', 'i.state', 'i.submission_id');
  const people = await contactsOf(db, [...new Set(rows.map((r) => Number(r.user_id)))]);
  const submissions = await submissionsByIds(
    db,
    rows.map((r) => Number(r.submission_id)),
  );
  const out: OverdueApproval[] = [];
  for (const r of rows) {
    const state = JSON.parse(r.state) as ChainState;
    const person = people.get(Number(r.user_id));
    if (!pendingApprovers(state).includes(Number(r.user_id)) || !person) continue;
    const form = store.get(submissions.get(Number(r.submission_id))?.formId ?? '');
    const step = state.steps[state.current]!;
    const limit = form?.def.approval?.steps.find((x) => x.id === step.id)?.time_limit_days ?? 2;
    const waited = workingDaysUntil(beijingDate(Number(r.created_at)), today);
    if (waited < limit) continue;
    out.push({
      userId: Number(r.user_id),
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
