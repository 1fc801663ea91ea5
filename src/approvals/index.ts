/*
 * The approvals feature's public module. Approvals owns approval_instances, approval_tasks and delegations; others
 * ask through these functions.
 */
export { registerApprovals } from './approvals-feature.ts';
export { approvalHooks } from './approval-hooks.ts';
export { registerApprovalCommands } from './approval-commands.ts';
export { awaitingApprovals } from './awaiting-approvals.ts';
export { overdueApprovals } from './overdue-approvals.ts';
export { decisionRecord } from './decision-record.ts';
export { rolesCover } from './read-rule.ts';
export { handOverApprovals } from './hand-over.ts';
