import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { attachmentText, attachmentsIn } from '../files/index.ts';
import { type LineWriter, formSheet, labelled } from '../shared/xlsx-form.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { type Row, indicatorCells, actualText, num as n, projectFundColumns, txt as t } from './evaluation-cells.ts';
import type { ResultsRules } from './results-rules.ts';
import { type SettledItem as Evaluated, settledItems } from './settled-items.ts';

/*
 * `export selfeval`: the year's approved self-evaluations, each on a sheet laid out as 10号 annex 1 (项目支出绩效自评表:
 * header, funds with 分值 / 执行率 / 得分, 年度总体目标, indicators, 总分 and grade, conclusion), or a summary row each.
 */

export async function selfEvaluationExport(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  o: { year: number; department?: string; project?: string; summary?: boolean },
) {
  const items = await settledItems(db, store, rules.disclosure.evaluation_form, o);
  const book = newWorkbook();
  if (o.summary) summarySheet(book, o.year, items);
  else for (const item of items) annexSheet(book, item);
  if (!items.length) summarySheet(book, o.year, items);
  return { book, count: items.length };
}

function summarySheet(book: ExcelJS.Workbook, year: number, items: Evaluated[]) {
  addTableSheet(book, '自评汇总', {
    title: `${year} 年度项目支出绩效自评汇总表`,
    note: `共 ${items.length} 个项目（自评已审核）。金额单位：万元`,
    columns: [
      ...projectFundColumns(
        (e: Evaluated) => e,
        (e) => e.values,
      ),
      { header: '总分', width: 10, format: 'score', value: (e) => n(e.values.total) },
      { header: '评价等级', width: 10, value: (e) => t(e.values.grade) },
      { header: '评价结论', width: 36, value: (e) => t(e.values.conclusion) },
    ],
    rows: items,
  });
}

/** One project on one sheet, as the annex prints it: 8 columns, merged where the form merges them. */
export function annexSheet(book: ExcelJS.Workbook, e: Evaluated, sheet = e.code) {
  const line = formSheet(book, sheet, [14, 14, 20, 14, 14, 10, 10, 30]);
  const v = e.values;
  line([['项目支出绩效自评表', 8]], 'title');
  line([
    ['项目名称', 2],
    [e.name, 6],
  ]);
  line([['主管部门', 2], [e.supervising, 2], '实施单位', [e.department, 3]]);
  line([['项目资金（万元）', 2], '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'], 'head');
  line([
    ['年度资金总额', 2],
    [n(v.budget_initial), 1, '#,##0.00'],
    [n(v.budget_full), 1, '#,##0.00'],
    [n(v.spent), 1, '#,##0.00'],
    10,
    [n(v.exec_rate), 1, '0.00%'],
    [n(v.exec_score), 1, '0.00'],
  ]);
  line(
    [
      ['年度总体目标', 2],
      ['预期目标', 3],
      ['实际完成情况', 3],
    ],
    'head',
  );
  line([
    ['', 2],
    [t(v.annual_goal), 3],
    [t(v.goal_actual), 3],
  ]);
  indicatorLines(line, v);
}

/** The annex's indicator rows, 总分 and grade, and its conclusion. */
function indicatorLines(line: LineWriter, v: Row) {
  line(
    ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
    'head',
  );
  for (const r of (v.indicators as Row[] | undefined) ?? [])
    line([...indicatorCells(r), actualText(r), [n(r.weight), 1, '0.00'], [n(r.score), 1, '0.00'], t(r.deviation)]);
  line([['总分', 5], [100, 1, '0.00'], [n(v.total), 1, '0.00'], `评价等级：${t(v.grade)}`], 'head');
  labelled(line, '评价结论', t(v.conclusion));
  labelled(line, '存在问题', t(v.problems));
  labelled(line, '改进措施', t(v.measures));
  // The files attached as 佐证材料, by name, size and checksum: what the approvers opened.
  const files = attachmentsIn(v.evidence_files);
  if (files.length)
    labelled(line, '佐证材料', files.map((a) => `${attachmentText(a)} SHA-256 ${a.sha256.slice(0, 12)}`).join('\n'));
}
