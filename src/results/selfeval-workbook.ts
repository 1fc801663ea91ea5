import ExcelJS from 'exceljs';
import type { Executor } from '../db/database';
import type { FormStore } from '../forms';
import { AppError } from '../shared/errors';
import { addTableSheet } from '../shared/xlsx-table';
import { type Row, actualText, num as n, projectFundColumns, targetText, txt as t } from './evaluation-cells';
import type { ResultsRules } from './results-rules';
import { yearProjects } from './year-projects';

/*
 * `export selfeval`: the year's approved self-evaluations, each on a sheet laid out as 10号 annex 1 (项目支出绩效自评表:
 * header, funds with 分值 / 执行率 / 得分, 年度总体目标, indicators, 总分 and grade, conclusion), or a summary row each.
 */

interface Evaluated {
  code: string;
  name: string;
  department: string;
  supervising: string;
  values: Row;
}

export async function selfEvaluationExport(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  o: { year: number; department?: string; summary?: boolean },
) {
  const { byId, departments, settled } = await yearProjects(db, store, o.year);
  const items: Evaluated[] = [];
  for (const [projectId, s] of await settled(rules.disclosure.evaluation_form)) {
    const p = byId.get(projectId)!;
    const d = departments.get(p.departmentId);
    if (o.department && d?.code !== o.department) continue;
    const parent = d?.parentId ? departments.get(d.parentId) : undefined;
    items.push({
      code: p.code,
      name: p.name,
      department: d?.name ?? '',
      supervising: parent?.name ?? '',
      values: s.values,
    });
  }
  if (o.department && !items.length && ![...departments.values()].some((d) => d.code === o.department))
    throw new AppError('not_found', `没有编码为 ${o.department} 的部门`);
  items.sort((a, b) => a.department.localeCompare(b.department, 'zh-CN') || a.code.localeCompare(b.code));
  const book = new ExcelJS.Workbook();
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

const thin = { style: 'thin' as const, color: { argb: 'FF999999' } };
const boxed = { top: thin, left: thin, bottom: thin, right: thin };

type Cell = string | number | null | [string | number | null, number, string?];

/** Writes a sheet line by line: each cell a value, or [value, columns it spans, number format]; all boxed. */
function lineWriter(ws: ExcelJS.Worksheet) {
  let row = 0;
  return (cells: Cell[], style?: 'head') => {
    row++;
    let col = 1;
    for (const c of cells) {
      const [value, span, fmt] = Array.isArray(c) ? c : [c, 1];
      if (span > 1) ws.mergeCells(row, col, row, col + span - 1);
      const cell = ws.getCell(row, col);
      cell.value = value;
      if (fmt) cell.numFmt = fmt;
      for (let k = col; k < col + span; k++) ws.getCell(row, k).border = boxed;
      cell.alignment = { vertical: 'middle', wrapText: true, horizontal: style === 'head' ? 'center' : undefined };
      if (style === 'head') cell.font = { bold: true };
      col += span;
    }
  };
}

/** One project on one sheet, as the annex prints it: 8 columns, merged where the form merges them. */
function annexSheet(book: ExcelJS.Workbook, e: Evaluated) {
  const ws = book.addWorksheet(e.code.slice(0, 31), {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  [14, 14, 20, 14, 14, 10, 10, 30].forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const line = lineWriter(ws);
  const v = e.values;
  line([['项目支出绩效自评表', 8]]);
  ws.getCell(1, 1).font = { bold: true, size: 16 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
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
function indicatorLines(line: ReturnType<typeof lineWriter>, v: Row) {
  line(
    ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
    'head',
  );
  for (const r of (v.indicators as Row[] | undefined) ?? [])
    line([
      t(r.level1),
      t(r.level2),
      t(r.name),
      targetText(r),
      actualText(r),
      [n(r.weight), 1, '0.00'],
      [n(r.score), 1, '0.00'],
      t(r.deviation),
    ]);
  line([['总分', 5], [100, 1, '0.00'], [n(v.total), 1, '0.00'], `评价等级：${t(v.grade)}`], 'head');
  line([
    ['评价结论', 2],
    [t(v.conclusion), 6],
  ]);
  line([
    ['存在问题', 2],
    [t(v.problems), 6],
  ]);
  line([
    ['改进措施', 2],
    [t(v.measures), 6],
  ]);
}
