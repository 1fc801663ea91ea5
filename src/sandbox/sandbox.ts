import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type Router from '@koa/router';
import type Koa from 'koa';
import type { AppDeps } from '../app-deps.ts';
import type { Bot } from '../bot/bot.ts';
import type { CardName } from '../cards/card-data.ts';
import { directory, roleLabels } from '../org/index.ts';
import YAML from 'yaml';
import { defaultCardsDir } from '../cards/renderer.ts';
import { FakeLark, type FakeMessage } from './fake-lark.ts';
import { type LarkIdentity, cardAction, deliver, fileMessage, menuClick, textMessage } from './lark-sender.ts';
import { projectPath } from '../shared/project-path.ts';
import { seedDemo } from './seed-demo.ts';

/*
 * The sandbox: the whole bot without a Lark tenant. The fake Lark Open API is mounted in the same server at
 * /fake-lark (the SDK is pointed at it), and the messenger at /sandbox lets anyone act as a demo user. Every message
 * and click travels the real path: a signed, encrypted event posted to /lark/events.
 */
export interface Sandbox {
  identity: LarkIdentity & { appSecret: string };
  fake: FakeLark;
  /** Koa middleware serving /fake-lark/*; mounted before body parsing. */
  mount: Koa.Middleware;
  routes(router: Router, deps: AppDeps, bot: Bot, eventsUrl: () => string): void;
  /** Demo data for an empty database (`seed-demo.ts`). */
  seed(deps: AppDeps, bot: Bot): Promise<void>;
  close(): void;
}

const page = (name: string) => fs.readFileSync(projectPath('src/sandbox/static', name), 'utf8');

/** What the sandbox's routes share: the fake Lark, the app identity, open update streams, what users typed. */
interface State {
  fake: FakeLark;
  identity: Sandbox['identity'];
  streams: Set<PassThrough>;
  said: { openId: string; text: string; at: number }[];
  /** Where signed events go, known once the routes are mounted. */
  eventsUrl?: () => string;
}

/** A file a sandbox user sends: up to 25 MB, so the 20 MB refusal can be seen too. */
const SANDBOX_FILE_LIMIT = 25 * 1024 * 1024;

export function createSandbox(): Sandbox {
  const fake = new FakeLark();
  const identity = {
    appId: 'cli_5a4e000000000001',
    appSecret: randomBytes(12).toString('hex'),
    encryptKey: randomBytes(16).toString('hex'),
    verificationToken: randomBytes(12).toString('hex'),
  };
  const handler = fake.app.callback();
  const state: State = { fake, identity, streams: new Set(), said: [] };
  const mount: Koa.Middleware = async (ctx, next) => {
    // Files come as raw bytes, larger than the JSON body limit: read here, before body parsing.
    if (ctx.method === 'POST' && ctx.path === '/sandbox/api/send-file') return sendFile(ctx, state);
    if (!ctx.path.startsWith('/fake-lark/')) return next();
    ctx.respond = false;
    ctx.req.url = ctx.req.url!.slice('/fake-lark'.length);
    await handler(ctx.req, ctx.res);
  };
  return {
    identity,
    fake,
    mount,
    close() {
      for (const st of state.streams) st.end();
    },
    seed: seedDemo,
    routes(router, deps, bot, eventsUrl) {
      state.eventsUrl = eventsUrl;
      pageRoutes(router);
      readRoutes(router, state, deps, bot);
      streamRoute(router, state);
      actRoutes(router, state, eventsUrl);
    },
  };
}

const view = (m: FakeMessage) => ({
  id: m.messageId,
  at: m.at,
  card: m.card,
  buzzed: m.buzzed.length > 0,
  ...(m.file ? { file: { ...m.file, url: `/sandbox/api/files/${m.file.key}` } } : {}),
});

/** The messenger, the card gallery and their assets. */
function pageRoutes(router: Router): void {
  const files = [
    ['/sandbox', 'messenger.html', 'html'],
    ['/sandbox/cards', 'cards.html', 'html'],
    ['/sandbox/card-renderer.js', 'card-renderer.js', 'application/javascript'],
    ['/sandbox/style.css', 'style.css', 'text/css'],
  ] as const;
  for (const [route, file, type] of files)
    router.get(route, (ctx) => {
      ctx.type = type;
      ctx.body = page(file);
    });
  // The chart library Lark's client draws `chart` components with, so the sandbox shows what Lark shows.
  router.get('/sandbox/vchart.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.set('cache-control', 'max-age=86400');
    ctx.body = fs.createReadStream(vchartBundle());
  });
}

const vchartBundle = () => createRequire(import.meta.url).resolve('@visactor/vchart/build/index.min.js');

/** Card previews from the samples, the demo people, and one person's conversation. */
function readRoutes(router: Router, state: State, deps: AppDeps, bot: Bot): void {
  router.get('/sandbox/api/previews', (ctx) => {
    const file = fs.readFileSync(path.join(defaultCardsDir, 'samples.yaml'), 'utf8');
    const samples = YAML.parse(file) as Record<string, object>;
    ctx.body = bot.cards.names().map((name) => {
      try {
        return { name, card: bot.cards.render(name as CardName, (samples[name] ?? {}) as never) };
      } catch (e) {
        return { name, error: (e as Error).message };
      }
    });
  });
  router.get('/sandbox/api/users', async (ctx) => {
    ctx.body = (await directory(deps.db)).map((u) => ({
      openId: u.openId,
      name: u.name,
      department: u.department,
      roles: u.roles.map((r) => roleLabels[r]),
    }));
  });
  // A file message's file, as Lark's client downloads it.
  router.get('/sandbox/api/files/:key', (ctx) => {
    const f = state.fake.files.get(ctx.params.key!);
    if (!f) return ctx.throw(404, '文件不存在');
    ctx.type = 'application/octet-stream';
    ctx.attachment(f.name);
    ctx.body = f.bytes;
  });
  router.get('/sandbox/api/messages', (ctx) => {
    const openId = String(ctx.query.openId ?? '');
    const cards = state.fake.messagesTo(openId).map((m) => ({ from: 'bot', ...view(m) }));
    const texts = state.said.filter((x) => x.openId === openId).map((x) => ({ from: 'me', at: x.at, text: x.text }));
    ctx.body = [...cards, ...texts].sort((a, b) => a.at - b.at);
  });
}

/** Server-sent events: new and updated cards for one person as they happen. */
function streamRoute(router: Router, state: State): void {
  router.get('/sandbox/api/stream', (ctx) => {
    const openId = String(ctx.query.openId ?? '');
    const stream = new PassThrough();
    state.streams.add(stream);
    ctx.req.socket.setTimeout(0);
    ctx.type = 'text/event-stream';
    ctx.set('cache-control', 'no-cache');
    ctx.body = stream;
    stream.write(': connected\n\n');
    const off = state.fake.onMessage((m, change) => {
      if (m.receiveId === openId)
        stream.write(`data: ${JSON.stringify({ change, message: { from: 'bot', ...view(m) } })}\n\n`);
    });
    const done = () => {
      off();
      state.streams.delete(stream);
    };
    ctx.req.on('close', done);
    stream.on('close', done);
  });
}

/** A person sends the bot a file (`?openId=&name=`, the bytes as the body): kept by the fake, announced by an event. */
async function sendFile(ctx: Koa.Context, state: State): Promise<void> {
  const openId = String(ctx.query.openId ?? '');
  const name = String(ctx.query.name ?? '').slice(0, 200);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > SANDBOX_FILE_LIMIT) ctx.throw(413, '沙盒中发送的文件不超过 25 MB');
    chunks.push(c);
  }
  if (!openId || !name || !state.eventsUrl) ctx.throw(400, '缺少 openId 或文件名');
  const image = /^image\//.test(ctx.get('content-type'));
  const sent = state.fake.userSendsFile(name, Buffer.concat(chunks));
  state.said.push({ openId, text: `📎 ${name}`, at: Date.now() });
  const r = await deliver(
    state.eventsUrl(),
    state.identity,
    fileMessage(state.identity, openId, { ...sent, name, image }),
  );
  ctx.body = { status: r.status };
}

/** What a person does: type, press a menu item, click a card; each a signed event to /lark/events. */
function actRoutes(router: Router, state: State, eventsUrl: () => string): void {
  const { identity, fake } = state;
  router.post('/sandbox/api/send', async (ctx) => {
    const { openId, text } = ctx.request.body as { openId: string; text: string };
    state.said.push({ openId, text, at: Date.now() });
    const r = await deliver(eventsUrl(), identity, textMessage(identity, openId, text));
    ctx.body = { status: r.status };
  });
  router.post('/sandbox/api/menu', async (ctx) => {
    const { openId, key } = ctx.request.body as { openId: string; key: string };
    const r = await deliver(eventsUrl(), identity, menuClick(identity, openId, key));
    ctx.body = { status: r.status };
  });
  router.post('/sandbox/api/click', async (ctx) => {
    const b = ctx.request.body as {
      openId: string;
      messageId: string;
      value: Record<string, unknown>;
      formValue?: Record<string, unknown>;
      name?: string;
    };
    const click = cardAction(identity, b.openId, b.messageId, {
      value: b.value,
      form_value: b.formValue,
      name: b.name,
    });
    const r = await deliver(eventsUrl(), identity, click);
    const body = r.body as { toast?: unknown; card?: { data: Record<string, unknown> } };
    // As in Lark, a card in the callback answer replaces the clicked card for everyone who sees it.
    const m = fake.message(b.messageId);
    if (body?.card && m) {
      m.card = body.card.data;
      m.patches++;
      fake.emitChange(m);
    }
    ctx.body = { status: r.status, toast: body?.toast ?? null };
  });
}
