import type { BotContext, Command } from '../bot/bot-types.ts';
import { awaitingApprovals } from '../approvals/index.ts';
import { correctiveItems } from '../monitoring/index.ts';
import { projectNames } from '../projects/index.ts';
import { beijingDate } from '../shared/working-days.ts';
import { openCampaigns, tasksWithState } from './campaign-repository.ts';
import { needsFiller } from './campaign-schema.ts';
import { chineseDay } from '../shared/clock.ts';

interface TodoItem {
  kind: string;
  color: string;
  title: string;
  detail: string;
  button: string;
  value: Record<string, unknown>;
}

/** `待办`: what waits on this user. */
export const todoCommand: Command = {
  name: 'todo',
  title: '待办',
  description: '查看等待我处理的填报、退回、纠偏和审批',
  aliases: ['待办', 'todo'],
  readOnly: true,
  run: async (ctx) => ctx.respond(await todoCard(ctx)),
};

/** `待办`: what waits on this user, each with its button: returns first, then approvals, drafts, new tasks. */
export async function todoCard(ctx: BotContext) {
  const items = [...(await fillingItems(ctx)), ...(await correctiveItems(ctx)), ...(await approvalItems(ctx))];
  const order = ['退回', '纠偏', '审批', '草稿', '待填'];
  items.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return ctx.cards.render('todo', {
    name: ctx.user!.name,
    items: items.slice(0, 15),
    more: Math.max(0, items.length - 15),
  });
}

/** Tasks of open campaigns in the departments the user fills for, not yet submitted (or returned). */
async function fillingItems(ctx: BotContext): Promise<TodoItem[]> {
  const user = ctx.user!;
  const fillerDepts = user.roles
    .filter((g) => g.role === 'filler')
    .map((g) => g.scopeDepartmentId ?? user.departmentId);
  if (!fillerDepts.length) return [];
  const campaigns = await openCampaigns(ctx.tx, beijingDate(ctx.now));
  const ids = campaigns.map((c) => c.id);
  const tasks = (await tasksWithState(ctx.tx, ids, fillerDepts)).filter((t) => needsFiller(t.state));
  const projects = tasks.filter((t) => t.subjectType === 'project').map((t) => t.subjectId);
  const names = await projectNames(ctx.tx, projects.slice(0, 500));
  return tasks.map((t) => {
    const c = campaigns.find((x) => x.id === t.campaignId)!;
    return {
      kind: t.state === 'returned' ? '退回' : t.state === 'draft' ? '草稿' : '待填',
      color: t.state === 'returned' ? 'red' : t.state === 'draft' ? 'orange' : 'blue',
      title: `${t.subjectType === 'project' ? (names.get(t.subjectId) ?? '') : user.departmentName}`,
      detail: `${c.title} · 截止 ${chineseDay(c.deadline)}`,
      button: t.state === 'not_started' ? '填报' : '继续',
      value: { action: 'form.open', form: c.formId, type: t.subjectType, id: t.subjectId },
    };
  });
}

/** Approvals waiting on the user, or on someone who delegated to them today: four statements however many. */
async function approvalItems(ctx: BotContext): Promise<TodoItem[]> {
  const awaiting = await awaitingApprovals(ctx);
  const projects = awaiting.filter((t) => t.submission.subjectType === 'project').map((t) => t.submission.subjectId);
  const names = await projectNames(ctx.tx, projects);
  return awaiting.map(({ submission: s, ...t }) => ({
    kind: '审批',
    color: 'indigo',
    title: s.subjectType === 'project' ? (names.get(s.subjectId) ?? '') : '',
    detail: t.state.steps[t.state.current]?.title ?? '',
    button: '审批',
    value: { action: 'appr.open', iid: t.instanceId },
  }));
}
