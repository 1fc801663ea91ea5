import type { BotContext } from '../bot/bot-types.ts';
import { allDepartments, bureauRoles, hasRole } from '../org/index.ts';

/**
 * Departments whose progress a user may see: the bureau everything, a supervising reviewer their units, a unit head
 * their own.
 */
export async function visibleDepartments(ctx: BotContext): Promise<number[]> {
  const roles = ctx.user!.roles;
  const all = await allDepartments(ctx.tx);
  if (hasRole(ctx.user, ...bureauRoles)) return all.map((d) => d.id);
  const scopes = new Set(
    roles
      .filter((g) => ['finance_section', 'supervising_reviewer', 'unit_head'].includes(g.role))
      .map((g) => g.scopeDepartmentId)
      .filter((x): x is number => x !== null),
  );
  return all.filter((d) => scopes.has(d.id) || (d.parentId !== null && scopes.has(d.parentId))).map((d) => d.id);
}
