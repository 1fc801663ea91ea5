/*
 * The organisation's public module: people, departments and roles as the other folders may ask about them. Org owns
 * departments, users and role_assignments.
 */
export * from './org-lookups';
export { approverRoles, bureauRoles, type Role, roleLabels, roleSchema } from './roles';
export { type OrgUser, findUserByOpenId, hasRole, usersWithRole } from './user-repository';
export { importOrg } from './org-import';
export { departmentIdsByCode } from './org-repository';
export { resolveOpenIds } from './resolve-open-ids';
export { type LarkDirectory, type SyncPlan, isEmptyPlan, planSync } from './sync-plan';
export { type SyncMapping, defaultMappingFile, loadSyncMapping } from './sync-mapping';
export { applySyncPlan, loadStoredOrg } from './sync-store';
export {
  type RoleSource,
  activeAdmins,
  findDepartment,
  findPeople,
  grantRole,
  revokeRole,
  rolesHeld,
} from './role-grants';
export { roleScopeDefault } from './roles';
