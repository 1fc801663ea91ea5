import type { HelperDelegate } from 'handlebars';
import { beijingDate, chineseDateTime, chineseDay } from '../shared/clock.ts';
import { escapeMarkdown, jsonInner } from './escape.ts';
import { twoDecimals } from '../shared/number-format.ts';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * Printing helpers return text already escaped for the inside of a JSON string (`json` returns a whole JSON value).
 * Handlebars passes an options hash as the last argument, so each helper reads only its first.
 */
export const cardHelpers: Record<string, HelperDelegate> = {
  /** Plain text: for plain_text contents, button labels, input default values. */
  text: (v: unknown) => jsonInner(str(v)),
  /** User text inside markdown: markdown syntax and <at> tags shown literally. */
  md: (v: unknown) => jsonInner(escapeMarkdown(str(v))),
  /** A whole JSON value (objects for button values, arrays, numbers, quoted strings). */
  json: (v: unknown) => JSON.stringify(v === undefined ? null : v),
  num: (v: unknown) => jsonInner(typeof v === 'number' && Number.isFinite(v) ? String(v) : str(v)),
  /** Yuan with thousands separators and two decimals, as in the bureau's tables. */
  money: (v: unknown) => (typeof v === 'number' ? jsonInner(twoDecimals(v)) : jsonInner(str(v))),
  percent: (v: unknown) => (typeof v === 'number' ? jsonInner(`${(v * 100).toFixed(1)}%`) : jsonInner(str(v))),
  /** A date as Feishu shows it, "12月11日 周五": from a Beijing YYYY-MM-DD or epoch milliseconds. */
  date: (v: unknown) => {
    const day = typeof v === 'number' ? beijingDate(v) : str(v);
    // Anything but a date is printed as user text would be: it may sit in markdown.
    return jsonInner(/^\d{4}-\d{2}-\d{2}$/.test(day) ? chineseDay(day) : escapeMarkdown(day));
  },
  /** A moment, "12月9日 周三 10:30" in Beijing time. */
  datetime: (v: unknown) => jsonInner(typeof v === 'number' ? chineseDateTime(v) : escapeMarkdown(str(v))),
  /** A mention, only for well-formed open_ids: anything else is printed as escaped text. */
  at: (v: unknown) =>
    typeof v === 'string' && /^ou_[A-Za-z0-9]+$/.test(v) ? `<at id=${v}></at>` : jsonInner(escapeMarkdown(str(v))),
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  gt: (a: unknown, b: unknown) => Number(a) > Number(b),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  not: (v: unknown) => !v,
};
