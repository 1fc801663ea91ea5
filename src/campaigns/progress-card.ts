import { z } from 'zod';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { idSchema } from '../bot/guards.ts';
import { submissionStatusLabels } from '../forms/index.ts';
import { allDepartments, bureauRoles, departmentOf, hasRole } from '../org/index.ts';
import { type LightSummary, lightSummary } from '../monitoring/index.ts';
import { projectNames } from '../projects/index.ts';
import { beijingDate, workingDaysUntil } from '../shared/working-days.ts';
import { type TaskState, deadlineText, needsFiller, taskStates } from './campaign-schema.ts';
import { lightsChart, progressChart, stageOf, stages } from './progress-chart.ts';
import { visibleDepartments } from './visible-departments.ts';
import { type CampaignRow, type TaskRow, getCampaign, openCampaigns, tasksWithState } from './campaign-repository.ts';

const pct = (a: number, b: number) => (b ? `${((a / b) * 100).toFixed(1)}%` : '—');
const submittedStates: TaskState[] = ['submitted', 'in_approval', 'approved'];

/** `进度`: each open campaign's completion, with the departments furthest behind. */
export const progressCommand: Command = {
  name: 'progress',
  title: '进度',
  description: '查看填报任务的完成情况',
  aliases: ['进度', 'progress'],
  roles: [...bureauRoles, 'finance_section', 'supervising_reviewer', 'unit_head'],
  readOnly: true,
  run: async (ctx) => ctx.respond(await progressCard(ctx)),
};

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
    .map((c) => ({
      c,
      view: campaignView(
        c,
        tasks.filter((t) => t.campaignId === c.id),
        deptNames,
        today,
      ),
    }))
    .filter((v) => v.view.total > 0)
    .slice(0, 4);
  const shown = [];
  for (const { c, view } of views) {
    const lights = await lightSummary(ctx.tx, c.formId, c.period, isBureau ? undefined : visible);
    const manage = isBureau ? { manage: { action: 'campaign.manage', cid: c.id } } : {};
    const buttons = { ...manage, export: { action: 'campaign.export', cid: c.id } };
    shown.push(lights ? { ...view, ...buttons, lights: lightLists(lights) } : { ...view, ...buttons });
  }
  return ctx.cards.render('progress', {
    scope: isBureau ? '全市' : ctx.user!.departmentName,
    date: today,
    campaigns: shown,
  });
}

/** What fits on the card: the first eight red projects and departments, and how many more red ones there are. */
const lightLists = (l: LightSummary) => ({
  total: l.total,
  chart: lightsChart(l.counts),
  red: l.red.slice(0, 8),
  moreRed: Math.max(0, l.red.length - 8),
  departments: l.departments.slice(0, 8),
});

/** One campaign on the progress card: counts by state and the five departments with the most left to do. */
function campaignView(c: CampaignRow, mine: TaskRow[], deptNames: Map<number, string>, today: string) {
  const count = (s: TaskState) => mine.filter((t) => t.state === s).length;
  const submitted = mine.filter((t) => submittedStates.includes(t.state)).length;
  const byDept = new Map<number, { open: number; total: number }>();
  for (const t of mine) {
    const e = byDept.get(t.departmentId) ?? { open: 0, total: 0 };
    e.total++;
    if (needsFiller(t.state)) e.open++;
    byDept.set(t.departmentId, e);
  }
  const ranked = [...byDept]
    .filter(([, e]) => e.open > 0)
    .sort((a, b) => b[1].open / b[1].total - a[1].open / a[1].total || b[1].open - a[1].open);
  const behind = ranked.slice(0, 5);
  const wd = workingDaysUntil(today, c.deadline);
  const chart = progressChart(
    ranked.slice(0, 10).map(([d]) => ({
      name: deptNames.get(d) ?? '',
      states: mine.filter((t) => t.departmentId === d).map((t) => t.state),
    })),
    wd < 0,
  );
  return {
    title: c.title,
    deadline: c.deadline,
    when: deadlineText(wd),
    total: mine.length,
    submitted,
    submittedPct: pct(submitted, mine.length),
    approvedPct: pct(count('approved'), mine.length),
    counts: taskStates
      .filter((s) => s !== 'rejected' || count(s))
      .map((s) => ({ label: submissionStatusLabels[s] ?? s, count: count(s) })),
    chart,
    behindTable: behind.length ? behindTable(behind, mine, deptNames, wd < 0) : undefined,
    behind: behind.map(([d, e]) => ({
      name: deptNames.get(d) ?? '',
      open: e.open,
      total: e.total,
      drill: { action: 'campaign.dept', cid: c.id, dept: d },
    })),
  };
}

/** The units most behind as a table: a column per stage as the chart counts them, so units compare at a glance. */
function behindTable(
  behind: [number, { open: number; total: number }][],
  mine: TaskRow[],
  deptNames: Map<number, string>,
  overdue: boolean,
) {
  // After the deadline, work not handed in counts as 逾期 whatever its draft says (as on the chart).
  const gone: string[] = overdue ? ['草稿', '未开始'] : ['逾期'];
  const shown = stages.filter((st) => !gone.includes(st)).reverse();
  return {
    title: '进度最慢的单位',
    columns: [{ name: 'unit', label: '单位' }, ...shown.map((st, i) => ({ name: `s${i}`, label: st }))],
    rows: behind.map(([d]) => {
      const at = mine.filter((t) => t.departmentId === d).map((t) => stageOf(t.state, overdue));
      const cells = shown.map((st, i) => [`s${i}`, String(at.filter((x) => x === st).length)]);
      return { unit: deptNames.get(d) ?? '', ...Object.fromEntries(cells) };
    }),
  };
}

const deptValue = z.object({ cid: idSchema, dept: idSchema });

/** A department's row on the progress card: its tasks one by one, sent as a card. */
export const deptAction: CardAction<z.infer<typeof deptValue>> = {
  key: 'campaign.dept',
  value: deptValue,
  guard: async (ctx, { value }) => (await visibleDepartments(ctx)).includes(value.dept) || '您无权查看该单位',
  async run(ctx, { value: v }) {
    const c = await getCampaign(ctx.tx, v.cid);
    if (!c) return { toast: { type: 'warning', content: '该填报任务不存在' } };
    const tasks = await tasksWithState(ctx.tx, [c.id], [v.dept]);
    const projects = tasks.filter((t) => t.subjectType === 'project').map((t) => t.subjectId);
    const names = await projectNames(ctx.tx, projects, true);
    const d = await departmentOf(ctx.tx, v.dept);
    const order = (t: { state: TaskState }) => taskStates.indexOf(t.state);
    const subject = (t: TaskRow) => (t.subjectType === 'project' ? names.get(t.subjectId) : d?.name);
    // The bureau follows every chain: what waits in approval can be chased (催办) from here.
    const bureau = hasRole(ctx.user, ...bureauRoles);
    const items = tasks
      .sort((a, b) => order(a) - order(b))
      .slice(0, 30)
      .map((t) => ({
        text: `${subject(t)}：${submissionStatusLabels[t.state]}`,
        urge:
          bureau && t.state === 'in_approval' && t.submissionId
            ? { action: 'appr.urge', sid: t.submissionId }
            : undefined,
      }));
    const card = ctx.cards.render('dept-tasks', {
      department: d?.name ?? '',
      title: c.title,
      items,
      more: tasks.length > 30,
      shown: 30,
      total: tasks.length,
    });
    await ctx.respond(card);
    return { toast: { type: 'info', content: '明细已发送' } };
  },
};
