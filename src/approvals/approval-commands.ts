import { z } from 'zod';
import { appendAudit } from '../audit/audit-log';
import { idSchema, optionalText, withRole } from '../bot/guards';
import { approverRoles, activeUserByOpenId, openIdsOf } from '../org';
import { approverOfInstance } from './approval-guards';
import { excludedFrom } from './chain';
import { delegateCandidates } from './delegation-rule';
import type { BotContext, BotRegistry } from '../bot/bot-types';
import { cardResponse } from '../bot/card-response';
import { eventSource } from '../bot/event-source';
import type { FormStore } from '../forms';
import { beijingDate } from '../shared/clock';
import { delegatorsOf, getInstance, pendingTasks } from './approval-repository';
import { renderRequest, stateNames } from './approval-view';
import { sendApprovalCard, transferPeople } from './approval-effects';
import { instanceOf, namesIn, read } from './approval-reads';
import { actingAs, decideOne } from './decide';
import { ReadMemo } from '../shared/read-memo';

const notApprover = withRole(approverRoles, '只有审批人可以使用此功能');
const dateText = z
  .string()
  .optional()
  .default('')
  .transform((v) => v.slice(0, 10));

/** `待审批` (list, open, batch approve) and `委托` (delegation). */
export function registerApprovalCommands(registry: BotRegistry, store: FormStore): void {
  registry.command({
    name: 'approvals',
    title: '待审批',
    description: '查看等待我审批的事项，可批量同意',
    aliases: ['待审批', '审批', 'approvals', 'approve'],
    roles: [...approverRoles],
    menuKey: 'menu_approvals',
    run: async (ctx) => ctx.respond(await approvalList(ctx, store)),
  });

  registry.action({
    key: 'appr.open',
    value: z.object({ iid: idSchema }),
    guard: approverOfInstance,
    async run(ctx, { value: v }) {
      const inst = await instanceOf(ctx, v.iid);
      if (!inst || inst.status !== 'pending') return { toast: { type: 'warning', content: '该事项已处理完毕' } };
      const who = await actingAs(ctx, inst.state);
      if (!who) return { toast: { type: 'warning', content: '您不是当前环节的审批人' } };
      const s = await read(ctx, store, inst.submissionId);
      const names = await namesIn(ctx, stateNames(inst.state, [inst.submitterId, who.onBehalfOf ?? who.userId]));
      const card = renderRequest(ctx, {
        s,
        inst,
        names,
        changes: [],
        people: await transferPeople(ctx, s, inst),
        actingFor: who.onBehalfOf ? names.get(who.onBehalfOf) : undefined,
      });
      await sendApprovalCard(ctx, ctx.openId, card, { iid: inst.id, step: inst.state.current, userId: ctx.user.id });
      return { toast: { type: 'info', content: '审批卡片已发送给您' } };
    },
  });

  registry.action({
    key: 'appr.batch',
    value: z.object({}),
    form: z.object({ items: z.array(idSchema).max(50).optional().default([]), comment: optionalText }),
    // Each item is then decided like a click on its own card: approver of its current step, never its submitter.
    guard: notApprover,
    async run(ctx, { form }) {
      const ids = form.items;
      if (!ids.length) return { toast: { type: 'warning', content: '请先选择要同意的事项' } };
      const comment = form.comment;
      const lines: string[] = [];
      for (const iid of ids) {
        const label = await itemLabel(ctx, store, iid);
        try {
          // Each item in its own savepoint: one failure does not undo the others.
          const r = await ctx.tx.transaction((sp) =>
            decideOne({ ...ctx, tx: sp, reads: new ReadMemo() }, store, { iid, decision: 'approve', comment }),
          );
          lines.push(`${r.toast?.type === 'success' ? '✅' : '⚠️'} ${label}：${r.toast?.content ?? ''}`);
        } catch (err) {
          ctx.log.error({ err, instance: iid }, 'batch approval item failed');
          lines.push(`❌ ${label}：处理失败，请单独打开重试`);
        }
      }
      const ok = lines.filter((l) => l.startsWith('✅')).length;
      return cardResponse(
        ctx.cards.render('notice', {
          title: `批量同意：成功 ${ok} 项，共 ${ids.length} 项`,
          color: ok === ids.length ? 'green' : 'orange',
          lines,
        }),
        { type: ok === ids.length ? 'success' : 'warning', content: `已同意 ${ok} 项` },
      );
    },
  });

  registry.command({
    name: 'delegate',
    title: '委托',
    description: '外出期间把审批委托给同事',
    aliases: ['委托', 'delegate'],
    roles: [...approverRoles],
    run: async (ctx) => ctx.respond(await delegationCard(ctx)),
  });

  registry.action({
    key: 'appr.delegate',
    value: z.object({}),
    form: z.object({ delegate: z.string().optional(), start: dateText, end: dateText }),
    guard: notApprover,
    async run(ctx, { form }) {
      const { start, end } = form;
      const target = form.delegate ? await activeUserByOpenId(ctx.tx, form.delegate) : undefined;
      const eligible = target ? await delegateCandidates(ctx.tx, ctx.user) : [];
      const error = !target
        ? '请选择受托人'
        : Number(target.id) === ctx.user.id
          ? '不能委托给自己'
          : !eligible.includes(Number(target.id))
            ? `不能委托给 ${target.name}：受托人须与您担任相同的审批角色（同一单位或部门）`
            : !/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end)
              ? '请选择开始和结束日期'
              : end < start
                ? '结束日期不能早于开始日期'
                : end < beijingDate(ctx.now)
                  ? '结束日期已过'
                  : undefined;
      if (error || !target) return cardResponse(await delegationCard(ctx, error));
      // A second click on the same card finds the delegation it made: nothing is written or sent again.
      const same = await ctx
        .tx('delegations')
        .where({ from_user_id: ctx.user.id, to_user_id: target.id, start_date: start, end_date: end })
        .whereNull('cancelled_at')
        .first('id');
      if (same) return cardResponse(await delegationCard(ctx), { type: 'success', content: `已委托给 ${target.name}` });
      await ctx
        .tx('delegations')
        .where({ from_user_id: ctx.user!.id })
        .whereNull('cancelled_at')
        .update({ cancelled_at: ctx.now });
      await ctx.tx('delegations').insert({
        from_user_id: ctx.user!.id,
        to_user_id: target.id,
        start_date: start,
        end_date: end,
        created_at: ctx.now,
      });
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user!.id,
        action: 'delegation.create',
        entityType: 'user',
        entityId: ctx.user!.id,
        source: eventSource(ctx),
        detail: { to: Number(target.id), start, end },
      });
      await ctx.sendTo(
        target.openId,
        ctx.cards.render('notice', {
          title: '审批委托',
          color: 'violet',
          lines: [
            `${ctx.user!.name} 将 ${start} 至 ${end} 的审批委托给您。期间的审批卡片会同时发给您，审批记录显示为“${target.name} 代 ${ctx.user!.name}”。`,
          ],
        }),
        { uuid: `delegate:${ctx.user.id}:${target.id}:${start}:${end}` },
      );
      return cardResponse(await delegationCard(ctx), { type: 'success', content: `已委托给 ${target.name}` });
    },
  });

  registry.action({
    key: 'appr.undelegate',
    value: z.object({}),
    guard: notApprover,
    async run(ctx) {
      const cancelled = await ctx
        .tx('delegations')
        .where({ from_user_id: ctx.user.id })
        .whereNull('cancelled_at')
        .update({ cancelled_at: ctx.now });
      // A second click has nothing left to cancel and records nothing.
      if (cancelled) {
        await appendAudit(ctx.tx, {
          at: ctx.now,
          actorUserId: ctx.user.id,
          action: 'delegation.cancel',
          entityType: 'user',
          entityId: ctx.user.id,
          source: eventSource(ctx),
        });
      }
      return cardResponse(await delegationCard(ctx), { type: 'success', content: '已取消委托' });
    },
  });
}

async function itemLabel(ctx: BotContext, store: FormStore, iid: number): Promise<string> {
  const inst = await getInstance(ctx.tx, iid);
  if (!inst) return `#${iid}`;
  const s = await read(ctx, store, inst.submissionId);
  return `${s.form.def.title} · ${s.subject.label}`;
}

async function approvalList(ctx: BotContext, store: FormStore) {
  const me = ctx.user!.id;
  const delegators = await delegatorsOf(ctx.tx, me, beijingDate(ctx.now));
  const tasks = await pendingTasks(ctx.tx, [me, ...delegators]);
  const seen = new Set<number>();
  const items = [];
  for (const t of tasks) {
    if (seen.has(t.instanceId) || items.length >= 20) continue;
    seen.add(t.instanceId);
    const inst = (await getInstance(ctx.tx, t.instanceId))!;
    if (excludedFrom(inst.state, inst.submitterId).has(me)) {
      seen.delete(t.instanceId); // theirs to fill, not to decide: neither listed nor counted
      continue;
    }
    const s = await read(ctx, store, t.submissionId);
    const names = await namesIn(ctx, [inst.submitterId, t.userId]);
    items.push({
      number: items.length + 1,
      key: String(inst.id),
      formTitle: s.form.def.title,
      subject: s.subject.label,
      stepTitle: inst.state.steps[inst.state.current]?.title ?? '',
      submitter: names.get(inst.submitterId) ?? '',
      since: t.createdAt,
      actingFor: t.userId !== me ? names.get(t.userId) : undefined,
      open: { action: 'appr.open', iid: inst.id },
    });
  }
  return ctx.cards.render('approval-list', { count: seen.size, items, batch: { action: 'appr.batch' } });
}

async function delegationCard(ctx: BotContext, error?: string) {
  const delegation = await ctx
    .tx('delegations')
    .where({ from_user_id: ctx.user!.id })
    .whereNull('cancelled_at')
    .where('end_date', '>=', beijingDate(ctx.now))
    .orderBy('id', 'desc')
    .first('to_user_id', 'start_date', 'end_date');
  const current = delegation && {
    name: (await namesIn(ctx, [Number(delegation.to_user_id)])).get(Number(delegation.to_user_id)) ?? '',
    start_date: delegation.start_date,
    end_date: delegation.end_date,
  };
  const people = await openIdsOf(ctx.tx, (await delegateCandidates(ctx.tx, ctx.user!)).slice(0, 50));
  return ctx.cards.render('delegation', {
    current: current ? `${current.name}，${current.start_date} 至 ${current.end_date}` : undefined,
    cancel: current ? { action: 'appr.undelegate' } : undefined,
    today: beijingDate(ctx.now),
    people: people.map((value: string) => ({ value })),
    error,
  });
}
