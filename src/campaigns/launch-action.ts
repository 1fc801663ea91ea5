import { z } from 'zod';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { withRole } from '../bot/guards.ts';
import type { FormStore } from '../forms/index.ts';
import { bureauRoles, departmentOptions } from '../org/index.ts';
import { isAppError } from '../shared/errors.ts';
import { beijingDate } from '../shared/working-days.ts';
import type { Population } from './campaign-schema.ts';
import { type LaunchResult, launchCampaign } from './launch.ts';
import { chineseDay } from '../shared/clock.ts';

const populations: { value: string; label: string }[] = [
  { value: 'projects', label: '全部项目（按年度）' },
  { value: 'projects:A', label: 'A 类项目' },
  { value: 'projects:B', label: 'B 类项目' },
  { value: 'projects:C', label: 'C 类项目' },
  { value: 'projects:10000000', label: '1000 万元及以上项目' },
  { value: 'projects:departments', label: '指定部门的项目（在下方选择部门）' },
  { value: 'all_departments', label: '全部部门' },
  { value: 'departments', label: '指定部门' },
];

function populationFrom(choice: string, year: number, departments: string[]): Population {
  if (choice === 'all_departments') return { kind: 'all_departments' };
  if (choice === 'departments') return { kind: 'departments', codes: departments };
  if (choice === 'projects:departments') return { kind: 'projects', year, departments };
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
  // The card's multi-select sends the chosen days as a list; the text form ("5,3,1,0") is read too.
  remind_days: z
    .unknown()
    .optional()
    .transform((v) => (v === undefined || v === null ? '5,3,1,0' : Array.isArray(v) ? v.join(',') : String(v))),
  escalate_after: textOr('3'),
  as_of: text,
  departments: z.array(z.string()).optional().default([]),
});

/** What the launch answers: what was created and when the fillers hear of it, or that it already exists. */
export function launchLines(r: LaunchResult): string[] {
  if (r.existing)
    return [
      `“${r.campaign.title}”（同一表单、年度和范围）已在进行中：${r.totalTasks} 项任务，截止 ${chineseDay(r.campaign.deadline)}。未重复发起，也未重复通知。`,
    ];
  const notice = r.notifyAt ? `将于 ${r.notifyAt}通知 ${r.cardsQueued} 位填报人` : `已通知 ${r.cardsQueued} 位填报人`;
  const held = r.heldBack.length
    ? [
        `${r.heldBack.length} 个项目需先通过事前绩效评估，暂未下发（已通知其单位）：`,
        ...r.heldBack.slice(0, 10).map((h) => `${h.code} ${h.name}：${h.reason}`),
        ...(r.heldBack.length > 10 ? [`……另有 ${r.heldBack.length - 10} 个`] : []),
      ]
    : [];
  const skipped = r.notApplicable ? [`另有 ${r.notApplicable} 个对象不适用本表单（按表单的适用范围），未下发。`] : [];
  const unreached = r.unreached?.length
    ? [
        `注意：${r.unreached.length} 个单位没有填报人，其任务无人接收：` +
          r.unreached
            .slice(0, 5)
            .map((u) => `${u.department}（${u.tasks} 项）`)
            .join('、') +
          (r.unreached.length > 5 ? ' 等' : '') +
          '。请为其设置“填报人”角色后重新发起（不会重复下发）。',
      ]
    : [];
  const calendar = r.uncoveredYears?.length
    ? [
        `注意：${r.uncoveredYears.join('、')} 年的节假日安排尚未录入（forms/rules/calendar.yaml），` +
          '该年的提醒和逾期天数只按周末计算，可能在节假日提醒；国务院公布安排后请补录。',
      ]
    : [];
  return [
    `“${r.campaign.title}”已发起：${r.totalTasks} 项任务，${notice}。`,
    ...skipped,
    `截止日期 ${chineseDay(r.campaign.deadline, true)}。发送“进度”查看填报情况。`,
    ...unreached,
    ...calendar,
    ...held,
  ];
}

type LaunchValues = Record<string, string>;

async function launchCard(ctx: BotContext, store: FormStore, values: LaunchValues = {}, error?: string) {
  const departments = await departmentOptions(ctx.tx, 100, true);
  const today = beijingDate(ctx.now);
  return ctx.cards.render('campaign-launch', {
    error,
    forms: store.list().map((f) => ({ value: f.def.id, label: f.def.title })),
    populations,
    departments: departments.map((d: { code: string; name: string }) => ({ value: d.code, label: d.name })),
    values: { year: today.slice(0, 4), opens: today, escalate_after: '3', ...values },
    remindOptions,
    remindSelected: (values.remind_days ?? '5,3,1,0')
      .split(',')
      .filter((d) => remindOptions.some((o) => o.value === d)),
    escalateOptions,
  });
}

/** The reminder days a launch offers: working days before the deadline, each labelled. */
const remindOptions = [10, 7, 5, 3, 2, 1, 0].map((d) => ({
  value: String(d),
  label: d ? `截止前第 ${d} 个工作日` : '截止当天',
}));
const escalateOptions = [1, 2, 3, 5, 10].map((d) => ({ value: String(d), label: `逾期 ${d} 个工作日后` }));

/** `发起填报`: the launch form. */
export function launchCommand(store: FormStore): Command {
  return {
    name: 'launch',
    title: '发起填报',
    description: '向全部或指定的单位、项目发起填报任务',
    aliases: ['发起填报', 'launch'],
    roles: [...bureauRoles],
    run: async (ctx) => ctx.respond(await launchCard(ctx, store)),
  };
}

/** The reminder policy as typed, or the sentence that says what is wrong with it. */
function policyOf(values: LaunchValues): { remind_days: number[]; escalate_after: number } | string {
  const remindDays = values
    .remind_days!.split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number);
  const escalate = values.escalate_after!;
  if (!remindDays.every((n) => Number.isInteger(n) && n >= 0) || !/^\d+$/.test(escalate) || Number(escalate) < 1)
    return '提醒日应为截止前的工作日数（0 为截止当天），升级天数应为正整数';
  return { remind_days: remindDays, escalate_after: Number(escalate) };
}

/** 发起 on the launch form: the campaign, its tasks and the fillers' cards, once whatever the number of clicks. */
export function launchAction(store: FormStore): CardAction<object, z.infer<typeof launchForm>> {
  return {
    key: 'campaign.launch',
    value: z.object({}),
    form: launchForm,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以发起填报'),
    async run(ctx, { form: f }) {
      const { departments, ...typed } = f;
      const dates = { opens: f.opens.slice(0, 10), deadline: f.deadline.slice(0, 10), as_of: f.as_of.slice(0, 10) };
      const values: LaunchValues = { ...typed, ...dates };
      const again = async (error: string) => cardResponse(await launchCard(ctx, store, values, error));
      const policy = policyOf(values);
      if (typeof policy === 'string') return again(policy);
      if (f.population.startsWith('projects') && !/^\d{4}$/.test(f.year)) return again('请填写四位数的项目年度');
      if (f.population.endsWith('departments') && !departments.length) return again('请选择要发起的部门');
      const spec = {
        title: f.title,
        formId: f.form,
        population: populationFrom(f.population, Number(f.year), departments),
        opensOn: values.opens!,
        deadline: values.deadline!,
        policy,
        ...(f.as_of ? { asOf: f.as_of.slice(0, 10) } : {}),
      };
      try {
        const r = await ctx.tx.transaction((sp) => launchCampaign(sp, store, ctx.cards, spec, ctx.user.id, ctx.now));
        if (r.uncoveredYears?.length)
          ctx.log.warn(
            { years: r.uncoveredYears, campaign: r.campaign.id },
            'holiday calendar missing for these years',
          );
        const card = ctx.cards.render('notice', {
          title: r.existing ? '该填报任务已在进行中' : '填报任务已发起',
          color: r.existing ? 'orange' : 'green',
          lines: launchLines(r),
          buttons: [{ text: '查看进度', value: { action: 'command', command: 'progress' } }],
        });
        return cardResponse(card, {
          type: r.existing ? 'info' : 'success',
          content: r.existing ? '未重复发起' : '已发起',
        });
      } catch (err) {
        if (isAppError(err) && err.status < 500) return again(err.message);
        throw err;
      }
    },
  };
}
