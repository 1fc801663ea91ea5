import { z } from 'zod';
import type { Role } from '../org/index.ts';
import type { Guard } from './bot-types.ts';

/*
 * Guards that do not depend on an item. Relation guards (filler of the item's unit, approver of the instance,
 * recipient of the quiz) live with the feature that owns the relation.
 */

/** Holders of one of `roles` (any scope). */
export function withRole(roles: readonly Role[], refusal: string): Guard<unknown, unknown> {
  return (ctx) => ctx.user.roles.some((g) => roles.includes(g.role)) || refusal;
}

/** Ids in button values: our cards write numbers; a string of digits is accepted too. */
export const idSchema = z.coerce.number().int().positive();
/** A form field that may be absent or empty. */
export const optionalText = z.string().trim().max(2000).optional().default('');
/** Values of a card without form fields: whatever Lark sends is ignored. */
export const noForm = z.object({});
