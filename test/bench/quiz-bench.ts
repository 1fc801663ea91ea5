import { createCardRenderer } from '../../src/cards/renderer';
import { createDb, migrateLatest } from '../../src/db/database';
import { createLarkApi } from '../../src/lark/lark-api';
import { createOutboxWorker } from '../../src/lark/outbox-worker';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { chunks } from '../../src/shared/chunks';
import { loadBanks } from '../../src/quizzes/bank-schema';
import { publishQuiz } from '../../src/quizzes/publish';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { freshDatabase } from '../helpers/databases';

const USERS = 10_000;
const LIMIT_PER_SECOND = 200; // the fake Lark's per-app limit for this run (Lark's own is 50/s and 1000/min)
const INJECTED_429 = 100;

/** Broadcasts a quiz to 10,000 people through the outbox and the fake Lark, which rate-limits and throws in 429s. */
export async function benchQuiz(): Promise<void> {
  const t = await freshDatabase('sqlite');
  const db = createDb(t.url);
  const fake = new FakeLark({ rateLimit: { perSecond: LIMIT_PER_SECOND, perMinute: LIMIT_PER_SECOND * 60 } });
  const domain = await fake.listen();
  try {
    await migrateLatest(db);
    const now = Date.now();
    await db('departments').insert({ code: 'D', name: '全市', kind: 'bureau', created_at: now, updated_at: now });
    const dept = Number((await db('departments').first('id')).id);
    for (const c of chunks(
      Array.from({ length: USERS }, (_, i) => ({
        open_id: `ou_q${i}`,
        name: `人员${i}`,
        department_id: dept,
        active: true,
        created_at: now,
        updated_at: now,
      })),
      500,
    )) {
      await db('users').insert(c);
    }
    const banks = loadBanks().banks;
    const publishStarted = performance.now();
    await db.transaction((tx) =>
      publishQuiz(
        tx,
        banks,
        createCardRenderer(),
        {
          bankId: 'budget-performance-rules',
          title: '基准测试竞答',
          questionCount: 10,
          timeLimitS: 600,
          attemptsAllowed: 1,
          opensAt: now,
          closesAt: now + 86_400_000,
          audience: { kind: 'all' },
          prize: { kind: 'top', n: 10 },
        },
        null,
        now,
      ),
    );
    const publishMs = performance.now() - publishStarted;
    // 429s with a one-second reset, spread over the first part of the run.
    for (let i = 0; i < INJECTED_429; i++)
      fake.fail(
        { status: 429, headers: { 'x-ogw-ratelimit-reset': '1' }, body: { code: 99991400, msg: 'injected' } },
        1,
      );

    const logger = createLogger('silent');
    const api = createLarkApi({ appId: 'cli_a000000000000001', appSecret: 's', domain }, logger, 5000);
    const metrics = createMetrics();
    // The worker runs 10% under the limit, as it does against Lark's real limits.
    const worker = createOutboxWorker({
      db,
      api,
      logger,
      metrics,
      batchSize: 200,
      concurrency: 32,
      pollMs: 10,
      limits: {
        app: [
          { max: LIMIT_PER_SECOND * 0.9, windowMs: 1000, paced: true },
          { max: LIMIT_PER_SECOND * 60 * 0.95, windowMs: 60_000 },
        ],
        perRecipient: { max: 4, windowMs: 1000, paced: true },
      },
    });
    const started = performance.now();
    await worker.drain(20 * 60_000);
    const seconds = (performance.now() - started) / 1000;
    const receivers = new Set(fake.messages.map((m) => m.receiveId));
    const rate = fake.messages.length / seconds;
    const retried = (await metrics.registry.getSingleMetricAsString('jixiao_outbox_retried_total'))
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => Number(l.split(' ').pop()))
      .reduce((a, b) => a + b, 0);
    console.log('\nQuiz broadcast (10,000 recipients, per-user cards through the outbox)');
    console.log('| figure | value |');
    console.log('|---|---:|');
    console.log(`| publish: draw 10,000 papers, queue 10,000 cards (one transaction) | ${publishMs.toFixed(0)} ms |`);
    console.log(`| configured limit | ${LIMIT_PER_SECOND}/s |`);
    console.log(`| time to deliver all | ${seconds.toFixed(1)} s |`);
    console.log(
      `| achieved rate | ${rate.toFixed(1)}/s = ${((rate / LIMIT_PER_SECOND) * 100).toFixed(1)}% of the limit |`,
    );
    console.log(
      `| 429 injected / answered by the limiter / retries | ${INJECTED_429} / ${fake.rateLimited} / ${retried} |`,
    );
    console.log(`| delivered to distinct users | ${receivers.size} |`);
    console.log(`| lost | ${USERS - receivers.size} |`);
    console.log(`| duplicated | ${fake.messages.length - receivers.size} |`);
    console.log(`| at Lark's real 1000/min limit this takes | ${(USERS / (1000 * 0.95)).toFixed(1)} min |`);
  } finally {
    await fake.close();
    await db.destroy();
    await t.drop();
  }
}
