import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { ActionContext, CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema, withRole } from '../bot/guards.ts';
import type { FormStore } from '../forms/index.ts';
import { bureauRoles, contactsOf } from '../org/index.ts';
import { chineseDay } from '../shared/clock.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import { beijingDate, workingDaysUntil } from '../shared/working-days.ts';
import { type CampaignRow, closeCampaign, getCampaign, tasksWithState } from './campaign-repository.ts';
import { deadlineText, describePopulation, needsFiller } from './campaign-schema.ts';
import { relaunchCampaign } from './launch.ts';
import { type ReminderPreview, previewReminders } from './reminders.ts';

const guard = withRole(bureauRoles, '只有绩效处或管理员可以管理填报任务');
const cidValue = z.object({ cid: idSchema });
type Cid = z.infer<typeof cidValue>;
const dateOf = (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : '');

async function campaignOf(ctx: ActionContext, cid: number): Promise<CampaignRow> {
  const c = await getCampaign(ctx.tx, cid);
  if (!c) throw new AppError('not_found', '该填报任务已不存在');
  return c;
}

/** The manage card: what the campaign is and where it stands, with extend, preview and close. */
async function manageCard(
  ctx: ActionContext,
  store: FormStore,
  c: CampaignRow,
  extra: { error?: string; preview?: string[] } = {},
) {
  const tasks = await tasksWithState(ctx.tx, [c.id]);
  const open = tasks.filter((t) => needsFiller(t.state)).length;
  const wd = workingDaysUntil(beijingDate(ctx.now), c.deadline);
  const when = c.status !== 'open' ? '已关闭' : deadlineText(wd);
  return ctx.cards.render('campaign-manage', {
    title: c.title,
    ...extra,
    lines: [
      `表单：${store.get(c.formId)?.def.title ?? c.formId} · ${describePopulation(c.population)}`,
      `截止 ${chineseDay(c.deadline, true)}（${when}） · ${tasks.length} 项任务，未完成 ${open} 项`,
      `提醒：截止前第 ${c.policy.remind_days.join('、')} 个工作日${c.policy.overdue_daily ? '，逾期后每个工作日' : ''}；逾期 ${c.policy.escalate_after} 个工作日升级`,
    ],
    open: c.status === 'open',
    today: beijingDate(ctx.now),
    extend: { action: 'campaign.extend', cid: c.id },
    preview_action: { action: 'campaign.preview', cid: c.id },
    close: { action: 'campaign.close', cid: c.id },
  });
}

/** 管理 on the progress card. */
export function manageAction(store: FormStore): CardAction<Cid> {
  return {
    key: 'campaign.manage',
    value: cidValue,
    guard,
    run: async (ctx, { value }) => cardResponse(await manageCard(ctx, store, await campaignOf(ctx, value.cid))),
  };
}

/** 关闭任务: no more reminders; a second click finds it closed. */
export function closeAction(store: FormStore): CardAction<Cid> {
  return {
    key: 'campaign.close',
    value: cidValue,
    guard,
    async run(ctx, { value }) {
      const closed = await closeCampaign(ctx.tx, value.cid, ctx.now);
      if (closed)
        await appendAudit(ctx.tx, {
          at: ctx.now,
          actorUserId: ctx.user.id,
          action: 'campaign.close',
          entityType: 'campaign',
          entityId: value.cid,
          source: 'bot',
        });
      const c = await campaignOf(ctx, value.cid);
      return cardResponse(await manageCard(ctx, store, c), {
        type: closed ? 'success' : 'info',
        content: closed ? '已关闭，不再提醒' : '该任务已关闭',
      });
    },
  };
}

const extendForm = z.object({ deadline: z.unknown().optional() });

/** 延长截止日期 (or 重新开放 a closed one): the fillers with unfinished tasks are told the new date. */
export function extendAction(store: FormStore): CardAction<Cid, z.infer<typeof extendForm>> {
  return {
    key: 'campaign.extend',
    value: cidValue,
    form: extendForm,
    guard,
    async run(ctx, { value, form }) {
      const c = await campaignOf(ctx, value.cid);
      const deadline = dateOf(form.deadline);
      if (!deadline) return cardResponse(await manageCard(ctx, store, c, { error: '请选择新的截止日期' }));
      if (deadline < beijingDate(ctx.now))
        return cardResponse(await manageCard(ctx, store, c, { error: '新的截止日期不能早于今天' }));
      let moved: CampaignRow;
      try {
        const r = await ctx.tx.transaction((sp) =>
          relaunchCampaign(sp, store, ctx.cards, c.id, deadline, ctx.user.id, ctx.now),
        );
        moved = r.campaign;
      } catch (err) {
        if (isAppError(err) && err.status < 500)
          return cardResponse(await manageCard(ctx, store, c, { error: err.message }));
        throw err;
      }
      return cardResponse(await manageCard(ctx, store, moved), {
        type: 'success',
        content: `截止日期已改为 ${chineseDay(deadline)}，已通知未完成的填报人`,
      });
    },
  };
}

const previewForm = z.object({ date: z.unknown().optional() });

/** 预览提醒: who the reminders of a chosen day would reach, and with what; nothing is sent. */
export function previewAction(store: FormStore): CardAction<Cid, z.infer<typeof previewForm>> {
  return {
    key: 'campaign.preview',
    value: cidValue,
    form: previewForm,
    guard,
    async run(ctx, { value, form }) {
      const c = await campaignOf(ctx, value.cid);
      const date = dateOf(form.date) || beijingDate(ctx.now);
      const p = await previewReminders(ctx.tx, c, date);
      return cardResponse(await manageCard(ctx, store, c, { preview: await previewLines(ctx, p) }));
    },
  };
}

async function previewLines(ctx: ActionContext, p: ReminderPreview): Promise<string[]> {
  const day = chineseDay(p.date, true);
  const when = deadlineText(p.wd, '截止当天');
  if (!p.workingDay) return [`${day}不是工作日，不发送提醒。`];
  if (!p.due) return [`${day}（${when}）不是提醒日，不发送提醒。`];
  const names = await contactsOf(
    ctx.tx,
    p.people.map((x) => x.userId),
  );
  const lines = p.people.slice(0, 15).map((x) => {
    const parts = [x.fill ? `待填报 ${x.fill} 项${x.buzz ? '（加急）' : ''}` : '', ...x.escalate].filter(Boolean);
    return `${names.get(x.userId)?.name ?? '—'}：${parts.join('；')}`;
  });
  return [
    `${day}（${when}）：将提醒 ${p.people.length} 人`,
    ...lines,
    ...(p.people.length > 15 ? [`……共 ${p.people.length} 人`] : []),
  ];
}
