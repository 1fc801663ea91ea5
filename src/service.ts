import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { DestinationStream } from 'pino';
import { createApp } from './app';
import { createBot } from './bot/bot';
import { createLarkApi, type LarkCredentials } from './lark/lark-api';
import { createLongConnection } from './lark/long-connection';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './lark/outbox-worker';
import { createPruner } from './lark/pruner';
import { type Scheduler, createScheduler } from './campaigns/scheduler';
import type { AppDeps } from './app-deps';
import type { Config } from './config/config';
import { createDb, migrateLatest } from './db/database';
import { createLogger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import { type Clock, systemClock } from './shared/clock';

/** A loop that runs beside HTTP (outbox worker, scheduler): started after listen, stopped before the DB closes. */
export interface Background {
  start(): void;
  stop(): Promise<void>;
}

export interface Service {
  app: Koa;
  deps: AppDeps;
  /** Present when Lark credentials are configured. */
  outbox?: OutboxWorker;
  scheduler: Scheduler;
  server: http.Server;
  url: string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  logDestination?: DestinationStream;
  /** Port 0 picks a free one (tests). Defaults to config.port. */
  port?: number;
  host?: string;
  /** Adds middleware after the app's own (the callback is composed once, so later `app.use` calls are not seen). */
  extend?: (app: Koa) => void;
  /** Where form definitions live (default forms/). */
  formsDir?: string;
  /** Overrides for the outbox worker (tests: short polls, rate limits). */
  outbox?: Partial<Omit<OutboxWorkerOptions, 'db' | 'api' | 'logger' | 'metrics'>> & { timeoutMs?: number; autoStart?: boolean };
}

export async function startService(config: Config, opts: ServiceOptions = {}): Promise<Service> {
  const logger = createLogger(config.logLevel, opts.logDestination);
  const db = createDb(config.databaseUrl);
  const applied = await migrateLatest(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const deps: AppDeps = { config, db, logger, metrics: createMetrics(), clock: opts.clock ?? systemClock };
  const bot = createBot(deps, { formsDir: opts.formsDir });
  const app = createApp(deps, bot);
  opts.extend?.(app);
  // server.close() waits for sockets, not handlers: a client that hangs up mid-request would otherwise let the
  // database close under a running handler. Count requests ourselves.
  let inFlight = 0;
  let idle: (() => void) | undefined;
  app.middleware.unshift(async (_ctx, next) => {
    inFlight++;
    try {
      await next();
    } finally {
      if (--inFlight === 0) idle?.();
    }
  });
  const scheduler = createScheduler(deps, bot.forms, bot.cards);
  const background: Background[] = [createPruner(deps), scheduler];

  let outbox: OutboxWorker | undefined;
  const creds = larkCredentials(config);
  if (creds) {
    const api = createLarkApi(creds, logger, opts.outbox?.timeoutMs);
    outbox = createOutboxWorker({ db, api, logger, metrics: deps.metrics, ...opts.outbox });
    if (opts.outbox?.autoStart !== false) background.push(outbox);
    if (config.lark.eventMode === 'websocket') background.push(createLongConnection(creds, bot.dispatcher, logger));
  } else {
    logger.warn('LARK_APP_ID is not set: outgoing messages stay queued in the outbox');
  }

  const server = http.createServer(app.callback());
  // Lark's own timeouts are 3 s; a slow client must not hold a socket forever.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  for (const b of background) b.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('stopping: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets with no request in flight would otherwise hold close() open.
      server.closeIdleConnections();
      await closed;
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      await Promise.all(background.map((b) => b.stop()));
      await db.destroy();
      logger.info('stopped');
    })());

  return { app, deps, server, url, stop, outbox, scheduler };
}

function larkCredentials(config: Config): LarkCredentials | undefined {
  const { appId, appSecret, domain } = config.lark;
  return appId && appSecret ? { appId, appSecret, domain } : undefined;
}
