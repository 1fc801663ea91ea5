/*
 * The sampling feature's public module: 抽评 — a seeded, stratified draw of approved self-evaluations, their
 * re-scoring by assigned reviewers, and the 整改 that a large gap sets off. Sampling owns sampling_draws and
 * sampling_items; the review and the rectification are forms (forms/sampling-review.yaml, forms/rectification.yaml).
 */
export { loadSamplingRules } from './sampling-rules.ts';
export { drawForCampaign } from './sample-draw.ts';
export { drawLines, drawReport } from './draw-report.ts';
export { reviewHook } from './review-hook.ts';
export { rectifyByProject } from './sampling-repository.ts';
export { registerSampling } from './sampling-feature.ts';
