/*
 * The results feature's public module: 结果应用 — each project's settled evaluation result turned into a suggested
 * budget action by forms/rules/results.yaml, confirmed or overridden by the bureau — and 信息公开, the disclosure of
 * approved targets and confirmed results. Results owns budget_results and report_ratings.
 */
export { type ResultsRules, loadResultsRules } from './results-rules';
export { resultLines } from './results-listing';
export { confirmResults } from './confirm-results';
export { resultText } from './result-text';
export { disclosed, disclosureWorkbook } from './disclosure';
export { resultsWorkbook } from './results-workbook';
export { registerResults } from './results-feature';
export { confirmedResultOf } from './results-repository';
export { selfEvaluationExport } from './selfeval-workbook';
export { targetsExport } from './targets-workbook';
export { projectWorkbook } from './project-workbook';
export { monitoringExport } from './monitoring-workbook';
