import type { Executor } from '../db/database.ts';
import type { Paper } from './quiz-logic.ts';
import type { PrizeRule } from './publish.ts';

/* Quizzes' own queries: quizzes, quiz_recipients, quiz_attempts and quiz_draws are named only here and in publish. */

export interface QuizRow {
  id: number;
  bankId: string;
  title: string;
  count: number;
  limitS: number;
  attempts: number;
  opensAt: number;
  closesAt: number;
  prize: PrizeRule;
  seed: number;
}

const toQuiz = (r: Record<string, unknown>): QuizRow => ({
  id: Number(r.id),
  bankId: String(r.bank_id),
  title: String(r.title),
  count: Number(r.question_count),
  limitS: Number(r.time_limit_s),
  attempts: Number(r.attempts_allowed),
  opensAt: Number(r.opens_at),
  closesAt: Number(r.closes_at),
  prize: JSON.parse(String(r.prize)) as PrizeRule,
  seed: Number(r.seed),
});

/** `forUpdate`: a locking read, so that two draws queue on the quiz. */
export async function quizById(db: Executor, id: number, forUpdate = false): Promise<QuizRow | undefined> {
  const q = db('quizzes').where({ id });
  if (forUpdate) q.forUpdate();
  const r = await q.first();
  return r ? toQuiz(r) : undefined;
}

/** The most recently published quiz, if any. */
export async function latestQuiz(db: Executor): Promise<QuizRow | undefined> {
  const r = await db('quizzes').orderBy('id', 'desc').first();
  return r ? toQuiz(r) : undefined;
}

/** The id of the most recently published quiz, if any. */
export async function latestQuizId(db: Executor): Promise<number | undefined> {
  return (await latestQuiz(db))?.id;
}

export async function closeQuiz(db: Executor, id: number, at: number): Promise<void> {
  await db('quizzes').where({ id }).update({ closes_at: at });
}

/** The paper dealt to this recipient, or undefined when the quiz was not sent to them. */
export async function recipientPaper(db: Executor, quizId: number, userId: number): Promise<Paper | undefined> {
  const r = await db('quiz_recipients').where({ quiz_id: quizId, user_id: userId }).first('paper');
  return r ? (JSON.parse(String(r.paper)) as Paper) : undefined;
}

export async function recipientsOf(db: Executor, quizId: number): Promise<number[]> {
  return (await db('quiz_recipients').where({ quiz_id: quizId }).pluck('user_id')).map(Number);
}

/** Recipients who have not submitted and still have an attempt left (a timed-out attempt counts as used). */
export async function stillToAnswer(db: Executor, quiz: QuizRow): Promise<number[]> {
  const ids = await db('quiz_recipients as r')
    .where('r.quiz_id', quiz.id)
    .whereNotExists(
      db('quiz_attempts as a')
        .whereRaw('a.quiz_id = r.quiz_id and a.user_id = r.user_id')
        .where('a.status', 'submitted'),
    )
    .whereRaw('(select count(*) from quiz_attempts b where b.quiz_id = r.quiz_id and b.user_id = r.user_id) < ?', [
      quiz.attempts,
    ])
    .pluck('r.user_id');
  return ids.map(Number);
}

export interface Attempt {
  id: number;
  attemptNo: number;
  status: 'started' | 'submitted' | 'late';
  startedAt: number;
}

const toAttempt = (r: Record<string, unknown>): Attempt => ({
  id: Number(r.id),
  attemptNo: Number(r.attempt_no),
  status: r.status as Attempt['status'],
  startedAt: Number(r.started_at),
});

export async function attemptsOf(db: Executor, quizId: number, userId: number): Promise<Attempt[]> {
  return (await db('quiz_attempts').where({ quiz_id: quizId, user_id: userId }).orderBy('attempt_no')).map(toAttempt);
}

/**
 * Starts attempt `attemptNo` (earlier unfinished ones become late) and answers its start time. Two clicks at once
 * start one attempt: the twin's insert is ignored and it reads the winner's start time (a locking read sees it on
 * MySQL although it is newer than this transaction's snapshot).
 */
export async function startAttempt(
  db: Executor,
  a: { quizId: number; userId: number; attemptNo: number },
  now: number,
): Promise<number> {
  const mine = { quiz_id: a.quizId, user_id: a.userId };
  // Only earlier attempts: on MySQL a twin click's UPDATE reads the winner's just-committed attempt and would mark the
  // very attempt it is about to join as late.
  await db('quiz_attempts')
    .where({ ...mine, status: 'started' })
    .where('attempt_no', '<', a.attemptNo)
    .update({ status: 'late' });
  await db('quiz_attempts')
    .insert({ ...mine, attempt_no: a.attemptNo, started_at: now, status: 'started' })
    .onConflict(['quiz_id', 'user_id', 'attempt_no'])
    .ignore();
  const row = await db('quiz_attempts')
    .where({ ...mine, attempt_no: a.attemptNo })
    .forUpdate()
    .first('started_at');
  return Number(row.started_at);
}

export async function markLate(db: Executor, attemptId: number, now: number): Promise<void> {
  await db('quiz_attempts').where({ id: attemptId }).update({ status: 'late', submitted_at: now });
}

/**
 * Compare-and-set on the status: of two simultaneous 交卷 clicks (any database, any isolation) exactly one scores.
 * Resolves false for the loser.
 */
export async function submitAttempt(
  db: Executor,
  attemptId: number,
  result: { items: unknown[]; score: number; durationMs: number },
  now: number,
): Promise<boolean> {
  const n = await db('quiz_attempts')
    .where({ id: attemptId, status: 'started' })
    .update({
      status: 'submitted',
      submitted_at: now,
      answers: JSON.stringify(result.items),
      score: result.score,
      duration_ms: result.durationMs,
    });
  return n === 1;
}

export interface SubmittedAttempt {
  userId: number;
  score: number;
  durationMs: number;
  answers: { id: string; correct: boolean }[];
}

export async function submittedAttempts(db: Executor, quizId: number): Promise<SubmittedAttempt[]> {
  const rows: { user_id: number; score: number; duration_ms: number; answers: string }[] = await db('quiz_attempts')
    .where({ quiz_id: quizId, status: 'submitted' })
    .select('user_id', 'score', 'duration_ms', 'answers');
  return rows.map((r) => ({
    userId: Number(r.user_id),
    score: Number(r.score),
    durationMs: Number(r.duration_ms),
    answers: JSON.parse(r.answers) as SubmittedAttempt['answers'],
  }));
}

/** The prize draw's winners, or undefined before the draw. `forUpdate` makes a second draw wait for the first. */
export async function drawOf(db: Executor, quizId: number, forUpdate = false): Promise<number[] | undefined> {
  const q = db('quiz_draws').where({ quiz_id: quizId });
  if (forUpdate) q.forUpdate();
  const r = await q.first('winners');
  return r ? (JSON.parse(String(r.winners)) as number[]) : undefined;
}

export async function recordDraw(
  db: Executor,
  d: { quizId: number; seed: number; winners: number[]; by: number },
  now: number,
): Promise<void> {
  await db('quiz_draws').insert({
    quiz_id: d.quizId,
    seed: d.seed,
    winners: JSON.stringify(d.winners),
    drawn_by: d.by,
    drawn_at: now,
  });
}
