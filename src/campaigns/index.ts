/*
 * The campaigns feature's public module. Campaigns owns campaigns, campaign_tasks and scheduler_runs, and the
 * working-day calendar reminders count on.
 */
export { registerCampaigns, launchLines } from './campaigns-feature';
export { launchCampaign, relaunchCampaign } from './launch';
export type { Population } from './campaign-schema';
export { type Scheduler, createScheduler } from './scheduler';
export { addWorkingDays } from './working-days';
