/*
 * The results feature's public module: 结果应用 — each project's settled evaluation result turned into a suggested
 * budget action by forms/rules/results.yaml, confirmed or overridden by the bureau — and 信息公开, the disclosure of
 * approved targets and confirmed results. Results owns budget_results and report_ratings.
 */
export { type ResultsRules, loadResultsRules } from './results-rules.ts';
export { resultLines } from './results-listing.ts';
export { confirmResults } from './confirm-results.ts';
export { resultText } from './result-text.ts';
export { disclosed, disclosureWorkbook } from './disclosure.ts';
export { resultsWorkbook } from './results-workbook.ts';
export { registerResults } from './results-feature.ts';
export { confirmedResultOf } from './results-repository.ts';
export { selfEvaluationExport } from './selfeval-workbook.ts';
export { targetsExport } from './targets-workbook.ts';
export { projectWorkbook } from './project-workbook.ts';
export { monitoringExport } from './monitoring-workbook.ts';
