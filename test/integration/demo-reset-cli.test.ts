import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/* `npm run demo:reset` as a newcomer runs it: the real CLI process on the embedded database's files. */
const root = path.resolve(import.meta.dirname, '../..');
const reset = (databaseUrl: string) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'demo', 'reset'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl },
  });

describe('demo reset', () => {
  it('removes the embedded database and its log so the sandbox seeds anew, and leaves MySQL alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-reset-'));
    const file = path.join(dir, 'jixiao.sqlite');
    fs.writeFileSync(file, 'x');
    fs.writeFileSync(`${file}-wal`, 'x');
    const r = reset(`sqlite:${file}`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('下次 npm start 将重新载入演示组织');
    expect(fs.existsSync(file) || fs.existsSync(`${file}-wal`)).toBe(false);
    const mysql = reset('mysql://app:app@127.0.0.1:3306/jixiao');
    expect(mysql.status).toBe(1);
    expect(mysql.stderr).toContain('只能重置内置 SQLite 数据库');
    fs.rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});
