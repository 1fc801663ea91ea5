/*
 * The approvals feature's public module. Approvals owns approval_instances, approval_tasks and delegations; others
 * ask through these functions.
 */
export { registerApprovals } from './approvals-feature';
export { approvalHooks } from './approval-hooks';
export { registerApprovalCommands } from './approval-commands';
export { delegatorsOf, getInstance, pendingTasks } from './approval-repository';
export { overdueApprovals } from './overdue-approvals';
export { decisionRecord } from './decision-record';
export { rolesCover } from './read-rule';
export { handOverApprovals } from './hand-over';
