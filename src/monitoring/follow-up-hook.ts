import type { BotContext } from '../bot/bot-types.ts';
import { type FillState, computeAll } from '../forms/index.ts';
import { recordFollowUp } from './follow-up-repository.ts';

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/**
 * After a report that declares a follow-up (forms: follow_up) is submitted: its light and corrective action are
 * recorded in the same transaction, for the day's warnings, 待办 and the 暂缓拨款 check.
 */
export async function recordOnSubmit(ctx: BotContext, s: FillState): Promise<void> {
  const spec = s.form.def.follow_up;
  if (!spec || s.submission.subjectType !== 'project') return;
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  const light = text(data[spec.light]);
  const needsAction = light !== null && (spec.warn_on.includes(light) || spec.suspend_on.includes(light));
  await recordFollowUp(
    ctx.tx,
    {
      submissionId: s.submission.id,
      revision: s.revision.revision,
      formId: s.form.def.id,
      period: s.submission.period,
      projectId: s.submission.subjectId,
      departmentId: s.submission.departmentId,
      asOf: spec.as_of ? text(data[spec.as_of]) : null,
      light,
      action: text(data[spec.action]),
      deadline: text(data[spec.deadline]),
      needsAction,
    },
    ctx.now,
  );
}
