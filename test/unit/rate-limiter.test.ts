import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../src/lark/rate-limiter';

describe('SlidingWindow', () => {
  it('allows max calls in any window and tells how long to wait for the next', () => {
    const w = new SlidingWindow({ max: 3, windowMs: 1000 });
    for (const t of [0, 10, 20]) {
      expect(w.waitMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.waitMs(500)).toBe(500);
    expect(w.waitMs(1000)).toBe(0);
  });

  it('paces calls evenly when asked to', () => {
    const w = new SlidingWindow({ max: 4, windowMs: 1000, paced: true });
    w.record(0);
    expect(w.waitMs(100)).toBe(150);
    expect(w.waitMs(250)).toBe(0);
  });
});
