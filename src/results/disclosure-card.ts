import type { Command } from '../bot/bot-types.ts';
import type { FormStore } from '../forms/index.ts';
import { bureauRoles } from '../org/index.ts';
import { latestProjectYear } from '../projects/index.ts';
import { disclosed } from './disclosure.ts';
import { resultLines } from './results-listing.ts';
import type { ResultsRules } from './results-rules.ts';

/** `信息公开`: what the year's disclosure holds by department, and why the other projects are not in it yet. */
export function disclosureCommand(store: FormStore, rules: ResultsRules): Command {
  return {
    name: 'disclosure',
    title: '信息公开',
    description: '查看可公开的绩效目标和自评结果（目标、自评已审核且结果已确认的项目）',
    aliases: ['信息公开'],
    roles: [...bureauRoles],
    async run(ctx) {
      const year = (await latestProjectYear(ctx.tx)) ?? new Date(ctx.now).getUTCFullYear();
      const items = await disclosed(ctx.tx, store, rules, year);
      const all = await resultLines(ctx.tx, store, rules, year);
      const byDept = new Map<string, number>();
      for (const d of items) byDept.set(d.line.department, (byDept.get(d.line.department) ?? 0) + 1);
      const grades = new Map<string, number>();
      for (const d of items)
        grades.set(String(d.evaluation.grade ?? '—'), (grades.get(String(d.evaluation.grade ?? '—')) ?? 0) + 1);
      const waiting = all.length - items.length;
      await ctx.respond(
        ctx.cards.render('notice', {
          title: `信息公开 · ${year} 年度`,
          color: 'blue',
          lines: [
            `可公开 ${items.length} 个项目（共 ${all.length} 个）：绩效目标和自评均已审核、评价结果已确认。`,
            ...(items.length ? [`自评等级：${[...grades].map(([g, n]) => `${g} ${n}`).join('，')}`] : []),
            ...[...byDept].slice(0, 10).map(([d, n]) => `${d}：${n} 个项目`),
            ...(byDept.size > 10 ? [`……共 ${byDept.size} 个单位`] : []),
            ...(waiting
              ? [
                  `暂不公开 ${waiting} 个：自评尚未审核、评价结果未确认，或确认后结果又有变化（请在“结果应用”中重新确认）。`,
                ]
              : []),
            '公开表（Excel，按自评表格式）由管理员导出后随预决算一并公开。',
          ],
        }),
      );
    },
  };
}
