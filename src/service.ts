import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { DestinationStream } from 'pino';
import { createApp } from './app.ts';
import { type Bot, createBot } from './bot/bot.ts';
import type { HealthProbe } from './http/health-routes.ts';
import { type FileFetcher, createFileFetcher, diskFileStore } from './files/index.ts';
import { type OrgSyncJob, createOrgSyncJob } from './directory/index.ts';
import { loadSyncMapping } from './org/index.ts';
import { createLarkApi, type LarkCredentials } from './lark/lark-api.ts';
import { verifyCredentials } from './lark/verify-credentials.ts';
import { createLongConnection, type LongConnectionOptions } from './lark/long-connection.ts';
import { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions } from './lark/outbox-worker.ts';
import { createPruner } from './lark/pruner.ts';
import { larkRateLimits } from './lark/rate-limiter.ts';
import { type Scheduler, createScheduler } from './campaigns/index.ts';
import type { Sandbox } from './sandbox/sandbox.ts';
import type { AppDeps } from './app-deps.ts';
import type { Background } from './shared/background.ts';
import type { Config } from './config/config.ts';
import { createDb, migrateLatest } from './db/database.ts';
import { type Logger, createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { registerRunGauge } from './shared/run-once.ts';

export interface Service {
  app: Koa;
  deps: AppDeps;
  /** The registered commands and card actions, cards and forms (tests enumerate the actions). */
  bot: Bot;
  /** Present when Lark credentials are configured. */
  outbox?: OutboxWorker;
  /** Fetches the files people send the bot (evidence); absent without a Lark app, like the outbox. */
  fetcher?: FileFetcher;
  /** The daily org sync from Lark's contacts (ORG_SYNC=daily). */
  orgSync?: OrgSyncJob;
  scheduler: Scheduler;
  /** Present in sandbox mode (no Lark app configured). */
  sandbox?: Sandbox;
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
  outbox?: Partial<Omit<OutboxWorkerOptions, 'db' | 'api' | 'logger' | 'metrics'>> & {
    timeoutMs?: number;
    autoStart?: boolean;
  };
  /** Long-connection watchdog and restart timing (tests shorten them). */
  longConnection?: LongConnectionOptions;
}

export async function startService(given: Config, opts: ServiceOptions = {}): Promise<Service> {
  const logger = createLogger(given.logLevel, opts.logDestination);
  // The sandbox is a Lark app of its own: fresh secrets each start, its domain known once the server listens. Loaded
  // only when it runs: its fake Lark brings a WebSocket server and protobuf, which a real Lark app never needs.
  const sandbox: Sandbox | undefined = given.sandbox
    ? (await import('./sandbox/sandbox.ts')).createSandbox()
    : undefined;
  const config: Config = sandbox
    ? { ...given, lark: { ...given.lark, ...sandbox.identity, domain: '', eventMode: 'webhook' } }
    : given;
  const configured = larkCredentials(config);
  if (configured && !sandbox) await verifyCredentials(configured, logger);
  const deps = await openDeps(config, logger, opts.clock);
  const bot = createBot(deps, { formsDir: opts.formsDir });
  let url = '';
  const probes: HealthProbe[] = [];
  const app = createApp(deps, bot, {
    probes,
    ...(sandbox
      ? { mounts: [sandbox.mount], routes: (router) => sandbox.routes(router, deps, bot, () => `${url}/lark/events`) }
      : {}),
  });
  opts.extend?.(app);
  const requests = countRequests(app);
  const scheduler = createScheduler(deps, bot.forms, bot.cards);
  const background: Background[] = [createPruner(deps), scheduler];

  // Demo data goes in before the port opens, so the first page already has people to choose from.
  await sandbox?.seed(deps, bot);

  const server = http.createServer(app.callback());
  // Lark's own timeouts are 3 s; a slow client must not hold a socket forever.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? config.port, opts.host ?? config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  const lark = startLark(config, deps, bot, probes, background, url, opts, sandbox);
  const outbox = lark?.outbox;
  const fetcher = lark?.fetcher;
  const orgSync = lark?.orgSync;
  if (sandbox) {
    logger.info(
      { url: `${url}/sandbox` },
      `sandbox: open http://localhost:${port}/sandbox to use the bot as any demo user`,
    );
  }
  for (const b of background) b.start();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      logger.info('stopping: no new connections, finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      sandbox?.close(); // live update streams never go idle on their own
      // Keep-alive sockets with no request in flight would otherwise hold close() open.
      server.closeIdleConnections();
      // Loops stop before the sockets are awaited: in the sandbox the outbox worker is itself a client of this server.
      await Promise.all(background.map((b) => b.stop()));
      server.closeIdleConnections();
      await closed;
      await requests.settled();
      await deps.db.destroy();
      logger.info('stopped');
    })());

  return { app, deps, bot, server, url, stop, outbox, fetcher, orgSync, scheduler, sandbox };
}

/** The database (migrated), metrics, clock and file store every feature is given. */
async function openDeps(config: Config, logger: Logger, clock: Clock | undefined): Promise<AppDeps> {
  const db = createDb(config.databaseUrl, logger);
  const applied = await migrateLatest(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const files = diskFileStore(config.filesDir);
  const metrics = createMetrics();
  registerRunGauge(db, metrics.registry);
  return { config, db, logger, metrics, clock: clock ?? systemClock, files };
}

/**
 * The way out to Lark (the outbox worker) and, in long-connection mode, the way in; in the sandbox both go to its fake
 * Lark on this server.
 */
function startLark(
  config: Config,
  deps: AppDeps,
  bot: Bot,
  probes: HealthProbe[],
  background: Background[],
  url: string,
  opts: ServiceOptions,
  sandbox: Sandbox | undefined,
): { outbox: OutboxWorker; fetcher: FileFetcher; orgSync?: OrgSyncJob } | undefined {
  const { logger } = deps;
  const creds = larkCredentials(sandbox ? { ...config, lark: { ...config.lark, domain: `${url}/fake-lark` } } : config);
  if (!creds) {
    logger.warn('LARK_APP_ID is not set: outgoing messages stay queued in the outbox');
    return undefined;
  }
  const api = createLarkApi(creds, logger, opts.outbox?.timeoutMs, deps.files);
  const limits = larkRateLimits(config.lark.rate);
  const outbox = createOutboxWorker({
    db: deps.db,
    api,
    logger,
    metrics: deps.metrics,
    limits,
    electionTtlMs: config.lark.senderLeaseS * 1000,
    ...opts.outbox,
  });
  const fetcher = createFileFetcher(deps, api, bot.cards, { pollMs: opts.outbox?.pollMs });
  if (opts.outbox?.autoStart !== false) background.push(outbox, fetcher);
  const orgSync =
    config.orgSync.mode === 'daily'
      ? createOrgSyncJob(deps, api, bot.cards, loadSyncMapping(config.orgSync.mappingFile))
      : undefined;
  if (orgSync) background.push(orgSync);
  if (config.lark.eventMode === 'websocket' && !sandbox) {
    const connection = createLongConnection(creds, bot.dispatcher, logger, opts.longConnection);
    probes.push(connection);
    background.push(connection);
  }
  return { outbox, fetcher, orgSync };
}

/**
 * server.close() waits for sockets, not handlers: a client that hangs up mid-request would otherwise let the database
 * close under a running handler. Requests are counted here; `settled` resolves when none is running.
 */
function countRequests(app: Koa): { settled(): Promise<void> } {
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
  return { settled: () => (inFlight > 0 ? new Promise<void>((resolve) => (idle = resolve)) : Promise.resolve()) };
}

function larkCredentials(config: Config): LarkCredentials | undefined {
  const { appId, appSecret, domain } = config.lark;
  return appId && appSecret ? { appId, appSecret, domain } : undefined;
}
