import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore, Value } from '../forms/index.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { type Row, actualText, num as n, projectFundColumns, targetText, txt as t } from './evaluation-cells.ts';
import { actionText } from './result-text.ts';
import { type ResultLine, resultLines } from './results-listing.ts';
import type { ResultsRules } from './results-rules.ts';
import { yearProjects } from './year-projects.ts';

/** One disclosed project: its line in 结果应用 and the values of its approved self-evaluation. */
export interface Disclosed {
  line: ResultLine;
  evaluation: Record<string, Value>;
  /** The 抽评 or 重点评价 result that replaced the self-evaluation's grade, if any. */
  review: string | null;
}

/**
 * What 信息公开 may show for a year: projects whose target and self-evaluation are approved and whose result the
 * bureau has confirmed (a confirmation the result has since moved away from does not count). Nothing else leaves.
 */
export async function disclosed(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  year: number,
): Promise<Disclosed[]> {
  const { settled } = await yearProjects(db, store, year);
  const targets = await settled(rules.disclosure.target_form);
  const evaluations = await settled(rules.disclosure.evaluation_form);
  const selfLabel = rules.grade_sources.find((g) => g.form === rules.disclosure.evaluation_form)?.label;
  return (await resultLines(db, store, rules, year))
    .filter((l) => (l.state === '已确认' || l.state === '已调整') && targets.has(l.project_id))
    .filter((l) => evaluations.has(l.project_id))
    .map((line) => ({
      line,
      evaluation: evaluations.get(line.project_id)!.values,
      review: line.source && line.source !== selfLabel ? `${line.grade}（${line.source}）` : null,
    }));
}

/** The disclosure workbook: one line per project in the self-evaluation's layout, and its indicators. */
export function disclosureWorkbook(year: number, items: Disclosed[]): ExcelJS.Workbook {
  const book = newWorkbook();
  addTableSheet(book, '项目绩效自评结果', {
    title: `${year} 年度项目支出绩效自评结果公开表`,
    note: `共 ${items.length} 个项目；仅含绩效目标和自评均已审核、评价结果已确认的项目。金额单位：万元`,
    columns: [
      ...projectFundColumns(
        (d: Disclosed) => d.line,
        (d) => d.evaluation,
      ),
      { header: '年度目标', width: 30, value: (d) => t(d.evaluation.annual_goal) },
      { header: '实际完成情况', width: 30, value: (d) => t(d.evaluation.goal_actual) },
      { header: '自评得分', width: 10, format: 'score', value: (d) => n(d.evaluation.total) },
      { header: '自评等级', width: 10, value: (d) => t(d.evaluation.grade) },
      {
        header: '抽评或重点评价结果',
        width: 16,
        value: (d) => d.review ?? '',
      },
      { header: '结果应用', width: 14, value: (d) => actionText(d.line.confirmed!) },
    ],
    rows: items,
  });
  const indicators = items.flatMap((d) =>
    ((d.evaluation.indicators as Row[] | undefined) ?? []).map((r) => ({ d, r })),
  );
  addTableSheet(book, '绩效指标完成情况', {
    title: `${year} 年度项目绩效指标完成情况`,
    columns: [
      { header: '项目编码', width: 18, value: (x: { d: Disclosed; r: Row }) => x.d.line.code },
      { header: '项目名称', width: 26, value: (x) => x.d.line.name },
      { header: '一级指标', width: 12, value: (x) => t(x.r.level1) },
      { header: '二级指标', width: 14, value: (x) => t(x.r.level2) },
      { header: '三级指标', width: 22, value: (x) => t(x.r.name) },
      { header: '年度指标值', width: 16, value: (x) => targetText(x.r) },
      { header: '实际完成值', width: 16, value: (x) => actualText(x.r) },
      { header: '分值', width: 8, format: 'score', value: (x) => n(x.r.weight) },
      { header: '得分', width: 8, format: 'score', value: (x) => n(x.r.score) },
      { header: '偏差原因分析', width: 30, value: (x) => t(x.r.deviation) },
    ],
    rows: indicators,
  });
  return book;
}
