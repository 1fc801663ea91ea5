import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createCardRenderer } from '../../src/cards/renderer';
import { launchCampaign } from '../../src/campaigns/launch';
import { createDb, migrateLatest } from '../../src/db/database';
import { FormStore } from '../../src/forms/form-store';
import { loadForms } from '../../src/forms/load-forms';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { DEPARTMENTS, cityCampaign, seedCity } from './city-seed';
import { startCommand } from '../helpers/start-command';
import { benchSecrets, loadFromChild } from './intake-bench';
import { figure } from './measure';

/*
 * The service as `npm start` runs it (its environment, node flags and the compiled entry; `helpers/start-command.ts`),
 * in a process of its own: time from spawn to a healthy /healthz on a migrated database, resident memory when idle,
 * and its peak under a mixed load on a city at ten times the design size of its staff. Linux only (/proc).
 */
const root = path.resolve(import.meta.dirname, '../..');
const STAFF = 100_000; // ten times a city's ~10,000
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** User + system CPU of a process so far, µs (clock ticks are 1/100 s on Linux). */
function cpuUs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const healthy = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
  });

interface Running {
  child: ChildProcess;
  port: number;
  startMs: number;
  stop(): Promise<void>;
}

async function start(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const t0 = performance.now();
  const command = startCommand();
  const child = spawn(process.execPath, command.nodeArgs, {
    cwd: root,
    env: { ...process.env, ...command.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  while (!(await healthy(port))) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before it was healthy`);
    await sleep(5);
  }
  const startMs = performance.now() - t0;
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { child, port, startMs, stop };
}

/** Waits until the service has sent everything queued (the outbox worker loads the Lark SDK when it first sends). */
async function drained(databaseUrl: string): Promise<void> {
  const db = createDb(databaseUrl);
  try {
    for (let waited = 0; waited < 60_000; waited += 200) {
      const rows = (await db('outbox').where({ status: 'pending' }).count({ n: '*' })) as { n: number }[];
      if (Number(rows[0]!.n) === 0) return;
      await sleep(200);
    }
    throw new Error('the outbox did not drain within 60 s');
  } finally {
    await db.destroy();
  }
}

/** How long after its last work V8's memory reducer has run (it waits for allocation to stop, then collects). */
const SETTLE_MS = 30_000;

/**
 * A first start (it may migrate, seed or find cards queued), kept up until its outbox is sent and measured 3 s and
 * 30 s later; then three restarts, the last kept running and measured after 3 s idle.
 */
async function starts(env: Record<string, string>) {
  const first = await start(env);
  await drained(env.DATABASE_URL!);
  await sleep(3000);
  const sentRss = rssMb(first.child.pid!);
  await sleep(SETTLE_MS - 3000);
  const settledRss = rssMb(first.child.pid!);
  await first.stop();
  const times: number[] = [];
  for (let i = 0; ; i++) {
    const s = await start(env);
    times.push(s.startMs);
    if (i === 2) {
      await sleep(3000);
      const idleRss = rssMb(s.child.pid!);
      return { running: s, firstMs: first.startMs, sentRss, settledRss, startMs: median(times), idleRss };
    }
    await s.stop();
  }
}

/** A migrated database with the 10× city and its target campaign open (2,247 tasks). */
async function cityDatabase(dir: string) {
  const url = `sqlite:${path.join(dir, 'city.sqlite')}`;
  const db = createDb(url);
  try {
    await migrateLatest(db);
    await seedCity(db, STAFF - 2 * (DEPARTMENTS - 1) - 1);
    const store = new FormStore(loadForms().forms);
    const input = cityCampaign(2026);
    await db.transaction((tx) => launchCampaign(tx, store, createCardRenderer(), input, null, Date.now()));
    // Project P<i> belongs to filler ou_f<i>'s department (the seed deals projects out in department order).
    const rows = (await db('projects').whereIn('code', fillerCodes()).select('id', 'code')) as {
      id: number;
      code: string;
    }[];
    return { url, projectOf: new Map(rows.map((r) => [r.code, Number(r.id)])) };
  } finally {
    await db.destroy();
  }
}

const fillerCodes = () => Array.from({ length: DEPARTMENTS - 1 }, (_, i) => `P${i}`);

/**
 * Per twenty requests: 8 帮助 from staff (each a different person, so the sender cache fills), 5 待办 and 6 form pages
 * by fillers, 1 进度 by the bureau (city-wide: its heaviest read).
 */
function mixedActs(projectOf: Map<string, number>) {
  const acts: { openId: string; text?: string; value?: Record<string, unknown> }[] = [];
  const fillers = DEPARTMENTS - 1;
  for (let k = 0; k < 1_000; k++) {
    const f = (k * 7) % fillers;
    const open = { action: 'form.open', form: 'performance-target', type: 'project', id: projectOf.get(`P${f}`) };
    for (let s = 0; s < 8; s++) acts.push({ openId: `ou_s${(k * 8 + s) * 12}`, text: '帮助' });
    for (let t = 0; t < 5; t++)
      acts.push({ openId: `ou_f${(f + t) % fillers}`, value: { action: 'command', command: 'todo' } });
    for (let p = 0; p < 6; p++) acts.push({ openId: `ou_f${f}`, value: open });
    acts.push({ openId: 'ou_perf', value: { action: 'command', command: 'progress' } });
  }
  return acts;
}

async function mixedLoad(s: Running, acts: object[], seconds: number, dir: string) {
  const pid = s.child.pid!;
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  const cpu0 = cpuUs(pid);
  try {
    const url = `http://127.0.0.1:${s.port}/lark/events`;
    const mixFile = path.join(dir, 'mix.json');
    fs.writeFileSync(mixFile, JSON.stringify(acts));
    const load = await loadFromChild(url, seconds, { mixFile, count: acts.length });
    const cpuPerRequest = (cpuUs(pid) - cpu0) / Math.max(1, load.total);
    await sleep(3000);
    return { ...load, cpuPerRequest, peak, after: rssMb(pid) };
  } finally {
    clearInterval(sampler);
  }
}

export async function benchFootprint(seconds: number): Promise<void> {
  await promisify(execFile)('npm', ['run', '--silent', 'build:stale'], { cwd: root });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-footprint-'));
  const fake = new FakeLark();
  try {
    const city = await cityDatabase(dir);
    const larkEnv = {
      DATABASE_URL: city.url,
      FILES_DIR: path.join(dir, 'files'),
      SANDBOX: 'off',
      LARK_APP_ID: 'cli_a000000000000001',
      LARK_APP_SECRET: 's',
      LARK_DOMAIN: await fake.listen(),
      LARK_ENCRYPT_KEY: benchSecrets.encryptKey,
      LARK_VERIFICATION_TOKEN: benchSecrets.token,
    };
    const lark = await starts(larkEnv);
    const mixed = await mixedLoad(lark.running, mixedActs(city.projectOf), seconds, dir).finally(lark.running.stop);

    const sandboxEnv = { DATABASE_URL: `sqlite:${path.join(dir, 'sandbox.sqlite')}`, SANDBOX: 'on', FILES_DIR: dir };
    const sandbox = await starts(sandboxEnv);
    await sandbox.running.stop();

    const { env, nodeArgs } = startCommand();
    const shown = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'node', ...nodeArgs].join(' ');
    console.log(`\nFootprint: \`${shown}\` in its own process, SQLite, migrated (median of 3 starts)`);
    console.log('| figure | value |');
    console.log('|---|---:|');
    const rows: [string, string, number, string][] = [
      ['first start, Lark app, 326 cards queued', 'footprint_first_start_lark', lark.firstMs, 'ms'],
      ['first start, sandbox, migrating and seeding the demo', 'footprint_first_start_sandbox', sandbox.firstMs, 'ms'],
      ['restart to a healthy /healthz, Lark app', 'footprint_start_lark', lark.startMs, 'ms'],
      ['restart to a healthy /healthz, sandbox', 'footprint_start_sandbox', sandbox.startMs, 'ms'],
      ['resident memory idle after a restart, Lark app', 'footprint_idle_rss_lark', lark.idleRss, 'MB'],
      ['resident memory idle after a restart, sandbox', 'footprint_idle_rss_sandbox', sandbox.idleRss, 'MB'],
      ['resident memory 3 s after sending (Lark SDK loaded), Lark app', 'footprint_sent_rss_lark', lark.sentRss, 'MB'],
      ['resident memory 3 s after sending, sandbox', 'footprint_sent_rss_sandbox', sandbox.sentRss, 'MB'],
      ['resident memory idle 30 s after sending, Lark app', 'footprint_settled_rss_lark', lark.settledRss, 'MB'],
      ['resident memory idle 30 s after sending, sandbox', 'footprint_settled_rss_sandbox', sandbox.settledRss, 'MB'],
      [`resident memory peak, mixed load, ${STAFF / 1000}k staff`, 'footprint_peak_rss', mixed.peak, 'MB'],
      ['resident memory 3 s after the load', 'footprint_after_rss', mixed.after, 'MB'],
      ['mixed load, requests/s', 'footprint_mixed_rps', mixed.rps, 'req/s'],
      ['mixed load, CPU per request', 'footprint_mixed_cpu_per_request', mixed.cpuPerRequest, 'µs'],
      ['mixed load, p99', 'footprint_mixed_p99', mixed.p99, 'ms'],
      ['mixed load, non-2xx answers', 'footprint_mixed_non2xx', mixed.non2xx, ''],
    ];
    for (const [label, name, value, unit] of rows) {
      console.log(`| ${label} | ${Math.round(value).toLocaleString('en')} ${unit} |`);
      figure(name, value, unit);
    }
  } finally {
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
