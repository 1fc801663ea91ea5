import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, classify } from '../../src/lark/send-outcome';

const half = () => 0.5;

describe('classify', () => {
  it('counts code 0 on HTTP 200 as sent', () => {
    expect(classify({ httpStatus: 200, code: 0 }, 0)).toEqual({ kind: 'sent' });
  });

  it('backs off exponentially with jitter on 5xx, timeouts and network errors', () => {
    expect(classify({ httpStatus: 500 }, 0, half)).toEqual({ kind: 'retry', delayMs: 750, reason: 'server error 500' });
    expect(classify({ httpStatus: 503, code: 1 }, 3, half)).toMatchObject({ kind: 'retry', delayMs: 6000 });
    expect(classify({ timedOut: true }, 1, () => 0)).toMatchObject({ kind: 'retry', delayMs: 1000 });
    expect(classify({ networkError: 'ECONNREFUSED' }, 1, () => 1)).toMatchObject({ kind: 'retry' });
  });

  it('waits at least x-ogw-ratelimit-reset on 429 and on throttling codes delivered with HTTP 400', () => {
    expect(classify({ httpStatus: 429, code: 99991400, resetSeconds: 7 }, 0, half)).toMatchObject({
      kind: 'retry',
      delayMs: 7000,
    });
    expect(classify({ httpStatus: 400, code: 230020 }, 0, half)).toMatchObject({
      kind: 'retry',
      reason: 'rate limited (230020)',
    });
  });

  it('asks for a new token on 99991663', () => {
    expect(classify({ httpStatus: 400, code: 99991663 }, 0)).toMatchObject({ kind: 'refresh_token' });
  });

  it.each([[230013], [230053], [230099], [230002]])('dead-letters permanent code %i with its meaning', (code) => {
    const o = classify({ httpStatus: 400, code, msg: 'detail' }, 0);
    expect(o.kind).toBe('dead');
    expect((o as { reason: string }).reason).toMatch(new RegExp(`^${code} .+: detail$`));
  });

  it('gives up after the maximum number of attempts', () => {
    expect(classify({ httpStatus: 500 }, MAX_ATTEMPTS - 1)).toMatchObject({
      kind: 'dead',
      reason: expect.stringContaining('gave up'),
    });
  });

  it('retries a 200 whose body is not Lark JSON', () => {
    expect(classify({ httpStatus: 200 }, 0, half)).toMatchObject({
      kind: 'retry',
      reason: 'unreadable response (HTTP 200)',
    });
  });
});
