import { appendAudit } from '../audit/audit-log.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Executor } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { enqueueNew } from '../lark/outbox-repository.ts';
import { chunks } from '../shared/chunks.ts';
import { type Role, activePeople } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Bank } from './bank-schema.ts';
import { drawPaper, seedOf } from './quiz-logic.ts';
import { inviteCard } from './quiz-invite.ts';

export type Audience = { kind: 'all' } | { kind: 'departments'; codes: string[] } | { kind: 'roles'; roles: Role[] };
export type PrizeRule = { kind: 'top' | 'draw'; n: number };

export interface PublishInput {
  bankId: string;
  title: string;
  questionCount: number;
  timeLimitS: number;
  attemptsAllowed: number;
  opensAt: number;
  closesAt: number;
  audience: Audience;
  prize: PrizeRule;
}

function audienceUsers(db: Executor, a: Audience): Promise<{ id: number; openId: string }[]> {
  if (a.kind === 'departments') return activePeople(db, { departmentCodes: a.codes });
  if (a.kind === 'roles') return activePeople(db, { roles: a.roles });
  return activePeople(db);
}

/**
 * Creates the quiz, draws each recipient's paper (seeded by quiz and person, so any paper can be reproduced) and
 * queues the invitation card for everyone in batches of 200 through the outbox, which paces them within Lark's limits.
 */
export async function publishQuiz(
  db: Executor,
  banks: Map<string, Bank>,
  cards: CardRenderer,
  input: PublishInput,
  userId: number | null,
  now: number,
) {
  const bank = checked(banks, input);
  const users = await audienceUsers(db, input.audience);
  if (!users.length) throw new AppError('validation_failed', '参与范围内没有人员');
  const seed = seedOf(input.bankId, input.title, now);
  const publishKey = `${input.bankId}|${beijingDate(now)}|${input.title.trim()}`.slice(0, 191);
  const existing = await publishedWithKey(db, publishKey, false);
  if (existing) return { quizId: existing, recipients: 0, existing: true };
  const created = await insertQuiz(db, input, { seed, publishKey, userId }, now);
  if ('twin' in created) return { quizId: created.twin, recipients: 0, existing: true };
  const quizId = created.id;
  for (const c of chunks(users, 500)) {
    await db('quiz_recipients').insert(
      c.map((u) => ({
        quiz_id: quizId,
        user_id: u.id,
        paper: JSON.stringify(drawPaper(bank, input.questionCount, seedOf(seed, u.id))),
      })),
    );
  }
  const card = inviteCard(
    cards,
    { ...input, id: quizId, title: input.title.trim(), count: input.questionCount, limitS: input.timeLimitS },
    `题目来自“${bank.title}”，每人题目和选项顺序不同；计时从点击“开始答题”算起。`,
  );
  // One card for everyone: sent through Lark's batch API, 200 people a call (a 10,000-person invite is 50 calls, not
  // 10,000). A batch-sent card cannot be updated or replied to, so 开始答题 answers with the paper as a new message.
  const batches = [
    ...chunks(
      users.map((u) => u.openId),
      200,
    ),
  ];
  await enqueueNew(
    db,
    batches.map((openIds, i) => ({
      message: { kind: 'batch_send' as const, openIds, card },
      uuid: `quiz:${quizId}:b${i}`,
      ref: `quiz:${quizId}`,
      // A quiz scheduled for later is announced when it opens.
      availableAt: Math.max(now, input.opensAt),
    })),
    now,
  );
  const queued = batches.reduce((n, b) => n + b.length, 0);
  await appendAudit(db, {
    at: now,
    actorUserId: userId,
    action: 'quiz.publish',
    entityType: 'quiz',
    entityId: quizId,
    source: userId ? 'bot' : 'cli',
    detail: { recipients: queued, seed, bank: input.bankId },
  });
  return { quizId, recipients: queued, existing: false };
}

/** The bank, once the settings are within what a quiz allows; else the first thing to correct. */
function checked(banks: Map<string, Bank>, input: PublishInput): Bank {
  const bank = banks.get(input.bankId);
  const fail = (message: string) => {
    throw new AppError('validation_failed', message);
  };
  if (!bank) return fail('请选择题库');
  const most = Math.min(20, bank.questions.length);
  if (!input.title.trim()) fail('请填写竞答名称');
  if (!(input.questionCount >= 1 && input.questionCount <= most)) fail(`每人题数应为 1–${most}`);
  if (!(input.timeLimitS >= 60 && input.timeLimitS <= 7200)) fail('限时应为 1–120 分钟');
  if (!(input.attemptsAllowed >= 1 && input.attemptsAllowed <= 5)) fail('可答次数应为 1–5');
  if (!(input.prize.n >= 1)) fail('获奖人数至少为 1');
  if (input.closesAt <= input.opensAt) fail('结束时间应晚于开始时间');
  return bank;
}

/** The new quiz's id, or the twin that a simultaneous click committed first under the same publish key. */
async function insertQuiz(
  db: Executor,
  input: PublishInput,
  o: { seed: number; publishKey: string; userId: number | null },
  now: number,
): Promise<{ id: number } | { twin: number }> {
  try {
    const [id] = await db('quizzes').insert({
      bank_id: input.bankId,
      title: input.title.trim(),
      question_count: input.questionCount,
      time_limit_s: input.timeLimitS,
      attempts_allowed: input.attemptsAllowed,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      audience: JSON.stringify(input.audience),
      prize: JSON.stringify(input.prize),
      seed: o.seed,
      publish_key: o.publishKey,
      created_by: o.userId,
      created_at: now,
    });
    return { id: Number(id) };
  } catch (err) {
    // A twin click committed first; a locking read sees it although it is newer than this transaction's snapshot.
    const twin = isUniqueViolation(err) ? await publishedWithKey(db, o.publishKey, true) : undefined;
    if (twin) return { twin };
    throw err;
  }
}

async function publishedWithKey(db: Executor, key: string, locking: boolean): Promise<number | undefined> {
  const q = db('quizzes').where({ publish_key: key });
  if (locking) q.forUpdate();
  const r = await q.first('id');
  return r ? Number(r.id) : undefined;
}
