import { z } from 'zod';
import { appendAudit } from '../audit/audit-log';
import { idSchema, withRole } from '../bot/guards';
import type { BotContext, BotRegistry, CardResponse, Guard } from '../bot/bot-types';
import { cardResponse } from '../bot/card-response';
import { departmentOptions, peopleWithDepartments, bureauRoles, roleLabels, roleSchema, hasRole } from '../org';
import { beijingDate, beijingDateTime } from '../shared/clock';
import { isAppError } from '../shared/errors';
import { deliveryByRef, enqueueNew } from '../lark/outbox-repository';
import { type Bank, correctIndexes, optionsOf } from './bank-schema';
import { type Paper, grade, rank, seedOf, winners } from './quiz-logic';
import { type Audience, type PrizeRule, prizeText, publishQuiz } from './publish';

const letters = 'ABCDEFGH';
/** Lark delivers the click a moment after the user presses: a few seconds of grace on the time limit. */
const GRACE_MS = 5_000;

interface QuizRow {
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
const duration = (ms: number) => `${Math.floor(ms / 60000)} 分 ${Math.round((ms % 60000) / 1000)} 秒`;
const isBureau = (ctx: BotContext) => hasRole(ctx.user, ...bureauRoles);
const quizValue = z.object({ qid: idSchema });
/** Only the people the quiz was sent to may answer it. */
const recipient: Guard<{ qid: number }, unknown> = async (ctx, { value }) =>
  Boolean(await ctx.tx('quiz_recipients').where({ quiz_id: value.qid, user_id: ctx.user.id }).first('id')) ||
  '这张答题卡不是发给您的';

export function registerQuizzes(registry: BotRegistry, banks: Map<string, Bank>): void {
  const publishCard = async (ctx: BotContext, error?: string) =>
    ctx.cards.render('quiz-publish', {
      error,
      banks: [...banks.values()].map((b) => ({ value: b.id, label: `${b.title}（${b.questions.length} 题）` })),
      departments: (await departmentOptions(ctx.tx, 100)).map((d) => ({ value: d.code, label: d.name })),
      roles: roleSchema.options.map((r) => ({ value: r, label: roleLabels[r] })),
    });

  registry.command({
    name: 'quiz_publish',
    title: '发布竞答',
    description: '向全体或指定人员发布有奖竞答',
    aliases: ['发布竞答', 'quiz publish'],
    roles: [...bureauRoles],
    run: async (ctx) => ctx.respond(await publishCard(ctx)),
  });

  registry.action({
    key: 'quiz.publish',
    value: z.object({}),
    form: z.record(z.string(), z.unknown()),
    guard: withRole(bureauRoles, '只有绩效处或管理员可以发布竞答'),
    async run(ctx, { form: f }) {
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
      const audience: Audience =
        f.audience === 'departments'
          ? { kind: 'departments', codes: list(f.departments) }
          : f.audience === 'roles'
            ? { kind: 'roles', roles: list(f.roles) as never }
            : { kind: 'all' };
      try {
        const r = await ctx.tx.transaction((sp) =>
          publishQuiz(
            sp,
            banks,
            ctx.cards,
            {
              bankId: String(f.bank ?? ''),
              title: String(f.title ?? ''),
              questionCount: Number(f.count),
              timeLimitS: Number(f.minutes) * 60,
              attemptsAllowed: Number(f.attempts),
              opensAt: ctx.now,
              closesAt: ctx.now + Number(f.days) * 86_400_000,
              audience,
              prize: { kind: f.prize === 'draw' ? 'draw' : 'top', n: Number(f.winners) },
            },
            ctx.user!.id,
            ctx.now,
          ),
        );
        const buttons = [{ text: '竞答结果', value: { action: 'quiz.board', qid: r.quizId } }];
        if (r.existing) {
          return cardResponse(
            ctx.cards.render('notice', {
              title: '该竞答今天已发布',
              color: 'orange',
              lines: ['今天已发布过同一题库、同名的竞答，未重复发布，也未重复发送答题卡片。'],
              buttons,
            }),
            { type: 'info', content: '未重复发布' },
          );
        }
        return cardResponse(
          ctx.cards.render('notice', {
            title: '竞答已发布',
            color: 'green',
            lines: [`已向 ${r.recipients} 人发出答题卡片，发送进度和成绩见“竞答结果”。`],
            buttons,
          }),
          { type: 'success', content: '已发布' },
        );
      } catch (err) {
        if (isAppError(err) && err.status < 500) return cardResponse(await publishCard(ctx, err.message));
        throw err;
      }
    },
  });

  registry.command({
    name: 'quiz',
    title: '竞答',
    description: '参加有奖竞答；绩效处查看结果',
    aliases: ['竞答', 'quiz', '竞答结果'],
    async run(ctx) {
      const latest = await ctx.tx('quizzes').orderBy('id', 'desc').first();
      if (!latest) return ctx.respond(ctx.cards.render('notice', { title: '有奖竞答', lines: ['目前没有竞答。'] }));
      if (isBureau(ctx)) return ctx.respond(await board(ctx, banks, toQuiz(latest)));
      const q = toQuiz(latest);
      return ctx.respond(
        ctx.cards.render('quiz-invite', {
          title: q.title,
          count: q.count,
          minutes: Math.round(q.limitS / 60),
          opensAt: q.opensAt,
          closesAt: q.closesAt,
          prize: prizeText(q.prize),
          note: '发送“竞答”可随时找到这张卡片。',
          buttonText: '开始答题',
          start: { action: 'quiz.start', qid: q.id },
        }),
      );
    },
  });

  registry.action({
    key: 'quiz.start',
    value: quizValue,
    guard: recipient,
    run: (ctx, { value }) => start(ctx, banks, value.qid),
  });
  registry.action({
    key: 'quiz.submit',
    value: z.object({ qid: idSchema, attempt: idSchema }),
    form: z.record(z.string(), z.unknown()),
    guard: recipient,
    run: (ctx, { value, form }) => submit(ctx, banks, value.qid, value.attempt, form),
  });

  registry.action({
    key: 'quiz.board',
    value: quizValue,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以查看结果'),
    async run(ctx, { value: v }) {
      const q = await ctx.tx('quizzes').where({ id: v.qid }).first();
      return q ? cardResponse(await board(ctx, banks, toQuiz(q))) : { toast: { type: 'error', content: '竞答不存在' } };
    },
  });

  registry.action({
    key: 'quiz.remind',
    value: quizValue,
    guard: withRole(bureauRoles, '只有绩效处或管理员可以提醒'),
    async run(ctx, { value: v }) {
      const q = await ctx.tx('quizzes').where({ id: v.qid }).first();
      if (!q || Number(q.closes_at) <= ctx.now) return { toast: { type: 'warning', content: '竞答已结束' } };
      const quiz = toQuiz(q);
      // Not yet submitted and still able to answer: attempts left (a timed-out attempt counts as used).
      const candidates: number[] = await ctx
        .tx('quiz_recipients as r')
        .where('r.quiz_id', quiz.id)
        .whereNotExists(
          ctx
            .tx('quiz_attempts as a')
            .whereRaw('a.quiz_id = r.quiz_id and a.user_id = r.user_id')
            .where('a.status', 'submitted'),
        )
        .whereRaw('(select count(*) from quiz_attempts b where b.quiz_id = r.quiz_id and b.user_id = r.user_id) < ?', [
          quiz.attempts,
        ])
        .pluck('r.user_id');
      const contacts = await peopleWithDepartments(ctx.tx, candidates.map(Number));
      const pending = [...contacts].flatMap(([id, c]) => (c.active && c.openId ? [{ id, open_id: c.openId }] : []));
      const card = ctx.cards.render('quiz-invite', {
        title: quiz.title,
        count: quiz.count,
        minutes: Math.round(quiz.limitS / 60),
        opensAt: quiz.opensAt,
        closesAt: quiz.closesAt,
        prize: prizeText(quiz.prize),
        note: '提醒：竞答即将结束，您还没有交卷。',
        buttonText: '开始答题',
        start: { action: 'quiz.start', qid: quiz.id },
      });
      const day = beijingDate(ctx.now);
      // One reminder per person per day: a second click the same day queues nothing new and says so.
      const queued = await enqueueNew(
        ctx.tx,
        pending.map((p) => ({
          message: { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: p.open_id, card },
          uuid: `quizrem:${quiz.id}:${p.id}:${day}`,
          ref: `quizrem:${quiz.id}`,
        })),
        ctx.now,
      );
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'quiz.remind',
        entityType: 'quiz',
        entityId: quiz.id,
        source: 'bot',
        detail: { reminded: queued, eligible: pending.length },
      });
      if (!pending.length) return { toast: { type: 'info', content: '没有需要提醒的人：未交卷的人都已无作答机会' } };
      if (!queued) return { toast: { type: 'info', content: `今天已提醒过这 ${pending.length} 人，未重复发送` } };
      return { toast: { type: 'success', content: `已提醒 ${queued} 人` } };
    },
  });

  registry.action({
    key: 'quiz.draw',
    value: z.object({ qid: idSchema, close: z.boolean().optional().default(false) }),
    guard: withRole(bureauRoles, '只有绩效处或管理员可以开奖'),
    async run(ctx, { value: v }) {
      const q = await ctx.tx('quizzes').where({ id: v.qid }).forUpdate().first();
      if (!q) return { toast: { type: 'error', content: '竞答不存在' } };
      let quiz = toQuiz(q);
      const already = await ctx.tx('quiz_draws').where({ quiz_id: quiz.id }).forUpdate().first('quiz_id');
      if (!already && ctx.now < quiz.closesAt) {
        // Drawing while people can still answer would leave out everyone who finishes later.
        if (!v.close)
          return {
            toast: {
              type: 'warning',
              content: `竞答尚未结束（${beijingDateTime(quiz.closesAt)} 截止），请点击“结束并抽奖”`,
            },
          };
        await ctx.tx('quizzes').where({ id: quiz.id }).update({ closes_at: ctx.now });
        await appendAudit(ctx.tx, {
          at: ctx.now,
          actorUserId: ctx.user.id,
          action: 'quiz.close',
          entityType: 'quiz',
          entityId: quiz.id,
          source: 'bot',
          detail: { closesAt: quiz.closesAt },
        });
        quiz = { ...quiz, closesAt: ctx.now };
      }
      if (!already) {
        // Answers clicked just before the close are still accepted for GRACE_MS; the draw counts what is in now.
        const seed = seedOf(quiz.seed, 'prize');
        const won = winners(bestEntries(await submittedAttempts(ctx, quiz.id)), quiz.prize, seed);
        await ctx.tx('quiz_draws').insert({
          quiz_id: quiz.id,
          seed,
          winners: JSON.stringify(won.map((w) => w.userId)),
          drawn_by: ctx.user.id,
          drawn_at: ctx.now,
        });
        await appendAudit(ctx.tx, {
          at: ctx.now,
          actorUserId: ctx.user.id,
          action: 'quiz.draw',
          entityType: 'quiz',
          entityId: quiz.id,
          source: 'bot',
          detail: { rule: quiz.prize, seed, winners: won.map((w) => w.userId) },
        });
      }
      return cardResponse(await board(ctx, banks, quiz), {
        type: 'success',
        content: already ? '已开奖（结果不变）' : '已开奖',
      });
    },
  });
}

async function recipientPaper(ctx: BotContext, quizId: number): Promise<Paper | undefined> {
  const r = await ctx.tx('quiz_recipients').where({ quiz_id: quizId, user_id: ctx.user!.id }).first('paper');
  return r ? (JSON.parse(String(r.paper)) as Paper) : undefined;
}

async function start(ctx: BotContext, banks: Map<string, Bank>, quizId: number): Promise<CardResponse> {
  const q = await ctx.tx('quizzes').where({ id: quizId }).first();
  if (!q) return { toast: { type: 'error', content: '竞答不存在' } };
  const quiz = toQuiz(q);
  const paper = await recipientPaper(ctx, quizId);
  if (!paper) return { toast: { type: 'warning', content: '这张答题卡不是发给您的' } };
  if (ctx.now < quiz.opensAt) return { toast: { type: 'warning', content: '竞答尚未开始' } };
  if (ctx.now > quiz.closesAt) return { toast: { type: 'warning', content: '竞答已结束' } };
  const attempts: { attempt_no: number; status: string; started_at: number }[] = await ctx
    .tx('quiz_attempts')
    .where({ quiz_id: quizId, user_id: ctx.user!.id })
    .orderBy('attempt_no');
  const open = attempts.find((a) => a.status === 'started' && ctx.now <= Number(a.started_at) + quiz.limitS * 1000);
  const attemptNo = open ? Number(open.attempt_no) : attempts.length + 1;
  let startedAt = open ? Number(open.started_at) : ctx.now;
  if (!open) {
    if (attempts.length >= quiz.attempts)
      return { toast: { type: 'warning', content: `每人限答 ${quiz.attempts} 次，您已答完` } };
    await ctx
      .tx('quiz_attempts')
      .where({ quiz_id: quizId, user_id: ctx.user!.id, status: 'started' })
      .update({ status: 'late' });
    // Two clicks at once start one attempt: the twin's insert is ignored and it reads the winner's start time (a
    // locking read sees it on MySQL although it is newer than this transaction's snapshot).
    await ctx
      .tx('quiz_attempts')
      .insert({
        quiz_id: quizId,
        user_id: ctx.user!.id,
        attempt_no: attemptNo,
        started_at: startedAt,
        status: 'started',
      })
      .onConflict(['quiz_id', 'user_id', 'attempt_no'])
      .ignore();
    const row = await ctx
      .tx('quiz_attempts')
      .where({ quiz_id: quizId, user_id: ctx.user!.id, attempt_no: attemptNo })
      .forUpdate()
      .first('started_at');
    startedAt = Number(row.started_at);
  }
  const bank = banks.get(quiz.bankId)!;
  const byId = new Map(bank.questions.map((x) => [x.id, x]));
  return cardResponse(
    ctx.cards.render('quiz-paper', {
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
      submit: { action: 'quiz.submit', qid: quizId, attempt: attemptNo },
    }),
  );
}

async function submit(
  ctx: BotContext,
  banks: Map<string, Bank>,
  quizId: number,
  attemptNo: number,
  form: Record<string, unknown>,
): Promise<CardResponse> {
  const q = await ctx.tx('quizzes').where({ id: quizId }).first();
  if (!q) return { toast: { type: 'error', content: '竞答不存在' } };
  const quiz = toQuiz(q);
  const paper = await recipientPaper(ctx, quizId);
  const attempt = await ctx
    .tx('quiz_attempts')
    .where({ quiz_id: quizId, user_id: ctx.user!.id, attempt_no: attemptNo })
    .first();
  if (!paper || !attempt) return { toast: { type: 'warning', content: '这张答题卡不是发给您的' } };
  if (attempt.status !== 'started')
    return {
      toast: { type: 'warning', content: attempt.status === 'submitted' ? '本次作答已交卷' : '本次作答已超时' },
    };
  const startedAt = Number(attempt.started_at);
  if (ctx.now > startedAt + quiz.limitS * 1000 + GRACE_MS || ctx.now > quiz.closesAt + GRACE_MS) {
    await ctx.tx('quiz_attempts').where({ id: attempt.id }).update({ status: 'late', submitted_at: ctx.now });
    return { toast: { type: 'error', content: '已超过答题时限，本次作答不计分' } };
  }
  const bank = banks.get(quiz.bankId)!;
  const answers = Object.fromEntries(
    paper.questions.map((pq, i) => {
      const raw = form[`q${i}`];
      const shown = (Array.isArray(raw) ? raw : raw === undefined || raw === '' ? [] : [raw])
        .map(Number)
        .filter((n) => Number.isInteger(n) && n >= 0 && n < pq.order.length);
      return [pq.id, shown];
    }),
  );
  const result = grade(bank, paper, answers);
  const durationMs = ctx.now - startedAt;
  // Compare-and-set on the status: of two simultaneous 交卷 clicks (any database, any isolation) exactly one scores.
  const won = await ctx
    .tx('quiz_attempts')
    .where({ id: attempt.id, status: 'started' })
    .update({
      status: 'submitted',
      submitted_at: ctx.now,
      answers: JSON.stringify(result.items),
      score: result.score,
      duration_ms: durationMs,
    });
  if (won !== 1) return { toast: { type: 'warning', content: '本次作答已交卷' } };
  const byId = new Map(bank.questions.map((x) => [x.id, x]));
  const attemptsUsed = Number(
    (
      (await ctx.tx('quiz_attempts').where({ quiz_id: quizId, user_id: ctx.user!.id }).count({ n: '*' })) as {
        n: number;
      }[]
    )[0]!.n,
  );
  return cardResponse(
    ctx.cards.render('quiz-result', {
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
      again:
        attemptsUsed < quiz.attempts && ctx.now < quiz.closesAt ? { action: 'quiz.start', qid: quizId } : undefined,
    }),
    { type: 'success', content: `得分 ${result.score}` },
  );
}

interface AttemptRow {
  user_id: number;
  score: number;
  duration_ms: number;
  answers: string;
}

const submittedAttempts = (ctx: BotContext, quizId: number): Promise<AttemptRow[]> =>
  ctx
    .tx('quiz_attempts')
    .where({ quiz_id: quizId, status: 'submitted' })
    .select('user_id', 'score', 'duration_ms', 'answers');

/** Each participant's best submitted attempt. */
function bestEntries(rows: AttemptRow[]) {
  const best = new Map<number, { userId: number; score: number; durationMs: number }>();
  for (const r of rows) {
    const e = { userId: Number(r.user_id), score: Number(r.score), durationMs: Number(r.duration_ms) };
    const prev = best.get(e.userId);
    if (!prev || e.score > prev.score || (e.score === prev.score && e.durationMs < prev.durationMs))
      best.set(e.userId, e);
  }
  return [...best.values()];
}

async function board(ctx: BotContext, banks: Map<string, Bank>, quiz: QuizRow) {
  const bank = banks.get(quiz.bankId)!;
  const attempts = await submittedAttempts(ctx, quiz.id);
  const entries = rank(bestEntries(attempts));
  const recipients: number[] = (await ctx.tx('quiz_recipients').where({ quiz_id: quiz.id }).pluck('user_id')).map(
    Number,
  );
  const people = await peopleWithDepartments(ctx.tx, recipients);
  const delivery = await deliveryByRef(ctx.tx, `quiz:${quiz.id}`);
  const perQuestion = new Map<string, { right: number; total: number }>();
  const perPerson = new Map<number, { right: number; total: number }>();
  for (const r of attempts) {
    for (const it of JSON.parse(r.answers) as { id: string; correct: boolean }[]) {
      const q = perQuestion.get(it.id) ?? { right: 0, total: 0 };
      q.total++;
      if (it.correct) q.right++;
      perQuestion.set(it.id, q);
      const p = perPerson.get(Number(r.user_id)) ?? { right: 0, total: 0 };
      p.total++;
      if (it.correct) p.right++;
      perPerson.set(Number(r.user_id), p);
    }
  }
  const depts = new Map<string, { total: number; joined: Set<number>; right: number; answered: number }>();
  for (const [uid, p] of people) {
    const d = depts.get(p.department) ?? { total: 0, joined: new Set<number>(), right: 0, answered: 0 };
    d.total++;
    const s = perPerson.get(uid);
    if (s) {
      d.joined.add(uid);
      d.right += s.right;
      d.answered += s.total;
    }
    depts.set(p.department, d);
  }
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');
  const drawn = await ctx.tx('quiz_draws').where({ quiz_id: quiz.id }).first('winners');
  const winnerIds: number[] = drawn ? (JSON.parse(String(drawn.winners)) as number[]) : [];
  const byId = new Map(bank.questions.map((q) => [q.id, q]));
  return ctx.cards.render('quiz-board', {
    title: quiz.title,
    recipients: people.size,
    delivered: delivery.sent,
    participants: entries.length,
    leaders: entries.slice(0, 10).map((e, i) => ({
      rank: i + 1,
      name: people.get(e.userId)?.name ?? '',
      department: people.get(e.userId)?.department ?? '',
      score: String(e.score),
      duration: duration(e.durationMs),
    })),
    departments: [...depts]
      .sort((a, b) => b[1].joined.size / b[1].total - a[1].joined.size / a[1].total)
      .slice(0, 10)
      .map(([name, d]) => ({ name, joined: d.joined.size, total: d.total, accuracy: pct(d.right, d.answered) })),
    questions: [...perQuestion]
      .sort((a, b) => a[1].right / a[1].total - b[1].right / b[1].total)
      .slice(0, 8)
      .map(([id, s]) => ({
        accuracy: pct(s.right, s.total),
        stem: byId.get(id)?.stem ?? id,
        source: byId.get(id)?.source ?? '',
      })),
    winners: winnerIds.map((u) => `${people.get(u)?.name ?? ''}（${people.get(u)?.department ?? ''}）`),
    prizeRule: prizeText(quiz.prize),
    remind: { action: 'quiz.remind', qid: quiz.id },
    open: ctx.now < quiz.closesAt,
    draw: { action: 'quiz.draw', qid: quiz.id, close: ctx.now < quiz.closesAt },
  });
}
