import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { actionText } from './result-text.ts';
import type { ResultLine } from './results-listing.ts';

/** 结果应用 as the budget division receives it: every project by department, the result and the decision. */
export function resultsWorkbook(year: number, lines: ResultLine[]): ExcelJS.Workbook {
  const book = newWorkbook();
  const confirmed = lines.filter((l) => l.confirmed).length;
  addTableSheet(book, '结果应用', {
    title: `${year} 年度绩效评价结果应用清单`,
    note: `共 ${lines.length} 个项目，已确认 ${confirmed} 个；金额单位：万元`,
    columns: [
      { header: '部门（单位）', width: 22, value: (l: ResultLine) => l.department },
      { header: '项目编码', width: 18, value: (l) => l.code },
      { header: '项目名称', width: 28, value: (l) => l.name },
      { header: '等级', width: 6, value: (l) => l.tier },
      { header: '预算金额', width: 12, format: 'wan', value: (l) => l.amount_wan },
      { header: '评价结果', width: 10, value: (l) => l.grade },
      { header: '结果来源', width: 10, value: (l) => l.source },
      { header: '得分', width: 8, format: 'score', value: (l) => l.score },
      { header: '建议', width: 14, value: (l) => actionText(l.suggested) },
      { header: '处理意见', width: 14, value: (l) => (l.confirmed ? actionText(l.confirmed) : '') },
      { header: '调整理由', width: 24, value: (l) => l.confirmed?.reason ?? '' },
      { header: '状态', width: 10, value: (l) => l.state },
    ],
    rows: lines,
  });
  return book;
}
