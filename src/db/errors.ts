/*
 * Driver errors by meaning, for both dialects. A unique violation is how concurrent twins learn they lost; an
 * infrastructure error (connection refused or lost, pool timeout, lock wait, busy file) is worth a redelivery.
 */

const codeOf = (err: unknown): string => String((err as { code?: unknown } | null)?.code ?? '');

/**
 * True for a duplicate-key error on either dialect: how "insert to claim" detects that someone else got there first.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return (
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    (typeof e?.code === 'string' && /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(e.code))
  );
}

const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_CANTOPEN',
]);

/** True when the database, not the handler, failed: the same event may well succeed later. */
export function isInfrastructureError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (transientCodes.has(codeOf(e))) return true;
    const name = (e as { name?: unknown }).name;
    if (name === 'KnexTimeoutError') return true; // no connection from the pool in time
    const message = String((e as { message?: unknown }).message ?? '');
    if (
      /Connection lost|connect ECONNREFUSED|Can't add new command when connection is in closed state|database is locked/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}

/** MySQL chose this transaction as a deadlock victim: it was rolled back whole and may simply run again. */
export const isDeadlock = (err: unknown): boolean =>
  codeOf(err) === 'ER_LOCK_DEADLOCK' || (err as { errno?: number } | null)?.errno === 1213;
