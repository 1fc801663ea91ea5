import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import type { ResultsRules } from './results-rules.ts';
import { annexSheet } from './selfeval-workbook.ts';
import { settledItems } from './settled-items.ts';
import { targetSheet } from './targets-workbook.ts';

/**
 * 导出 on a project's card: its approved 绩效目标申报表 and its approved 自评表 (10号 annex 1) in one workbook, each
 * on its own sheet, as the bureau files them together. Empty when neither is approved yet (the caller says so).
 */
export async function projectWorkbook(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  o: { year: number; project: string },
) {
  const targets = await settledItems(db, store, rules.disclosure.target_form, o);
  const evaluations = await settledItems(db, store, rules.disclosure.evaluation_form, o);
  const book = newWorkbook();
  for (const t of targets) targetSheet(book, t, '绩效目标申报表');
  for (const e of evaluations) annexSheet(book, e, '绩效自评表');
  return { book, sheets: targets.length + evaluations.length };
}
