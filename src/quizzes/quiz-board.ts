import type { BotContext } from '../bot/bot-types.ts';
import type { Executor } from '../db/database.ts';
import { deliveryByRef } from '../lark/outbox-repository.ts';
import { peopleWithDepartments } from '../org/index.ts';
import type { Bank } from './bank-schema.ts';
import { accuracyChart } from './quiz-chart.ts';
import { rank } from './quiz-logic.ts';
import { prizeText } from './quiz-invite.ts';
import { duration } from './quiz-answer-actions.ts';
import { type QuizRow, type SubmittedAttempt, drawOf, recipientsOf, submittedAttempts } from './quiz-repository.ts';

type Tally = { right: number; total: number };
type DepartmentTally = { total: number; joined: Set<number>; right: number; answered: number };

/** Each participant's best submitted attempt. */
export function bestEntries(rows: SubmittedAttempt[]) {
  const best = new Map<number, { userId: number; score: number; durationMs: number }>();
  for (const r of rows) {
    const e = { userId: r.userId, score: r.score, durationMs: r.durationMs };
    const prev = best.get(e.userId);
    if (!prev || e.score > prev.score || (e.score === prev.score && e.durationMs < prev.durationMs))
      best.set(e.userId, e);
  }
  return [...best.values()];
}

/** A participant's own standing: best score, time and rank so far, or null before their first submitted attempt. */
export async function ownResult(ctx: BotContext, quiz: QuizRow, userId: number): Promise<string | null> {
  const ranked = rank(bestEntries(await submittedAttempts(ctx.tx, quiz.id)));
  const at = ranked.findIndex((e) => e.userId === userId);
  if (at < 0) return null;
  const e = ranked[at]!;
  const standing = ctx.now < quiz.closesAt ? '目前' : '最终';
  return `您的最好成绩：${e.score} 分，用时 ${duration(e.durationMs)}，${standing}第 ${at + 1} 名（共 ${ranked.length} 人参加）。`;
}

/** Right and total answers per question and per person, over every submitted attempt. */
function tallies(attempts: SubmittedAttempt[]) {
  const perQuestion = new Map<string, Tally>();
  const perPerson = new Map<number, Tally>();
  const count = <K>(m: Map<K, Tally>, k: K, correct: boolean) => {
    const t = m.get(k) ?? { right: 0, total: 0 };
    t.total++;
    if (correct) t.right++;
    m.set(k, t);
  };
  for (const r of attempts)
    for (const it of r.answers) {
      count(perQuestion, it.id, it.correct);
      count(perPerson, r.userId, it.correct);
    }
  return { perQuestion, perPerson };
}

/** Per department: how many were invited, how many took part, and their accuracy. */
function byDepartment(people: Map<number, { department: string }>, perPerson: Map<number, Tally>) {
  const depts = new Map<string, DepartmentTally>();
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
  return depts;
}

const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 1000) / 10}%` : '—');

/** Units a board page lists; the rest are a 下一页 away. */
const UNITS_PER_PAGE = 20;
/** Questions shown before 查看全部. */
const QUESTIONS_SHOWN = 8;

/** Where the bureau is on the board: which page of units, and every question or the hardest few. */
export interface BoardView {
  unitsFrom?: number;
  allQuestions?: boolean;
}

/** A quiz's results as the board and the export read them: every ranked entry, every unit, every question. */
export async function quizStats(db: Executor, bank: Bank, quiz: QuizRow) {
  const attempts = await submittedAttempts(db, quiz.id);
  const people = await peopleWithDepartments(db, await recipientsOf(db, quiz.id));
  const { perQuestion, perPerson } = tallies(attempts);
  const byId = new Map(bank.questions.map((q) => [q.id, q]));
  const tries = new Map<number, number>();
  for (const a of attempts) tries.set(a.userId, (tries.get(a.userId) ?? 0) + 1);
  const entries = rank(bestEntries(attempts)).map((e, i) => ({
    rank: i + 1,
    name: people.get(e.userId)?.name ?? '',
    department: people.get(e.userId)?.department ?? '',
    score: e.score,
    durationMs: e.durationMs,
    attempts: tries.get(e.userId) ?? 0,
  }));
  const units = [...byDepartment(people, perPerson)]
    .sort((a, b) => b[1].joined.size / b[1].total - a[1].joined.size / a[1].total)
    .map(([name, d]) => ({ name, joined: d.joined.size, total: d.total, right: d.right, answered: d.answered }));
  const questions = [...perQuestion]
    .sort((a, b) => a[1].right / a[1].total - b[1].right / b[1].total)
    .map(([id, t]) => ({ id, ...t, stem: byId.get(id)?.stem ?? id, source: byId.get(id)?.source ?? '' }));
  const winnerIds = (await drawOf(db, quiz.id)) ?? [];
  const winners = winnerIds.map((u) => `${people.get(u)?.name ?? ''}（${people.get(u)?.department ?? ''}）`);
  return { recipients: people.size, entries, units, questions, winners };
}
export type QuizStats = Awaited<ReturnType<typeof quizStats>>;

/**
 * 竞答结果: delivery, the leaders, every unit by participation (a page at a time), the questions from the hardest
 * (all of them on 查看全部), the winners.
 */
export async function board(ctx: BotContext, banks: Map<string, Bank>, quiz: QuizRow, view: BoardView = {}) {
  const stats = await quizStats(ctx.tx, banks.get(quiz.bankId)!, quiz);
  const delivery = await deliveryByRef(ctx.tx, `quiz:${quiz.id}`);
  const units = stats.units.map((u) => ({ ...u, accuracy: pct(u.right, u.answered) }));
  const from = Math.min(view.unitsFrom ?? 0, Math.max(0, units.length - 1));
  const questions = stats.questions;
  const allQuestions = view.allQuestions || questions.length <= QUESTIONS_SHOWN;
  return ctx.cards.render('quiz-board', {
    title: quiz.title,
    recipients: stats.recipients,
    delivered: delivery.sent,
    participants: stats.entries.length,
    leaders: stats.entries
      .slice(0, 10)
      .map((e) => ({ ...e, score: String(e.score), duration: duration(e.durationMs) })),
    ...unitPage(units, from, (unitsFrom) => ({ action: 'quiz.board', qid: quiz.id, unitsFrom, allQuestions })),
    chart: accuracyChart(units.slice(from, from + UNITS_PER_PAGE)),
    questionCount: questions.length,
    allQuestions: allQuestions
      ? undefined
      : { action: 'quiz.board', qid: quiz.id, unitsFrom: from, allQuestions: true },
    questions: (allQuestions ? questions : questions.slice(0, QUESTIONS_SHOWN)).map((q) => ({
      accuracy: pct(q.right, q.total),
      stem: q.stem,
      source: q.source,
    })),
    winners: stats.winners,
    prizeRule: prizeText(quiz.prize),
    remind: { action: 'quiz.remind', qid: quiz.id },
    open: ctx.now < quiz.closesAt,
    draw: { action: 'quiz.draw', qid: quiz.id, close: ctx.now < quiz.closesAt },
  });
}

/** One page of the units, with 上一页 / 下一页 values (`at(from)`) where there is more. */
function unitPage<U>(units: U[], from: number, at: (from: number) => Record<string, unknown>) {
  const to = Math.min(from + UNITS_PER_PAGE, units.length);
  return {
    departments: units.slice(from, to),
    unitRange: units.length > UNITS_PER_PAGE ? `第 ${from + 1}–${to} 个，共 ${units.length} 个单位` : undefined,
    prevUnits: from > 0 ? at(Math.max(0, from - UNITS_PER_PAGE)) : undefined,
    nextUnits: to < units.length ? at(to) : undefined,
  };
}
