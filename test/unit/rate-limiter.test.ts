import { describe, expect, it } from 'vitest';
import { RateLimiter, SlidingWindow, larkRateLimits } from '../../src/lark/rate-limiter';

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

  it('keeps paced calls on a schedule: a late wake-up does not push the later slots back', () => {
    const w = new SlidingWindow({ max: 4, windowMs: 1000, paced: true });
    w.record(0);
    expect(w.waitMs(251)).toBe(0); // slot 250, woken 1 ms late
    w.record(251);
    expect(w.waitMs(251)).toBe(249); // the next slot is 500, not 501
    w.record(500);
    // After a pause the schedule restarts from the call, so an idle limiter releases no burst.
    w.record(5000);
    expect(w.waitMs(5000)).toBe(250);
  });
});

describe('RateLimiter', () => {
  it('reaches the configured rate over a simulated second, late timers included', async () => {
    let t = 0;
    const limiter = new RateLimiter(larkRateLimits(), () => t);
    const original = globalThis.setTimeout;
    // Every wait wakes 2 ms late, as a busy event loop does.
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      t += ms + 2;
      fn();
      return 0;
    }) as unknown as typeof setTimeout;
    try {
      let calls = 0;
      while (t < 1000) {
        await limiter.acquire(null);
        if (t < 1000) calls++;
      }
      expect(calls).toBeGreaterThanOrEqual(43); // 45/s configured: 95 % or more of it
    } finally {
      globalThis.setTimeout = original;
    }
  });

  it('takes Lark’s limits less the headroom from the settings', () => {
    expect(larkRateLimits()).toEqual({
      app: [
        { max: 45, windowMs: 1000, paced: true },
        { max: 950, windowMs: 60_000 },
      ],
      perRecipient: { max: 4, windowMs: 1000, paced: true },
    });
    expect(larkRateLimits({ perSecond: 100, perMinute: 5000, headroomPercent: 20 }).app.map((l) => l.max)).toEqual([
      80, 4500,
    ]);
  });
});
