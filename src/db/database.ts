import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Logger } from '../observability/logger.ts';
import { migrationSource } from './migration-source.ts';
import { BoundedCache } from '../shared/bounded-cache.ts';
import { SqliteClient } from './sqlite-client.ts';

export type Db = Knex;
export type Tx = Knex.Transaction;
/** Repositories take either the pool or an open transaction, so callers decide the transaction boundary. */
export type Executor = Knex | Knex.Transaction;
export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  return url.startsWith('mysql://') ? 'mysql' : 'sqlite';
}

/** Whether a pool or transaction talks to MySQL (the one other dialect is SQLite). */
export const isMysql = (ex: Executor): boolean => ex.client.config.client === 'mysql2';

export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length);
}

/**
 * knex's own warnings repeat errors the callers report themselves (a lost connection, per poll): keep them at debug.
 */
function knexLog(logger?: Logger): Knex.Config['log'] {
  const at = (m: unknown) => logger?.debug({ knex: m instanceof Error ? m.message : m }, 'knex');
  return { warn: at, error: at, deprecate: at, debug: at };
}

/**
 * Connections an instance opens to MySQL at most. Events wait for a connection when all are in use: under 50
 * concurrent events, 10 connections cost ~15 % more CPU per event than 25 (interleaved runs). MariaDB's default of 151
 * connections leaves room for several instances and the CLI.
 */
const MYSQL_POOL_MAX = 25;

export function createDb(url: string, logger?: Logger): Db {
  if (dialectOf(url) === 'mysql') {
    return knexFactory({
      client: 'mysql2',
      log: knexLog(logger),
      connection: {
        uri: url,
        charset: 'utf8mb4',
        // Timestamps are stored as epoch milliseconds, so the session time zone never matters;
        // DECIMAL money must come back as numbers on both dialects.
        decimalNumbers: true,
        supportBigNumbers: true,
        // Lark waits 3 s for an answer: an unreachable database must fail fast (503, redelivered), not hang.
        connectTimeout: 2000,
      } as Knex.MySql2ConnectionConfig,
      pool: { min: 0, max: MYSQL_POOL_MAX },
      acquireConnectionTimeout: 2000,
    });
  }
  const file = sqlitePath(url);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return knexFactory({
    client: SqliteClient,
    log: knexLog(logger),
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      // better-sqlite3 is synchronous and serialises writes itself: one connection avoids SQLITE_BUSY between pool
      // members.
      min: 1,
      max: 1,
      afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          cacheStatements(conn);
          done(null, conn);
        } catch (e) {
          done(e as Error, conn);
        }
      },
    },
  });
}

/**
 * Brings the schema up to date. Instances started together on one database race for knex's migration lock (or to
 * create its tables): the losers wait and try again, then find nothing left to apply.
 */
export async function migrateLatest(db: Db, waitMs = 60_000): Promise<string[]> {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
      return applied;
    } catch (err) {
      const racing = /already locked|knex_migrations/i.test(String(err));
      if (!racing || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 250));
    }
  }
}

export async function rollback(db: Db, all = false): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback({ migrationSource }, all)) as [number, string[]];
  return undone;
}

export async function isDbReachable(db: Db, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db.raw('select 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

interface SqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/**
 * knex prepares every statement anew, and compiling SQL was 6–8 % of an event's work on SQLite. The few hundred
 * distinct statements the service runs are kept prepared per connection. Safe because better-sqlite3 runs a statement
 * to completion synchronously (knex never iterates one), SQLite re-prepares a statement itself after a schema
 * change, and nothing here sets per-statement modes (safeIntegers) that a later use would inherit.
 */
function cacheStatements(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const prepared = new BoundedCache<unknown>(1000);
  conn.prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (statement === undefined) prepared.set(sql, (statement = prepare(sql)));
    return statement;
  };
}
