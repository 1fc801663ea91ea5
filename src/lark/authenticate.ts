import { decrypt, signature, signatureMatches } from './crypto.ts';

export interface LarkSecrets {
  encryptKey?: string;
  verificationToken?: string;
  /** Oldest signed event accepted, in seconds (LARK_REPLAY_WINDOW_S); card callbacks get at most CALLBACK_WINDOW_S. */
  replayWindowS?: number;
}

/** Card callbacks are answered at once and never redelivered: their timestamp is always fresh. */
export const CALLBACK_WINDOW_S = 300;
/** How far ahead of our clock a timestamp may be (clock skew). */
const FUTURE_SKEW_S = 300;

export type Authenticated = { ok: true; payload: Record<string, unknown> };
/** `check` names what failed and `setting` what an operator should look at; both go to the log, never to the caller. */
export type Refused = { ok: false; status: 400 | 401; check: string; setting: string };

interface RequestParts {
  rawBody: Buffer;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const header = (h: RequestParts['headers'], name: string) => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Decides whether a POST to /lark/events really comes from Lark, and returns the plaintext payload.
 * With an Encrypt Key: the body must be `{"encrypt": …}`, signed over the raw bytes. The one exception is the
 * url_verification challenge, which proves itself by decrypting with the key and carrying the right token.
 * Without an Encrypt Key: the payload's Verification Token must match.
 */
export function authenticate(req: RequestParts, secrets: LarkSecrets, nowMs = Date.now()): Authenticated | Refused {
  const refuse = (check: string, setting: string, status: 400 | 401 = 401): Refused => ({
    ok: false,
    status,
    check,
    setting,
  });
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return refuse('body is not a JSON object', 'the sender', 400);

  if (!secrets.encryptKey && !secrets.verificationToken) {
    return refuse('no event security configured', 'LARK_ENCRYPT_KEY or LARK_VERIFICATION_TOKEN');
  }

  if (secrets.encryptKey) {
    if (typeof body.encrypt !== 'string') {
      return refuse(
        'body is not encrypted although an Encrypt Key is configured',
        'LARK_ENCRYPT_KEY (and the Encrypt Key in the developer console)',
      );
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decrypt(body.encrypt, secrets.encryptKey)) as Record<string, unknown>;
    } catch {
      return refuse('body cannot be decrypted', 'LARK_ENCRYPT_KEY');
    }
    if (!payload || typeof payload !== 'object')
      return refuse('decrypted body is not a JSON object', 'LARK_ENCRYPT_KEY');
    const isChallenge = payload.type === 'url_verification';
    const ts = header(req.headers, 'x-lark-request-timestamp');
    const nonce = header(req.headers, 'x-lark-request-nonce');
    const sig = header(req.headers, 'x-lark-signature');
    if (!ts || !nonce || !sig) {
      if (!isChallenge) return refuse('signature headers missing', 'LARK_ENCRYPT_KEY (requests must come from Lark)');
    } else if (!signatureMatches(signature(ts, nonce, secrets.encryptKey, req.rawBody), sig)) {
      return refuse('signature mismatch', 'LARK_ENCRYPT_KEY');
    } else if (secrets.replayWindowS) {
      // The timestamp is signed: a captured request replayed later is too old, or (inside the window) already seen.
      const isCallback = eventTypeOf(payload) === 'card.action.trigger';
      const window = isCallback ? Math.min(CALLBACK_WINDOW_S, secrets.replayWindowS) : secrets.replayWindowS;
      const age = nowMs / 1000 - Number(ts);
      if (!Number.isFinite(age)) return refuse('request timestamp is not a number', 'the sender');
      if (age > window || age < -FUTURE_SKEW_S) {
        return refuse(
          `request timestamp ${Math.round(age)} s ${age > 0 ? 'old' : 'in the future'}, outside the ${window} s replay window`,
          'LARK_REPLAY_WINDOW_S (or the server clock)',
        );
      }
    }
    if (secrets.verificationToken && tokenOf(payload) !== secrets.verificationToken) {
      return refuse('verification token mismatch', 'LARK_VERIFICATION_TOKEN');
    }
    return { ok: true, payload };
  }

  if (typeof body.encrypt === 'string')
    return refuse('body is encrypted but no Encrypt Key is configured', 'LARK_ENCRYPT_KEY');
  if (tokenOf(body) !== secrets.verificationToken)
    return refuse('verification token mismatch', 'LARK_VERIFICATION_TOKEN');
  return { ok: true, payload: body };
}

function eventTypeOf(payload: Record<string, unknown>): unknown {
  const h = payload.header as Record<string, unknown> | undefined;
  return h && typeof h === 'object' ? h.event_type : undefined;
}

/** Schema 2.0 carries the token in `header.token`; the challenge and v1 events at the top level. */
function tokenOf(payload: Record<string, unknown>): unknown {
  const h = payload.header as Record<string, unknown> | undefined;
  return h && typeof h === 'object' ? h.token : payload.token;
}
