import { z } from 'zod';
import { rolesCover } from '../approvals';
import type { BotContext, CardAction, Guard } from '../bot/bot-types';
import type { Card } from '../cards/renderer';
import type { FormStore } from '../forms';
import { parentOf } from '../org';
import { projectByCode } from '../projects';
import { type ProjectHistory, historyText, projectHistory } from './project-history';

/** The history on one card: the project's facts, then each form and its revisions, then the 结果应用. */
export function historyCard(ctx: BotContext, h: ProjectHistory): Card {
  return ctx.cards.render('notice', {
    title: `项目档案：${h.project.name}（${h.project.code}）`,
    color: 'blue',
    lines: historyText(h),
  });
}

const showValue = z.object({ code: z.string().min(1).max(64) });

/** Whoever the read rule lets see the project's unit: its own people, those overseeing it, the bureau. */
const readerOfProject: Guard<z.infer<typeof showValue>, unknown> = async (ctx, { value }) => {
  const p = await projectByCode(ctx.tx, value.code);
  if (!p) return `没有找到项目 ${value.code}`;
  return rolesCover(ctx.user, p.departmentId, await parentOf(ctx.tx, p.departmentId)) || '您无权查看该项目的档案';
};

/** 项目档案 on a card about a project (the approval card): its history, sent to whoever clicked. */
export function historyAction(store: FormStore): CardAction<z.infer<typeof showValue>> {
  return {
    key: 'project.show',
    value: showValue,
    guard: readerOfProject,
    async run(ctx, { value }) {
      const h = (await projectHistory(ctx.tx, store, value.code))!;
      await ctx.sendTo(ctx.openId, historyCard(ctx, h));
      return { toast: { type: 'info', content: '项目档案已发送给您' } };
    },
  };
}
