import type { Executor } from './database.ts';

/** Below this many characters escaping is cheaper than the hex text it would become. */
const LONG = 512;

/**
 * A long text as a statement parameter. mysql2 escapes a string into the SQL in JavaScript, one character at a time:
 * ~30 µs for a 3 KB card of JSON, on every outbox row. A Buffer goes as a hex literal (`X'…'`, encoded natively),
 * which MySQL stores in the utf8mb4 column as the same text. SQLite binds strings natively and would store a Buffer as
 * a BLOB, so it gets the string.
 */
export function textParam(ex: Executor, text: string): string | Buffer {
  return text.length >= LONG && ex.client.config.client === 'mysql2' ? Buffer.from(text, 'utf8') : text;
}
