import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../observability/logger';
import type { OutboxMessage } from './outbox-message';
import type { AttemptResult } from './send-outcome';

export interface LarkCredentials {
  appId: string;
  appSecret: string;
  /** `feishu`, `lark` or a base URL (the fake Lark in tests and the sandbox). */
  domain: string;
}

export interface LarkApi {
  deliver(message: OutboxMessage, uuid: string): Promise<{ result: AttemptResult; messageId?: string }>;
  /** Forget the cached tenant token: the SDK never does this itself after a 99991663. */
  dropToken(): void;
  client: lark.Client;
}

export function resolveDomain(domain: string): lark.Domain | string {
  if (domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain;
}

/** A token cache we own, so it can be cleared; the SDK's default is process-global and never invalidated. */
class TokenCache {
  private readonly values = new Map<string, { value: unknown; expire?: number }>();
  private key = (k: string | symbol, ns?: string) => `${ns ?? ''}:${String(k)}`;
  async set(key: string | symbol, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.values.set(this.key(key, options?.namespace), { value, expire });
    return true;
  }
  async get(key: string | symbol, options?: { namespace?: string }) {
    const v = this.values.get(this.key(key, options?.namespace));
    if (!v || (v.expire !== undefined && v.expire < Date.now())) return undefined;
    return v.value;
  }
  clear() {
    this.values.clear();
  }
}

export function sdkLogger(logger: Logger) {
  // The SDK logs every non-2xx reply at error level; the worker reports outcomes itself, so keep these at debug.
  const log = (...msg: unknown[]) => logger.debug({ sdk: msg.map((m) => (m instanceof Error ? m.message : m)) }, 'lark sdk');
  return { error: log, warn: log, info: log, debug: log, trace: log };
}

export function createLarkApi(creds: LarkCredentials, logger: Logger, timeoutMs = 10_000): LarkApi {
  const cache = new TokenCache();
  const client = new lark.Client({
    appId: creds.appId,
    appSecret: creds.appSecret,
    domain: resolveDomain(creds.domain),
    cache: cache as never,
    logger: sdkLogger(logger),
    loggerLevel: lark.LoggerLevel.error,
  });

  const call = (m: OutboxMessage, uuid: string): Promise<unknown> => {
    switch (m.kind) {
      case 'send':
        return client.im.message.create({
          params: { receive_id_type: m.receiveIdType },
          data: { receive_id: m.receiveId, msg_type: 'interactive', content: JSON.stringify(m.card), uuid },
        });
      case 'reply':
        return client.im.message.reply({ path: { message_id: m.messageId }, data: { msg_type: 'interactive', content: JSON.stringify(m.card), uuid } });
      case 'patch':
        return client.im.message.patch({ path: { message_id: m.messageId! }, data: { content: JSON.stringify(m.card) } });
      case 'buzz':
        return client.im.message.urgentApp({ path: { message_id: m.messageId! }, params: { user_id_type: 'open_id' }, data: { user_id_list: m.openIds } });
      case 'batch_send':
        return client.request({ method: 'POST', url: '/open-apis/message/v4/batch_send/', data: { msg_type: 'interactive', card: m.card, open_ids: m.openIds } });
      case 'card_update':
        return client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: m.token, card: m.card } });
    }
  };

  return {
    client,
    dropToken: () => cache.clear(),
    async deliver(message, uuid) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const res = (await Promise.race([
          call(message, uuid),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { timedOut: true })), timeoutMs);
          }),
        ])) as { code?: unknown; msg?: string; data?: { message_id?: string } } | undefined;
        const code = typeof res?.code === 'number' ? res.code : undefined;
        return { result: { code, msg: res?.msg, httpStatus: 200 }, messageId: res?.data?.message_id };
      } catch (err) {
        return { result: attemptFromError(err) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function attemptFromError(err: unknown): AttemptResult {
  const e = err as { timedOut?: boolean; response?: { status?: number; data?: unknown; headers?: Record<string, string> }; message?: string };
  if (e?.timedOut) return { timedOut: true };
  if (e?.response) {
    const data = e.response.data as { code?: unknown; msg?: string } | undefined;
    const reset = Number(e.response.headers?.['x-ogw-ratelimit-reset']);
    return {
      httpStatus: e.response.status,
      code: typeof data?.code === 'number' ? data.code : undefined,
      msg: data?.msg,
      resetSeconds: Number.isFinite(reset) && reset >= 0 ? reset : undefined,
    };
  }
  // The SDK throws a plain Error when the token endpoint answers without a token; it carries the code in its text.
  const tokenCode = /code: (\d+)/.exec(e?.message ?? '');
  if (tokenCode) return { code: Number(tokenCode[1]), msg: e.message };
  return { networkError: e?.message ?? String(err) };
}
