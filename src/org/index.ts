/*
 * The organisation's public module: people, departments and roles as the other folders may ask about them. Org owns
 * departments, users and role_assignments.
 */
export * from './org-lookups.ts';
export { approverRoles, bureauRoles, type Role, roleLabels, roleSchema } from './roles.ts';
export { type OrgUser, hasRole, usersWithRole } from './user-repository.ts';
export { createOrgCache, orgChanged } from './org-cache.ts';
export { importOrg } from './org-import.ts';
export { departmentIdsByCode } from './org-repository.ts';
export { resolveOpenIds } from './resolve-open-ids.ts';
export { type LarkDirectory, type SyncPlan, isEmptyPlan, planSync } from './sync-plan.ts';
export { type SyncMapping, defaultMappingFile, loadSyncMapping } from './sync-mapping.ts';
export { applySyncPlan, loadStoredOrg } from './sync-store.ts';
export {
  type RoleSource,
  activeAdmins,
  findDepartment,
  findPeople,
  grantRole,
  revokeRole,
  rolesHeld,
} from './role-grants.ts';
export { roleScopeDefault } from './roles.ts';
