import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { createDb, migrateLatest, type Db, type Dialect } from '../../src/db/database';

/**
 * Database tests run on SQLite always and on MySQL whenever TEST_MYSQL_URL is set. With REQUIRE_MYSQL=1 the MySQL
 * variant is always listed, so a missing or unreachable server fails the run instead of skipping.
 */
export function dialects(): Dialect[] {
  const mysql = Boolean(process.env.TEST_MYSQL_URL) || process.env.REQUIRE_MYSQL === '1';
  return mysql ? ['sqlite', 'mysql'] : ['sqlite'];
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given dialect: a temp SQLite file, or a new schema on the MySQL server. */
export async function freshDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-test-'));
    return {
      url: `sqlite:${path.join(dir, 'test.sqlite')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_MYSQL_URL;
  if (!base) throw new Error('REQUIRE_MYSQL=1 but TEST_MYSQL_URL is not set: MySQL tests cannot be skipped');
  const name = `jx_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'mysql2', connection: base, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.destroy();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = knexFactory({ client: 'mysql2', connection: base, pool: { min: 0, max: 1 } });
      try {
        await a.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await a.destroy();
      }
    },
  };
}

/** A migrated database plus its knex handle; `close` destroys the pool and drops the database. */
export async function migratedDb(dialect: Dialect): Promise<{ db: Db; url: string; close(): Promise<void> }> {
  const t = await freshDatabase(dialect);
  const db = createDb(t.url);
  await migrateLatest(db);
  return {
    db,
    url: t.url,
    close: async () => {
      await db.destroy();
      await t.drop();
    },
  };
}
