import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { ActionContext, BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { eventSource } from '../bot/event-source.ts';
import { withRole } from '../bot/guards.ts';
import {
  type Role,
  type RoleSource,
  activeAdmins,
  findDepartment,
  findPeople,
  grantRole,
  revokeRole,
  roleLabels,
  roleSchema,
  roleScopeDefault,
  rolesHeld,
} from '../org/index.ts';

const sourceLabels: Record<RoleSource, string> = { import: '文件导入', admin: '管理员授予', sync: '飞书同步' };
const roleForm = z.object({
  person: z.string().trim().max(64).optional().default(''),
  role: z
    .union([roleSchema, z.literal('')])
    .optional()
    .default(''),
  scope: z.string().trim().max(200).optional().default(''),
});
type RoleForm = z.infer<typeof roleForm>;
const notAdmin = withRole(['admin'], '只有管理员可以管理角色');

/** `管理员`: the admin's card to look up a person's roles and grant or revoke one, with a scope. */
export const roleAdminCommand: Command = {
  name: 'roles',
  title: '管理员',
  description: '查看、授予、撤销人员角色（管理员）',
  aliases: ['管理员', '角色管理', '角色', 'roles'],
  roles: ['admin'],
  run: async (ctx) => ctx.respond(roleCard(ctx, {})),
};

/**
 * 查看 / 授予 / 撤销. Granting what is held, or revoking what is not, changes nothing and records nothing (a double
 * click); the last active admin cannot be removed.
 */
export const roleAdminAction: CardAction<{ op: 'show' | 'grant' | 'revoke' }, RoleForm> = {
  key: 'admin.roles',
  value: z.object({ op: z.enum(['show', 'grant', 'revoke']) }),
  form: roleForm,
  guard: notAdmin,
  async run(ctx, { value, form }) {
    const people = form.person ? await findPeople(ctx.tx, form.person) : [];
    const fail = (error: string, candidates?: string[]) => cardResponse(roleCard(ctx, { form, error, candidates }));
    if (!form.person) return fail('请填写人员的姓名或手机号');
    if (!people.length) return fail(`找不到在职人员“${form.person}”`);
    if (people.length > 1)
      return fail(
        `有 ${people.length} 位“${form.person}”`,
        people.map((p) => `${p.name}，${p.department}，手机尾号 ${p.mobile?.slice(-4) ?? '无'}`),
      );
    const person = people[0]!;
    if (value.op === 'show') return cardResponse(roleCard(ctx, { form, person: await shown(ctx, person) }));
    if (!form.role) return fail('请选择角色');
    const scope = await scopeOf(ctx, form, { id: person.departmentId, name: person.department });
    if (typeof scope === 'string') return fail(scope);
    const change = { userId: person.id, role: form.role, scopeId: scope.id };
    const roleText = `${roleLabels[form.role]}${scope.name ? `（${scope.name}）` : ''}`;
    const what = `${person.name} ${roleText}`;
    const toast = await (value.op === 'grant' ? grant(ctx, change, what) : revoke(ctx, change, what));
    if (typeof toast === 'string') return fail(toast);
    if (toast.type === 'success' && person.openId) await tellPerson(ctx, person.openId, value.op, roleText);
    return cardResponse(roleCard(ctx, { form, person: await shown(ctx, person) }), toast);
  },
};

type Change = { userId: number; role: Role; scopeId: number | null };

async function grant(ctx: ActionContext, c: Change, what: string) {
  if (!(await grantRole(ctx.tx, { ...c, source: 'admin' })))
    return { type: 'info' as const, content: `${what} 已有该角色，未做改动` };
  await audit(ctx, 'role.grant', c);
  return { type: 'success' as const, content: `已授予 ${what}` };
}

async function revoke(ctx: ActionContext, c: Change, what: string) {
  const holdsAdmin = async () => (await rolesHeld(ctx.tx, c.userId)).some((r) => r.role === 'admin');
  if (c.role === 'admin' && (await activeAdmins(ctx.tx)) <= 1 && (await holdsAdmin()))
    return '不能撤销最后一位管理员的管理员角色';
  const source = await revokeRole(ctx.tx, c);
  if (!source) return { type: 'info' as const, content: `${what} 没有该角色，未做改动` };
  await audit(ctx, 'role.revoke', c, source);
  return { type: 'success' as const, content: `已撤销 ${what}` };
}

/** The person hears of the change from the bot, as Lark users expect of a permission change. */
async function tellPerson(ctx: ActionContext, openId: string, op: 'show' | 'grant' | 'revoke', role: string) {
  const line =
    op === 'grant'
      ? `管理员 ${ctx.user.name} 为您开通了 ${role} 角色。发送“帮助”查看可以使用的功能。`
      : `管理员 ${ctx.user.name} 撤销了您的 ${role} 角色。`;
  await ctx.sendTo(openId, ctx.cards.render('notice', { title: '角色变更', color: 'indigo', lines: [line] }));
}

const audit = (ctx: ActionContext, action: string, c: Change, source?: RoleSource) =>
  appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user.id,
    action,
    entityType: 'user',
    entityId: c.userId,
    source: eventSource(ctx),
    detail: { role: c.role, scopeDepartmentId: c.scopeId, ...(source ? { source } : {}) },
  });

/** The scope a role is given for: as named, the person's department by default, or none for city-wide roles. */
async function scopeOf(
  ctx: BotContext,
  form: RoleForm,
  own: { id: number; name: string },
): Promise<{ id: number | null; name?: string } | string> {
  const rule = roleScopeDefault[form.role as Role];
  if (rule === 'global') return { id: null };
  if (!form.scope) {
    if (rule === 'required') return `${roleLabels[form.role as Role]} 须填写负责的部门（编码或名称）`;
    return own;
  }
  const d = await findDepartment(ctx.tx, form.scope);
  return d ?? `找不到部门“${form.scope}”：请填写部门编码或全称`;
}

async function shown(ctx: BotContext, p: { id: number; name: string; department: string }) {
  const roles = (await rolesHeld(ctx.tx, p.id)).map(
    (r) => `${roleLabels[r.role]}${r.scope ? `（${r.scope}）` : '（全市）'} · ${sourceLabels[r.source]}`,
  );
  return { name: p.name, department: p.department, roles };
}

function roleCard(
  ctx: BotContext,
  o: { form?: RoleForm; error?: string; candidates?: string[]; person?: Awaited<ReturnType<typeof shown>> },
) {
  return ctx.cards.render('role-admin', {
    person: o.person,
    error: o.error,
    candidates: o.candidates,
    roles: roleSchema.options.map((value) => ({ value, label: roleLabels[value] })),
    values: { person: o.form?.person, role: o.form?.role || undefined, scope: o.form?.scope || undefined },
  });
}
