import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { type Row, indicatorCells, num as n, txt as t } from './evaluation-cells.ts';
import type { ResultsRules } from './results-rules.ts';
import { type SettledItem, settledItems } from './settled-items.ts';

/*
 * `export monitoring`: the year's approved 双监控 reports as the bureau tabulates them — one row per project with its
 * funds, time progress and lights (预算执行, 项目) and what is done about them, then one row per indicator with its
 * light and the stated causes, so the red ones can be filtered in Excel.
 */

const lightOrder = ['红', '黄', '蓝', '绿'];
const byLight = (a: SettledItem, b: SettledItem) =>
  lightOrder.indexOf(t(a.values.overall_light)) - lightOrder.indexOf(t(b.values.overall_light));

export async function monitoringExport(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  o: { year: number; department?: string; project?: string },
) {
  const items = (await settledItems(db, store, rules.monitoring_form, o)).sort(byLight);
  const book = newWorkbook();
  const note = `共 ${items.length} 个项目（监控报告已审核）。金额单位：万元`;
  addTableSheet(book, '项目预警', {
    title: `${o.year} 年度绩效运行监控预警汇总表`,
    note,
    columns: [
      { header: '部门（单位）', width: 22, value: (e) => e.department },
      { header: '项目编码', width: 18, value: (e) => e.code },
      { header: '项目名称', width: 28, value: (e) => e.name },
      { header: '监控截止日期', width: 12, value: (e) => t(e.values.as_of) },
      { header: '全年预算数', width: 12, format: 'wan', value: (e) => n(e.values.budget_full) },
      { header: '截至监控日执行数', width: 14, format: 'wan', value: (e) => n(e.values.spent) },
      { header: '预算执行率', width: 11, format: 'percent', value: (e) => n(e.values.exec_rate) },
      { header: '时间进度', width: 10, format: 'percent', value: (e) => n(e.values.time_progress) },
      { header: '预算执行预警', width: 10, value: (e) => t(e.values.funds_light) },
      { header: '项目预警', width: 9, value: (e) => t(e.values.overall_light) },
      { header: '纠偏措施', width: 12, value: (e) => t(e.values.corrective) },
      { header: '纠偏完成期限', width: 12, value: (e) => t(e.values.corrective_deadline) },
    ],
    rows: items,
  });
  const indicators = items.flatMap((e) => ((e.values.indicators as Row[] | null) ?? []).map((r) => ({ e, r })));
  addTableSheet(book, '指标预警', {
    title: `${o.year} 年度绩效运行监控指标预警明细表`,
    note: `共 ${indicators.length} 项指标`,
    columns: [
      { header: '部门（单位）', width: 22, value: (x) => x.e.department },
      { header: '项目名称', width: 26, value: (x) => x.e.name },
      ...['一级指标', '二级指标', '三级指标', '年度指标值'].map((header, i) => ({
        header,
        width: i === 2 ? 24 : 12,
        value: (x: { r: Row }) => indicatorCells(x.r)[i]!,
      })),
      {
        header: '截至监控日完成值',
        width: 14,
        value: (x) => (x.r.operator === '定性' ? t(x.r.qual_level) : n(x.r.to_date)),
      },
      { header: '全年预计完成值', width: 14, value: (x) => n(x.r.expected) },
      { header: '预警', width: 8, value: (x) => t(x.r.light) },
      {
        header: '偏差原因',
        width: 24,
        value: (x) => (Array.isArray(x.r.causes) ? x.r.causes.join('、') : t(x.r.causes)),
      },
      { header: '完成目标可能性', width: 12, value: (x) => t(x.r.likelihood) },
    ],
    rows: indicators,
  });
  return { book, count: items.length };
}
