import { z } from 'zod';
import { rolesCover } from '../approvals/index.ts';
import type { BotContext, CardAction, Guard } from '../bot/bot-types.ts';
import { idSchema } from '../bot/guards.ts';
import type { Card } from '../cards/renderer.ts';
import { sendWorkbook } from '../files/index.ts';
import { type FormStore, getSubmission, submittedCard } from '../forms/index.ts';
import { parentOf } from '../org/index.ts';
import { projectByCode, projectLabel } from '../projects/index.ts';
import { type ResultsRules, projectWorkbook } from '../results/index.ts';
import { type ProjectHistory, historyText, projectHistory } from './project-history.ts';

/**
 * The history on one card: the project's facts, each form and its revisions, the 结果应用; a button per form opens
 * its last submitted revision, and 导出 sends the approved target and self-evaluation as a workbook.
 */
export function historyCard(ctx: BotContext, h: ProjectHistory): Card {
  const code = h.project.code;
  const open = h.forms.flatMap((f) => {
    const last = [...f.revisions].reverse().find((v) => v.submitted_at);
    if (!last) return [];
    const value = { action: 'project.form', code, sid: f.submission_id, rev: last.revision };
    return [{ text: `查看${f.title}（第 ${last.revision} 版）`, value }];
  });
  return ctx.cards.render('notice', {
    title: `项目档案：${h.project.name}（${code}）`,
    color: 'blue',
    lines: historyText(h),
    buttons: [...open, { text: '导出 Excel', value: { action: 'project.export', code } }],
  });
}

const showValue = z.object({ code: z.string().min(1).max(64) });

/** Whoever the read rule lets see the project's unit: its own people, those overseeing it, the bureau. */
const readerOfProject: Guard<{ code: string }, unknown> = async (ctx, { value }) => {
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

const formValue = showValue.extend({ sid: idSchema, rev: z.coerce.number().int().min(1) });

/** 查看 a form from the history: that submitted revision, read-only; the submission must be about this project. */
export function historyFormAction(store: FormStore): CardAction<z.infer<typeof formValue>> {
  return {
    key: 'project.form',
    value: formValue,
    async guard(ctx, input) {
      const reader = await readerOfProject(ctx, input);
      if (reader !== true) return reader;
      const [p, s] = [await projectByCode(ctx.tx, input.value.code), await getSubmission(ctx.tx, input.value.sid)];
      return (s?.subjectType === 'project' && s.subjectId === p?.id) || '该表单不属于这个项目';
    },
    async run(ctx, { value: v }) {
      await ctx.sendTo(ctx.openId, await submittedCard(ctx, store, v.sid, v.rev));
      return { toast: { type: 'info', content: '表单内容已发送给您' } };
    },
  };
}

/** 导出 on the history: the project's approved target and self-evaluation in one workbook, as a file message. */
export function historyExportAction(store: FormStore, rules: ResultsRules): CardAction<z.infer<typeof showValue>> {
  return {
    key: 'project.export',
    value: showValue,
    guard: readerOfProject,
    async run(ctx, { value }) {
      const p = (await projectByCode(ctx.tx, value.code))!;
      const r = await projectWorkbook(ctx.tx, store, rules, { year: p.year, project: p.code });
      if (!r.sheets) return { toast: { type: 'info', content: '该项目还没有已批复的绩效目标或自评，暂无可导出的表' } };
      return sendWorkbook(ctx, r.book, `${projectLabel(p)}绩效表`, `project:${p.code}`);
    },
  };
}
