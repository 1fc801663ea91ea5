import { describe, expect, it } from 'vitest';
import { executionScore, grade, inQualBand, qualitativeScore, quantitativeScore } from '../../src/forms/scoring';

// Worked examples, each computable by hand from 财预〔2020〕10号 and the rules in the domain notes.
describe('indicator scoring', () => {
  it('positive indicators: met → full, missed → weight × actual / target', () => {
    expect(quantitativeScore('≥', 100, 120, 20)).toBe(20); // over target: full 20
    expect(quantitativeScore('≥', 100, 100, 20)).toBe(20); // exactly met
    expect(quantitativeScore('≥', 100, 85, 20)).toBe(17); // 20 × 85/100 = 17
    expect(quantitativeScore('≥', 95, 90, 10)).toBe(9.47); // 10 × 90/95 = 9.473… → 9.47
    expect(quantitativeScore('>', 100, 100, 10)).toBe(10); // not strictly greater: 10 × 100/100 = 10 (capped)
  });

  it('reverse indicators: linear drop to 0 at twice the target, or proportional', () => {
    expect(quantitativeScore('≤', 10, 8, 10)).toBe(10); // met
    expect(quantitativeScore('≤', 10, 12, 10)).toBe(8); // (1 − 2/10) × 10 = 8
    expect(quantitativeScore('≤', 10, 15, 10)).toBe(5); // (1 − 5/10) × 10 = 5
    expect(quantitativeScore('≤', 10, 25, 10)).toBe(0); // beyond 2× target → 0
    expect(quantitativeScore('≤', 10, 12, 10, '比例')).toBe(8.33); // 10 × 10/12 = 8.333… → 8.33
  });

  it('equal indicators: target 0 is met only at or below 0', () => {
    expect(quantitativeScore('=', 0, 0, 5)).toBe(5);
    expect(quantitativeScore('=', 0, 1, 5)).toBe(0);
    expect(quantitativeScore('=', 4, 3, 8)).toBe(6); // 8 × 3/4
  });

  it('qualitative indicators score inside their band', () => {
    expect(qualitativeScore('达成', 9, 10)).toBe(9);
    expect(qualitativeScore('部分达成', 7, 10)).toBe(7);
    expect(inQualBand('达成', 8, 10)).toBe(true);
    expect(inQualBand('部分达成', 8, 10)).toBe(false); // 80% belongs to 达成
    expect(inQualBand('未达成', 6, 10)).toBe(false);
    expect(inQualBand('未达成', 5.9, 10)).toBe(true);
  });

  it('execution rate: min(rate, 1) × 10', () => {
    expect(executionScore(0.925)).toBe(9.25);
    expect(executionScore(1.08)).toBe(10);
    expect(executionScore(0)).toBe(0);
  });

  it('grades: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below, with configurable bands', () => {
    expect([95, 90, 89.99, 80, 79.5, 60, 59.99].map((s) => grade(s))).toEqual([
      '优',
      '优',
      '良',
      '良',
      '中',
      '中',
      '差',
    ]);
    expect(
      grade(75, [
        ['优', 80],
        ['良', 70],
        ['中', 60],
        ['差', 0],
      ]),
    ).toBe('良');
  });
});
