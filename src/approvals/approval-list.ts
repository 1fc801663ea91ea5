import { z } from 'zod';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema, optionalText, withRole } from '../bot/guards.ts';
import type { FormStore } from '../forms/index.ts';
import { approverRoles, departmentNames } from '../org/index.ts';
import { projectLabel, projectsByIds } from '../projects/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { workingDaysUntil } from '../shared/working-days.ts';
import { sendApprovalCard, transferPeople } from './approval-effects.ts';
import { approverOfInstance } from './approval-guards.ts';
import { instanceOf, namesIn, read } from './approval-reads.ts';
import { awaitingApprovals } from './awaiting-approvals.ts';
import { renderRequest, stateNames } from './approval-view.ts';
import { actingAs, decideOne } from './decide.ts';
import { upToTwoDecimals } from '../shared/number-format.ts';

export const notApprover = withRole(approverRoles, '只有审批人可以使用此功能');
const batchForm = z.object({ items: z.array(idSchema).max(50).optional().default([]), comment: optionalText });

/** `待审批`: what waits on the user (or on whoever delegated to them), with 批量同意. */
export function approvalsCommand(store: FormStore): Command {
  return {
    name: 'approvals',
    title: '待审批',
    description: '查看等待我审批的事项，可批量同意',
    aliases: ['待审批', '审批', 'approvals', 'approve'],
    roles: [...approverRoles],
    menuKey: 'menu_approvals',
    readOnly: true,
    run: async (ctx) => ctx.respond(await approvalList(ctx, store)),
  };
}

/** 打开 on the list: the approval card for the item, sent again to the approver (or delegate). */
export function openAction(store: FormStore): CardAction<{ iid: number }> {
  return {
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
  };
}

/** 批量同意: each item decided like a click on its own card, in its own savepoint. */
export function batchAction(store: FormStore): CardAction<object, z.infer<typeof batchForm>> {
  return {
    key: 'appr.batch',
    value: z.object({}),
    form: batchForm,
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
            decideOne({ ...ctx, tx: sp, reads: ctx.reads.child() }, store, { iid, decision: 'approve', comment }),
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
  };
}

async function itemLabel(ctx: BotContext, store: FormStore, iid: number): Promise<string> {
  const inst = await instanceOf(ctx, iid);
  if (!inst) return `#${iid}`;
  const s = await read(ctx, store, inst.submissionId);
  return `${s.form.def.title} · ${s.subject.label}`;
}

/** The first 20 of what waits on the user, each named from batched reads: six statements however many wait. */
async function approvalList(ctx: BotContext, store: FormStore) {
  const me = ctx.user!.id;
  const awaiting = await awaitingApprovals(ctx);
  const shown = awaiting.slice(0, 20);
  const projectIds = shown.filter((t) => t.submission.subjectType === 'project').map((t) => t.submission.subjectId);
  const projects = new Map((await projectsByIds(ctx.tx, projectIds)).map((p) => [p.id, p]));
  const units = await departmentNames(
    ctx.tx,
    shown.map((t) => t.submission.departmentId),
  );
  const names = await namesIn(ctx, [...new Set(shown.flatMap((t) => [t.submitterId, t.userId]))]);
  const items = shown.map((t, i) => {
    const s = t.submission;
    const project = s.subjectType === 'project' ? projects.get(s.subjectId) : undefined;
    return {
      number: i + 1,
      key: String(t.instanceId),
      formTitle: store.get(s.formId)?.def.title ?? s.formId,
      subject: project ? projectLabel(project) : (units.get(s.subjectId) ?? ''),
      unit: units.get(s.departmentId) ?? '',
      amount: project ? `${upToTwoDecimals(project.amount / 10000)} 万元` : undefined,
      waited: workingDaysUntil(beijingDate(t.createdAt), beijingDate(ctx.now)),
      stepTitle: t.state.steps[t.state.current]?.title ?? '',
      submitter: names.get(t.submitterId) ?? '',
      since: t.createdAt,
      actingFor: t.userId !== me ? names.get(t.userId) : undefined,
      open: { action: 'appr.open', iid: t.instanceId },
    };
  });
  return ctx.cards.render('approval-list', { count: awaiting.length, items, batch: { action: 'appr.batch' } });
}
