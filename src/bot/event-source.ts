import type { BotContext } from './bot-types.ts';

/** Where an audited change came from: the card clicked (by message id), else the bot conversation. */
export const eventSource = (ctx: Pick<BotContext, 'event'>) =>
  ctx.event.kind === 'card_action' && ctx.event.messageId ? `card:${ctx.event.messageId}` : 'bot';
