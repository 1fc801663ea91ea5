import type * as lark from '@larksuiteoapi/node-sdk';
import { larkSdk } from './lark-sdk.ts';
import type { Logger } from '../observability/logger.ts';
import type { OutboxMessage } from './outbox-message.ts';
import type { AttemptResult } from './send-outcome.ts';
import type { FileStore } from '../files/index.ts';

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
  if (domain === 'feishu') return larkSdk().Domain.Feishu;
  if (domain === 'lark') return larkSdk().Domain.Lark;
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

/** The SDK's messages at their own level, so a connection that gives up or a rejected secret is seen. */
export function sdkLogger(logger: Logger) {
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') =>
    (...msg: unknown[]) =>
      logger[level](
        { sdk: msg.map((m) => (m instanceof Error ? m.message : m)) },
        `lark sdk: ${msg
          .map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m)))
          .join(' ')
          .slice(0, 300)}`,
      );
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), trace: at('trace') };
}

/** Lark's upload types; anything else goes up as `stream` (a workbook is `xls`). */
const uploadType = (name: string): 'pdf' | 'doc' | 'xls' | 'ppt' | 'mp4' | 'stream' => {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'xls' || ext === 'xlsx') return 'xls';
  if (ext === 'doc' || ext === 'docx') return 'doc';
  if (ext === 'ppt' || ext === 'pptx') return 'ppt';
  return ext === 'pdf' || ext === 'mp4' ? ext : 'stream';
};

type Reply = { code?: unknown; msg?: string; data?: { message_id?: string; file_key?: string } } | undefined;

/**
 * Uploads the stored bytes, then sends the file message; an upload refused stops there with Lark's answer. The upload
 * goes through `request` (as multipart, like `im.file.create`) because `im.file.create` drops the reply's `code`.
 */
async function sendFile(client: lark.Client, files: FileStore, m: OutboxMessage & { kind: 'file' }, uuid: string) {
  const bytes = await files.get(m.fileKey);
  const up = (await client.request({
    method: 'POST',
    url: '/open-apis/im/v1/files',
    headers: { 'Content-Type': 'multipart/form-data' },
    data: { file_type: uploadType(m.fileName), file_name: m.fileName, file: bytes },
  })) as Reply;
  if (up?.code !== 0 || !up.data?.file_key) return up;
  return client.im.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: m.receiveId, msg_type: 'file', content: JSON.stringify({ file_key: up.data.file_key }), uuid },
  });
}

/** The Open API call that delivers one outbox message. */
function callFor(client: lark.Client, files: FileStore | undefined, m: OutboxMessage, uuid: string): Promise<unknown> {
  switch (m.kind) {
    case 'file':
      if (!files) throw new Error('no file store to send from');
      return sendFile(client, files, m, uuid);
    case 'send':
      return client.im.message.create({
        params: { receive_id_type: m.receiveIdType },
        data: { receive_id: m.receiveId, msg_type: 'interactive', content: JSON.stringify(m.card), uuid },
      });
    case 'reply':
      return client.im.message.reply({
        path: { message_id: m.messageId },
        data: { msg_type: 'interactive', content: JSON.stringify(m.card), uuid },
      });
    case 'patch':
      return client.im.message.patch({
        path: { message_id: m.messageId! },
        data: { content: JSON.stringify(m.card) },
      });
    case 'buzz':
      return client.im.message.urgentApp({
        path: { message_id: m.messageId! },
        params: { user_id_type: 'open_id' },
        data: { user_id_list: m.openIds },
      });
    case 'batch_send':
      return client.request({
        method: 'POST',
        url: '/open-apis/message/v4/batch_send/',
        data: { msg_type: 'interactive', card: m.card, open_ids: m.openIds },
      });
    case 'card_update':
      return client.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: m.token, card: m.card },
      });
  }
}

export function createLarkApi(creds: LarkCredentials, logger: Logger, timeoutMs = 10_000, files?: FileStore): LarkApi {
  const cache = new TokenCache();
  let client: lark.Client | undefined;
  const sdkClient = () =>
    (client ??= new (larkSdk().Client)({
      appId: creds.appId,
      appSecret: creds.appSecret,
      domain: resolveDomain(creds.domain),
      cache: cache as never,
      logger: sdkLogger(logger),
      loggerLevel: larkSdk().LoggerLevel.error,
      httpInstance: timedHttp(timeoutMs),
    }));

  const call = (m: OutboxMessage, uuid: string) => callFor(sdkClient(), files, m, uuid);

  return {
    get client() {
      return sdkClient();
    },
    dropToken: () => cache.clear(),
    async deliver(message, uuid) {
      try {
        const res = (await call(message, uuid)) as Reply;
        const code = typeof res?.code === 'number' ? res.code : undefined;
        return { result: { code, msg: res?.msg, httpStatus: 200 }, messageId: res?.data?.message_id };
      } catch (err) {
        return { result: attemptFromError(err) };
      }
    },
  };
}

/**
 * The SDK's own HTTP instance with a timeout on every request: axios aborts the call (a race would leave it running
 * and its late answer unobserved). Token requests made by the SDK go through it too.
 */
function timedHttp(timeoutMs: number): lark.HttpInstance {
  // Typed as axios, but its response interceptor already unwraps `data`: it is the SDK's HttpInstance.
  const base = larkSdk().defaultHttpInstance as unknown as lark.HttpInstance;
  const t = <O extends object | undefined>(opts: O) => ({ ...opts, timeout: timeoutMs });
  return {
    request: (opts) => base.request(t(opts)),
    get: (url, opts) => base.get(url, t(opts)),
    delete: (url, opts) => base.delete(url, t(opts)),
    head: (url, opts) => base.head(url, t(opts)),
    options: (url, opts) => base.options(url, t(opts)),
    post: (url, data, opts) => base.post(url, data, t(opts)),
    put: (url, data, opts) => base.put(url, data, t(opts)),
    patch: (url, data, opts) => base.patch(url, data, t(opts)),
  };
}

export function attemptFromError(err: unknown): AttemptResult {
  // A stored file that is gone will not come back: the message is dead, not retried.
  if ((err as { code?: string })?.code === 'ENOENT') return { missing: (err as Error).message };
  const e = err as {
    code?: string;
    response?: { status?: number; data?: unknown; headers?: Record<string, string> };
    message?: string;
  };
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT') return { timedOut: true };
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
