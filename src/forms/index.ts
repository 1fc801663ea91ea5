/*
 * The forms feature's public module: what other features may use. Forms owns form_versions, submissions and
 * submission_revisions; the form file format, including its `approval:` section, is defined here.
 */
export { registerForms } from './forms-feature';
export { submissionStatusLabels } from './submission-status';
export { FormStore } from './form-store';
export { loadForms, readValuesFile } from './load-forms';
export { evalForm } from './form-eval';
export type { CompiledForm } from './compile-form';
export { type ChainSpec, type StepSpec } from './chain-schema';
export {
  currentOf,
  type CampaignOf,
  type Decoration,
  type FillState,
  type FormHooks,
  loadState,
  recordAdjustment,
  recordReview,
  applyApprovedOutcome,
  applyReviewedOutcome,
  reopenRevision,
  setSubmissionStatus,
} from './fill-state';
export { renderSubmitted } from './fill-cards';
export { submittedCard } from './submitted-card';
export { pageOrSubmitted } from './fill-responses';
export { fillerOfSubmission } from './form-guards';
export {
  type FormContext,
  type FormData,
  allFields,
  appliesTo,
  computeAll,
  evaluateRows,
  validateAll,
} from './form-engine';
export { projectScope } from './subject';
export { summaryResults, summarySections, summaryTables } from './form-view';
export { displayValue } from './parse-input';
export { type LeafField, optionsOf } from './form-schema';
export { type Change, diffRevisions } from './revision-diff';
export {
  getRevision,
  getSubmission,
  submissionForms,
  submissionsForSubjects,
  submissionsOfForm,
} from './submission-repository';
export { type Value, evaluate, truthy } from './expression/evaluate';
export { checkedExpression } from './expression/check';
export type { Expr } from './expression/parse';
export { assignForm, unassignForms } from './form-assignments';
export { assignEvaluator } from './assign';
export { type Settled, settledValues } from './settled-values';
export { subjectRecord } from './subject-record';
