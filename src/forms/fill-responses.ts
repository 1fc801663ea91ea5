import type { BotContext, CardResponse } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import type { FillState } from './fill-state.ts';
import { renderPage, renderSubmitted } from './fill-cards.ts';

/** The card as it is now: the draft's current page, or the submitted revision; `notice` says what just happened. */
export const pageOrSubmitted = (ctx: BotContext, s: FillState, notice?: string) =>
  s.revision.status === 'submitted'
    ? renderSubmitted(ctx, s, notice)
    : renderPage(ctx, s, s.revision.page, notice ? { notice } : {});

/** A click on an outdated card: nothing changes, and the card shows what is current. */
export const stale = (ctx: BotContext, s: FillState): CardResponse =>
  cardResponse(pageOrSubmitted(ctx, s), { type: 'warning', content: '卡片已过期，已刷新为最新内容' });
