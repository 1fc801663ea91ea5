/*
 * Scores and money in two decimals, the one rounding rule of the product: a value is first cleared of binary noise
 * (15 significant digits, e.g. 0.8 × 7 = 5.6000000000000005 → 5.6), then rounded half away from zero to the
 * hundredth. Comparisons against a fraction of a weight are done in integer hundredths, so a band edge such as 80 % of
 * 7 points is exactly 5.60.
 */

/** x with the binary representation noise of float arithmetic removed. */
const clean = (x: number) => Number(x.toPrecision(15));

/** x in whole hundredths (5.6 → 560), rounded half away from zero. */
export function hundredths(x: number): number {
  const h = clean(x * 100);
  return Math.sign(h) * Math.round(Math.abs(h));
}

/** x rounded to `digits` decimals (default 2), half away from zero. */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  const scaled = clean(x * f);
  return (Math.sign(scaled) * Math.round(Math.abs(scaled))) / f;
}

/** Compares `points` with `percent` % of `weight`, exactly: negative below, 0 at, positive above. */
export function comparePercentOf(points: number, percent: number, weight: number): number {
  return hundredths(points) * 100 - hundredths(weight) * percent;
}
