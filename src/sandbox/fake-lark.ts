import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { checkCard } from '../cards/card-checks.ts';
import { FakeContacts } from './fake-contacts.ts';
import { FakeLarkWs } from './fake-lark-ws.ts';

/*
 * A fake Lark Open API: a real HTTP server speaking the endpoints the service uses, so the real SDK can be pointed
 * at it (`domain`). The sandbox runs it in-process; tests run it on loopback and inject faults (429, 500, slow,
 * garbage, token expiry) to prove the outbox's behaviour.
 */
export interface FakeMessage {
  messageId: string;
  via: 'send' | 'reply' | 'batch';
  receiveIdType: string;
  receiveId: string;
  /** For replies: the message replied to. */
  parentId?: string;
  /** A card, or `{}` for a file message (see `file`). */
  card: Record<string, unknown>;
  /** Set for file messages: the uploaded file it carries. */
  file?: { key: string; name: string; size: number };
  uuid?: string;
  at: number;
  patches: number;
  buzzed: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
  body: unknown;
  status: number;
}

export type Fault =
  { status: number; body?: unknown; headers?: Record<string, string> } | { delayMs: number } | { garbage: true };

interface ArmedFault {
  fault: Fault;
  times: number;
  path?: RegExp;
}

export interface FakeLarkOptions {
  /** Per-app limits on message endpoints; exceeding them answers 429 like Lark. */
  rateLimit?: { perSecond: number; perMinute: number };
  tokenTtlSeconds?: number;
  /** When set, only this app's secret gets a token or a long connection (like Lark, which refuses a wrong one). */
  app?: { id: string; secret: string };
  /** Seconds between the long connection's pings, as the gateway configures it (Lark: 120). */
  pingIntervalS?: number;
}

const ok = (data: unknown = {}) => ({ code: 0, msg: 'success', data });

export class FakeLark {
  readonly messages: FakeMessage[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly blocked = new Set<string>();
  /** Files the app uploaded (im/v1/files), by file_key. */
  readonly files = new Map<string, { name: string; type: string; bytes: Buffer }>();
  /** Files people sent the bot, by their message id: what the message resource API downloads. */
  readonly sentByUsers = new Map<string, { key: string; name: string; bytes: Buffer }>();
  /** email or mobile → open_id, answered by contact batch_get_id. */
  readonly directory = new Map<string, string>();
  /** The tenant's departments and people, as the contact API pages them (org sync). */
  readonly contacts = new FakeContacts();
  private readonly faults: ArmedFault[] = [];
  private readonly tokens = new Set<string>();
  private readonly byUuid = new Map<string, string>();
  private readonly sendTimes: number[] = [];
  private readonly listeners = new Set<(m: FakeMessage, change: 'new' | 'patch') => void>();
  private server?: http.Server;
  readonly app: Koa;
  /** The long-connection gateway (LARK_EVENT_MODE=websocket). */
  readonly ws: FakeLarkWs;
  private baseUrl = '';
  rateLimited = 0;

  constructor(private readonly opts: FakeLarkOptions = {}) {
    this.app_ = opts.app;
    this.ws = new FakeLarkWs({
      PingInterval: opts.pingIntervalS ?? 120,
      ReconnectCount: -1,
      ReconnectInterval: 1,
      ReconnectNonce: 0,
    });
    this.app = new Koa();
    this.app.use((ctx) => this.handle(ctx));
  }

  private app_?: { id: string; secret: string };

  /** Changes the one app this Lark accepts, as when a secret is reset in the developer console. */
  acceptOnly(app: { id: string; secret: string } | undefined): void {
    this.app_ = app;
  }

  async listen(): Promise<string> {
    this.server = http.createServer(this.app.callback());
    this.ws.attach(this.server);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.ws.close();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  /** Arms a fault for the next `times` matching requests (token requests excluded unless the path says so). */
  fail(fault: Fault, times = 1, path?: RegExp): void {
    this.faults.push({ fault, times, path });
  }

  /** Invalidates every issued token: the next API call gets 99991663, as after Lark rotates tokens early. */
  expireTokens(): void {
    this.tokens.clear();
  }

  onMessage(listener: (m: FakeMessage, change: 'new' | 'patch') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  message(id: string): FakeMessage | undefined {
    return this.messages.find((m) => m.messageId === id);
  }

  messagesTo(openId: string): FakeMessage[] {
    return this.messages.filter((m) => m.receiveId === openId);
  }

  /** A person sends the bot a file: kept for download; returns the ids the message event carries. */
  userSendsFile(name: string, bytes: Buffer): { messageId: string; fileKey: string } {
    const messageId = `om_${randomUUID().replace(/-/g, '')}`;
    const key = `file_v3_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    this.sentByUsers.set(messageId, { key, name, bytes });
    return { messageId, fileKey: key };
  }

  private async handle(ctx: Koa.Context): Promise<void> {
    const body = await readBody(ctx);
    const at = Date.now();
    const record = () => this.requests.push({ method: ctx.method, path: ctx.path, at, body, status: ctx.status });
    try {
      const isToken = ctx.path.endsWith('/tenant_access_token/internal');
      const fault = this.takeFault(ctx.path, isToken);
      if (fault) {
        if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
        else if ('garbage' in fault) {
          ctx.status = 200;
          ctx.type = 'text/html';
          ctx.body = '<html>502 Bad Gateway</html>';
          return;
        } else {
          ctx.status = fault.status;
          if (fault.headers) ctx.set(fault.headers);
          ctx.body = fault.body ?? { code: fault.status === 429 ? 99991400 : 1, msg: 'injected fault' };
          return;
        }
      }
      if (isToken) return this.issueToken(ctx, body);
      if (ctx.path.endsWith('/callback/ws/endpoint')) return this.wsEndpoint(ctx, body);
      const auth = ctx.get('authorization').replace(/^Bearer /, '');
      if (!this.tokens.has(auth)) {
        ctx.status = 400;
        ctx.body = {
          code: 99991663,
          msg: 'Invalid access token for authorization. Please make a request with token attached.',
        };
        return;
      }
      if (this.isMessageApi(ctx.path) && this.overLimit(at)) {
        this.rateLimited++;
        ctx.status = 429;
        ctx.set('x-ogw-ratelimit-limit', String(this.opts.rateLimit!.perSecond));
        ctx.set('x-ogw-ratelimit-reset', '1');
        ctx.body = { code: 99991400, msg: 'request trigger frequency limit' };
        return;
      }
      this.route(ctx, body as Record<string, unknown>, at);
    } finally {
      record();
    }
  }

  private takeFault(path: string, isToken: boolean): Fault | undefined {
    const i = this.faults.findIndex((f) => (f.path ? f.path.test(path) : !isToken));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    if (--f.times <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  private issueToken(ctx: Koa.Context, body: unknown): void {
    const b = body as { app_id?: string; app_secret?: string };
    if (!b?.app_id || !b?.app_secret) {
      ctx.body = { code: 10003, msg: 'invalid param' };
      return;
    }
    if (this.app_ && (b.app_id !== this.app_.id || b.app_secret !== this.app_.secret)) {
      ctx.body =
        b.app_id !== this.app_.id ? { code: 10003, msg: 'invalid app_id' } : { code: 10014, msg: 'app secret invalid' };
      return;
    }
    const token = `t-${randomUUID()}`;
    this.tokens.add(token);
    ctx.body = { code: 0, msg: 'ok', tenant_access_token: token, expire: this.opts.tokenTtlSeconds ?? 7200 };
  }

  private wsEndpoint(ctx: Koa.Context, body: unknown): void {
    const b = body as { AppID?: string; AppSecret?: string };
    const wrong = this.app_ && (b?.AppID !== this.app_.id || b?.AppSecret !== this.app_.secret);
    if (!b?.AppID || !b?.AppSecret || wrong) {
      ctx.body = { code: 514, msg: 'auth failed', data: {} };
      return;
    }
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/ws?device_id=fake&service_id=1`;
    ctx.body = { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.ws.config } };
  }

  private isMessageApi(path: string): boolean {
    return /\/im\/v1\/messages|\/message\/v4\/batch_send|\/interactive\/v1\/card\/update/.test(path);
  }

  private overLimit(at: number): boolean {
    const limit = this.opts.rateLimit;
    if (!limit) return false;
    while (this.sendTimes.length && this.sendTimes[0]! <= at - 60_000) this.sendTimes.shift();
    const lastSecond = this.sendTimes.filter((t) => t > at - 1000).length;
    if (lastSecond >= limit.perSecond || this.sendTimes.length >= limit.perMinute) return true;
    this.sendTimes.push(at);
    return false;
  }

  private route(ctx: Koa.Context, body: Record<string, unknown>, at: number): void {
    const p = ctx.path.replace(/^.*\/open-apis/, '');
    let m: RegExpExecArray | null;
    if (ctx.method === 'POST' && p === '/im/v1/messages') {
      return this.create(ctx, body, at, 'send', String(ctx.query.receive_id_type ?? ''), String(body.receive_id ?? ''));
    }
    if (ctx.method === 'POST' && (m = /^\/im\/v1\/messages\/([^/]+)\/reply$/.exec(p))) {
      // Replies may target users' own messages, which the fake never saw: address those by the parent id.
      const parent = this.message(m[1]!);
      return this.create(
        ctx,
        body,
        at,
        'reply',
        parent?.receiveIdType ?? 'message_id',
        parent?.receiveId ?? m[1]!,
        m[1]!,
      );
    }
    if (ctx.method === 'PATCH' && (m = /^\/im\/v1\/messages\/([^/]+)\/urgent_app$/.exec(p)))
      return this.buzz(ctx, m[1]!, body);
    if (ctx.method === 'PATCH' && (m = /^\/im\/v1\/messages\/([^/]+)$/.exec(p))) return this.patch(ctx, m[1]!, body);
    if (ctx.method === 'POST' && p === '/message/v4/batch_send/') return this.batchSend(ctx, body, at);
    if (ctx.method === 'POST' && p === '/im/v1/files') return this.upload(ctx, body);
    if (ctx.method === 'GET' && (m = /^\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/.exec(p)))
      return this.resource(ctx, m[1]!, m[2]!);
    if (ctx.method === 'POST' && p === '/interactive/v1/card/update') {
      ctx.body = ok();
      return;
    }
    if (ctx.method === 'POST' && p === '/contact/v3/users/batch_get_id') {
      const list = [
        ...((body.emails as string[]) ?? []).map((e) => ({ email: e })),
        ...((body.mobiles as string[]) ?? []).map((m) => ({ mobile: m })),
      ];
      ctx.body = ok({ user_list: list.map((x) => ({ ...x, user_id: this.directory.get(Object.values(x)[0]!) })) });
      return;
    }
    if (this.contacts.route(ctx, p)) return;
    ctx.status = 404;
    ctx.body = { code: 404, msg: `fake Lark does not implement ${ctx.method} ${p}` };
  }

  private upload(ctx: Koa.Context, body: Record<string, unknown>): void {
    const bytes = body.file;
    if (!(bytes instanceof Buffer) || !bytes.length) return this.error(ctx, 234006, 'file is empty');
    if (bytes.length > 30 * 1024 * 1024) return this.error(ctx, 234006, 'file size exceeds 30 MB');
    const key = `file_v3_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    this.files.set(key, { name: String(body.file_name ?? ''), type: String(body.file_type ?? ''), bytes });
    ctx.body = ok({ file_key: key });
  }

  private resource(ctx: Koa.Context, messageId: string, key: string): void {
    const sent = this.sentByUsers.get(messageId);
    if (!sent || sent.key !== key) return this.error(ctx, 234003, 'file not found in this message');
    ctx.type = 'application/octet-stream';
    ctx.set('content-disposition', `attachment; filename="${encodeURIComponent(sent.name)}"`);
    ctx.body = sent.bytes;
  }

  private buzz(ctx: Koa.Context, messageId: string, body: Record<string, unknown>): void {
    const msg = this.message(messageId);
    if (!msg) return this.error(ctx, 230011, 'message not found');
    msg.buzzed.push(...((body.user_id_list as string[]) ?? []));
    ctx.body = ok({ invalid_user_id_list: [] });
  }

  private patch(ctx: Koa.Context, messageId: string, body: Record<string, unknown>): void {
    const msg = this.message(messageId);
    if (!msg) return this.error(ctx, 230011, 'message not found');
    if (msg.via === 'batch') return this.error(ctx, 230001, 'batch messages cannot be updated');
    const card = this.parseCard(ctx, body.content);
    if (!card) return;
    msg.card = card;
    msg.patches++;
    this.emit(msg, 'patch');
    ctx.body = ok();
  }

  private batchSend(ctx: Koa.Context, body: Record<string, unknown>, at: number): void {
    const ids = (body.open_ids as string[]) ?? [];
    const card = this.parseCard(ctx, JSON.stringify(body.card));
    if (!card) return;
    const batchId = `bm-${randomUUID().slice(0, 12)}`;
    for (const id of ids) {
      const messageId = `${batchId}-${id}`;
      this.store({
        messageId,
        via: 'batch',
        receiveIdType: 'open_id',
        receiveId: id,
        card,
        at,
        patches: 0,
        buzzed: [],
      });
    }
    ctx.body = ok({ message_id: batchId, invalid_open_ids: [] });
  }

  private create(
    ctx: Koa.Context,
    body: Record<string, unknown>,
    at: number,
    via: 'send' | 'reply',
    idType: string,
    receiveId: string,
    parentId?: string,
  ): void {
    const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
    if (uuid && this.byUuid.has(uuid)) {
      // Lark's idempotency: the same uuid within an hour returns the first message instead of sending again.
      ctx.body = ok({ message_id: this.byUuid.get(uuid) });
      return;
    }
    if (this.blocked.has(receiveId))
      return this.error(ctx, 230053, 'The user has stopped the bot from sending messages.');
    const kind = body.msg_type;
    if (kind !== 'interactive' && kind !== 'file')
      return this.error(ctx, 230001, `msg_type ${String(kind)} is not faked`);
    const file = kind === 'file' ? this.uploaded(ctx, body.content) : undefined;
    const card = kind === 'file' ? (file ? {} : undefined) : this.parseCard(ctx, body.content);
    if (!card) return;
    const messageId = `om_${randomUUID().replace(/-/g, '')}`;
    if (uuid) this.byUuid.set(uuid, messageId);
    const m: FakeMessage = {
      messageId,
      via,
      receiveIdType: idType,
      receiveId,
      parentId,
      card,
      uuid,
      at,
      patches: 0,
      buzzed: [],
    };
    this.store(file ? { ...m, file } : m);
    ctx.body = ok({ message_id: messageId, chat_id: `oc_${receiveId}`, msg_type: kind });
  }

  /** A file message's content names a file this app uploaded, as Lark requires. */
  private uploaded(ctx: Koa.Context, content: unknown): FakeMessage['file'] {
    let key = '';
    try {
      key = String((JSON.parse(String(content)) as { file_key?: string }).file_key ?? '');
    } catch {
      // reported below
    }
    const f = this.files.get(key);
    if (!f) {
      this.error(ctx, 230001, `file_key ${key} was not uploaded by this app`);
      return undefined;
    }
    return { key, name: f.name, size: f.bytes.length };
  }

  private parseCard(ctx: Koa.Context, content: unknown): Record<string, unknown> | undefined {
    let card: Record<string, unknown>;
    try {
      card = JSON.parse(String(content)) as Record<string, unknown>;
    } catch {
      this.error(ctx, 230099, 'Failed to create card content: content is not JSON');
      return undefined;
    }
    const problems = checkCard(card);
    if (problems.length) {
      this.error(ctx, 230099, `Failed to create card content: ${problems.join('; ')}`);
      return undefined;
    }
    return card;
  }

  private store(m: FakeMessage): void {
    this.messages.push(m);
    this.emit(m, 'new');
  }

  /** Tells listeners a message's card changed outside the API (the sandbox applying a callback answer). */
  emitChange(m: FakeMessage): void {
    this.emit(m, 'patch');
  }

  private emit(m: FakeMessage, change: 'new' | 'patch'): void {
    for (const l of this.listeners) l(m, change);
  }

  private error(ctx: Koa.Context, code: number, msg: string): void {
    ctx.status = 400;
    ctx.body = { code, msg };
  }
}

/** JSON, or a multipart upload (its `file` part kept as bytes). */
async function readBody(ctx: Koa.Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of ctx.req) chunks.push(c as Buffer);
  if (!chunks.length) return {};
  const raw = Buffer.concat(chunks);
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(ctx.get('content-type'));
  if (ctx.is('multipart/form-data') && boundary) return multipart(raw, boundary[1] ?? boundary[2]!);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return {};
  }
}

/**
 * The parts of a multipart body by name. The SDK sends a Buffer as a part without a filename, which the platform's
 * FormData would decode as text and corrupt, so the parts are cut out by hand: `file` as bytes, the rest as text.
 */
function multipart(raw: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const sep = Buffer.from(`--${boundary}`);
  let at = raw.indexOf(sep);
  while (at >= 0) {
    const next = raw.indexOf(sep, at + sep.length);
    if (next < 0) break;
    const part = raw.subarray(at + sep.length + 2, next - 2); // after CRLF, before the CRLF that ends the part
    const split = part.indexOf('\r\n\r\n');
    const name = /name="([^"]+)"/.exec(part.subarray(0, split).toString('utf8'))?.[1];
    const body = part.subarray(split + 4);
    if (name) out[name] = name === 'file' ? Buffer.from(body) : body.toString('utf8');
    at = next;
  }
  return out;
}
