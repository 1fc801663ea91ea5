import { round } from '../shared/decimal.ts';
import { type GradeBands, type Operator, grade } from './scoring.ts';

/*
 * 双监控 warning lights (136号 sets no numbers; the practical configuration of shared/docs §5.4). Pure. Ratios are
 * compared as percentages rounded to two decimals, as the card shows them: 59.995 % is 60.00 % and lights 黄.
 */
export type Light = '红' | '黄' | '绿' | '蓝';

export const defaultIndicatorBands: GradeBands = [
  ['蓝', 120],
  ['绿', 80],
  ['黄', 60],
  ['红', 0],
];

/**
 * The share of the year elapsed at the as-of date: whole months plus the days of the current one (07-31 → 7/12 =
 * 58.33 %, 06-30 → 6/12). Null for a date that is not YYYY-MM-DD.
 */
export function timeProgress(asOf: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(asOf);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > days) return null;
  return (month - 1 + day / days) / 12;
}

/** A ratio as a percentage of two decimals (0.58333 → 58.33), or null without a usable divisor. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? round((part / whole) * 100, 2) : null;
}

/**
 * A positive quantity, benefit or satisfaction indicator pro-rated to the as-of date: the value to date against
 * target × time share, lit by the bands (红 < 60 %, 黄 60–80 %, 绿 80–120 %, 蓝 ≥ 120 %: perhaps a target set too low).
 */
export function progressLight(
  target: number,
  toDate: number,
  share: number,
  bands: GradeBands = defaultIndicatorBands,
): string | null {
  const pct = percentOf(toDate, target * share);
  return pct === null ? null : grade(pct, bands);
}

/**
 * Indicators that are not pro-rated (reverse, quality, time and cost): within the limit → 绿, else 红. The limit is
 * the target read with its operator, compared in hundredths.
 */
export function limitLight(op: Operator, target: number, actual: number): Light {
  const [t, a] = [round(target, 2), round(actual, 2)];
  const within: Record<Exclude<Operator, '定性'>, boolean> = {
    '≥': a >= t,
    '>': a > t,
    '=': a === t,
    '≤': a <= t,
    '<': a < t,
  };
  return op !== '定性' && within[op] ? '绿' : '红';
}

/** Qualitative progress: 达成 绿, 部分达成 黄, 未达成 红. */
export function levelLight(level: string): Light | null {
  return ({ 达成: '绿', 部分达成: '黄', 未达成: '红' } as Record<string, Light>)[level] ?? null;
}

/** The worst of several lights by the given order (worst first): the project's light is its worst one. */
export function worstLight(order: string[], lights: (string | null)[]): string | null {
  return order.find((o) => lights.includes(o)) ?? null;
}
