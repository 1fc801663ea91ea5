import { z } from 'zod';

const card = z.record(z.string(), z.unknown());

/** Everything that can leave the service towards Lark. Stored as the outbox row's payload. */
export const outboxMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('send'), receiveIdType: z.enum(['open_id', 'chat_id']), receiveId: z.string(), card }),
  z.object({ kind: z.literal('reply'), messageId: z.string(), card }),
  // A card we sent earlier is addressed by its message id, or by the outbox `ref` it was sent under when the id is not
  // known yet (the worker looks it up once that send has gone out).
  z.object({ kind: z.literal('patch'), messageId: z.string().optional(), targetRef: z.string().optional(), card }),
  z.object({
    kind: z.literal('buzz'),
    messageId: z.string().optional(),
    targetRef: z.string().optional(),
    openIds: z.array(z.string()).min(1),
  }),
  z.object({ kind: z.literal('batch_send'), openIds: z.array(z.string()).min(1).max(200), card }),
  z.object({ kind: z.literal('card_update'), token: z.string(), card }),
  // A stored file (an export, an evidence file) sent as a file message: uploaded through im/v1/files when delivered,
  // so the bytes never sit in the outbox row.
  z.object({
    kind: z.literal('file'),
    receiveId: z.string(),
    fileKey: z.string(),
    fileName: z.string().min(1).max(200),
  }),
]);
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

/**
 * The key the per-recipient rate limit applies to (Lark: 5 QPS per user and per chat; 5 QPS per message for patches).
 */
export function recipientOf(m: OutboxMessage): string | null {
  switch (m.kind) {
    case 'send':
    case 'file':
      return m.receiveId;
    case 'reply':
      return m.messageId;
    case 'patch':
    case 'buzz':
      return m.messageId ?? m.targetRef ?? null;
    default:
      return null;
  }
}
