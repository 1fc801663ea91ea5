import type { AppDeps } from '../app-deps.ts';
import type { Card, CardRenderer } from '../cards/renderer.ts';
import type { Tx } from '../db/database.ts';
import type { BotEvent } from '../lark/events.ts';
import type { OutboxMessage } from '../lark/outbox-message.ts';
import { type EnqueueOptions, enqueue, enqueueMany } from '../lark/outbox-repository.ts';
import type { Logger } from '../observability/logger.ts';
import { departmentKey } from '../org/index.ts';
import { ReadMemo } from '../shared/read-memo.ts';
import type { BotContext } from './bot-types.ts';

/**
 * The context one event's handler runs with. Messages it queues in the event's transaction are written together by
 * `flush` (one insert, before commit): a decision that patches the step's cards, sends the next approver's card and
 * tells the submitter costs one statement, not one per message. A copy of the context on a savepoint
 * (`{ ...ctx, tx: sp, reads: ctx.reads.child() }`) writes its messages into the savepoint at once, so a rolled-back
 * item of a batch takes its messages with it.
 */
export function createContext(
  deps: AppDeps,
  cards: CardRenderer,
  tx: Tx,
  event: Exclude<BotEvent, { kind: 'other' }>,
  now: number,
  log: Logger,
  user: BotContext['user'],
  readOnly = false,
): { ctx: BotContext; flush(): Promise<void> } {
  const held: ({ message: OutboxMessage } & EnqueueOptions)[] = [];
  /*
   * A read-only event has no dedupe row: its messages are keyed by the event instead (the reply to a message by the
   * message, as always), numbered in the order the handler queues them, so a redelivery writes the same keys and the
   * outbox ignores them. Outbox rows are kept at least as long as dedupe keys.
   */
  const eventKey = `re:${event.kind === 'message' ? event.messageId : event.eventId}`.slice(0, 46);
  const keyed = (opts: EnqueueOptions): EnqueueOptions =>
    !readOnly || opts.uuid ? opts : { ...opts, uuid: held.length ? `${eventKey}:${held.length + 1}` : eventKey };
  const ctx: BotContext = {
    deps,
    tx,
    now,
    log,
    cards,
    event,
    user,
    openId: event.openId,
    reads: new ReadMemo(),
    // Methods read `this.tx`, so that a copy on a savepoint queues into the savepoint.
    async queue(message, opts = {}) {
      if (this.tx === tx) held.push({ message, ...keyed(opts) });
      else await enqueue(this.tx, message, now, opts);
    },
    sendTo(openId, card, opts) {
      return this.queue({ kind: 'send', receiveIdType: 'open_id', receiveId: openId, card }, opts);
    },
    // Answers go to the chat they came from (a group when @-mentioned); one answer per message, by uuid.
    async respond(card: Card) {
      const uuid = event.kind === 'message' ? eventKey : undefined;
      if (event.kind === 'message' && event.chatType !== 'p2p')
        return this.queue({ kind: 'send', receiveIdType: 'chat_id', receiveId: event.chatId, card }, { uuid });
      await this.sendTo(event.openId, card, uuid ? { uuid } : undefined);
    },
  };
  // The sender's department came with the sender (from the org cache when unchanged): its reads need not ask again.
  if (user) ctx.reads.set(departmentKey(user.departmentId), user.department);
  return { ctx, flush: () => enqueueMany(tx, held.splice(0), now) };
}
