import { attemptFromError } from './lark-api.ts';
import { type AttemptResult, classify } from './send-outcome.ts';

/**
 * One read from Lark's API (contacts, say) under the outbox's rules: throttling (429, 99991400, honouring
 * `x-ogw-ratelimit-reset`), 5xx, timeouts and network errors back off and try again; anything else, or the last
 * attempt, rejects with what `fail` makes of Lark's answer.
 */
export async function readWithRetries<T extends { code?: number; msg?: string }>(
  call: () => Promise<T>,
  fail: (detail: string) => Error,
  baseMs = 1000,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let result: AttemptResult;
    try {
      const res = await call();
      if (res.code === 0) return res;
      result = { code: res.code, msg: res.msg };
    } catch (err) {
      result = attemptFromError(err);
    }
    const outcome = classify(result, attempt, Math.random, baseMs);
    if (outcome.kind !== 'retry') {
      const what = result.code ?? result.httpStatus ?? result.networkError ?? (result.timedOut ? '超时' : '');
      throw fail(`${what} ${result.msg ?? ''}`.trim());
    }
    await new Promise((r) => setTimeout(r, outcome.delayMs));
  }
}
