/**
 * Sliding-window limits, the strict form of Lark's "50/s and 1000/min per app, 5/s per user": in no window of
 * that length are more calls made than allowed (a token bucket would let a full burst plus its refill through in one
 * second). Single-threaded JS makes check-and-record atomic.
 */
export interface Limit {
  max: number;
  windowMs: number;
  /**
   * Spread calls evenly (at least windowMs/max apart) instead of bursting at window edges: arrival jitter can push a
   * burst's stragglers into the next window on Lark's side. Used for the per-second limits.
   */
  paced?: boolean;
}

export class SlidingWindow {
  private readonly times: number[] = [];
  /**
   * Paced limits: the next slot on a fixed schedule (slot + windowMs/max), not the last actual call plus the spacing,
   * so a timer that wakes a millisecond late does not push every later call back (that drift cost ~10 % of the rate).
   */
  private nextSlot = -Infinity;
  constructor(private readonly limit: Limit) {}

  private get spacing(): number {
    return this.limit.windowMs / this.limit.max;
  }

  /** Milliseconds until one more call fits (0 = now). */
  waitMs(now: number): number {
    this.evict(now);
    const pace = this.limit.paced ? this.nextSlot - now : 0;
    if (this.times.length < this.limit.max) return Math.max(0, pace);
    return Math.max(pace, this.times[0]! + this.limit.windowMs - now);
  }

  record(now: number): void {
    this.times.push(now);
    // On schedule (or up to half a slot late): the next slot follows this one's. After a pause the schedule restarts
    // from now, so an idle limiter never releases a burst; the window above still caps any one window exactly.
    if (!this.limit.paced) return;
    const onSchedule = now - this.nextSlot <= this.spacing / 2;
    this.nextSlot = (onSchedule ? this.nextSlot : now) + this.spacing;
  }

  get idle(): boolean {
    return this.times.length === 0;
  }

  evict(now: number): void {
    while (this.times.length && this.times[0]! <= now - this.limit.windowMs) this.times.shift();
  }
}

export interface RateLimits {
  app: Limit[];
  perRecipient: Limit;
}

/**
 * Lark's limits less a headroom. Lark counts on arrival, so requests sent exactly at the limit can still trip it when
 * the network bunches them up; the default 10 % under (45/s and 950/min per app, 4/s per recipient) leaves room for
 * that jitter. LARK_RATE_PER_SECOND, LARK_RATE_PER_MINUTE and LARK_RATE_HEADROOM set them (an app granted more by
 * Lark, or a tenant that wants more margin).
 */
export function larkRateLimits(
  o: { perSecond: number; perMinute: number; headroomPercent: number } = {
    perSecond: 50,
    perMinute: 1000,
    headroomPercent: 10,
  },
): RateLimits {
  const under = (n: number, percent = o.headroomPercent) => Math.max(1, Math.floor((n * (100 - percent)) / 100));
  return {
    app: [
      { max: under(o.perSecond), windowMs: 1000, paced: true },
      // A minute is sixty times less sensitive to arrival jitter than a second: half the headroom there.
      { max: under(o.perMinute, o.headroomPercent / 2), windowMs: 60_000 },
    ],
    perRecipient: { max: under(5), windowMs: 1000, paced: true },
  };
}

export class RateLimiter {
  private readonly app: SlidingWindow[];
  private readonly recipients = new Map<string, SlidingWindow>();

  constructor(
    private readonly limits: RateLimits = larkRateLimits(),
    private readonly now: () => number = Date.now,
  ) {
    this.app = limits.app.map((l) => new SlidingWindow(l));
  }

  /** Waits until the app and the recipient may both take one more call, then records it. */
  async acquire(recipient: string | null, signal?: { stopped: boolean }): Promise<void> {
    for (;;) {
      const t = this.now();
      const r = recipient ? this.recipient(recipient) : undefined;
      const wait = Math.max(...this.app.map((w) => w.waitMs(t)), r?.waitMs(t) ?? 0);
      if (wait <= 0) {
        this.app.forEach((w) => w.record(t));
        r?.record(t);
        return;
      }
      if (signal?.stopped) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(Math.ceil(wait), 250)));
    }
  }

  /**
   * Records calls another sender made (oldest first), so a sender taking over does not start with empty windows and
   * send a second minute's worth inside the first.
   */
  seed(calls: { recipient: string | null; at: number }[]): void {
    for (const c of [...calls].sort((a, b) => a.at - b.at)) {
      this.app.forEach((w) => w.record(c.at));
      if (c.recipient) this.recipient(c.recipient).record(c.at);
    }
  }

  private recipient(key: string): SlidingWindow {
    let w = this.recipients.get(key);
    if (!w) {
      if (this.recipients.size > 10_000) this.sweep();
      w = new SlidingWindow(this.limits.perRecipient);
      this.recipients.set(key, w);
    }
    return w;
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, w] of this.recipients) {
      w.evict(t);
      if (w.idle) this.recipients.delete(k);
    }
  }
}
