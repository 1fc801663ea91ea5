/*
 * The approvals feature's public module. Approvals owns approval_instances, approval_tasks and delegations; others
 * ask through these functions.
 */
export { registerApprovals, approvalHooks } from './approvals-feature';
export { registerApprovalCommands } from './approval-commands';
export { delegatorsOf, getInstance, pendingTasks } from './approval-repository';
export { overdueApprovals } from './overdue-approvals';
