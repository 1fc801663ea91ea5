/*
 * The directory feature's public module: the org kept in step with Lark's contacts (org sync, its dry-run diff and
 * the hand-over of leavers' approvals) and the admin's role card (管理员). It owns no tables: people and roles are
 * written through the org feature, approvals handed over through the approvals feature.
 */
import type { BotRegistry } from '../bot/bot-types.ts';
import { roleAdminAction, roleAdminCommand } from './role-admin.ts';

export { syncOrg } from './org-sync.ts';
export { type OrgSyncJob, createOrgSyncJob } from './org-sync-job.ts';
export { formatSyncReport } from './sync-report.ts';

export function registerDirectory(registry: BotRegistry): void {
  registry.command(roleAdminCommand);
  registry.action(roleAdminAction);
}
