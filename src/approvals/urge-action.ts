import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { CardAction, Guard } from '../bot/bot-types.ts';
import { eventSource } from '../bot/event-source.ts';
import { idSchema } from '../bot/guards.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type FormStore, fillerOfSubmission } from '../forms/index.ts';
import { bureauRoles, hasRole, peopleIn } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { instanceOf, latestOf, namesIn } from './approval-reads.ts';
import { pendingApprovers } from './chain.ts';

/** By submission: the chain it is in now is the one to chase, whichever card the click comes from. */
const urgeValue = z.object({ sid: idSchema });

/** The submitting unit's fillers, and the bureau (who follows every chain); nobody else chases approvers. */
function urger(store: FormStore): Guard<{ sid: number }, unknown> {
  const filler = fillerOfSubmission(store);
  return async (ctx, input) =>
    hasRole(ctx.user, ...bureauRoles) || (await filler(ctx, input)) === true || '只有提交单位的填报人或绩效处可以催办';
}

/**
 * 催办: buzzes (Lark's 加急) the approval cards of whoever the current step still waits on. Once per step a day: a
 * double click or a second click the same day buzzes nobody twice.
 */
export function urgeAction(store: FormStore): CardAction<z.infer<typeof urgeValue>> {
  return {
    key: 'appr.urge',
    value: urgeValue,
    guard: urger(store),
    async run(ctx, { value: v }) {
      const latest = await latestOf(ctx, v.sid);
      const inst = latest && (await instanceOf(ctx, latest.id));
      if (!inst || inst.status !== 'pending') return { toast: { type: 'warning', content: '审批已结束，无需催办' } };
      const step = inst.state.current;
      const day = beijingDate(ctx.now);
      try {
        await ctx.tx.transaction((sp) =>
          sp('approval_urges').insert({ instance_id: inst.id, step, day, user_id: ctx.user.id, at: ctx.now }),
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return { toast: { type: 'info', content: '今天已催办过这一环节，明天可再次催办' } };
      }
      const waiting = pendingApprovers(inst.state);
      const people = await peopleIn(ctx.reads, ctx.tx, waiting);
      for (const userId of waiting) {
        const openId = people.get(userId)?.openId;
        const ref = `appr:${inst.id}:${step}:${userId}`;
        if (openId && inst.cards?.some((c) => c.ref === ref))
          await ctx.queue({ kind: 'buzz', targetRef: ref, openIds: [openId] });
      }
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'approval.urge',
        entityType: 'submission',
        entityId: inst.submissionId,
        revision: inst.revision,
        source: eventSource(ctx),
        detail: { instance: inst.id, step, approvers: waiting },
      });
      const names = await namesIn(ctx, waiting);
      return { toast: { type: 'success', content: `已催办 ${waiting.map((u) => names.get(u)).join('、')}` } };
    },
  };
}
