import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { createLarkApi, type LarkApi } from '../../src/lark/lark-api';
import { claimDue, enqueue, enqueueMany, outboxStats } from '../../src/lark/outbox-repository';
import { createOutboxWorker, type OutboxWorkerOptions } from '../../src/lark/outbox-worker';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { FakeLark, type FakeLarkOptions } from '../../src/sandbox/fake-lark';
import { createDb } from '../../src/db/database';
import { dialects, migratedDb } from '../helpers/databases';

const card = (n: number | string) => ({
  schema: '2.0',
  config: { update_multi: true },
  body: { elements: [{ tag: 'markdown', content: `消息 ${n}` }] },
});
const logger = createLogger('silent');

interface Rig {
  db: Db;
  url: string;
  fake: FakeLark;
  api: LarkApi;
  worker(o?: Partial<OutboxWorkerOptions>): ReturnType<typeof createOutboxWorker>;
  close(): Promise<void>;
}

async function rig(dialect: 'sqlite' | 'mysql', fakeOpts: FakeLarkOptions = {}): Promise<Rig> {
  const { db, url, close } = await migratedDb(dialect);
  const fake = new FakeLark(fakeOpts);
  const domain = await fake.listen();
  const api = createLarkApi({ appId: 'cli_a000000000000001', appSecret: 's', domain }, logger, 500);
  return {
    db,
    url,
    fake,
    api,
    worker: (o = {}) =>
      createOutboxWorker({ db, api, logger, metrics: createMetrics(), pollMs: 10, retryBaseMs: 20, ...o }),
    close: async () => {
      await fake.close();
      await close();
    },
  };
}

const sendTo = (openId: string, n: number | string) => ({
  kind: 'send' as const,
  receiveIdType: 'open_id' as const,
  receiveId: openId,
  card: card(n),
});
const creates = (fake: FakeLark) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === '/open-apis/im/v1/messages');

describe.each(dialects())('outbox on %s', (dialect) => {
  let r: Rig;
  afterEach(async () => r?.close());

  it('recovers from 429 (honouring x-ogw-ratelimit-reset) and 500, sending exactly once', async () => {
    r = await rig(dialect);
    await enqueue(r.db, sendTo('ou_a', 1), Date.now(), { uuid: 'u-429' });
    r.fake.fail({
      status: 429,
      headers: { 'x-ogw-ratelimit-reset': '1' },
      body: { code: 99991400, msg: 'request trigger frequency limit' },
    });
    r.fake.fail({ status: 500 });
    const metrics = createMetrics();
    const w = r.worker({ metrics });
    const started = Date.now();
    await w.drain(10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // waited for the advertised reset
    expect(r.fake.messages).toHaveLength(1);
    const row = await r.db('outbox').first();
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(row.message_id).toBe(r.fake.messages[0]!.messageId);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/jixiao_outbox_retried_total\{reason="rate"\} 1/);
    expect(text).toMatch(/jixiao_outbox_retried_total\{reason="server"\} 1/);
    expect(text).toMatch(/jixiao_outbox_sent_total\{kind="send"\} 1/);
  });

  it('fetches a new token after 99991663 and retries', async () => {
    r = await rig(dialect);
    await enqueue(r.db, sendTo('ou_a', 1), Date.now());
    await r.worker().drain();
    r.fake.expireTokens();
    await enqueue(r.db, sendTo('ou_a', 2), Date.now());
    await r.worker().drain();
    expect(r.fake.messages).toHaveLength(2);
    expect(r.fake.requests.filter((q) => q.path.endsWith('tenant_access_token/internal'))).toHaveLength(2);
  });

  it('retries garbage and timeouts; the uuid keeps a slow first attempt from duplicating', async () => {
    r = await rig(dialect);
    await enqueue(r.db, sendTo('ou_a', 1), Date.now(), { uuid: 'slow-1' });
    r.fake.fail({ garbage: true });
    r.fake.fail({ delayMs: 800 }); // over the 500 ms timeout: the fake still creates the message afterwards
    await r.worker().drain();
    await new Promise((res) => setTimeout(res, 900));
    expect(r.fake.messages).toHaveLength(1);
    expect(creates(r.fake).length).toBeGreaterThanOrEqual(3);
    expect((await r.db('outbox').first()).status).toBe('sent');
  });

  it('moves permanent failures to dead letter with the reason', async () => {
    r = await rig(dialect);
    r.fake.blocked.add('ou_blocked');
    await enqueue(r.db, sendTo('ou_blocked', 1), Date.now());
    await enqueue(
      r.db,
      { kind: 'send', receiveIdType: 'open_id', receiveId: 'ou_b', card: { schema: '1.0', elements: [] } },
      Date.now(),
    );
    await r.worker().drain();
    const rows = await r.db('outbox').orderBy('id');
    expect(rows.map((x: { status: string }) => x.status)).toEqual(['dead', 'dead']);
    expect(rows[0].last_error).toContain('230053');
    expect(rows[1].last_error).toContain('230099');
    expect(await outboxStats(r.db, Date.now())).toMatchObject({ pending: 0, dead: 2, sent: 0 });
  });

  it('takes over rows from a worker that crashed mid-batch, without duplicates', async () => {
    r = await rig(dialect);
    await enqueueMany(
      r.db,
      Array.from({ length: 10 }, (_, i) => ({ message: sendTo(`ou_${i}`, i), uuid: `crash-${i}` })),
      Date.now(),
    );
    // The crashed worker claimed all ten and got four of them out before dying, recording nothing.
    const claimed = await claimDue(r.db, 'crashed', Date.now(), 10, 300);
    expect(claimed).toHaveLength(10);
    for (const row of claimed.slice(0, 4)) await r.api.deliver(row.message, row.uuid);
    // Before the lease ends nobody else may take them.
    expect(await claimDue(r.db, 'early', Date.now(), 10, 300)).toHaveLength(0);
    await new Promise((res) => setTimeout(res, 350));
    await r.worker().drain();
    expect(r.fake.messages).toHaveLength(10);
    expect(new Set(r.fake.messages.map((m) => m.receiveId)).size).toBe(10);
    expect(await outboxStats(r.db, Date.now())).toMatchObject({ pending: 0, sent: 10 });
  });

  it('two workers on separate connections never send a row twice', async () => {
    r = await rig(dialect);
    await enqueueMany(
      r.db,
      Array.from({ length: 300 }, (_, i) => ({ message: sendTo(`ou_${i % 60}`, i) })),
      Date.now(),
    );
    const otherDb = createDb(r.url); // a second "instance" with its own pool
    try {
      const limits = { app: [{ max: 1000, windowMs: 1000 }], perRecipient: { max: 50, windowMs: 1000 } };
      const a = r.worker({ workerId: 'A', batchSize: 20, limits });
      const b = createOutboxWorker({
        db: otherDb,
        api: r.api,
        logger,
        metrics: createMetrics(),
        workerId: 'B',
        batchSize: 20,
        pollMs: 10,
        limits,
      });
      await Promise.all([a.drain(), b.drain()]);
    } finally {
      await otherDb.destroy();
    }
    const uuids = creates(r.fake).map((q) => (q.body as { uuid: string }).uuid);
    expect(new Set(uuids).size).toBe(300);
    // On a loaded machine a request may outlast the rig's 500 ms timeout and be sent again with its uuid, which Lark
    // answers with the first message: what must never happen is a second message.
    expect(r.fake.messages).toHaveLength(300);
    expect(new Set(r.fake.messages.map((m) => m.uuid)).size).toBe(300);
    const byWorker = await r.db('outbox').select('claimed_by');
    const owners = new Set(byWorker.map((x: { claimed_by: string }) => x.claimed_by.split(':')[0]));
    expect(owners).toEqual(new Set(['A', 'B']));
  });

  it('never exceeds the per-app rate, nor 5/s for one recipient, as Lark counts them', async () => {
    r = await rig(dialect, { rateLimit: { perSecond: 20, perMinute: 1000 } });
    await enqueueMany(
      r.db,
      Array.from({ length: 60 }, (_, i) => ({ message: sendTo(`ou_${i % 30}`, i) })),
      Date.now(),
    );
    await enqueueMany(
      r.db,
      Array.from({ length: 12 }, (_, i) => ({ message: sendTo('ou_busy', `b${i}`) })),
      Date.now(),
    );
    // The worker runs under the limit, as the default limits do against Lark's; the margin here is wider because the
    // fake shares the test's process and a busy CI machine can bunch arrivals that left evenly spaced.
    await r
      .worker({
        limits: {
          app: [
            { max: 15, windowMs: 1000, paced: true },
            { max: 950, windowMs: 60_000 },
          ],
          perRecipient: { max: 3, windowMs: 1000, paced: true },
        },
        concurrency: 16,
      })
      .drain(30_000);
    expect(r.fake.rateLimited).toBe(0);
    expect(r.fake.messages).toHaveLength(72);
    const maxInWindow = (times: number[]) =>
      Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(maxInWindow(creates(r.fake).map((q) => q.at))).toBeLessThanOrEqual(20);
    expect(maxInWindow(r.fake.messagesTo('ou_busy').map((m) => m.at))).toBeLessThanOrEqual(5);
  });

  it('sends every message kind through the SDK to the right endpoint', async () => {
    r = await rig(dialect);
    await enqueue(r.db, sendTo('ou_a', 'first'), Date.now(), { uuid: 'first' });
    const w = r.worker();
    await w.drain();
    const id = r.fake.messages[0]!.messageId;
    await enqueue(r.db, { kind: 'reply', messageId: id, card: card('reply') }, Date.now());
    await enqueue(r.db, { kind: 'patch', messageId: id, card: card('patched') }, Date.now());
    await enqueue(r.db, { kind: 'buzz', messageId: id, openIds: ['ou_a'] }, Date.now());
    await enqueue(r.db, { kind: 'batch_send', openIds: ['ou_x', 'ou_y'], card: card('batch') }, Date.now());
    await enqueue(r.db, { kind: 'card_update', token: 'c-123', card: card('delayed') }, Date.now());
    await w.drain();
    const first = r.fake.message(id)!;
    expect(JSON.stringify(first.card)).toContain('patched');
    expect(first.buzzed).toEqual(['ou_a']);
    expect(r.fake.messages.filter((m) => m.via === 'reply')).toHaveLength(1);
    expect(r.fake.messages.filter((m) => m.via === 'batch').map((m) => m.receiveId)).toEqual(['ou_x', 'ou_y']);
    expect(r.fake.requests.some((q) => q.path === '/open-apis/interactive/v1/card/update')).toBe(true);
    expect(await outboxStats(r.db, Date.now())).toMatchObject({ pending: 0, dead: 0, sent: 6 });
  });

  it('stores a long card of Chinese text, quotes and backslashes exactly, and sends it as it was', async () => {
    r = await rig(dialect);
    // The characters an escaping mistake would change, in a card as long as a real one.
    const text = `绩效目标「"引号"」'单引号' \\反斜杠\n ?问号 \u0000\u001a ${'财政预算绩效管理'.repeat(200)} 𠀀`;
    await enqueue(r.db, sendTo('ou_a', text), Date.now(), { uuid: 'long' });
    const stored = await r.db('outbox').where({ uuid: 'long' }).first('payload');
    expect(JSON.parse(String(stored.payload)).card).toEqual(card(text));
    await r.worker().drain();
    expect(r.fake.messages[0]!.card).toEqual(card(text));
  });
});
