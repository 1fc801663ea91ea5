import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { eventSource } from '../bot/event-source.ts';
import { activeUserByOpenId, approverRoles, openIdsOf } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { notApprover } from './approval-list.ts';
import { namesIn } from './approval-reads.ts';
import { cancelDelegations, currentDelegation, hasDelegation, replaceDelegation } from './approval-repository.ts';
import { delegateCandidates } from './delegation-rule.ts';

const dateText = z
  .string()
  .optional()
  .default('')
  .transform((v) => v.slice(0, 10));
const delegateForm = z.object({ delegate: z.string().optional(), start: dateText, end: dateText });

/** `委托`: hand one's approvals to a colleague for a period. */
export const delegateCommand: Command = {
  name: 'delegate',
  title: '委托',
  description: '外出期间把审批委托给同事',
  aliases: ['委托', 'delegate'],
  roles: [...approverRoles],
  run: async (ctx) => ctx.respond(await delegationCard(ctx)),
};

/** What is wrong with the delegation as chosen, or undefined. */
function problemWith(
  ctx: BotContext,
  target: { id: number; name: string } | undefined,
  eligible: number[],
  start: string,
  end: string,
): string | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!target) return '请选择受托人';
  if (Number(target.id) === ctx.user!.id) return '不能委托给自己';
  if (!eligible.includes(Number(target.id)))
    return `不能委托给 ${target.name}：受托人须与您担任相同的审批角色（同一单位或部门）`;
  if (!date.test(start) || !date.test(end)) return '请选择开始和结束日期';
  if (end < start) return '结束日期不能早于开始日期';
  if (end < beijingDate(ctx.now)) return '结束日期已过';
  return undefined;
}

/** 确定委托: replaces any current delegation and tells the delegate; a second click changes nothing. */
export const delegateAction: CardAction<object, z.infer<typeof delegateForm>> = {
  key: 'appr.delegate',
  value: z.object({}),
  form: delegateForm,
  guard: notApprover,
  async run(ctx, { form }) {
    const { start, end } = form;
    const target = form.delegate ? await activeUserByOpenId(ctx.tx, form.delegate) : undefined;
    const eligible = target ? await candidatesOf(ctx) : [];
    const error = problemWith(ctx, target, eligible, start, end);
    if (error || !target) return cardResponse(await delegationCard(ctx, error));
    const delegation = { from: ctx.user.id, to: Number(target.id), start, end };
    const done = { type: 'success' as const, content: `已委托给 ${target.name}` };
    // A second click on the same card finds the delegation it made: nothing is written or sent again.
    const now = { toUserId: delegation.to, start, end, name: target.name };
    if (await hasDelegation(ctx.tx, delegation)) return cardResponse(await delegationCard(ctx, undefined, now), done);
    await replaceDelegation(ctx.tx, delegation, ctx.now);
    await appendAudit(ctx.tx, {
      at: ctx.now,
      actorUserId: ctx.user.id,
      action: 'delegation.create',
      entityType: 'user',
      entityId: ctx.user.id,
      source: eventSource(ctx),
      detail: { to: delegation.to, start, end },
    });
    const me = ctx.user.name;
    await ctx.sendTo(
      target.openId,
      ctx.cards.render('notice', {
        title: '审批委托',
        color: 'violet',
        lines: [
          `${me} 将 ${start} 至 ${end} 的审批委托给您。期间的审批卡片会同时发给您，审批记录显示为“${target.name} 代 ${me}”。`,
        ],
      }),
      { uuid: `delegate:${ctx.user.id}:${target.id}:${start}:${end}` },
    );
    return cardResponse(await delegationCard(ctx, undefined, now), done);
  },
};

/** 取消委托: a second click has nothing left to cancel and records nothing. */
export const undelegateAction: CardAction<object> = {
  key: 'appr.undelegate',
  value: z.object({}),
  guard: notApprover,
  async run(ctx) {
    if (await cancelDelegations(ctx.tx, ctx.user.id, ctx.now)) {
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'delegation.cancel',
        entityType: 'user',
        entityId: ctx.user.id,
        source: eventSource(ctx),
      });
    }
    return cardResponse(await delegationCard(ctx, undefined, null), { type: 'success', content: '已取消委托' });
  },
};

/** Colleagues who could hold the user's approval steps, read once per event. */
const candidatesOf = (ctx: BotContext) =>
  ctx.reads.once('delegate-candidates', () => delegateCandidates(ctx.tx, ctx.user!));

type Current = { toUserId: number; start: string; end: string; name: string } | null;

/** The delegation card; `current` when the caller has just written it (null: none), else it is read. */
async function delegationCard(ctx: BotContext, error?: string, current?: Current) {
  const today = beijingDate(ctx.now);
  const shown = current !== undefined ? current : await readCurrent(ctx, today);
  const people = await openIdsOf(ctx.tx, (await candidatesOf(ctx)).slice(0, 50));
  return ctx.cards.render('delegation', {
    current: shown ? `${shown.name}，${shown.start} 至 ${shown.end}` : undefined,
    cancel: shown ? { action: 'appr.undelegate' } : undefined,
    today,
    people: people.map((value: string) => ({ value })),
    error,
  });
}

async function readCurrent(ctx: BotContext, today: string): Promise<Current> {
  const d = await currentDelegation(ctx.tx, ctx.user!.id, today);
  if (!d) return null;
  return { ...d, name: (await namesIn(ctx, [d.toUserId])).get(d.toUserId) ?? '' };
}
