import { comparePercentOf, hundredths, round } from '../shared/decimal.ts';

/*
 * Scoring rules of 财预〔2020〕10号 as the self-evaluation form uses them (see budget-performance-rules §2.3, §2.4).
 * Every score is capped at the row's weight, floored at 0 and rounded to two decimals (shared/decimal.ts).
 */
export type Operator = '≥' | '>' | '=' | '≤' | '<' | '定性';
export type ReverseRule = '线性递减' | '比例';
export type QualLevel = '达成' | '部分达成' | '未达成';

const clamp = (x: number, w: number) => round(Math.min(w, Math.max(0, x)));

/** Score bands for qualitative indicators, in whole percent of the weight: [low, high]. */
export const qualBands: Record<QualLevel, [number, number]> = {
  达成: [80, 100],
  部分达成: [60, 80],
  未达成: [0, 60],
};

/**
 * Quantitative rows: met → full weight; missed → weight × actual/target. Reverse rows (≤ <) missed: `线性递减`
 * drops linearly to 0 at twice the target, `比例` gives weight × target/actual. `=`: with target 0, full when actual
 * ≤ 0, else as a positive indicator.
 */
export function quantitativeScore(
  op: Exclude<Operator, '定性'>,
  target: number,
  actual: number,
  weight: number,
  reverse: ReverseRule = '线性递减',
): number {
  switch (op) {
    case '≥':
    case '>': {
      const met = op === '≥' ? actual >= target : actual > target;
      if (met) return clamp(weight, weight);
      return target > 0 ? clamp((actual / target) * weight, weight) : 0;
    }
    case '=':
      if (target === 0) return actual <= 0 ? clamp(weight, weight) : 0;
      return actual >= target ? clamp(weight, weight) : clamp((actual / target) * weight, weight);
    case '≤':
    case '<': {
      const met = op === '≤' ? actual <= target : actual < target;
      if (met) return clamp(weight, weight);
      if (reverse === '比例') return actual > 0 ? clamp((target / actual) * weight, weight) : 0;
      if (target <= 0) return 0;
      return clamp((1 - (actual - target) / target) * weight, weight);
    }
  }
}

/**
 * Qualitative rows: the filler gives points inside the band of the chosen level; outside the band is refused earlier.
 */
export function qualitativeScore(level: QualLevel, points: number, weight: number): number {
  const [lo, hi] = qualBands[level];
  // The band's edges in hundredths: the lowest two-decimal score inside it, and the highest.
  const low = Math.ceil((hundredths(weight) * lo) / 100) / 100;
  const high = Math.floor((hundredths(weight) * hi) / 100) / 100;
  return clamp(Math.min(Math.max(points, low), high), weight);
}

export function inQualBand(level: QualLevel, points: number, weight: number): boolean {
  const [lo, hi] = qualBands[level];
  // 达成 includes 100%; the lower bands exclude their upper edge, as the official table does. Exact in hundredths.
  const above = comparePercentOf(points, lo, weight) >= 0;
  const top = comparePercentOf(points, hi, weight);
  return above && (level === '达成' ? top <= 0 : top < 0);
}

/**
 * Whether a row missed its target: quantitative rows by the operator (compared in hundredths, so 10 is not < 10),
 * qualitative rows below 达成. Every miss needs a reason, whatever it scored.
 */
export function missedTarget(op: Operator, target: number | null, actual: number | null, level?: string): boolean {
  if (op === '定性') return level !== undefined && level !== '达成';
  if (target === null || actual === null) return false;
  const d = hundredths(actual) - hundredths(target);
  return { '≥': d < 0, '>': d <= 0, '=': d !== 0, '≤': d > 0, '<': d >= 0 }[op];
}

/**
 * Whether a met row beat its target by more than `threshold` (0.5 = 50 %): 10号 reduces such scores when the target
 * was set too low, so the row is flagged for the filler to explain and the reviewer to judge. Reverse rows (≤ <) beat
 * the target by staying that far below it.
 */
export function farBeyondTarget(
  op: Operator,
  target: number | null,
  actual: number | null,
  threshold: number,
): boolean {
  if (op === '定性' || op === '=' || target === null || actual === null || target <= 0) return false;
  if (op === '≥' || op === '>') return comparePercentOf(actual, 100 * (1 + threshold), target) > 0;
  return comparePercentOf(actual, 100 * (1 - threshold), target) < 0;
}

/** 预算执行率 score: min(rate, 100%) × 10 (or the given weight). */
export function executionScore(rate: number, weight = 10): number {
  return clamp(Math.min(rate, 1) * weight, weight);
}

export type GradeBands = [string, number][];
export const defaultGradeBands: GradeBands = [
  ['优', 90],
  ['良', 80],
  ['中', 60],
  ['差', 0],
];

/** The first band whose lower bound the score reaches; bands are listed from the top. */
export function grade(score: number, bands: GradeBands = defaultGradeBands): string {
  for (const [name, min] of bands) if (score >= min) return name;
  return bands[bands.length - 1]?.[0] ?? '';
}
