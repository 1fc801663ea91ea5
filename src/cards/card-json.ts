import type { Card } from './renderer.ts';

/*
 * Cards the renderer has deep-frozen, with their JSON text once asked for. A frozen card cannot change, so its text
 * cannot go stale; a cached card (the 帮助 reply, a menu) is serialised into the outbox again and again, and
 * JSON.stringify of a 4 KB card of Chinese text costs ~40 µs.
 */
const texts = new WeakMap<Card, string | null>();

/** Called by the renderer on every card it hands out, after freezing it to the bottom. */
export function markDeepFrozen(card: Card): void {
  if (!texts.has(card)) texts.set(card, null);
}

/** The card as JSON: computed once for a card the renderer froze, every time for any other object. */
export function cardJson(card: Card): string {
  const known = texts.get(card);
  if (known) return known;
  const text = JSON.stringify(card);
  if (known === null) texts.set(card, text);
  return text;
}
