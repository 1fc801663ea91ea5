import { z } from 'zod';
import type { Issue } from '../shared/errors.ts';
import { normaliseRow, pushZod, splitList } from '../import/normalise.ts';
import type { SourceRow, Tables } from '../import/read-tables.ts';
import { type Role, parseRole, roleLabels, roleScopeDefault } from './roles.ts';

export const departmentKindSchema = z.enum(['bureau', 'supervising', 'unit']);
export type DepartmentKind = z.infer<typeof departmentKindSchema>;
const kindAliases: Record<string, DepartmentKind> = {
  bureau: 'bureau',
  财政局: 'bureau',
  局: 'bureau',
  supervising: 'supervising',
  主管部门: 'supervising',
  unit: 'unit',
  单位: 'unit',
  预算单位: 'unit',
};

const deptAliases = {
  code: ['编码', '部门编码', '单位编码'],
  name: ['名称', '部门名称', '单位名称'],
  kind: ['类型', '层级'],
  parent: ['上级', '上级编码', '上级部门'],
} as const;
const userAliases = {
  name: ['姓名'],
  open_id: ['openid'],
  department: ['部门', '部门编码', '所属部门', '单位'],
  mobile: ['手机', '手机号'],
  email: ['邮箱', '电子邮箱'],
  roles: ['角色'],
} as const;

const text = (label: string) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined),
    z.string({ error: `${label}不能为空` }),
  );
const optionalText = z.preprocess(
  (v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined),
  z.string().optional(),
);

const deptRowSchema = z.object({
  code: text('编码').pipe(z.string().max(64, '编码最长 64 个字符')),
  name: text('名称').pipe(z.string().max(200, '名称最长 200 个字符')),
  kind: text('类型').transform((v, ctx) => {
    const k = kindAliases[v];
    if (!k) ctx.addIssue({ code: 'custom', message: `类型“${v}”无效，应为 财政局、主管部门 或 单位` });
    return k as DepartmentKind;
  }),
  parent: optionalText,
});

const userRowSchema = z.object({
  name: text('姓名').pipe(z.string().max(100, '姓名最长 100 个字符')),
  open_id: optionalText.refine((v) => v === undefined || /^ou_[0-9a-zA-Z]+$/.test(v), 'open_id 应以 ou_ 开头'),
  department: text('部门'),
  mobile: optionalText.refine((v) => v === undefined || /^\+?\d{6,15}$/.test(v), '手机号格式不对'),
  email: optionalText.refine((v) => v === undefined || /^[^@\s]+@[^@\s]+$/.test(v), '邮箱格式不对'),
  roles: z
    .unknown()
    .optional()
    .transform((v) => splitList(v)),
});

export interface DepartmentPlan {
  code: string;
  name: string;
  kind: DepartmentKind;
  parent?: string;
}
export interface RolePlan {
  role: Role;
  scope: string | null;
}
export interface UserPlan {
  name: string;
  openId?: string;
  mobile?: string;
  email?: string;
  department: string;
  roles: RolePlan[];
  existingId?: number;
}
export interface OrgPlan {
  departments: DepartmentPlan[];
  users: UserPlan[];
}

export interface ExistingOrg {
  departments: Map<string, DepartmentKind>;
  users: { id: number; openId: string | null; mobile: string | null; email: string | null }[];
}

/** Validates a whole org file against itself and the database; returns every problem, or a plan to apply. */
export function planOrgImport(tables: Tables, existing: ExistingOrg): { plan: OrgPlan; issues: Issue[] } {
  const issues: Issue[] = [];
  const { deptRows, userRows } = splitTables(tables, issues);
  const departments = planDepartments(deptRows, existing, issues);
  const known = new Set([...departments.map((d) => d.code), ...existing.departments.keys()]);
  const deptKnown = (code: string) => known.has(code);
  const users = planUsers(userRows, existing, deptKnown, issues);
  return { plan: { departments, users }, issues };
}

function planDepartments(rows: SourceRow[], existing: ExistingOrg, issues: Issue[]): DepartmentPlan[] {
  const departments: DepartmentPlan[] = [];
  const deptWhere = new Map<string, string>();
  for (const row of rows) {
    const r = deptRowSchema.safeParse(normaliseRow(row, deptAliases));
    if (!r.success) {
      pushZod(issues, row, r.error);
      continue;
    }
    const d = r.data;
    if (deptWhere.has(d.code)) {
      issues.push({ where: row.where, message: `编码 ${d.code} 重复` });
      continue;
    }
    if (d.kind === 'bureau' && d.parent) issues.push({ where: row.where, message: '财政局不应有上级' });
    if (d.kind !== 'bureau' && !d.parent) issues.push({ where: row.where, message: '主管部门和单位必须填写上级编码' });
    deptWhere.set(d.code, row.where);
    departments.push({ code: d.code, name: d.name, kind: d.kind, parent: d.parent });
  }
  for (const d of departments) {
    if (d.parent && !deptWhere.has(d.parent) && !existing.departments.has(d.parent))
      issues.push({ where: deptWhere.get(d.code)!, message: `上级编码 ${d.parent} 不存在` });
  }
  issues.push(...findCycles(departments, deptWhere));
  return departments;
}

function planUsers(
  rows: SourceRow[],
  existing: ExistingOrg,
  deptKnown: (code: string) => boolean,
  issues: Issue[],
): UserPlan[] {
  const users: UserPlan[] = [];
  const seenIdentity = new Map<string, string>();
  for (const row of rows) {
    const r = userRowSchema.safeParse(normaliseRow(row, userAliases));
    if (!r.success) {
      pushZod(issues, row, r.error);
      continue;
    }
    const u = r.data;
    const rowIssues: string[] = [];
    if (!u.open_id && !u.mobile && !u.email) rowIssues.push('open_id、手机号、邮箱至少填写一项');
    if (!deptKnown(u.department)) rowIssues.push(`部门编码 ${u.department} 不存在`);
    const roles = parseRoles(u.roles, u.department, deptKnown, rowIssues);
    const ids = [u.open_id && `open_id ${u.open_id}`, u.mobile && `手机号 ${u.mobile}`, u.email && `邮箱 ${u.email}`];
    for (const id of ids.filter(Boolean) as string[]) {
      const prev = seenIdentity.get(id);
      if (prev) rowIssues.push(`${id} 与 ${prev} 重复`);
      else seenIdentity.set(id, row.where);
    }
    const matches = matchingUsers(existing, u);
    if (matches.length > 1) rowIssues.push('open_id、手机号、邮箱分别对应了系统中不同的人员，请核对');
    for (const m of rowIssues) issues.push({ where: row.where, message: m });
    if (rowIssues.length) continue;
    const { name, open_id: openId, mobile, email, department } = u;
    users.push({ name, openId, mobile, email, department, roles: dedupeRoles(roles), existingId: matches[0] });
  }
  return users;
}

/** The people already in the system this row names, by open_id, mobile or email. */
function matchingUsers(
  existing: ExistingOrg,
  u: { open_id?: string | null; mobile?: string | null; email?: string | null },
): number[] {
  const hit = (e: ExistingOrg['users'][number]) =>
    (u.open_id && e.openId === u.open_id) || (u.mobile && e.mobile === u.mobile) || (u.email && e.email === u.email);
  return [...new Set(existing.users.filter(hit).map((e) => e.id))];
}

/** `角色@部门编码` items as grants; what is wrong with an item goes to `problems`. */
function parseRoles(
  items: string[],
  ownDepartment: string,
  deptKnown: (code: string) => boolean,
  problems: string[],
): RolePlan[] {
  const roles: RolePlan[] = [];
  for (const item of items) {
    const [roleName = '', scope] = item.split(/[@＠]/).map((s) => s.trim());
    const role = parseRole(roleName);
    if (!role) {
      problems.push(`角色“${roleName}”无效，应为 ${Object.values(roleLabels).join('、')}`);
      continue;
    }
    const rule = roleScopeDefault[role];
    if (scope && !deptKnown(scope)) {
      problems.push(`角色 ${roleLabels[role]} 的范围 ${scope} 不存在`);
      continue;
    }
    if (!scope && rule === 'required') {
      problems.push(`${roleLabels[role]} 须写明负责的部门，如 ${roleLabels[role]}@部门编码`);
      continue;
    }
    roles.push({ role, scope: scope ?? (rule === 'own_department' ? ownDepartment : null) });
  }
  return roles;
}

function splitTables(tables: Tables, issues: Issue[]): { deptRows: SourceRow[]; userRows: SourceRow[] } {
  const deptRows: SourceRow[] = [];
  const userRows: SourceRow[] = [];
  for (const [name, rows] of tables) {
    const n = name.toLowerCase();
    if (['departments', '部门', '部门单位'].includes(n)) deptRows.push(...rows);
    else if (['users', '人员', '用户'].includes(n)) userRows.push(...rows);
    else if (n === '') {
      // A CSV holds one table: a roles or name column means people, otherwise departments.
      const isUsers = rows.some(
        (r) => Object.keys(normaliseRow(r, { roles: userAliases.roles, x: userAliases.name })).length > 0,
      );
      (isUsers ? userRows : deptRows).push(...rows);
    } else issues.push({ where: name, message: '未知的表：应为 departments（部门）或 users（人员）' });
  }
  return { deptRows, userRows };
}

function findCycles(departments: DepartmentPlan[], whereOf: Map<string, string>): Issue[] {
  const parentOf = new Map(departments.map((d) => [d.code, d.parent]));
  const issues: Issue[] = [];
  for (const d of departments) {
    const seen = new Set<string>([d.code]);
    for (let p = d.parent; p !== undefined; p = parentOf.get(p)) {
      if (seen.has(p)) {
        issues.push({ where: whereOf.get(d.code)!, message: `上级关系形成了循环（${d.code}）` });
        break;
      }
      seen.add(p);
    }
  }
  return issues;
}

function dedupeRoles(roles: RolePlan[]): RolePlan[] {
  const seen = new Set<string>();
  return roles.filter((r) => !seen.has(`${r.role}@${r.scope}`) && seen.add(`${r.role}@${r.scope}`));
}
