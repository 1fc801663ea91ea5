import { z } from 'zod';
import { columns } from '../shared/chart-spec.ts';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { withRole } from '../bot/guards.ts';
import type { FormStore } from '../forms/index.ts';
import { bureauRoles } from '../org/index.ts';
import { latestProjectYear, projectLabel } from '../projects/index.ts';
import { isAppError } from '../shared/errors.ts';
import { confirmResults } from './confirm-results.ts';
import { resultsWorkbook } from './results-workbook.ts';
import { sendWorkbook } from '../files/index.ts';
import { actionText } from './result-text.ts';
import { type ResultLine, resultLines } from './results-listing.ts';
import type { ResultsRules } from './results-rules.ts';

const refusal = '只有绩效处或管理员可以确认结果应用';
const guard = withRole(bureauRoles, refusal);
const count = (lines: ResultLine[], f: (l: ResultLine) => boolean) => lines.filter(f).length;
const open = (l: ResultLine) => l.state === '待确认' || l.state === '建议已变化';

/** `结果应用 [部门编码]`: the year's suggestions by department, or one department's projects. */
export function resultsCommand(store: FormStore, rules: ResultsRules): Command {
  return {
    name: 'results',
    title: '结果应用',
    description: '按评价结果确认下年度预算安排建议（优先保障、压减、暂缓等），可逐项调整',
    aliases: ['结果应用'],
    roles: [...bureauRoles],
    run: async (ctx, args) => {
      const year = (await latestProjectYear(ctx.tx)) ?? Number(new Date(ctx.now).getUTCFullYear());
      const dept = args.trim();
      const lines = await resultLines(ctx.tx, store, rules, year);
      return ctx.respond(dept ? departmentCard(ctx, rules, year, dept, lines) : overview(ctx, year, lines));
    },
  };
}

const states = ['已确认', '已调整', '待确认', '建议已变化', '待评价'];

/** A unit's projects side by side: result, suggestion and what was decided (Lark pages the table, 10 rows a page). */
function resultsTable(lines: ResultLine[]) {
  return {
    title: '项目清单',
    columns: [
      { name: 'project', label: '项目' },
      { name: 'result', label: '评价结果' },
      { name: 'suggested', label: '建议' },
      { name: 'decided', label: '确认情况' },
    ],
    rows: lines.slice(0, 100).map((l) => ({
      project: projectLabel(l),
      result: l.grade ? `${l.grade}（${l.source} ${l.score ?? '—'} 分）` : '暂无已审核的评价结果',
      suggested: actionText(l.suggested),
      decided: l.confirmed
        ? `${l.state}：${actionText(l.confirmed)}${l.confirmed.reason ? `（${l.confirmed.reason}）` : ''}`
        : l.state,
    })),
  };
}

function overview(ctx: BotContext, year: number, lines: ResultLine[], error?: string) {
  const suggested = new Map<string, number>();
  for (const l of lines) suggested.set(l.suggested.action, (suggested.get(l.suggested.action) ?? 0) + 1);
  const departments = new Map<string, { name: string; open: number }>();
  for (const l of lines.filter(open)) {
    const d = departments.get(l.department_code) ?? { name: l.department, open: 0 };
    d.open++;
    departments.set(l.department_code, d);
  }
  const top = [...departments].sort(([, a], [, b]) => b.open - a.open).slice(0, 6);
  return ctx.cards.render('decide-list', {
    title: `结果应用 · ${year} 年度`,
    ...(error ? { error } : {}),
    lines: [
      `共 ${lines.length} 个项目：${states.map((s) => `${s} ${count(lines, (l) => l.state === s)}`).join('，')}。`,
      `建议：${[...suggested].map(([a, n]) => `${a} ${n}`).join('，')}。`,
      ...(top.length
        ? [`待确认的单位（${departments.size} 个）：`, ...top.map(([code, d]) => `${d.name}（${code}）：${d.open} 项`)]
        : ['所有已有评价结果的项目均已确认。']),
    ],
    chart: gradeChart(lines),
    buttons: [
      ...(departments.size
        ? [{ primary: true, text: '确认全部建议', value: { action: 'results.confirm', year } }]
        : []),
      ...top.map(([code, d]) => ({ text: `查看${d.name}`, value: { action: 'results.show', year, dept: code } })),
      { text: '导出 Excel', value: { action: 'results.export', year } },
    ],
  });
}

const gradeColors = { 优: '#34C724', 良: '#3370FF', 中: '#FFC60A', 差: '#F54A45', 待评价: '#BBBFC4' };

/** The year's settled grades (重点评价 over 抽评 over the self-evaluation) as a distribution. */
function gradeChart(lines: ResultLine[]) {
  const values = Object.keys(gradeColors).map((grade) => ({
    grade,
    count: count(lines, (l) => (l.grade ?? '待评价') === grade),
  }));
  return columns({
    id: 'grades',
    values,
    category: 'grade',
    value: 'count',
    title: '评价等级分布（项目数）',
    colors: gradeColors,
  });
}

function departmentCard(
  ctx: BotContext,
  rules: ResultsRules,
  year: number,
  dept: string,
  all: ResultLine[],
  error?: string,
) {
  const lines = all.filter((l) => l.department_code === dept);
  if (!lines.length) return overview(ctx, year, all, `部门 ${dept} 在 ${year} 年度没有项目`);
  return ctx.cards.render('decide-list', {
    title: `结果应用 · ${year} 年度`,
    subtitle: lines[0]!.department,
    ...(error ? { error } : {}),
    lines: [
      `共 ${lines.length} 个项目：${states.map((st) => `${st} ${count(lines, (l) => l.state === st)}`).join('，')}。`,
    ],
    tables: [resultsTable(lines)],
    buttons: [
      ...(lines.some(open)
        ? [{ primary: true, text: '确认本单位建议', value: { action: 'results.confirm', year, dept } }]
        : []),
      { text: '导出 Excel', value: { action: 'results.export', year, dept } },
    ],
    form: {
      itemLabel: '调整项目',
      items: lines.slice(0, 50).map((l) => ({ label: projectLabel(l), value: l.code })),
      choiceLabel: '处理意见',
      choices: rules.choices.map((c) => ({ label: c, value: c })),
      numberLabel: '压减比例（%，选“压减”时填写）',
      textLabel: '调整理由（与建议不同时必填）',
      submit: '调整处理意见',
      value: { action: 'results.override', year, dept },
    },
  });
}

const scope = z.object({ year: z.coerce.number().int().min(2000).max(2100), dept: z.string().max(64).optional() });
type Scope = z.infer<typeof scope>;

/** 导出: the year's 结果应用清单, or one unit's part of it, sent to whoever clicked as a file message. */
export function exportResultsAction(store: FormStore, rules: ResultsRules): CardAction<Scope> {
  return {
    key: 'results.export',
    value: scope,
    guard,
    async run(ctx, { value: v }) {
      const lines = (await resultLines(ctx.tx, store, rules, v.year)).filter(
        (l) => !v.dept || l.department_code === v.dept,
      );
      const unit = v.dept ? `（${lines[0]?.department ?? v.dept}）` : '';
      const name = `${v.year}年度结果应用清单${unit}`;
      return sendWorkbook(ctx, resultsWorkbook(v.year, lines), name, `results:${v.year}:${v.dept ?? 'all'}`);
    },
  };
}

/** 查看: one department's projects with the override form. */
export function showResultsAction(store: FormStore, rules: ResultsRules): CardAction<Scope> {
  return {
    key: 'results.show',
    value: scope,
    guard,
    async run(ctx, { value: v }) {
      const lines = await resultLines(ctx.tx, store, rules, v.year);
      return cardResponse(v.dept ? departmentCard(ctx, rules, v.year, v.dept, lines) : overview(ctx, v.year, lines));
    },
  };
}

/** 确认: the suggestions in scope become the decisions; a second click confirms nothing more. */
export function confirmResultsAction(store: FormStore, rules: ResultsRules): CardAction<Scope> {
  return {
    key: 'results.confirm',
    value: scope,
    guard,
    async run(ctx, { value: v }) {
      const input = { year: v.year, ...(v.dept ? { department: v.dept } : {}) };
      const r = await confirmResults(ctx.tx, store, rules, input, ctx.user.id, ctx.now);
      const card = v.dept ? departmentCard(ctx, rules, v.year, v.dept, r.lines) : overview(ctx, v.year, r.lines);
      return cardResponse(card, {
        type: r.confirmed ? 'success' : 'info',
        content: r.confirmed ? `已确认 ${r.confirmed} 个项目` : '没有需要确认的项目',
      });
    },
  };
}

const overrideForm = z.object({
  item: z.string().max(64).optional().default(''),
  choice: z.string().max(20).optional().default(''),
  number: z.string().max(6).optional().default(''),
  text: z.string().max(200).optional().default(''),
});

/** 调整处理意见: one project's decision other than the suggestion, with a reason; a bad input keeps the card. */
export function overrideResultsAction(
  store: FormStore,
  rules: ResultsRules,
): CardAction<Scope, z.infer<typeof overrideForm>> {
  return {
    key: 'results.override',
    value: scope,
    form: overrideForm,
    guard,
    async run(ctx, { value: v, form: f }) {
      const dept = v.dept ?? '';
      const again = async (error: string) =>
        cardResponse(departmentCard(ctx, rules, v.year, dept, await resultLines(ctx.tx, store, rules, v.year), error));
      if (!f.item || !f.choice) return again('请选择项目和处理意见');
      const cut = f.number.trim() ? Number(f.number.trim().replace(/[%％]$/, '')) : undefined;
      const input = { year: v.year, codes: [f.item], action: f.choice, reason: f.text, cutPercent: cut };
      let lines: ResultLine[];
      try {
        lines = (await confirmResults(ctx.tx, store, rules, input, ctx.user.id, ctx.now)).lines;
      } catch (err) {
        if (isAppError(err) && err.status < 500) return again(err.message);
        throw err;
      }
      return cardResponse(departmentCard(ctx, rules, v.year, dept, lines), {
        type: 'success',
        content: `已将 ${f.item} 的处理意见定为 ${f.choice}`,
      });
    },
  };
}
