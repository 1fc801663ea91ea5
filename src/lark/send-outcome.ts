/**
 * What to do after one attempt to call Lark. Pure: the worker feeds it what the SDK returned or threw.
 * Lark answers some failures with HTTP 200 and a non-zero `code`, others with 4xx/5xx; both are covered.
 */
export interface AttemptResult {
  httpStatus?: number;
  code?: number;
  msg?: string;
  /** Seconds until the rate-limit window resets (`x-ogw-ratelimit-reset`). */
  resetSeconds?: number;
  timedOut?: boolean;
  networkError?: string;
  /** What the message refers to no longer exists (a stored file removed): never retried. */
  missing?: string;
}

export type Outcome =
  | { kind: 'sent' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'refresh_token'; reason: string }
  | { kind: 'dead'; reason: string };

export const MAX_ATTEMPTS = 8;

/** Codes that mean "this will never succeed as sent": dead-letter them with the reason. */
const permanent: Record<number, string> = {
  230001: 'invalid request parameters',
  230002: 'bot is not in the chat',
  230006: 'bot capability is not enabled',
  230013: 'user is outside the app availability',
  230025: 'message too long',
  230053: 'user has stopped the bot',
  230099: 'card content rejected',
  232009: 'chat dissolved',
  99991672: 'app lacks the API scope',
  99991401: 'server IP not in the allowlist',
  11101: 'invalid open_id',
  11247: 'daily batch quota exhausted',
};
/** Throttling codes: back off and try again. */
const throttled = new Set([99991400, 230020, 11232, 11233]);
const tokenInvalid = new Set([99991663, 99991661, 99991664]);

export function classify(
  r: AttemptResult,
  attempts: number,
  random: () => number = Math.random,
  baseMs = 1000,
): Outcome {
  const backoff = (reason: string, floorMs = 0): Outcome => {
    if (attempts + 1 >= MAX_ATTEMPTS)
      return { kind: 'dead', reason: `gave up after ${attempts + 1} attempts: ${reason}` };
    // Exponential from 1 s, capped at 5 min, with jitter in the upper half so retrying workers spread out.
    const base = Math.min(baseMs * 2 ** attempts, 300_000);
    return { kind: 'retry', delayMs: Math.max(floorMs, Math.round(base / 2 + (random() * base) / 2)), reason };
  };
  if (r.missing) return { kind: 'dead', reason: `missing: ${r.missing}` };
  if (r.timedOut) return backoff('timeout');
  if (r.networkError) return backoff(`network error: ${r.networkError}`);
  if (r.code !== undefined && tokenInvalid.has(r.code)) {
    return attempts + 1 >= MAX_ATTEMPTS
      ? { kind: 'dead', reason: `token refused repeatedly (${r.code})` }
      : { kind: 'refresh_token', reason: `token invalid (${r.code})` };
  }
  if (r.httpStatus === 429 || (r.code !== undefined && throttled.has(r.code))) {
    const floor = r.resetSeconds !== undefined ? r.resetSeconds * 1000 : 0;
    return backoff(`rate limited (${r.code ?? r.httpStatus})`, floor);
  }
  if (r.httpStatus !== undefined && r.httpStatus >= 500) return backoff(`server error ${r.httpStatus}`);
  if (r.code === 0 && (r.httpStatus === undefined || r.httpStatus < 300)) return { kind: 'sent' };
  if (r.code !== undefined && permanent[r.code])
    return { kind: 'dead', reason: `${r.code} ${permanent[r.code]}: ${r.msg ?? ''}`.trim() };
  if (r.code === undefined) return backoff(`unreadable response (HTTP ${r.httpStatus ?? '?'})`);
  return { kind: 'dead', reason: `${r.code} ${r.msg ?? 'unknown error'}` };
}
