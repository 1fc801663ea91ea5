import { describe, expect, it } from 'vitest';
import { type QualLevel, inQualBand, qualitativeScore } from '../../src/forms/scoring';
import { hundredths, round } from '../../src/shared/decimal';

/*
 * Every qualitative band edge, for every integer weight 1–100 and a set of two-decimal weights. The edges are worked
 * out here in integer hundredths, independently of the code under test: 达成 [80 %, 100 %], 部分达成 [60 %, 80 %),
 * 未达成 [0, 60 %). A score is what a filler types, so it is a two-decimal number.
 */
const weights = [...Array.from({ length: 100 }, (_, i) => i + 1), 0.07, 0.5, 2.25, 7.35, 8.8, 12.45, 33.33, 89.99];
/** The lowest two-decimal score at or above pct % of the weight, in hundredths. */
const lowest = (w: number, pct: number) => Math.ceil((Math.round(w * 100) * pct) / 100);
const points = (h: number) => h / 100;
const levelOf = (w: number, h: number): QualLevel =>
  h * 100 >= Math.round(w * 100) * 80 ? '达成' : h * 100 >= Math.round(w * 100) * 60 ? '部分达成' : '未达成';

describe('qualitative band edges', () => {
  it.each(weights)('weight %s: 80 %% and 60 %% belong to the band above, one hundredth less to the band below', (w) => {
    for (const [pct, upper, lower] of [
      [80, '达成', '部分达成'],
      [60, '部分达成', '未达成'],
    ] as const) {
      const edge = lowest(w, pct);
      expect(inQualBand(upper, points(edge), w), `${upper} at ${points(edge)} of ${w}`).toBe(true);
      expect(inQualBand(lower, points(edge), w), `${lower} at ${points(edge)} of ${w}`).toBe(false);
      expect(inQualBand(lower, points(edge - 1), w), `${lower} at ${points(edge - 1)} of ${w}`).toBe(true);
      expect(inQualBand(upper, points(edge - 1), w), `${upper} at ${points(edge - 1)} of ${w}`).toBe(false);
      expect(qualitativeScore(upper, points(edge), w)).toBe(points(edge));
    }
    expect(inQualBand('达成', w, w)).toBe(true);
    expect(inQualBand('达成', round(w + 0.01), w)).toBe(false);
    expect(inQualBand('未达成', 0, w)).toBe(true);
  });

  it.each(weights)('weight %s: every score from 0 to the weight is in exactly one band, the one worked out', (w) => {
    for (let h = 0; h <= Math.round(w * 100); h += w > 20 ? 7 : 1) {
      const inside = (['达成', '部分达成', '未达成'] as const).filter((l) => inQualBand(l, points(h), w));
      expect(inside, `${points(h)} of ${w}`).toEqual([levelOf(w, h)]);
    }
  });

  it('keeps a score typed outside its band at the band edge, in two decimals', () => {
    expect(qualitativeScore('达成', 3, 7)).toBe(5.6);
    expect(qualitativeScore('部分达成', 7, 7)).toBe(5.6);
    expect(qualitativeScore('达成', 0.01, 0.07)).toBe(0.06); // 80 % of 0.07 is 0.056: the lowest score inside is 0.06
  });
});

describe('two-decimal arithmetic', () => {
  it('rounds half away from zero after clearing float noise', () => {
    expect(round(0.8 * 7)).toBe(5.6);
    expect(round(1.005)).toBe(1.01);
    expect(round(2.675)).toBe(2.68);
    expect(round(-1.005)).toBe(-1.01);
    expect(round(0.1 + 0.2)).toBe(0.3);
    expect(hundredths(0.8 * 7)).toBe(560);
    expect(round(1234.5, 0)).toBe(1235);
  });
});
