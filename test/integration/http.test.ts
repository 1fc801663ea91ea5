import { afterEach, describe, expect, it } from 'vitest';
import { startService, type Service, type ServiceOptions } from '../../src/service';
import { testConfig } from '../helpers/config';
import { dialects, freshDatabase, type TestDatabase } from '../helpers/databases';

describe.each(dialects())('HTTP service on %s', (dialect) => {
  let t: TestDatabase;
  let service: Service | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await t?.drop();
  });

  async function start(extend?: ServiceOptions['extend']) {
    t = await freshDatabase(dialect);
    service = await startService(testConfig(t.url), { port: 0, host: '127.0.0.1', extend });
    return service;
  }

  it('answers /healthz with 200 while the database answers, then 503 when it is gone', async () => {
    const s = await start();
    const ok = await fetch(`${s.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', checks: { database: 'ok', deadLetters: 0 } });
    await s.deps.db.destroy();
    const down = await fetch(`${s.url}/healthz`);
    expect(down.status).toBe(503);
    expect(((await down.json()) as { status: string }).status).toBe('unavailable');
  });

  it('serves Prometheus metrics including request durations', async () => {
    const s = await start();
    await fetch(`${s.url}/healthz`);
    const res = await fetch(`${s.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/jixiao_http_request_duration_seconds_count\{route="\/healthz",status="200"\} 1/);
    expect(text).toContain('jixiao_process_cpu_user_seconds_total');
  });

  it('refuses bodies over 1 MB with 413 and malformed JSON with 400, and stays up', async () => {
    const s = await start();
    const big = await fetch(`${s.url}/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(1024 * 1024 + 10)}"`,
    });
    expect(big.status).toBe(413);
    const bad = await fetch(`${s.url}/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    expect(bad.headers.get('x-request-id')).toBeTruthy();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('stops gracefully: the in-flight request completes, new connections are refused, the database is closed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const s = await start((app) =>
      app.use(async (ctx, next) => {
        if (ctx.path !== '/slow') return next();
        entered();
        await gate;
        ctx.body = { done: true };
      }),
    );
    const inFlight = fetch(`${s.url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await inside;
    const stopped = s.stop();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    release();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await stopped;
    await expect(s.deps.db.raw('select 1')).rejects.toThrow();
    service = undefined;
  });
});
