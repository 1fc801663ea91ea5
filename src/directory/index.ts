/*
 * The directory feature's public module: the org kept in step with Lark's contacts (org sync, its dry-run diff and
 * the hand-over of leavers' approvals) and the admin's role card (管理员). It owns no tables: people and roles are
 * written through the org feature, approvals handed over through the approvals feature.
 */
export { syncOrg } from './org-sync';
export { formatSyncReport } from './sync-report';
