import { larkSdk } from './lark-sdk.ts';
import type { Dispatcher } from '../bot/dispatcher.ts';
import type { HealthProbe } from '../http/health-routes.ts';
import type { Logger } from '../observability/logger.ts';
import type { Background } from '../shared/background.ts';
import { envelopeSchema, normaliseEvent } from './events.ts';
import { type LarkCredentials, resolveDomain, sdkLogger } from './lark-api.ts';

const handledTypes = ['im.message.receive_v1', 'application.bot.menu_v6', 'card.action.trigger'] as const;

export interface LongConnectionOptions {
  /**
   * Seconds without any frame after a ping before the socket is presumed dead and replaced: a gateway that stops
   * answering leaves the socket OPEN, and without this watchdog the client would wait on it forever.
   */
  pingTimeoutS?: number;
  /** First wait before starting again after the SDK gave up; doubles up to 10 minutes. */
  restartBaseMs?: number;
}

export type LongConnection = Background & HealthProbe;

const gaveUp = (err: Error, waitMs: number) =>
  `long connection gave up: ${err.message} (check LARK_APP_ID and LARK_APP_SECRET, and that the app is set to ` +
  `receive events through a persistent connection); starting again in ${Math.round(waitMs / 1000)} s`;

/** One event from the connection, into the dispatcher. */
async function handleEvent(dispatcher: Dispatcher, logger: Logger, eventType: string, data: Record<string, unknown>) {
  // The SDK flattens {header, event} into one object; rebuild the envelope our parser expects.
  const envelope = envelopeSchema.safeParse({
    schema: '2.0',
    header: { event_id: data.event_id, event_type: eventType, create_time: data.create_time },
    event: data,
  });
  if (!envelope.success) {
    logger.warn({ eventType }, 'long connection: event without an envelope');
    return {};
  }
  const event = normaliseEvent(envelope.data);
  if ('invalid' in event) {
    logger.warn({ reason: event.invalid }, 'long connection: unexpected event shape');
    return {};
  }
  // A throw answers code 500 on the connection, and Lark pushes the event again (as a 5xx does for a webhook).
  return dispatcher.handle(event, logger);
}

/**
 * LARK_EVENT_MODE=websocket: events and card callbacks arrive over the SDK's long connection (no public URL needed)
 * and go to the same dispatcher as webhooks. The connection itself authenticates Lark, so there is no signature
 * to check; dedupe still applies because Lark re-pushes unacknowledged events. When the SDK gives up (a wrong
 * secret, exhausted reconnects) it says so at error level and starts again with backoff; /healthz reports 503 until
 * it is connected.
 */
export function createLongConnection(
  creds: LarkCredentials,
  dispatcher: Dispatcher,
  logger: Logger,
  opts: LongConnectionOptions = {},
): LongConnection {
  let lastError: string | undefined;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const handler = (eventType: string) => (data: Record<string, unknown>) =>
    handleEvent(dispatcher, logger, eventType, data);
  const lark = larkSdk();
  const eventDispatcher = new lark.EventDispatcher({ logger: sdkLogger(logger) }).register(
    Object.fromEntries(handledTypes.map((t) => [t, handler(t)])),
  );
  const client = new lark.WSClient({
    appId: creds.appId,
    appSecret: creds.appSecret,
    domain: resolveDomain(creds.domain),
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.info,
    wsConfig: { pingTimeout: opts.pingTimeoutS ?? 30 },
    onReady: () => {
      failures = 0;
      lastError = undefined;
      logger.info('long connection to Lark established');
    },
    onReconnecting: () => logger.warn('long connection lost: reconnecting'),
    onReconnected: () => {
      lastError = undefined;
      logger.info('long connection to Lark re-established');
    },
    onError: (err: Error) => {
      lastError = err.message;
      const waitMs = Math.min((opts.restartBaseMs ?? 30_000) * 2 ** failures++, 600_000);
      logger.error({ err: err.message, retryInMs: waitMs }, gaveUp(err, waitMs));
      if (stopped) return;
      restartTimer = setTimeout(() => void client.start({ eventDispatcher }), waitMs);
      restartTimer.unref();
    },
  });
  return {
    name: 'longConnection',
    check() {
      const { state } = client.getConnectionStatus();
      const down = state === 'failed' ? '长连接已断开' : '长连接尚未建立';
      return { ok: state === 'connected', state, reason: state === 'connected' ? undefined : (lastError ?? down) };
    },
    start() {
      void client.start({ eventDispatcher });
      logger.info('long connection to Lark starting');
    },
    async stop() {
      stopped = true;
      clearTimeout(restartTimer);
      client.close({ force: true });
    },
  };
}
