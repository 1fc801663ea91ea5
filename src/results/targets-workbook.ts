import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { formSheet, labelled } from '../shared/xlsx-form.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { type Row, indicatorCells, num as n, txt as t } from './evaluation-cells.ts';
import type { ResultsRules } from './results-rules.ts';
import { type SettledItem, settledItems } from './settled-items.ts';

/*
 * `export targets`: the year's approved 绩效目标申报表, each on a sheet as the 88号 / 101号 template prints it
 * (project, funds, 总体目标 and 年度目标, the indicator table with ★, 指标解释 and 取值依据).
 */

const wan = '#,##0.00';

export async function targetsExport(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  o: { year: number; department?: string; project?: string },
) {
  const items = await settledItems(db, store, rules.disclosure.target_form, o);
  const book = newWorkbook();
  for (const item of items) targetSheet(book, item);
  if (!items.length)
    addTableSheet(book, '绩效目标', {
      title: `${o.year} 年度绩效目标申报表`,
      note: '没有已批复的绩效目标',
      columns: [{ header: '项目', width: 30, value: () => '' }],
      rows: [],
    });
  return { book, count: items.length };
}

export function targetSheet(book: ExcelJS.Workbook, e: SettledItem, sheet = e.code) {
  const line = formSheet(book, sheet, [12, 14, 22, 14, 8, 8, 30, 12]);
  const v = e.values;
  line([['项目支出绩效目标申报表', 8]], 'title');
  line([['项目名称', 2], [e.name, 3], '项目编码', [e.code, 2]]);
  line([['主管部门', 2], [e.supervising, 3], '实施单位', [e.department, 2]]);
  line([['项目负责人', 2], [t(v.manager), 3], '联系电话', [t(v.phone), 2]]);
  line([['项目属性', 2], [t(v.project_kind), 3], '项目期', [`${t(v.start_date)} 至 ${t(v.end_date)}`, 2]]);
  line(
    [
      ['项目资金（万元）', 2],
      ['资金总额', 2],
      ['财政拨款', 2],
      ['其他资金', 2],
    ],
    'head',
  );
  line([
    ['', 2],
    [n(v.fund_total), 2, wan],
    [n(v.fund_fiscal), 2, wan],
    [n(v.fund_other), 2, wan],
  ]);
  labelled(line, '总体目标', t(v.overall_goal));
  labelled(line, '年度目标', t(v.annual_goal));
  line(['一级指标', '二级指标', '三级指标', '指标值', '分值', '核心', '指标解释', '取值依据'], 'head');
  for (const r of (v.indicators as Row[] | undefined) ?? [])
    line([...indicatorCells(r), [n(r.weight), 1, '0.00'], r.is_core === true ? '★' : '', t(r.explanation), t(r.basis)]);
}
