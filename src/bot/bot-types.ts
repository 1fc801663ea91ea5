import type { AppDeps } from '../app-deps';
import type { Card, CardRenderer } from '../cards/renderer';
import type { Tx } from '../db/database';
import type { BotEvent } from '../lark/events';
import type { Logger } from '../observability/logger';
import type { OrgUser } from '../org/user-repository';
import type { Role } from '../org/roles';

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
  /** Answers the sender with a card: a reply to their message, or a new message for menu clicks and buttons. */
  respond(card: Card): Promise<void>;
  /** Sends a card to any user by open_id. */
  sendTo(openId: string, card: Card, opts?: { uuid?: string; ref?: string }): Promise<void>;
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
  run(ctx: BotContext, args: string): Promise<void>;
}

export interface CardAction {
  /** Matches `value.action` of the clicked component. */
  key: string;
  run(ctx: BotContext, value: Record<string, unknown>): Promise<CardResponse>;
}

export interface BotRegistry {
  commands: Command[];
  actions: Map<string, CardAction>;
  command(c: Command): void;
  action(a: CardAction): void;
}
