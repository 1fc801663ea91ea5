/*
 * The campaigns feature's public module. Campaigns owns campaigns and campaign_tasks (its daily reminder run is claimed
 * in scheduler_runs through shared/run-once).
 */
export { campaignOf, registerCampaigns } from './campaigns-feature.ts';
export { launchLines } from './launch-action.ts';
export { launchCampaign, relaunchCampaign } from './launch.ts';
export { openCampaigns } from './campaign-repository.ts';
export type { Population } from './campaign-schema.ts';
export { type Scheduler, createScheduler } from './scheduler.ts';
export { campaignsOfForm, getCampaign, tasksWithState } from './campaign-repository.ts';
export { progressExport } from './progress-workbook.ts';
