import { createCardRenderer } from '../../src/cards/renderer';
import { type Db, createDb, migrateLatest } from '../../src/db/database';
import { createLarkApi } from '../../src/lark/lark-api';
import { enqueueMany } from '../../src/lark/outbox-repository';
import { createOutboxWorker } from '../../src/lark/outbox-worker';
import { larkRateLimits } from '../../src/lark/rate-limiter';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { chunks } from '../../src/shared/chunks';
import { loadBanks } from '../../src/quizzes/bank-schema';
import { publishQuiz } from '../../src/quizzes/publish';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { freshDatabase } from '../helpers/databases';
import { figure } from './measure';

const USERS = 10_000;
const LIMIT_PER_SECOND = 50; // the fake Lark's per-app limit, as Lark's own
const PACED = 2_000; // per-user cards (different for each person: reminders, task cards) to measure the pacer
const INJECTED_429_PERCENT = 5;

/** The outbox worker against the fake Lark, under the product's default limits (10 % headroom). */
async function drain(db: Db, domain: string) {
  const logger = createLogger('silent');
  const api = createLarkApi({ appId: 'cli_a000000000000001', appSecret: 's', domain }, logger, 5000);
  const metrics = createMetrics();
  const limits = larkRateLimits({ perSecond: LIMIT_PER_SECOND, perMinute: LIMIT_PER_SECOND * 60, headroomPercent: 10 });
  const worker = createOutboxWorker({ db, api, logger, metrics, batchSize: 200, concurrency: 32, pollMs: 10, limits });
  const started = performance.now();
  await worker.drain(20 * 60_000);
  const retried = (await metrics.registry.getSingleMetricAsString('jixiao_outbox_retried_total'))
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => Number(l.split(' ').pop()))
    .reduce((a, b) => a + b, 0);
  return { seconds: (performance.now() - started) / 1000, retried, configured: limits.app[0]!.max };
}

async function withPeople<T>(run: (db: Db, fake: FakeLark, domain: string) => Promise<T>): Promise<T> {
  const t = await freshDatabase('sqlite');
  const db = createDb(t.url);
  const fake = new FakeLark({ rateLimit: { perSecond: LIMIT_PER_SECOND, perMinute: LIMIT_PER_SECOND * 60 } });
  const domain = await fake.listen();
  try {
    await migrateLatest(db);
    const now = Date.now();
    await db('departments').insert({ code: 'D', name: '全市', kind: 'bureau', created_at: now, updated_at: now });
    const dept = Number((await db('departments').first('id')).id);
    const people = Array.from({ length: USERS }, (_, i) => ({
      ...{ open_id: `ou_q${i}`, name: `人员${i}`, department_id: dept, active: true },
      ...{ created_at: now, updated_at: now },
    }));
    for (const c of chunks(people, 500)) await db('users').insert(c);
    return await run(db, fake, domain);
  } finally {
    await fake.close();
    await db.destroy();
    await t.drop();
  }
}

/** A 10,000-person quiz invite: one card, batch-sent 200 people a call. */
async function invite() {
  return withPeople(async (db, fake, domain) => {
    const now = Date.now();
    const publishStarted = performance.now();
    const input = {
      ...{ bankId: 'budget-performance-rules', title: '基准测试竞答', questionCount: 10, timeLimitS: 600 },
      ...{ attemptsAllowed: 1, opensAt: now, closesAt: now + 86_400_000 },
      ...{ audience: { kind: 'all' as const }, prize: { kind: 'top' as const, n: 10 } },
    };
    const cards = createCardRenderer();
    await db.transaction((tx) => publishQuiz(tx, loadBanks().banks, cards, input, null, now));
    const publishMs = performance.now() - publishStarted;
    const sent = await drain(db, domain);
    const receivers = new Set(fake.messages.map((m) => m.receiveId));
    const calls = fake.requests.filter((r) => r.path.endsWith('/batch_send/') && r.status === 200).length;
    return { publishMs, ...sent, calls, receivers: receivers.size, messages: fake.messages.length };
  });
}

/** 2,000 per-user cards with 5 % of the calls answered 429: the pacer's share of the configured rate. */
async function paced() {
  return withPeople(async (db, fake, domain) => {
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '提醒' }] } };
    const items = Array.from({ length: PACED }, (_, i) => ({
      message: { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: `ou_q${i}`, card },
    }));
    await enqueueMany(db, items, Date.now());
    const body = { code: 99991400, msg: 'injected' };
    for (let i = 0; i < (PACED * INJECTED_429_PERCENT) / 100; i++)
      fake.fail({ status: 429, headers: { 'x-ogw-ratelimit-reset': '1' }, body }, 1, /\/im\/v1\/messages$/);
    const sent = await drain(db, domain);
    const receivers = new Set(fake.messages.map((m) => m.receiveId));
    return { ...sent, receivers: receivers.size, messages: fake.messages.length, overLimit: fake.rateLimited };
  });
}

export async function benchQuiz(): Promise<void> {
  const a = await invite();
  console.log('\nQuiz invite to 10,000 people (one card, Lark batch send, 200 a call)');
  console.log('| figure | value |\n|---|---:|');
  console.log(`| publish: draw 10,000 papers, queue the batches (one transaction) | ${a.publishMs.toFixed(0)} ms |`);
  console.log(`| batch calls / time to deliver all | ${a.calls} / ${a.seconds.toFixed(2)} s |`);
  console.log(
    `| delivered / lost / duplicated | ${a.receivers} / ${USERS - a.receivers} / ${a.messages - a.receivers} |`,
  );
  console.log(`| the same as per-user cards at Lark's 1000/min | ${(USERS / 950).toFixed(1)} min |`);
  const p = await paced();
  const rate = p.messages / p.seconds;
  console.log(
    `\nPer-user cards (${PACED}, ${INJECTED_429_PERCENT} % of calls answered 429), Lark limit ${LIMIT_PER_SECOND}/s`,
  );
  console.log('| figure | value |\n|---|---:|');
  console.log(`| configured rate (limit less 10 % headroom) | ${p.configured}/s |`);
  console.log(`| achieved | ${rate.toFixed(1)}/s = ${((rate / p.configured) * 100).toFixed(1)} % of configured |`);
  console.log(`| retries / refused by the fake Lark's own limit | ${p.retried} / ${p.overLimit} |`);
  console.log(
    `| delivered / lost / duplicated | ${p.receivers} / ${PACED - p.receivers} / ${p.messages - p.receivers} |`,
  );
  figure('quiz_invite_10k_seconds', a.seconds, 's');
  figure('paced_send_share_of_configured', rate / p.configured, 'ratio');
}
