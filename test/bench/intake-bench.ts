import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import type { Dialect } from '../../src/db/database';
import { importOrg } from '../../src/org/org-import';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { textMessage, toRequest } from '../../src/sandbox/lark-sender';
import { startService } from '../../src/service';
import { testConfig } from '../helpers/config';
import { freshDatabase } from '../helpers/databases';
import { type HttpFigures, load, printTable } from './measure';

const filler = 'ou_demo0000000000000000000000021';
const id = { appId: 'cli_a000000000000001', encryptKey: 'bench-encrypt-key', verificationToken: 'bench-token' };

async function bareKoa(durationS: number): Promise<HttpFigures> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = {};
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const body = toRequest(id, textMessage(id, filler, '帮助'));
  try {
    return await load('bare Koa, answers 200', url, () => body, durationS);
  } finally {
    server.close();
  }
}

async function intake(dialect: Dialect, durationS: number): Promise<HttpFigures> {
  const db = await freshDatabase(dialect);
  const fake = new FakeLark();
  const config = testConfig(db.url, {
    LARK_APP_ID: id.appId,
    LARK_APP_SECRET: 's',
    LARK_DOMAIN: await fake.listen(),
    LARK_ENCRYPT_KEY: id.encryptKey,
    LARK_VERIFICATION_TOKEN: id.verificationToken,
  });
  // The worker stays off: this measures intake alone, up to the committed outbox row.
  const service = await startService(config, { port: 0, host: '127.0.0.1', outbox: { autoStart: false } });
  await importOrg(service.deps.db, path.resolve(import.meta.dirname, '../../examples/org.yaml'), Date.now());
  // Signing is done ahead of time so the load generator measures the service, not itself.
  const requests = Array.from({ length: 60_000 }, () => toRequest(id, textMessage(id, filler, '帮助')));
  let i = 0;
  try {
    const figures = await load(
      `signed + encrypted 帮助 → outbox row (${dialect})`,
      `${service.url}/lark/events`,
      () => requests[i++ % requests.length]!,
      durationS,
    );
    const rows = Number(((await service.deps.db('outbox').count({ n: '*' })) as { n: number }[])[0]!.n);
    console.log(`  ${dialect}: ${rows} outbox rows written, ${figures.non2xx} non-2xx answers`);
    return figures;
  } finally {
    await service.stop();
    await fake.close();
    await db.drop();
  }
}

export async function benchIntake(durationS: number): Promise<void> {
  const dialects: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  if (!process.env.TEST_MYSQL_URL) console.log('  (set TEST_MYSQL_URL to include MySQL)');
  const bare = await bareKoa(durationS);
  const rows = [bare];
  for (const d of dialects) rows.push(await intake(d, durationS));
  printTable('Lark intake over HTTP (autocannon, 16 connections, loopback)', rows, bare);
}
