import type { Card } from '../cards/renderer.ts';
import type { CardResponse } from './bot-types.ts';

/** A callback answer that replaces the clicked card, with an optional toast. */
export const cardResponse = (card: Card, toast?: CardResponse['toast']): CardResponse => ({
  card: { type: 'raw', data: card },
  ...(toast ? { toast } : {}),
});
