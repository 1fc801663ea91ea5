import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { BotContext, CardAction } from '../bot/bot-types.ts';
import { eventSource } from '../bot/event-source.ts';
import { idSchema } from '../bot/guards.ts';
import { projectNames } from '../projects/index.ts';
import { beijingDate, workingDaysUntil } from '../shared/working-days.ts';
import { type FollowUpRow, getFollowUp, markDone, openActions } from './follow-up-repository.ts';
import { chineseDay } from '../shared/clock.ts';

const doneValue = z.object({ fid: idSchema });

/** The departments whose corrective actions a user answers for: where they fill or head the unit. */
function unitsOf(ctx: BotContext): number[] {
  const user = ctx.user!;
  return user.roles
    .filter((g) => g.role === 'filler' || g.role === 'unit_head')
    .map((g) => g.scopeDepartmentId ?? user.departmentId);
}

const followUpOf = (ctx: BotContext, id: number) => ctx.reads.once(`follow-up:${id}`, () => getFollowUp(ctx.tx, id));

/**
 * 已落实 in 待办: the unit confirms its corrective action was carried out. Once: a second click (or a redelivery)
 * finds it done and changes nothing.
 */
export const correctiveDoneAction: CardAction<z.infer<typeof doneValue>> = {
  key: 'monitor.done',
  value: doneValue,
  guard: async (ctx, { value }) => {
    const row = await followUpOf(ctx, value.fid);
    if (!row) return '该纠偏事项不存在';
    return unitsOf(ctx).includes(row.departmentId) || '只有本单位的填报人或单位负责人可以确认落实';
  },
  async run(ctx, { value: v }) {
    const row = (await followUpOf(ctx, v.fid))!;
    if (!(await markDone(ctx.tx, row.id, ctx.user.id, ctx.now)))
      return {
        toast: { type: 'info', content: row.status === 'done' ? '已确认落实，无需重复操作' : '该事项无需确认' },
      };
    await appendAudit(ctx.tx, {
      at: ctx.now,
      actorUserId: ctx.user.id,
      action: 'monitoring.action_done',
      entityType: 'submission',
      entityId: row.submissionId,
      revision: row.revision,
      source: eventSource(ctx),
      detail: { action: row.action, deadline: row.deadline, light: row.light },
    });
    return { toast: { type: 'success', content: `已确认落实：${row.action ?? '纠偏措施'}` } };
  },
};

/** 待办 lines for the corrective actions the user's units owe, soonest deadline first. */
export async function correctiveItems(ctx: BotContext) {
  const rows = await openActions(ctx.tx, unitsOf(ctx));
  const names = await projectNames(
    ctx.tx,
    rows.map((r) => r.projectId),
  );
  const today = beijingDate(ctx.now);
  return rows.map((r: FollowUpRow) => {
    const wd = r.deadline ? workingDaysUntil(today, r.deadline) : null;
    const when = wd === null ? '' : wd > 0 ? `还剩 ${wd} 个工作日` : wd === 0 ? '今天到期' : `已逾期 ${-wd} 个工作日`;
    return {
      kind: '纠偏',
      color: wd !== null && wd < 0 ? 'red' : 'orange',
      title: `${names.get(r.projectId) ?? ''}【${r.light ?? ''}灯】`,
      detail: `纠偏措施：${r.action ?? '—'}${r.deadline ? ` · 期限 ${chineseDay(r.deadline)}（${when}）` : ''}${r.flaggedAt ? ' · 已建议暂缓拨款' : ''}`,
      button: '已落实',
      value: { action: 'monitor.done', fid: r.id },
    };
  });
}
