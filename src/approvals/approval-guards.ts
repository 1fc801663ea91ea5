import type { ActionContext, Guard } from '../bot/bot-types.ts';
import { currentOf, fillerOfSubmission, type FormStore } from '../forms/index.ts';
import { departmentIn } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { instanceOf } from './approval-reads.ts';
import { delegatorsOf } from './approval-repository.ts';
import { excludedFrom } from './chain.ts';
import { chainPeople, mayReadSubmission } from './read-rule.ts';

/**
 * Approvers of the instance, past or present, and whoever acts for one of them today. The submitter and the
 * revision's fillers never pass, whatever else they hold. Which step they may decide now is the handler's check,
 * so that a late click hears who decided instead of a bare refusal.
 */
export const approverOfInstance: Guard<{ iid: number }, unknown> = async (ctx, { value }) => {
  const inst = await instanceOf(ctx, value.iid);
  if (!inst) return '该审批已不存在';
  if (excludedFrom(inst.state, inst.submitterId).has(ctx.user.id)) return '您是该事项的提交人或填报人，不能审批';
  const people = chainPeople(inst.state);
  if (people.has(ctx.user.id)) return true;
  const delegators = await delegatorsOf(ctx.tx, ctx.user.id, beijingDate(ctx.now));
  return delegators.some((d) => people.has(d)) || '您不是该事项的审批人';
};

/** The read rule for one submission, as a guard's answer: true, or why not. */
async function mayRead(ctx: ActionContext, submissionId: number, gone: string): Promise<true | string> {
  const sub = (await currentOf(ctx, submissionId))?.submission;
  if (!sub) return gone;
  const parentId = (await departmentIn(ctx.reads, ctx.tx, sub.departmentId))?.parentId ?? null;
  return (
    (await mayReadSubmission(ctx.tx, ctx.user, { ...sub, parentId }, beijingDate(ctx.now))) || '您无权查看该填报内容'
  );
}

/** Whoever the read rule lets see the submission under approval. */
export const readerOfInstance: Guard<{ iid: number }, unknown> = async (ctx, { value }) => {
  const inst = await instanceOf(ctx, value.iid);
  if (!inst) return '该审批已不存在';
  return mayRead(ctx, inst.submissionId, '您无权查看该填报内容');
};

/** Whoever the read rule lets see the submission (a file attached to it, say). */
export const readerOfSubmission: Guard<{ sid: number }, unknown> = (ctx, { value }) =>
  mayRead(ctx, value.sid, '该填报已不存在');

/** Only the fillers of the submission's unit may withdraw it. */
export function fillerOfInstance(store: FormStore): Guard<{ iid: number }, unknown> {
  const filler = fillerOfSubmission(store);
  return async (ctx, { value, form }) => {
    const inst = await instanceOf(ctx, value.iid);
    return inst ? filler(ctx, { value: { sid: inst.submissionId }, form }) : '该审批已不存在';
  };
}
