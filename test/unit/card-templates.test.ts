import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkCard } from '../../src/cards/card-checks';
import { createCardRenderer, defaultCardsDir } from '../../src/cards/renderer';
import { type CardName, cardSchemas } from '../../src/cards/card-data';

const samples = YAML.parse(fs.readFileSync(path.join(defaultCardsDir, 'samples.yaml'), 'utf8')) as Record<
  string,
  object
>;
const renderer = createCardRenderer();

describe('card templates', () => {
  it('every template has sample data and every sample a template', () => {
    expect(Object.keys(samples).sort()).toEqual(renderer.names());
  });

  it("has a data schema for every template, and every sample satisfies its template's schema", () => {
    expect(Object.keys(cardSchemas).sort()).toEqual(renderer.names());
    for (const name of renderer.names()) {
      const r = cardSchemas[name as CardName].safeParse(samples[name]);
      expect(r.success ? [] : r.error.issues.map((i) => `${name}.${i.path.join('.')}: ${i.message}`)).toEqual([]);
    }
  });

  it('shows the real error template in the cards README worked example', () => {
    const readme = fs.readFileSync(path.join(defaultCardsDir, 'README.md'), 'utf8');
    const block = /```handlebars\n([\s\S]*?)\n```/.exec(readme)![1]!;
    expect(block).toBe(fs.readFileSync(path.join(defaultCardsDir, 'error.hbs'), 'utf8').trimEnd());
    expect(readme).toContain("ctx.cards.render('error', { reference: '3F2A9C1B' })");
    expect(renderer.render('error', { reference: '3F2A9C1B' })).toBeTruthy();
  });

  it('refuses to render data that misses a key the template needs, naming it', () => {
    const { title: _title, ...rest } = samples['notice'] as Record<string, unknown>;
    expect(() => renderer.render('notice', rest as never)).toThrow('卡片 notice 的数据不完整');
  });

  it.each(renderer.names())('%s renders its sample to a valid card 2.0 (snapshot)', (name) => {
    const card = renderer.render(name as CardName, samples[name] as never);
    expect(checkCard(card)).toEqual([]);
    expect(card).toMatchSnapshot();
  });

  const hostile = [
    '"}]',
    '<at id=all></at>',
    '第一行\n第二行',
    '🎉✅',
    '\\"',
    '**粗**[链接](https://evil.example)',
    '{{md x}}',
    '\u2028',
  ];
  it.each(renderer.names())('%s stays valid and pings nobody with hostile text in every string', (name) => {
    for (const bad of hostile) {
      const data = replaceStrings(samples[name]!, bad) as object;
      const card = renderer.render(name as CardName, data as never);
      expect(checkCard(card)).toEqual([]);
      // Markdown is where tags and links act (plain_text shows them literally): only the template's own mention helper
      // may produce <at>, and no hostile text turns into a link or emphasis.
      for (const md of markdownContents(card)) {
        expect(md.replace(/<at id=ou_demo\w+><\/at>/g, '')).not.toContain('<at');
        expect(md).not.toContain('](https://evil');
        expect(md).not.toContain('**粗**');
      }
    }
  });
});

/** Replaces every user-visible string in sample data (not action keys, ids or kinds the template branches on). */
function replaceStrings(v: unknown, bad: string, key = ''): unknown {
  const structural = new Set([
    'action',
    'kind',
    'name',
    'nav',
    'form',
    'type',
    'command',
    'openId',
    'value',
    'selected',
  ]);
  if (typeof v === 'string') return structural.has(key) ? v : `${v}${bad}`;
  if (Array.isArray(v)) return v.map((x) => replaceStrings(x, bad, key));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceStrings(x, bad, k)]));
  return v;
}

function markdownContents(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if ((o.tag === 'markdown' || o.tag === 'lark_md') && typeof o.content === 'string') out.push(o.content);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}
