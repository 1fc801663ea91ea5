import { z } from 'zod';
import type { BotContext, BotRegistry } from '../bot/bot-types';
import { idSchema, withRole } from '../bot/guards';
import { delegatorsOf, pendingTasks, getInstance } from '../approvals';
import { cardResponse } from '../bot/card-response';
import { type FormStore, getSubmission, submissionStatusLabels } from '../forms';
import { allDepartments, departmentOf, departmentOptions, bureauRoles, hasRole } from '../org';
import { projectNames } from '../projects';
import { isAppError } from '../shared/errors';
import { type Population, type TaskState, needsFiller, taskStates } from './campaign-schema';
import { getCampaign, openCampaigns, tasksWithState } from './campaign-repository';
import { type LaunchResult, launchCampaign } from './launch';
import { beijingDate, workingDaysUntil } from '../shared/working-days';

const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)}%` : '—');
const submittedStates: TaskState[] = ['submitted', 'in_approval', 'approved'];

const populations: { value: string; label: string }[] = [
  { value: 'projects', label: '全部项目（按年度）' },
  { value: 'projects:A', label: 'A 类项目' },
  { value: 'projects:B', label: 'B 类项目' },
  { value: 'projects:C', label: 'C 类项目' },
  { value: 'projects:10000000', label: '1000 万元及以上项目' },
  { value: 'all_departments', label: '全部部门' },
  { value: 'departments', label: '指定部门' },
];

function populationFrom(choice: string, year: number, departments: string[]): Population {
  if (choice === 'all_departments') return { kind: 'all_departments' };
  if (choice === 'departments') return { kind: 'departments', codes: departments };
  const [, arg] = choice.split(':');
  if (arg && /^[ABC]$/.test(arg)) return { kind: 'projects', year, tiers: [arg as 'A' | 'B' | 'C'] };
  if (arg) return { kind: 'projects', year, min_amount: Number(arg) };
  return { kind: 'projects', year };
}

const textOr = (fallback: string) =>
  z
    .unknown()
    .optional()
    .transform((v) => (v === undefined || v === null ? fallback : String(v)));
const text = textOr('');
/** The launch card's fields; every value is checked again, with a sentence for the bureau, by the handler. */
const launchForm = z.object({
  title: text,
  form: text,
  population: text,
  year: text,
  opens: text,
  deadline: text,
  remind_days: textOr('5,3,1,0'),
  escalate_after: textOr('3'),
  departments: z.array(z.string()).optional().default([]),
});

/** What the launch answers: what was created and when the fillers hear of it, or that it already exists. */
export function launchLines(r: LaunchResult): string[] {
  if (r.existing)
    return [
      `“${r.campaign.title}”（同一表单、年度和范围）已在进行中：${r.totalTasks} 项任务，截止 ${r.campaign.deadline}。未重复发起，也未重复通知。`,
    ];
  const notice = r.notifyAt ? `将于 ${r.notifyAt}通知 ${r.cardsQueued} 位填报人` : `已通知 ${r.cardsQueued} 位填报人`;
  return [
    `“${r.campaign.title}”已发起：${r.totalTasks} 项任务，${notice}。`,
    `截止日期 ${r.campaign.deadline}。发送“进度”查看填报情况。`,
  ];
}

export function registerCampaigns(registry: BotRegistry, store: FormStore): void {
  const launchCard = async (ctx: BotContext, values: Record<string, string> = {}, error?: string) => {
    const departments = await departmentOptions(ctx.tx, 100, true);
    const today = beijingDate(ctx.now);
    return ctx.cards.render('campaign-launch', {
      error,
      forms: store.list().map((f) => ({ value: f.def.id, label: f.def.title })),
      populations,
      departments: departments.map((d: { code: string; name: string }) => ({ value: d.code, label: d.name })),
      values: { year: today.slice(0, 4), opens: today, remind_days: '5,3,1,0', escalate_after: '3', ...values },
    });
  };

  registry.command({
    name: 'launch',
    title: '发起填报',
    description: '向全部或指定的单位、项目发起填报任务',
    aliases: ['发起填报', 'launch'],
    roles: [...bureauRoles],
    run: async (ctx) => ctx.respond(await launchCard(ctx)),
  });

  registry.action({
    key: 'campaign.launch',
    value: z.object({}),
    form: launchForm,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以发起填报'),
    async run(ctx, { form: f }) {
      const values = {
        title: f.title,
        form: f.form,
        population: f.population,
        year: f.year,
        opens: f.opens.slice(0, 10),
        deadline: f.deadline.slice(0, 10),
        remind_days: f.remind_days,
        escalate_after: f.escalate_after,
      };
      const remindDays = values.remind_days
        .split(/[,，\s]+/)
        .filter(Boolean)
        .map(Number);
      if (
        !remindDays.every((n) => Number.isInteger(n) && n >= 0) ||
        !/^\d+$/.test(values.escalate_after) ||
        Number(values.escalate_after) < 1
      ) {
        return cardResponse(
          await launchCard(ctx, values, '提醒日应为逗号分隔的非负整数（如 5,3,1,0），升级天数应为正整数'),
        );
      }
      const policy = { remind_days: remindDays, escalate_after: Number(values.escalate_after) };
      const year = Number(values.year);
      if (values.population.startsWith('projects') && !/^\d{4}$/.test(values.year))
        return cardResponse(await launchCard(ctx, values, '请填写四位数的项目年度'));
      const departments = f.departments;
      if (values.population === 'departments' && !departments.length)
        return cardResponse(await launchCard(ctx, values, '请选择要发起的部门'));
      try {
        const r = await ctx.tx.transaction((sp) =>
          launchCampaign(
            sp,
            store,
            ctx.cards,
            {
              title: values.title,
              formId: values.form,
              population: populationFrom(values.population, year, departments),
              opensOn: values.opens,
              deadline: values.deadline,
              policy,
            },
            ctx.user!.id,
            ctx.now,
          ),
        );
        const lines = launchLines(r);
        const title = r.existing ? '该填报任务已在进行中' : '填报任务已发起';
        return cardResponse(
          ctx.cards.render('notice', {
            title,
            color: r.existing ? 'orange' : 'green',
            lines,
            buttons: [{ text: '查看进度', value: { action: 'command', command: 'progress' } }],
          }),
          { type: r.existing ? 'info' : 'success', content: r.existing ? '未重复发起' : '已发起' },
        );
      } catch (err) {
        if (isAppError(err) && err.status < 500) return cardResponse(await launchCard(ctx, values, err.message));
        throw err;
      }
    },
  });

  registry.command({
    name: 'progress',
    title: '进度',
    description: '查看填报任务的完成情况',
    aliases: ['进度', 'progress'],
    roles: [...bureauRoles, 'finance_section', 'supervising_reviewer', 'unit_head'],
    run: async (ctx) => ctx.respond(await progressCard(ctx)),
  });

  registry.action({
    key: 'campaign.dept',
    value: z.object({ cid: idSchema, dept: idSchema }),
    guard: async (ctx, { value }) => (await visibleDepartments(ctx)).includes(value.dept) || '您无权查看该单位',
    async run(ctx, { value: v }) {
      const c = await getCampaign(ctx.tx, v.cid);
      const dept = v.dept;
      if (!c) return { toast: { type: 'warning', content: '该填报任务不存在' } };
      const tasks = await tasksWithState(ctx.tx, [c.id], [dept]);
      const names = await projectNames(
        ctx.tx,
        tasks.filter((t) => t.subjectType === 'project').map((t) => t.subjectId),
        true,
      );
      const d = await departmentOf(ctx.tx, dept);
      const order = (t: { state: TaskState }) => taskStates.indexOf(t.state);
      const lines = tasks
        .sort((a, b) => order(a) - order(b))
        .slice(0, 30)
        .map(
          (t) =>
            `${t.subjectType === 'project' ? names.get(t.subjectId) : d?.name}：${submissionStatusLabels[t.state]}`,
        );
      await ctx.respond(
        ctx.cards.render('dept-tasks', {
          department: d?.name ?? '',
          title: c.title,
          lines,
          more: tasks.length > 30,
          shown: 30,
          total: tasks.length,
        }),
      );
      return { toast: { type: 'info', content: '明细已发送' } };
    },
  });

  registry.command({
    name: 'todo',
    title: '待办',
    description: '查看等待我处理的填报、退回和审批',
    aliases: ['待办', 'todo'],
    run: async (ctx) => ctx.respond(await todoCard(ctx)),
  });
}

/**
 * Departments whose progress a user may see: the bureau everything, a supervising reviewer their units, a unit head
 * their own.
 */
async function visibleDepartments(ctx: BotContext): Promise<number[]> {
  const roles = ctx.user!.roles;
  const all = await allDepartments(ctx.tx);
  if (hasRole(ctx.user, ...bureauRoles)) return all.map((d) => d.id);
  const scopes = new Set(
    roles
      .filter((g) => ['finance_section', 'supervising_reviewer', 'unit_head'].includes(g.role))
      .map((g) => g.scopeDepartmentId)
      .filter((x): x is number => x !== null),
  );
  return all.filter((d) => scopes.has(d.id) || (d.parentId !== null && scopes.has(d.parentId))).map((d) => d.id);
}

async function progressCard(ctx: BotContext) {
  const today = beijingDate(ctx.now);
  const visible = await visibleDepartments(ctx);
  const isBureau = hasRole(ctx.user, ...bureauRoles);
  const campaigns = await openCampaigns(ctx.tx);
  const tasks = await tasksWithState(
    ctx.tx,
    campaigns.map((c) => c.id),
    isBureau ? undefined : visible,
  );
  const deptNames = new Map((await allDepartments(ctx.tx)).map((d) => [d.id, d.name]));
  const views = campaigns
    .map((c) => {
      const mine = tasks.filter((t) => t.campaignId === c.id);
      const count = (s: TaskState) => mine.filter((t) => t.state === s).length;
      const submitted = mine.filter((t) => submittedStates.includes(t.state)).length;
      const byDept = new Map<number, { open: number; total: number }>();
      for (const t of mine) {
        const e = byDept.get(t.departmentId) ?? { open: 0, total: 0 };
        e.total++;
        if (needsFiller(t.state)) e.open++;
        byDept.set(t.departmentId, e);
      }
      const behind = [...byDept]
        .filter(([, e]) => e.open > 0)
        .sort((a, b) => b[1].open / b[1].total - a[1].open / a[1].total || b[1].open - a[1].open)
        .slice(0, 5);
      const wd = workingDaysUntil(today, c.deadline);
      return {
        title: c.title,
        deadline: c.deadline,
        when: wd > 0 ? `还剩 ${wd} 个工作日` : wd === 0 ? '今天截止' : `已逾期 ${-wd} 个工作日`,
        total: mine.length,
        submitted,
        submittedPct: pct(submitted, mine.length),
        approvedPct: pct(count('approved'), mine.length),
        counts: taskStates
          .filter((s) => s !== 'rejected' || count(s))
          .map((s) => ({ label: submissionStatusLabels[s] ?? s, count: count(s) })),
        behind: behind.map(([d, e]) => ({
          name: deptNames.get(d) ?? '',
          open: e.open,
          total: e.total,
          drill: { action: 'campaign.dept', cid: c.id, dept: d },
        })),
      };
    })
    .filter((v) => v.total > 0);
  return ctx.cards.render('progress', {
    scope: isBureau ? '全市' : ctx.user!.departmentName,
    date: today,
    campaigns: views.slice(0, 4),
  });
}

/** `待办`: what waits on this user, each with its button. */
export async function todoCard(ctx: BotContext) {
  const user = ctx.user!;
  const items: {
    kind: string;
    color: string;
    title: string;
    detail: string;
    button: string;
    value: Record<string, unknown>;
  }[] = [];
  const fillerDepts = user.roles
    .filter((g) => g.role === 'filler')
    .map((g) => g.scopeDepartmentId ?? user.departmentId);
  if (fillerDepts.length) {
    const campaigns = await openCampaigns(ctx.tx, beijingDate(ctx.now));
    const tasks = (
      await tasksWithState(
        ctx.tx,
        campaigns.map((c) => c.id),
        fillerDepts,
      )
    ).filter((t) => needsFiller(t.state));
    const names = await projectNames(
      ctx.tx,
      tasks
        .filter((t) => t.subjectType === 'project')
        .map((t) => t.subjectId)
        .slice(0, 500),
    );
    for (const t of tasks) {
      const c = campaigns.find((x) => x.id === t.campaignId)!;
      const kind = t.state === 'returned' ? '退回' : t.state === 'draft' ? '草稿' : '待填';
      items.push({
        kind,
        color: t.state === 'returned' ? 'red' : t.state === 'draft' ? 'orange' : 'blue',
        title: `${t.subjectType === 'project' ? (names.get(t.subjectId) ?? '') : user.departmentName}`,
        detail: `${c.title} · 截止 ${c.deadline}`,
        button: t.state === 'not_started' ? '填报' : '继续',
        value: { action: 'form.open', form: c.formId, type: t.subjectType, id: t.subjectId },
      });
    }
  }
  const delegators = await delegatorsOf(ctx.tx, user.id, beijingDate(ctx.now));
  for (const t of await pendingTasks(ctx.tx, [user.id, ...delegators])) {
    const inst = await getInstance(ctx.tx, t.instanceId);
    if (!inst || inst.status !== 'pending') continue;
    const sub = (await getSubmission(ctx.tx, t.submissionId))!;
    const subject =
      sub.subjectType === 'project' ? (await projectNames(ctx.tx, [sub.subjectId])).get(sub.subjectId) : '';
    items.push({
      kind: '审批',
      color: 'indigo',
      title: subject ?? '',
      detail: `${inst.state.steps[inst.state.current]?.title ?? ''}`,
      button: '审批',
      value: { action: 'appr.open', iid: inst.id },
    });
  }
  const order = ['退回', '审批', '草稿', '待填'];
  items.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  return ctx.cards.render('todo', { name: user.name, items: items.slice(0, 15), more: Math.max(0, items.length - 15) });
}
