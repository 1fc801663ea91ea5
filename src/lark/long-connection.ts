import * as lark from '@larksuiteoapi/node-sdk';
import type { Dispatcher } from '../bot/dispatcher';
import type { Logger } from '../observability/logger';
import type { Background } from '../service';
import { envelopeSchema, normaliseEvent } from './events';
import { type LarkCredentials, resolveDomain, sdkLogger } from './lark-api';

const handledTypes = ['im.message.receive_v1', 'application.bot.menu_v6', 'card.action.trigger'] as const;

/**
 * LARK_EVENT_MODE=websocket: events and card callbacks arrive over the SDK's long connection (no public URL needed)
 * and go to the same dispatcher as webhooks. The connection itself authenticates Lark, so there is no signature
 * to check; dedupe still applies because Lark re-pushes unacknowledged events.
 */
export function createLongConnection(creds: LarkCredentials, dispatcher: Dispatcher, logger: Logger): Background {
  const client = new lark.WSClient({ appId: creds.appId, appSecret: creds.appSecret, domain: resolveDomain(creds.domain), logger: sdkLogger(logger), loggerLevel: lark.LoggerLevel.info });
  const handler = (eventType: string) => async (data: Record<string, unknown>) => {
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
    return dispatcher.handle(event, logger);
  };
  const eventDispatcher = new lark.EventDispatcher({ logger: sdkLogger(logger) }).register(Object.fromEntries(handledTypes.map((t) => [t, handler(t)])));
  return {
    start() {
      void client.start({ eventDispatcher });
      logger.info('long connection to Lark starting');
    },
    async stop() {
      client.close({ force: true });
    },
  };
}
