import type { Value } from '../forms/index.ts';
import type { Column } from '../shared/xlsx-table.ts';

/* How the year's close writes a self-evaluation's values into a sheet: one reading for every workbook. */

export type Row = Record<string, Value>;

export const num = (v: Value | undefined) => (typeof v === 'number' ? v : null);
export const txt = (v: Value | undefined) => (v === null || v === undefined ? '' : String(v));

/** An indicator's target as the annex prints it: "≥10项", or the qualitative wording. */
export const targetText = (r: Row) =>
  r.operator === '定性' ? txt(r.text_value) : `${txt(r.operator)}${txt(r.value)}${txt(r.unit)}`;
/** What was achieved: "10项", or the qualitative level. */
export const actualText = (r: Row) =>
  r.operator === '定性' ? txt(r.qual_level) : r.actual === null ? '' : `${txt(r.actual)}${txt(r.unit)}`;

/** The cells every indicator row starts with: 一级, 二级, 三级 and the target as set. */
export const indicatorCells = (r: Row) => [txt(r.level1), txt(r.level2), txt(r.name), targetText(r)];

/** The columns every project list starts with: unit, code and name, then the self-evaluation's funds. */
export function projectFundColumns<T>(
  project: (item: T) => { department: string; code: string; name: string },
  values: (item: T) => Row,
): Column<T>[] {
  return [
    { header: '部门（单位）', width: 22, value: (x) => project(x).department },
    { header: '项目编码', width: 18, value: (x) => project(x).code },
    { header: '项目名称', width: 28, value: (x) => project(x).name },
    { header: '年初预算数', width: 12, format: 'wan', value: (x) => num(values(x).budget_initial) },
    { header: '全年预算数', width: 12, format: 'wan', value: (x) => num(values(x).budget_full) },
    { header: '全年执行数', width: 12, format: 'wan', value: (x) => num(values(x).spent) },
    { header: '执行率', width: 10, format: 'percent', value: (x) => num(values(x).exec_rate) },
  ];
}
