import { z } from 'zod';
import type { Role } from '../org/roles';
import type { ActionContext, ActionInput, Guard } from './bot-types';

/*
 * Guards that do not depend on an item. Relation guards (filler of the item's unit, approver of the instance,
 * recipient of the quiz) live with the feature that owns the relation.
 */

/** Any known user, for actions that only touch the clicking user's own things (their own delegation, help). */
export const anyKnownUser: Guard<unknown, unknown> = () => true;

/** Holders of one of `roles` (any scope). */
export function withRole(roles: readonly Role[], refusal: string): Guard<unknown, unknown> {
  return (ctx) => ctx.user.roles.some((g) => roles.includes(g.role)) || refusal;
}

/** Every guard must accept; the first refusal wins. */
export function allOf<V, F>(...guards: Guard<V, F>[]): Guard<V, F> {
  return async (ctx: ActionContext, input: ActionInput<V, F>) => {
    for (const g of guards) {
      const verdict = await g(ctx, input);
      if (verdict !== true) return verdict;
    }
    return true;
  };
}

/** Ids in button values: our cards write numbers; a string of digits is accepted too. */
export const idSchema = z.coerce.number().int().positive();
/** A form field that may be absent or empty. */
export const optionalText = z.string().trim().max(2000).optional().default('');
/** Values of a card without form fields: whatever Lark sends is ignored. */
export const noForm = z.object({});
