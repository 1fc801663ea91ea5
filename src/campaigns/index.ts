/*
 * The campaigns feature's public module. Campaigns owns campaigns and campaign_tasks (its daily reminder run is claimed
 * in scheduler_runs through shared/run-once).
 */
export { campaignOf, registerCampaigns } from './campaigns-feature';
export { launchLines } from './launch-action';
export { launchCampaign, relaunchCampaign } from './launch';
export { openCampaigns } from './campaign-repository';
export type { Population } from './campaign-schema';
export { type Scheduler, createScheduler } from './scheduler';
export { campaignsOfForm, getCampaign, tasksWithState } from './campaign-repository';
export { progressExport } from './progress-workbook';
