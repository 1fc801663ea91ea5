import { z } from 'zod';
import type { ActionContext, CardAction, CardResponse, Guard } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema } from '../bot/guards.ts';
import { type Bank, type Question, correctIndexes, optionsOf } from './bank-schema.ts';
import { type Paper, grade } from './quiz-logic.ts';
import {
  type QuizRow,
  attemptsOf,
  markLate,
  quizById,
  recipientPaper,
  startAttempt,
  submitAttempt,
} from './quiz-repository.ts';

const letters = 'ABCDEFGH';
/** Lark delivers the click a moment after the user presses: a few seconds of grace on the time limit. */
const GRACE_MS = 5_000;

export const quizValue = z.object({ qid: idSchema });
const submitValue = z.object({ qid: idSchema, attempt: idSchema });
export const duration = (ms: number) => `${Math.floor(ms / 60000)} 分 ${Math.round((ms % 60000) / 1000)} 秒`;

/** The paper dealt to the clicking user, read once per event (the guard's read serves the handler). */
const paperOf = (ctx: ActionContext, quizId: number) =>
  ctx.reads.once(`quiz-paper:${quizId}`, () => recipientPaper(ctx.tx, quizId, ctx.user.id));

/** Only the people the quiz was sent to may answer it. */
const recipient: Guard<{ qid: number }, unknown> = async (ctx, { value }) =>
  Boolean(await paperOf(ctx, value.qid)) || '这张答题卡不是发给您的';

/**
 * 开始答题: the open attempt again, or a new one while attempts are left. The paper comes as a new message: the invite
 * was batch-sent and cannot be replaced (the same paper is sent once, however often it is clicked).
 */
export function startAction(banks: Map<string, Bank>): CardAction<z.infer<typeof quizValue>> {
  return {
    key: 'quiz.start',
    value: quizValue,
    guard: recipient,
    async run(ctx, { value: v }) {
      const quiz = await quizById(ctx.tx, v.qid);
      if (!quiz) return { toast: { type: 'error', content: '竞答不存在' } };
      const paper = (await paperOf(ctx, quiz.id))!;
      if (ctx.now < quiz.opensAt) return { toast: { type: 'warning', content: '竞答尚未开始' } };
      if (ctx.now > quiz.closesAt) return { toast: { type: 'warning', content: '竞答已结束' } };
      const attempts = await attemptsOf(ctx.tx, quiz.id, ctx.user.id);
      const open = attempts.find((a) => a.status === 'started' && ctx.now <= a.startedAt + quiz.limitS * 1000);
      if (open)
        return sendPaper(
          ctx,
          paperCard(ctx, banks, quiz, paper, open.attemptNo, open.startedAt),
          quiz.id,
          open.attemptNo,
        );
      if (attempts.length >= quiz.attempts)
        return { toast: { type: 'warning', content: `每人限答 ${quiz.attempts} 次，您已答完` } };
      const attemptNo = attempts.length + 1;
      const startedAt = await startAttempt(ctx.tx, { quizId: quiz.id, userId: ctx.user.id, attemptNo }, ctx.now);
      return sendPaper(ctx, paperCard(ctx, banks, quiz, paper, attemptNo, startedAt), quiz.id, attemptNo);
    },
  };
}

async function sendPaper(ctx: ActionContext, card: Card, qid: number, attemptNo: number): Promise<CardResponse> {
  await ctx.sendTo(ctx.openId, card, { uuid: `paper:${qid}:${ctx.user.id}:${attemptNo}` });
  return { toast: { type: 'success', content: `第 ${attemptNo} 次作答的答题卡已发送，请在对话中作答` } };
}

function paperCard(
  ctx: ActionContext,
  banks: Map<string, Bank>,
  quiz: QuizRow,
  paper: Paper,
  attemptNo: number,
  startedAt: number,
) {
  const byId = new Map(banks.get(quiz.bankId)!.questions.map((x) => [x.id, x]));
  return ctx.cards.render('quiz-paper', {
    title: quiz.title,
    attempt: attemptNo,
    deadline: Math.min(startedAt + quiz.limitS * 1000, quiz.closesAt),
    questions: paper.questions.map((pq, i) => {
      const question = byId.get(pq.id)!;
      const opts = optionsOf(question);
      return {
        number: i + 1,
        name: `q${i}`,
        stem: question.stem,
        multiple: question.type === 'multiple',
        options: pq.order.map((orig, shown) => ({ value: String(shown), label: `${letters[shown]}. ${opts[orig]}` })),
      };
    }),
    submit: { action: 'quiz.submit', qid: quiz.id, attempt: attemptNo },
  });
}

/** 交卷: scored once, within the time limit (plus a little grace for the click's delivery). */
export function submitAction(
  banks: Map<string, Bank>,
): CardAction<z.infer<typeof submitValue>, Record<string, unknown>> {
  return {
    key: 'quiz.submit',
    value: submitValue,
    form: z.record(z.string(), z.unknown()),
    guard: recipient,
    async run(ctx, { value: v, form }) {
      const quiz = await quizById(ctx.tx, v.qid);
      if (!quiz) return { toast: { type: 'error', content: '竞答不存在' } };
      const paper = (await paperOf(ctx, quiz.id))!;
      const attempts = await attemptsOf(ctx.tx, quiz.id, ctx.user.id);
      const attempt = attempts.find((a) => a.attemptNo === v.attempt);
      if (!attempt) return { toast: { type: 'warning', content: '这张答题卡不是发给您的' } };
      if (attempt.status !== 'started')
        return {
          toast: { type: 'warning', content: attempt.status === 'submitted' ? '本次作答已交卷' : '本次作答已超时' },
        };
      if (ctx.now > attempt.startedAt + quiz.limitS * 1000 + GRACE_MS || ctx.now > quiz.closesAt + GRACE_MS) {
        await markLate(ctx.tx, attempt.id, ctx.now);
        return { toast: { type: 'error', content: '已超过答题时限，本次作答不计分' } };
      }
      const bank = banks.get(quiz.bankId)!;
      const result = grade(bank, paper, answersOf(paper, form));
      const durationMs = ctx.now - attempt.startedAt;
      if (!(await submitAttempt(ctx.tx, attempt.id, { ...result, durationMs }, ctx.now)))
        return { toast: { type: 'warning', content: '本次作答已交卷' } };
      const again = attempts.length < quiz.attempts && ctx.now < quiz.closesAt;
      return cardResponse(resultCard(ctx, bank, quiz, result, durationMs, again), {
        type: 'success',
        content: `得分 ${result.score}`,
      });
    },
  };
}

/** The chosen options by question, in the bank's order (the card shows them shuffled). */
function answersOf(paper: Paper, form: Record<string, unknown>): Record<string, number[]> {
  return Object.fromEntries(
    paper.questions.map((pq, i) => {
      const raw = form[`q${i}`];
      const shown = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw])
        .map(Number)
        .filter((n) => Number.isInteger(n) && n >= 0 && n < pq.order.length);
      return [pq.id, shown];
    }),
  );
}

function resultCard(
  ctx: ActionContext,
  bank: Bank,
  quiz: QuizRow,
  result: ReturnType<typeof grade>,
  durationMs: number,
  again: boolean,
) {
  const byId = new Map<string, Question>(bank.questions.map((x) => [x.id, x]));
  return ctx.cards.render('quiz-result', {
    title: quiz.title,
    score: String(result.score),
    correct: result.correct,
    total: result.items.length,
    duration: duration(durationMs),
    perfect: result.score >= 100,
    items: result.items.map((it, i) => {
      const question = byId.get(it.id)!;
      const opts = optionsOf(question);
      const show = (idx: number[]) => (idx.length ? idx.map((x) => opts[x]).join('、') : '未作答');
      return {
        number: i + 1,
        stem: question.stem,
        correct: it.correct,
        answer: show(correctIndexes(question)),
        chosen: show(it.chosen),
        explanation: question.explanation,
        source: question.source,
      };
    }),
    again: again ? { action: 'quiz.start', qid: quiz.id } : undefined,
  });
}
