import { z } from 'zod';

export const roleSchema = z.enum([
  'filler',
  'unit_head',
  'supervising_reviewer',
  'finance_section',
  'performance_division',
  'third_party',
  'admin',
]);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  filler: '填报人',
  unit_head: '单位负责人',
  supervising_reviewer: '主管部门审核人',
  finance_section: '财政业务处室',
  performance_division: '绩效处',
  third_party: '第三方评价',
  admin: '管理员',
};

/** How a role's scope defaults when the file names none. */
export const roleScopeDefault: Record<Role, 'own_department' | 'global' | 'required'> = {
  filler: 'own_department',
  unit_head: 'own_department',
  supervising_reviewer: 'own_department',
  finance_section: 'required', // the departments a finance section is in charge of must be named
  performance_division: 'global',
  third_party: 'global',
  admin: 'global',
};

const byName = new Map<string, Role>(
  roleSchema.options.flatMap((r) => [
    [r, r],
    [roleLabels[r], r],
  ]),
);

export function parseRole(name: string): Role | undefined {
  return byName.get(name.trim());
}

/** The bureau's own roles: launch campaigns, publish quizzes, see the whole city. */
export const bureauRoles = ['performance_division', 'admin'] as const satisfies readonly Role[];

/** Roles that approval chains route to: who may hold a step, delegate, or see 待审批. */
export const approverRoles = [
  'unit_head',
  'supervising_reviewer',
  'finance_section',
  'performance_division',
  'admin',
] as const satisfies readonly Role[];
