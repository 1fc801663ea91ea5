/*
 * The monitoring feature's public module: the follow-up of 双监控 reports (warning lights, corrective actions,
 * 建议暂缓拨款). Monitoring owns monitoring_follow_ups; the report itself is a form (forms/performance-monitoring.yaml).
 */
export { registerMonitoring } from './monitoring-feature.ts';
export { recordOnSubmit } from './follow-up-hook.ts';
export { dailyFollowUps } from './daily-follow-up.ts';
export { correctiveItems } from './corrective-action.ts';
export { type LightSummary, lightSummary } from './light-summary.ts';
