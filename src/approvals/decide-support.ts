import { appendAudit } from '../audit/audit-log.ts';
import type { BotContext } from '../bot/bot-types.ts';
import { eventSource } from '../bot/event-source.ts';
import type { InstanceRow } from './approval-repository.ts';

/** Who acts: the clicking user, and the approver they stand in for when acting as a delegate. */
export type Acting = { userId: number; onBehalfOf?: number };

/** An audit row about an approval instance, on behalf of the approver a delegate acts for. */
export async function audit(
  ctx: BotContext,
  inst: InstanceRow,
  who: Acting,
  action: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: who.userId,
    onBehalfOfUserId: who.onBehalfOf ?? null,
    action,
    entityType: 'submission',
    entityId: inst.submissionId,
    revision: inst.revision,
    source: eventSource(ctx),
    detail: { instance: inst.id, ...detail },
  });
}

/** A refusal on an approval is part of its record: who tried what, and why it was refused. */
export async function refuse(ctx: BotContext, inst: InstanceRow, reason: string, message: string) {
  await audit(ctx, inst, { userId: ctx.user!.id }, 'approval.refused', { reason });
  return { toast: { type: 'warning' as const, content: message } };
}
