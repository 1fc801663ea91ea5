import { expect } from 'vitest';
import { cardAction } from '../../src/sandbox/lark-sender';
import type { Stack } from './stack';

export type Json = Record<string, unknown>;

/** Every callback button in a card: its text and callback value. */
export function buttons(card: unknown): { text: string; value: Json }[] {
  const out: { text: string; value: Json }[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Json;
    if (o.tag === 'button') {
      const cb = (o.behaviors as Json[] | undefined)?.find((b) => b.type === 'callback');
      if (cb) out.push({ text: String((o.text as Json)?.content ?? ''), value: cb.value as Json });
    }
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** The interactive inputs of a card by name, with their initial value as Lark would show it. */
export function inputs(card: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Json;
    if (typeof o.name === 'string' && o.tag !== 'button' && o.tag !== 'form')
      out[o.name] = (o.default_value ?? o.initial_option ?? o.initial_date) as string | undefined;
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

export const text = (card: unknown) => JSON.stringify(card);

/**
 * A review step's inputs filled as a reviewer content with the target would: the first option of each rating (优),
 * and a plain remark in each text box.
 */
export function reviewDefaults(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Json;
    if (typeof o.name === 'string' && o.name.startsWith('review_'))
      out[o.name] = o.tag === 'select_static' ? String((o.options as Json[])[0]!.value) : '符合要求';
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** Acts as one user clicking through cards, the way the Lark client would. */
export class CardDriver {
  card: unknown;
  lastToast?: { type: string; content: string };
  constructor(
    private readonly s: Stack,
    readonly openId: string,
    public messageId = 'om_card_under_test',
  ) {}

  /**
   * Takes the newest card the bot sent this user (containing `match`, when given) as the one on screen. Cards sent
   * in one batch may arrive in any order, so tests name the card they expect.
   */
  fromInbox(match?: string): this {
    const m = this.s.fake
      .messagesTo(this.openId)
      .filter((x) => !match || JSON.stringify(x.card).includes(match))
      .at(-1);
    expect(m, 'a card in the inbox').toBeTruthy();
    this.card = m!.card;
    this.messageId = m!.messageId;
    return this;
  }

  button(label: string | RegExp, near?: string): Json {
    let candidates = buttons(this.card);
    if (near) {
      // The button in the same column_set as the given text (e.g. a project code in a list).
      const sets = JSON.stringify(this.card)
        .split('"tag":"column_set"')
        .filter((chunk) => chunk.includes(near));
      candidates = candidates.filter((b) => sets.some((chunk) => chunk.includes(JSON.stringify(b.value))));
    }
    const b = candidates.find((x) => (typeof label === 'string' ? x.text === label : label.test(x.text)));
    expect(
      b,
      `button ${String(label)} on card: ${buttons(this.card)
        .map((x) => x.text)
        .join(', ')}`,
    ).toBeTruthy();
    return b!.value;
  }

  /** Clicks a button; a form submit passes the form's values. Updates the card when the answer carries one. */
  async click(label: string | RegExp, formValue?: Json, near?: string): Promise<void> {
    await this.clickValue(this.button(label, near), formValue);
  }

  /** Sends a click with this callback value, as a forged or outdated card would. */
  async clickValue(value: Json, formValue?: Json): Promise<void> {
    const res = await this.s.send(
      cardAction(this.s.id, this.openId, this.messageId, {
        value,
        form_value: formValue,
        name: formValue ? 'btn' : undefined,
      }),
    );
    expect(res.status).toBe(200);
    const body = res.body as { card?: { data: unknown }; toast?: { type: string; content: string } };
    this.lastToast = body.toast;
    if (body.card) this.card = body.card.data;
  }
}
