import type { z } from 'zod';
import type { AppDeps } from '../app-deps.ts';
import type { Card, CardRenderer } from '../cards/renderer.ts';
import type { Tx } from '../db/database.ts';
import type { BotEvent, SentFile } from '../lark/events.ts';
import type { OutboxMessage } from '../lark/outbox-message.ts';
import type { EnqueueOptions } from '../lark/outbox-repository.ts';
import type { Logger } from '../observability/logger.ts';
import type { OrgUser, Role } from '../org/index.ts';
import type { ReadMemo } from '../shared/read-memo.ts';

/** What a card callback answers within 3 s: a toast, a replacement card, or both. */
export interface CardResponse {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: { type: 'raw'; data: Card };
}

/** Everything a handler may touch. All writes go through `tx`, so state, audit and outbox commit together. */
export interface BotContext {
  deps: AppDeps;
  tx: Tx;
  now: number;
  log: Logger;
  cards: CardRenderer;
  event: BotEvent;
  /** The sender, resolved from the organisation; null when unknown. */
  user: OrgUser | null;
  openId: string;
  /** Items this event has already read (a guard's reads serve its handler); see `ReadMemo`. */
  reads: ReadMemo;
  /** Answers the sender with a card: a reply to their message, or a new message for menu clicks and buttons. */
  respond(card: Card): Promise<void>;
  /** Sends a card to any user by open_id. */
  sendTo(openId: string, card: Card, opts?: { uuid?: string; ref?: string }): Promise<void>;
  /** Queues any outgoing message (a card patch, say); written to the outbox with the event's changes. */
  queue(message: OutboxMessage, opts?: EnqueueOptions): Promise<void>;
}

export interface Command {
  name: string;
  /** Shown on the help card. */
  title: string;
  description: string;
  /** Chinese and English words that invoke it; matched case-insensitively, with or without a leading slash. */
  aliases: string[];
  /** Who may use it; absent = every known user. */
  roles?: Role[];
  /** Bot menu event_key that maps to this command. */
  menuKey?: string;
  /**
   * It only reads and answers (`respond`, `sendTo`): it runs without a dedupe row, and on MySQL outside a transaction,
   * its messages keyed by the event so that a redelivery sends nothing twice (see the dispatcher). A test runs every
   * command so marked and fails on any statement other than a read or the outbox insert.
   */
  readOnly?: boolean;
  run(ctx: BotContext, args: string): Promise<void>;
}

/** A handler's context once the dispatcher has accepted the user: never an unknown sender. */
export type ActionContext = BotContext & { user: OrgUser };

/** The parsed button value and form value of a click. */
export interface ActionInput<V, F> {
  value: V;
  form: F;
}

/**
 * Who may run an action on the item it names: `true`, or the refusal shown to the user (Chinese). Guards speak in
 * relations (filler of the item's unit, current approver, delegate, bureau role covering the unit), see `guards.ts`.
 */
export type Guard<V, F> = (ctx: ActionContext, input: ActionInput<V, F>) => Promise<true | string> | true | string;

/**
 * One card action's contract. The dispatcher parses `value` (the button's value, including `action`) and `form`
 * (the form's values; absent = no form fields read), runs `guard`, and only then `run`: a handler never sees an
 * unparsed value or a user it did not accept.
 */
export interface CardAction<V = unknown, F = unknown> {
  /** Matches `value.action` of the clicked component. */
  key: string;
  value: z.ZodType<V>;
  form?: z.ZodType<F>;
  guard: Guard<V, F>;
  /**
   * Whether a click with this (unparsed) value only reads and answers, like a read-only command; a refusal still
   * writes its audit row, one statement. Absent = no.
   */
  readOnly?(value: Record<string, unknown>): boolean;
  run(ctx: ActionContext, input: ActionInput<V, F>): Promise<CardResponse>;
}

/** What a file or image message sent to the bot is handed to (evidence files). */
export type FileReceiver = (ctx: BotContext, messageId: string, file: SentFile) => Promise<void>;

export interface BotRegistry {
  commands: Command[];
  /** The receiver of files people send; without one a file message gets the help card like any other message. */
  fileReceiver?: FileReceiver;
  receiveFiles(receiver: FileReceiver): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry keeps its own value and form types
  actions: Map<string, CardAction<any, any>>;
  command(c: Command): void;
  action<V, F = Record<string, unknown>>(a: CardAction<V, F>): void;
}
