/*
 * The forms feature's public module: what other features may use. Forms owns form_versions, submissions and
 * submission_revisions; the form file format, including its `approval:` section, is defined here.
 */
export { registerForms } from './forms-feature.ts';
export { submissionStatusLabels } from './submission-status.ts';
export { FormStore } from './form-store.ts';
export { loadForms, readValuesFile } from './load-forms.ts';
export { evalForm } from './form-eval.ts';
export type { CompiledForm } from './compile-form.ts';
export { type ChainSpec, type StepSpec } from './chain-schema.ts';
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
} from './fill-state.ts';
export { renderSubmitted } from './fill-cards.ts';
export { submittedCard } from './submitted-card.ts';
export { pageOrSubmitted } from './fill-responses.ts';
export { fillerOfSubmission } from './form-guards.ts';
export {
  type FormContext,
  type FormData,
  allFields,
  appliesTo,
  computeAll,
  evaluateRows,
  validateAll,
} from './form-engine.ts';
export { projectScope } from './subject.ts';
export { summaryResults, summarySections, summaryTables } from './form-view.ts';
export { displayValue } from './parse-input.ts';
export { type LeafField, optionsOf } from './form-schema.ts';
export { type Change, diffRevisions } from './revision-diff.ts';
export {
  getRevision,
  getSubmission,
  type SubmissionRow,
  submissionsByIds,
  submissionsForSubjects,
  submissionsOfForm,
} from './submission-repository.ts';
export { type Value, evaluate, truthy } from './expression/evaluate.ts';
export { checkedExpression } from './expression/check.ts';
export type { Expr } from './expression/parse.ts';
export { assignForm, unassignForms } from './form-assignments.ts';
export { assignEvaluator } from './assign.ts';
export { type Settled, settledValues } from './settled-values.ts';
export { subjectRecord } from './subject-record.ts';
