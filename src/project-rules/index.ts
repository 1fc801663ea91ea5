/*
 * The project-rules feature's public module: the bureau's tier and 事前绩效评估 rules (forms/rules/project-rules.yaml),
 * applied on every project import, and where each project stands with its evaluation. It owns no table: projects
 * keep what the rules decided.
 */
export { loadProjectRules } from './project-rules.ts';
export { importClassified, projectFacts, projectListing } from './project-listing.ts';
export { type HeldBack, exAnteGate } from './ex-ante-gate.ts';
