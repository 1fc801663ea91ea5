import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cardJson } from '../../src/cards/card-json';
import { createCardRenderer, defaultCardsDir } from '../../src/cards/renderer';

const samples = YAML.parse(fs.readFileSync(path.join(defaultCardsDir, 'samples.yaml'), 'utf8'));

describe('a card as JSON', () => {
  it('is the card’s own JSON, for a rendered card asked again as for any other object', () => {
    const card = createCardRenderer().render('help', samples.help);
    expect(Object.isFrozen(card)).toBe(true);
    expect(cardJson(card)).toBe(JSON.stringify(card));
    expect(cardJson(card)).toBe(JSON.stringify(card));
  });

  it('is computed afresh for an object the renderer did not freeze, so a change shows', () => {
    const card: Record<string, unknown> = { schema: '2.0', body: { elements: [] } };
    expect(cardJson(card)).toBe('{"schema":"2.0","body":{"elements":[]}}');
    card.schema = '1.0';
    expect(cardJson(card)).toBe('{"schema":"1.0","body":{"elements":[]}}');
  });
});
