import type { BotContext, Command } from '../bot/bot-types.ts';
import { departmentNames } from '../org/index.ts';
import { projectNames } from '../projects/index.ts';
import { assignmentsOf } from './form-assignments.ts';
import type { FormStore } from './form-store.ts';
import { findSubmission } from './submission-repository.ts';
import { submissionStatusLabels } from './submission-status.ts';

/** `评价任务 [项目编码]`: what a reviewer or evaluator was assigned (抽评复核, 重点评价), with where each stands. */
export function assignedCommand(store: FormStore): Command {
  return {
    name: 'assigned',
    title: '评价任务',
    description: '查看分配给您的抽评复核、重点评价等任务并打开填写',
    aliases: ['评价任务', '复核任务'],
    roles: ['third_party', 'performance_division'],
    run: async (ctx, args) => ctx.respond(await assignedCard(ctx, store, args.trim())),
  };
}

async function assignedCard(ctx: BotContext, store: FormStore, code: string) {
  const mine = (await assignmentsOf(ctx.tx, ctx.user!.id)).filter((a) => store.get(a.formId));
  const projects = await projectNames(
    ctx.tx,
    mine.filter((a) => a.subjectType === 'project').map((a) => a.subjectId),
    true,
  );
  const departments = await departmentNames(
    ctx.tx,
    mine.filter((a) => a.subjectType === 'department').map((a) => a.subjectId),
  );
  const shown = mine.filter((a) => !code || (projects.get(a.subjectId) ?? '').includes(`（${code}）`)).slice(0, 12);
  const items = [];
  for (const a of shown) {
    const sub = await findSubmission(ctx.tx, { ...a });
    const open = sub && sub.status !== 'draft' && sub.status !== 'returned';
    items.push({
      formTitle: store.get(a.formId)!.def.title,
      subject: (a.subjectType === 'project' ? projects : departments).get(a.subjectId) ?? '',
      status: sub ? (submissionStatusLabels[sub.status] ?? sub.status) : '未开始',
      buttonText: !sub ? '开始评价' : open ? '查看' : '继续填写',
      open: { action: 'form.open', form: a.formId, type: a.subjectType, id: a.subjectId },
    });
  }
  return ctx.cards.render('form-chooser', {
    department: ctx.user!.departmentName,
    assigned: true,
    items,
    more: mine.length > items.length && !code,
    shown: items.length,
  });
}
