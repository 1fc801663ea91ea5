import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import Koa from 'koa';
import { type Db, type Dialect, createDb, migrateLatest } from '../../src/db/database';
import { importOrg } from '../../src/org/org-import';
import { importClassified } from '../../src/project-rules';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { startService } from '../../src/service';
import { testConfig } from '../helpers/config';
import { freshDatabase } from '../helpers/databases';
import { figure } from './measure';
import { minimalPipeline } from './minimal-pipeline';

/*
 * Intake over HTTP, the load generator in its own process (autocannon, 50 connections), three rounds interleaved so a
 * noisy neighbour hurts every case alike: bare Koa, the minimal pipeline (signature, decrypt, two inserts) and the
 * product, on each database. Reports each case's median round and the product's share of the pipeline.
 */
/** The Lark app's event secrets every bench's server and load generator share. */
export const benchSecrets = { encryptKey: 'bench-encrypt-key', token: 'bench-token' };
/** The demo organisation's filler (杭州第一中学), who sends the benches' messages and clicks. */
export const benchFiller = 'ou_demo0000000000000000000000021';
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests answered in the whole load. */
  total: number;
  /** CPU time the serving process spent per request (µs): steadier than req/s on a shared machine. */
  cpuUs: number;
}

export async function loadFromChild(url: string, seconds: number, extra: object = {}): Promise<Load> {
  const args = JSON.stringify({
    url,
    seconds,
    connections: 50,
    encryptKey: benchSecrets.encryptKey,
    token: benchSecrets.token,
    ...extra,
  });
  const cpu = process.cpuUsage();
  const { stdout } = await run(path.join(root, 'node_modules/.bin/tsx'), ['test/bench/load-generator.ts', args], {
    cwd: root,
    maxBuffer: 1 << 20,
  });
  const used = process.cpuUsage(cpu);
  const load = JSON.parse(stdout.trim().split('\n').pop()!) as Omit<Load, 'cpuUs'>;
  return { ...load, cpuUs: Math.round((used.user + used.system) / Math.max(1, load.total)) };
}

interface Target {
  name: string;
  url: string;
  close(): Promise<void>;
}

async function bareKoa(): Promise<Target> {
  const app = new Koa();
  app.use((ctx) => void (ctx.body = {}));
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { name: 'bare Koa', url, close: async () => void server.close() };
}

export async function pipeline(dialect: Dialect): Promise<Target> {
  const t = await freshDatabase(dialect);
  const db = createDb(t.url);
  await migrateLatest(db);
  const p = await minimalPipeline(db, benchSecrets.encryptKey);
  const close = async () => {
    p.close();
    await db.destroy();
    await t.drop();
  };
  return { name: `minimal pipeline (${dialect})`, url: p.url, close };
}

export async function product(dialect: Dialect): Promise<Target & { db: Db }> {
  const db = await freshDatabase(dialect);
  const fake = new FakeLark();
  const config = testConfig(db.url, {
    LARK_APP_ID: 'cli_a000000000000001',
    LARK_APP_SECRET: 's',
    LARK_DOMAIN: await fake.listen(),
    LARK_ENCRYPT_KEY: benchSecrets.encryptKey,
    LARK_VERIFICATION_TOKEN: benchSecrets.token,
  });
  // The worker stays off: this measures intake alone, up to the committed outbox row.
  const service = await startService(config, { port: 0, host: '127.0.0.1', outbox: { autoStart: false } });
  await importOrg(service.deps.db, path.join(root, 'examples/org.yaml'), Date.now());
  await importClassified(service.deps.db, path.join(root, 'examples/projects.xlsx'), Date.now());
  const close = async () => {
    await service.stop();
    await fake.close();
    await db.drop();
  };
  const url = `${service.url}/lark/events`;
  return { name: `product, signed encrypted 帮助 (${dialect})`, url, close, db: service.deps.db };
}

/*
 * 帮助 only reads and answers, so it runs without a dedupe key (and on MySQL without a transaction). A message that
 * is handled in a transaction with its dedupe keys, doing as little else: a filler typing a bureau command, answered
 * with one card saying whom it is for.
 */
const inTransaction = {
  label: 'signed encrypted 发起填报 by a filler, in a transaction',
  load: { act: { openId: benchFiller, text: '发起填报' } },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchIntake(seconds: number): Promise<void> {
  const dialects: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  if (!process.env.TEST_MYSQL_URL) console.log('  (set TEST_MYSQL_URL to include MySQL)');
  const cases: [string, () => Promise<Target>, object?][] = [
    ['bare', bareKoa],
    ...dialects.flatMap((d): [string, () => Promise<Target>, object?][] => [
      [`pipeline-${d}`, () => pipeline(d)],
      [`product-${d}`, () => product(d)],
      [
        `product_tx-${d}`,
        async () => ({ ...(await product(d)), name: `product, ${inTransaction.label} (${d})` }),
        inTransaction.load,
      ],
    ]),
  ];
  const results = new Map<string, { name: string; loads: Load[] }>();
  for (let round = 0; round < 3; round++) {
    for (const [key, start, extra] of cases) {
      const target = await start();
      try {
        const load = await loadFromChild(target.url, seconds, extra);
        const r = results.get(key) ?? { name: target.name, loads: [] };
        r.loads.push(load);
        results.set(key, r);
      } finally {
        await target.close();
      }
    }
  }
  const med = (key: string) => {
    const loads = results.get(key)!.loads;
    const of = (f: (l: Load) => number) => median(loads.map(f));
    return { rps: of((l) => l.rps), p99: of((l) => l.p99), cpuUs: of((l) => l.cpuUs), non2xx: loads[0]!.non2xx };
  };
  console.log('\nLark intake over HTTP (load generator in its own process, 50 connections, median of 3 rounds)');
  console.log('| case | req/s | p99 ms | CPU µs/req | non-2xx | vs bare Koa | product / pipeline (req/s, CPU) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  const bare = med('bare');
  for (const [key] of cases) {
    const m = med(key);
    const base = key.startsWith('product') ? med(key.replace(/^product(_tx)?/, 'pipeline')) : undefined;
    const vsPipeline = base && m.rps / base.rps;
    const cpuShare = base && base.cpuUs / m.cpuUs;
    const share = base ? `${pct(vsPipeline!)}, ${pct(cpuShare!)}` : '';
    const row = [results.get(key)!.name, m.rps, m.p99, m.cpuUs, m.non2xx, pct(m.rps / bare.rps), share];
    console.log(`| ${row.join(' | ')} |`);
    figure(`intake_${key}_rps`, m.rps, 'req/s', vsPipeline);
    figure(`intake_${key}_cpu_per_request`, m.cpuUs, 'µs', cpuShare);
  }
}

const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
