import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { ActionContext, CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema, withRole } from '../bot/guards.ts';
import { enqueueNew } from '../lark/outbox-repository.ts';
import { chunks } from '../shared/chunks.ts';
import { bureauRoles, peopleWithDepartments } from '../org/index.ts';
import { beijingDate, beijingDateTime } from '../shared/clock.ts';
import type { Bank } from './bank-schema.ts';
import { bestEntries, board } from './quiz-board.ts';
import { quizValue } from './quiz-answer-actions.ts';
import { inviteCard } from './quiz-invite.ts';
import { seedOf, winners } from './quiz-logic.ts';
import {
  type QuizRow,
  closeQuiz,
  drawOf,
  quizById,
  recordDraw,
  stillToAnswer,
  submittedAttempts,
} from './quiz-repository.ts';

type QuizValue = z.infer<typeof quizValue>;
const drawValue = z.object({ qid: idSchema, close: z.boolean().optional().default(false) });

const boardValue = quizValue.extend({
  unitsFrom: z.coerce.number().int().min(0).optional(),
  allQuestions: z.boolean().optional(),
});

/** 竞答结果 for the bureau; its 上一页 / 下一页 through the units and 查看全部 of the questions. */
export function boardAction(banks: Map<string, Bank>): CardAction<z.infer<typeof boardValue>> {
  return {
    key: 'quiz.board',
    value: boardValue,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以查看结果'),
    async run(ctx, { value: v }) {
      const q = await quizById(ctx.tx, v.qid);
      return q ? cardResponse(await board(ctx, banks, q, v)) : { toast: { type: 'error', content: '竞答不存在' } };
    },
  };
}

/** 提醒未答: the invitation again to everyone who has not submitted and still may; once per person per day. */
export function remindAction(): CardAction<QuizValue> {
  return {
    key: 'quiz.remind',
    value: quizValue,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以提醒'),
    async run(ctx, { value: v }) {
      const quiz = await quizById(ctx.tx, v.qid);
      if (!quiz || quiz.closesAt <= ctx.now) return { toast: { type: 'warning', content: '竞答已结束' } };
      const contacts = await peopleWithDepartments(ctx.tx, await stillToAnswer(ctx.tx, quiz));
      const pending = [...contacts].flatMap(([id, c]) => (c.active && c.openId ? [{ id, openId: c.openId }] : []));
      const card = inviteCard(ctx.cards, quiz, '提醒：竞答即将结束，您还没有交卷。');
      const day = beijingDate(ctx.now);
      // One reminder a day, in batches of 200 (one card for all): a second click the same day finds the day's batches
      // queued and sends nothing new (those still pending then were all in the first).
      const batches = [...chunks(pending, 200)];
      const fresh = await enqueueNew(
        ctx.tx,
        batches.map((b, i) => ({
          message: { kind: 'batch_send' as const, openIds: b.map((p) => p.openId), card },
          uuid: `quizrem:${quiz.id}:${day}:b${i}`,
          ref: `quizrem:${quiz.id}`,
        })),
        ctx.now,
      );
      const queued = fresh ? pending.length : 0;
      await audit(ctx, quiz, 'quiz.remind', { reminded: queued, eligible: pending.length });
      if (!pending.length) return { toast: { type: 'info', content: '没有需要提醒的人：未交卷的人都已无作答机会' } };
      if (!queued) return { toast: { type: 'info', content: `今天已提醒过这 ${pending.length} 人，未重复发送` } };
      return { toast: { type: 'success', content: `已提醒 ${queued} 人` } };
    },
  };
}

/** 开奖 (or 结束并抽奖 before the deadline): drawn once, after the quiz has closed; a second click shows the same. */
export function drawAction(banks: Map<string, Bank>): CardAction<z.infer<typeof drawValue>> {
  return {
    key: 'quiz.draw',
    value: drawValue,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以开奖'),
    async run(ctx, { value: v }) {
      let quiz = await quizById(ctx.tx, v.qid, true);
      if (!quiz) return { toast: { type: 'error', content: '竞答不存在' } };
      const already = await drawOf(ctx.tx, quiz.id, true);
      if (!already && ctx.now < quiz.closesAt) {
        // Drawing while people can still answer would leave out everyone who finishes later.
        if (!v.close) {
          const content = `竞答尚未结束（${beijingDateTime(quiz.closesAt)} 截止），请点击“结束并抽奖”`;
          return { toast: { type: 'warning', content } };
        }
        await closeQuiz(ctx.tx, quiz.id, ctx.now);
        await audit(ctx, quiz, 'quiz.close', { closesAt: quiz.closesAt });
        quiz = { ...quiz, closesAt: ctx.now };
      }
      if (!already) await draw(ctx, quiz);
      return cardResponse(await board(ctx, banks, quiz), {
        type: 'success',
        content: already ? '已开奖（结果不变）' : '已开奖',
      });
    },
  };
}

/** Answers clicked just before the close are still accepted for a few seconds' grace; the draw counts what is in. */
async function draw(ctx: ActionContext, quiz: QuizRow): Promise<void> {
  const seed = seedOf(quiz.seed, 'prize');
  const won = winners(bestEntries(await submittedAttempts(ctx.tx, quiz.id)), quiz.prize, seed).map((w) => w.userId);
  await recordDraw(ctx.tx, { quizId: quiz.id, seed, winners: won, by: ctx.user.id }, ctx.now);
  await audit(ctx, quiz, 'quiz.draw', { rule: quiz.prize, seed, winners: won });
}

const audit = (ctx: ActionContext, quiz: QuizRow, action: string, detail: Record<string, unknown>) =>
  appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user.id,
    action,
    entityType: 'quiz',
    entityId: quiz.id,
    source: 'bot',
    detail,
  });
