import type { Card } from '../cards/renderer';
import type { CardResponse } from './bot-types';

/** A callback answer that replaces the clicked card, with an optional toast. */
export const cardResponse = (card: Card, toast?: CardResponse['toast']): CardResponse => ({
  card: { type: 'raw', data: card },
  ...(toast ? { toast } : {}),
});
