import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function run(env: Record<string, string>) {
  // As `npm start` runs it: the compiled service, one Node process.
  const child = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: root,
    env: { PATH: process.env.PATH!, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function waitForHealth(url: string, timeoutMs = 20_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('the server process', () => {
  // `npm start` compiles first when a source is newer than the build (npm install built it): so does this test.
  beforeAll(() => {
    const build = spawnSync('npm', ['run', '--silent', 'build:stale'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stdout + build.stderr).toBe(0);
  }, 180_000);

  it('refuses to start on a bad variable with exit code 1 and one line naming it', async () => {
    const p = run({ PORT: 'eighty' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toEqual(['环境变量 PORT 无效: 应为 1–65535 的整数（当前值 "eighty"）']);
  });

  it('starts on an empty SQLite file, answers /healthz, and exits 0 on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-proc-'));
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const p = run({ PORT: port, DATABASE_URL: `sqlite:${dir}/nested/db.sqlite`, LOG_LEVEL: 'info' });
    const res = await waitForHealth(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(fs.existsSync(`${dir}/nested/db.sqlite`)).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain('"msg":"stopped"');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
