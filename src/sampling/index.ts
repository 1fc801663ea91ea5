/*
 * The sampling feature's public module: 抽评 — a seeded, stratified draw of approved self-evaluations, their
 * re-scoring by assigned reviewers, and the 整改 that a large gap sets off. Sampling owns sampling_draws and
 * sampling_items; the review and the rectification are forms (forms/sampling-review.yaml, forms/rectification.yaml).
 */
export { loadSamplingRules } from './sampling-rules';
export { drawForCampaign } from './sample-draw';
export { drawLines, drawReport } from './draw-report';
export { reviewHook } from './review-hook';
export { rectifyByProject } from './sampling-repository';
export { registerSampling } from './sampling-feature';
