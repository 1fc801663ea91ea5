import path from 'node:path';
import type { Dialect } from '../../src/db/database';
import { importOrg } from '../../src/org/org-import';
import { importClassified } from '../../src/project-rules';
import { FakeLark, type FakeLarkOptions } from '../../src/sandbox/fake-lark';
import { deliver, type LarkIdentity } from '../../src/sandbox/lark-sender';
import { startService, type Service, type ServiceOptions } from '../../src/service';
import { testConfig } from './config';
import { freshDatabase } from './databases';

export const demo = {
  performance: 'ou_demo0000000000000000000000001',
  admin: 'ou_demo0000000000000000000000003',
  filler: 'ou_demo0000000000000000000000021', // 刘洋, 杭州第一中学
  unitHead: 'ou_demo0000000000000000000000022', // 张伟, 杭州第一中学
  supervising: 'ou_demo0000000000000000000000011', // 郑伟, 杭州市教育局
  finance: 'ou_demo0000000000000000000000004', // 李华, 财政业务处室 in charge of 教育局
  otherFiller: 'ou_demo0000000000000000000000023', // 杨帆, 杭州职业技术学院
  stranger: 'ou_nobody00000000000000000000000',
};

export interface StackOptions {
  encryptKey?: string | null;
  verificationToken?: string;
  fakeLark?: FakeLarkOptions;
  outbox?: ServiceOptions['outbox'];
  seed?: boolean;
  eventMode?: 'webhook' | 'websocket';
  formsDir?: string;
  clock?: () => number;
  /** Reuse an existing database (a restart) instead of a fresh one. */
  databaseUrl?: string;
  /** The address the service uses for the fresh database (e.g. through a TCP proxy); seeding goes the same way. */
  routeDatabase?: (url: string) => string;
  longConnection?: ServiceOptions['longConnection'];
  /** More environment variables for the service's config. */
  env?: Record<string, string>;
}

export interface Stack {
  service: Service;
  databaseUrl: string;
  /** Stops the service and the fake Lark but keeps the database (to start again on it). */
  halt(): Promise<void>;
  fake: FakeLark;
  id: LarkIdentity;
  logs: string[];
  eventsUrl: string;
  /** Signs and posts like Lark; `signedAtMs` sets the signed timestamp (default now). */
  send(payload: unknown, id?: LarkIdentity, signedAtMs?: number): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

/** The whole service on a fresh database, its SDK pointed at a fake Lark on loopback, the demo org loaded. */
export async function startStack(dialect: Dialect, opts: StackOptions = {}): Promise<Stack> {
  const db = opts.databaseUrl ? { url: opts.databaseUrl, drop: async () => undefined } : await freshDatabase(dialect);
  const fake = new FakeLark(opts.fakeLark);
  const larkUrl = await fake.listen();
  const encryptKey = opts.encryptKey === null ? undefined : (opts.encryptKey ?? 'test-encrypt-key');
  const id: LarkIdentity = {
    appId: 'cli_a000000000000001',
    encryptKey,
    verificationToken: opts.verificationToken ?? 'test-verification-token',
  };
  const logs: string[] = [];
  const config = testConfig(opts.routeDatabase ? opts.routeDatabase(db.url) : db.url, {
    LOG_LEVEL: 'info',
    LARK_APP_ID: id.appId,
    LARK_APP_SECRET: 'test-secret',
    LARK_DOMAIN: larkUrl,
    ...(encryptKey ? { LARK_ENCRYPT_KEY: encryptKey } : {}),
    LARK_VERIFICATION_TOKEN: id.verificationToken!,
    LARK_EVENT_MODE: opts.eventMode ?? 'webhook',
    ...opts.env,
  });
  const service = await startService(config, {
    port: 0,
    host: '127.0.0.1',
    formsDir: opts.formsDir,
    clock: opts.clock,
    logDestination: { write: (line: string) => void logs.push(line) },
    outbox: { pollMs: 20, retryBaseMs: 50, timeoutMs: 2000, ...opts.outbox },
    longConnection: opts.longConnection,
  });
  if (opts.seed !== false && !opts.databaseUrl) {
    const examples = path.resolve(import.meta.dirname, '../../examples');
    await importOrg(service.deps.db, path.join(examples, 'org.yaml'), Date.now());
    await importClassified(service.deps.db, path.join(examples, 'projects.xlsx'), Date.now());
  }
  const eventsUrl = `${service.url}/lark/events`;
  return {
    service,
    fake,
    id,
    logs,
    eventsUrl,
    databaseUrl: db.url,
    send: (payload, as = id, signedAtMs) => deliver(eventsUrl, as, payload, signedAtMs),
    async halt() {
      await service.stop();
      await fake.close();
    },
    async stop() {
      await service.stop();
      await fake.close();
      await db.drop();
    },
  };
}

/** Waits until the outbox has sent everything due. */
export async function flush(stack: Stack): Promise<void> {
  await stack.service.outbox!.drain(20_000);
}

export const cardText = (card: unknown) => JSON.stringify(card);

/** Each approver in turn clicks 同意 on the newest approval card in their inbox. */
export async function approveAll(s: Stack, approvers: string[]): Promise<void> {
  const { CardDriver, reviewDefaults } = await import('./card-driver');
  for (const openId of approvers) {
    await flush(s);
    const a = new CardDriver(s, openId).fromInbox('待审批');
    await a.click('同意', { ...reviewDefaults(a.card), comment: '' });
    if (a.lastToast?.type !== 'success')
      throw new Error(`approval by ${openId} failed: ${JSON.stringify(a.lastToast)}`);
  }
  await flush(s);
}
