import { appendAudit } from '../audit/audit-log';
import type { CardRenderer } from '../cards/renderer';
import type { Executor } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { enqueueNew } from '../lark/outbox-repository';
import { chunks } from '../shared/chunks';
import { type Role, activePeople } from '../org';
import { beijingDate } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { Bank } from './bank-schema';
import { drawPaper, seedOf } from './quiz-logic';

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

export const prizeText = (p: PrizeRule) =>
  p.kind === 'top' ? `前 ${p.n} 名获奖（同分按用时）` : `满分者中抽取 ${p.n} 名`;

function audienceUsers(db: Executor, a: Audience): Promise<{ id: number; openId: string }[]> {
  if (a.kind === 'departments') return activePeople(db, { departmentCodes: a.codes });
  if (a.kind === 'roles') return activePeople(db, { roles: a.roles });
  return activePeople(db);
}

/**
 * Creates the quiz, draws each recipient's paper (seeded by quiz and person, so any paper can be reproduced) and
 * queues one invitation card per person through the outbox, which paces them within Lark's limits.
 */
export async function publishQuiz(
  db: Executor,
  banks: Map<string, Bank>,
  cards: CardRenderer,
  input: PublishInput,
  userId: number | null,
  now: number,
) {
  const bank = banks.get(input.bankId);
  if (!bank) throw new AppError('validation_failed', '请选择题库');
  if (!input.title.trim()) throw new AppError('validation_failed', '请填写竞答名称');
  if (!(input.questionCount >= 1 && input.questionCount <= Math.min(20, bank.questions.length)))
    throw new AppError('validation_failed', `每人题数应为 1–${Math.min(20, bank.questions.length)}`);
  if (!(input.timeLimitS >= 60 && input.timeLimitS <= 7200))
    throw new AppError('validation_failed', '限时应为 1–120 分钟');
  if (!(input.attemptsAllowed >= 1 && input.attemptsAllowed <= 5))
    throw new AppError('validation_failed', '可答次数应为 1–5');
  if (!(input.prize.n >= 1)) throw new AppError('validation_failed', '获奖人数至少为 1');
  if (input.closesAt <= input.opensAt) throw new AppError('validation_failed', '结束时间应晚于开始时间');
  const users = await audienceUsers(db, input.audience);
  if (!users.length) throw new AppError('validation_failed', '参与范围内没有人员');
  const seed = seedOf(input.bankId, input.title, now);
  const publishKey = `${input.bankId}|${beijingDate(now)}|${input.title.trim()}`.slice(0, 191);
  const existing = await publishedWithKey(db, publishKey, false);
  if (existing) return { quizId: existing, recipients: 0, existing: true };
  let inserted: number[];
  try {
    inserted = await db('quizzes').insert({
      bank_id: input.bankId,
      title: input.title.trim(),
      question_count: input.questionCount,
      time_limit_s: input.timeLimitS,
      attempts_allowed: input.attemptsAllowed,
      opens_at: input.opensAt,
      closes_at: input.closesAt,
      audience: JSON.stringify(input.audience),
      prize: JSON.stringify(input.prize),
      seed,
      publish_key: publishKey,
      created_by: userId,
      created_at: now,
    });
  } catch (err) {
    // A twin click committed first; a locking read sees it although it is newer than this transaction's snapshot.
    const twin = isUniqueViolation(err) ? await publishedWithKey(db, publishKey, true) : undefined;
    if (twin) return { quizId: twin, recipients: 0, existing: true };
    throw err;
  }
  const quizId = Number(inserted[0]);
  for (const c of chunks(users, 500)) {
    await db('quiz_recipients').insert(
      c.map((u) => ({
        quiz_id: quizId,
        user_id: u.id,
        paper: JSON.stringify(drawPaper(bank, input.questionCount, seedOf(seed, u.id))),
      })),
    );
  }
  const card = cards.render('quiz-invite', {
    title: input.title.trim(),
    count: input.questionCount,
    minutes: Math.round(input.timeLimitS / 60),
    opensAt: input.opensAt,
    closesAt: input.closesAt,
    prize: prizeText(input.prize),
    note: `题目来自“${bank.title}”，每人题目和选项顺序不同；计时从点击“开始答题”算起。`,
    buttonText: '开始答题',
    start: { action: 'quiz.start', qid: quizId },
  });
  const queued = await enqueueNew(
    db,
    users.map((u) => ({
      message: { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: u.openId, card },
      uuid: `quiz:${quizId}:${u.id}`,
      ref: `quiz:${quizId}`,
    })),
    now,
  );
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

async function publishedWithKey(db: Executor, key: string, locking: boolean): Promise<number | undefined> {
  const q = db('quizzes').where({ publish_key: key });
  if (locking) q.forUpdate();
  const r = await q.first('id');
  return r ? Number(r.id) : undefined;
}
