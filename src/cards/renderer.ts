import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { z } from 'zod';
import { formatPath } from '../shared/format-path.ts';
import { AppError } from '../shared/errors.ts';
import { type CardData, type CardName, cardSchemas } from './card-data.ts';
import { checkCard } from './card-checks.ts';
import { markDeepFrozen } from './card-json.ts';
import { cardHelpers } from './helpers.ts';
import { lintTemplate } from './template-lint.ts';
import { projectPath } from '../shared/project-path.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import { deepFreeze } from '../shared/deep-freeze.ts';
import { builtCleanTemplate } from '../shared/build-cache.ts';

export type Card = Record<string, unknown>;

export interface CardRenderer {
  /** Renders a template with the data its schema declares (`card-data.ts`); anything else is an error. */
  render<K extends CardName>(name: K, data: CardData<K>): Card;
  names(): string[];
}

export const defaultCardsDir = projectPath('cards');

/** Every template compiled (lazily, by Handlebars) with the partials registered; throws naming each lint problem. */
function loadTemplates(dir: string): Map<string, HandlebarsTemplateDelegate> {
  const hb = Handlebars.create();
  hb.registerHelper(cardHelpers);
  const problems: string[] = [];
  const read = (file: string) => {
    const source = fs.readFileSync(file, 'utf8');
    if (builtCleanTemplate(source)) return source;
    for (const p of lintTemplate(source)) problems.push(`${path.relative(dir, file)}: ${p}`);
    return source;
  };
  const partialsDir = path.join(dir, 'partials');
  if (fs.existsSync(partialsDir)) {
    for (const f of fs.readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
      hb.registerPartial(path.basename(f, '.hbs'), read(path.join(partialsDir, f)));
    }
  }
  const templates = new Map<string, HandlebarsTemplateDelegate>();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    templates.set(path.basename(f, '.hbs'), hb.compile(read(path.join(dir, f)), { noEscape: true, strict: false }));
  }
  if (problems.length)
    throw new AppError('internal', '卡片模板有错误', { issues: problems.map((p) => ({ where: 'cards', message: p })) });
  return templates;
}

/**
 * Loads every `cards/*.hbs` (and `cards/partials/*.hbs`) once, lints it, and renders to checked card JSON 2.0.
 * A template that fails its lint throws at load time, so a broken edit shows up at start-up, not in a user's chat.
 */
export function createCardRenderer(dir = defaultCardsDir): CardRenderer {
  const templates = loadTemplates(dir);

  /*
   * Rendered cards by template and input data: the same help or menu card is asked for again and again, and
   * validating, rendering, parsing and checking it costs more than the rest of answering. Templates and helpers are
   * pure functions of the data, so the key is exact. Every card handed out is frozen, cached or not, so code that
   * would change a shared card fails in its tests instead of corrupting another person's.
   */
  const rendered = new BoundedCache<Card>(256, 4 << 20);
  const renderChecked = (name: CardName, data: unknown): { card: Card; text: string } => {
    const template = templates.get(name);
    const schema = cardSchemas[name] as z.ZodType | undefined;
    if (!template || !schema) throw new AppError('internal', `卡片模板 ${name} 不存在或没有数据定义`);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      throw new AppError('internal', `卡片 ${name} 的数据不完整`, {
        issues: parsed.error.issues.map((i) => ({ where: `${name}.${formatPath(i.path)}`, message: i.message })),
      });
    }
    const text = template(parsed.data);
    let card: Card;
    try {
      card = JSON.parse(text) as Card;
    } catch (e) {
      throw new AppError('internal', `卡片模板 ${name} 生成的 JSON 无效`, {
        hint: `${(e as Error).message}\n${text.slice(0, 2000)}`,
      });
    }
    const issues = checkCard(card);
    if (issues.length)
      throw new AppError('internal', `卡片 ${name} 未通过检查`, {
        issues: issues.map((message) => ({ where: name, message })),
      });
    return { card, text };
  };

  return {
    names: () => [...templates.keys()].sort(),
    render(name, data) {
      const key = `${name}\u0000${JSON.stringify(data)}`;
      const hit = rendered.get(key);
      if (hit !== undefined) return hit;
      const { card, text } = renderChecked(name, data);
      rendered.set(key, deepFreeze(card), text.length);
      markDeepFrozen(card);
      return card;
    },
  };
}
