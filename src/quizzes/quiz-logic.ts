import { seededRandom, shuffle } from '../shared/seeded-random.ts';
import { type Bank, correctIndexes, optionsOf } from './bank-schema.ts';

/*
 * Pure quiz logic: seeded draws (so a paper or a prize draw can be reproduced from its seed), grading and ranking.
 */

export const seedOf = (...parts: (string | number)[]) => {
  let h = 2166136261;
  for (const c of parts.join(':')) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
};

/** One person's paper: which questions, in which order, each with its options shuffled (true/false keeps its order). */
export interface Paper {
  questions: { id: string; order: number[] }[];
}

export function drawPaper(bank: Bank, count: number, seed: number): Paper {
  const random = seededRandom(seed);
  const picked = shuffle(bank.questions, random).slice(0, Math.min(count, bank.questions.length));
  return {
    questions: picked.map((q) => ({
      id: q.id,
      order:
        q.type === 'true_false'
          ? [0, 1]
          : shuffle(
              optionsOf(q).map((_, i) => i),
              random,
            ),
    })),
  };
}

export interface Graded {
  id: string;
  correct: boolean;
  chosen: number[];
}

/**
 * Grades answers given as positions on the shown (shuffled) options. Multiple choice needs exactly the right set.
 * Score out of 100, rounded to one decimal.
 */
export function grade(
  bank: Bank,
  paper: Paper,
  answers: Record<string, number[]>,
): { items: Graded[]; correct: number; score: number } {
  const byId = new Map(bank.questions.map((q) => [q.id, q]));
  const items = paper.questions.map((pq) => {
    const q = byId.get(pq.id)!;
    const chosen = (answers[pq.id] ?? [])
      .map((shown) => pq.order[shown]!)
      .filter((x) => x !== undefined)
      .sort((a, b) => a - b);
    const right = correctIndexes(q);
    return { id: q.id, correct: chosen.length === right.length && chosen.every((c, i) => c === right[i]), chosen };
  });
  const correct = items.filter((i) => i.correct).length;
  return { items, correct, score: Math.round((correct / Math.max(1, items.length)) * 1000) / 10 };
}

export interface Entry {
  userId: number;
  score: number;
  durationMs: number;
}

/** Highest score first; ties broken by the shorter time, then by who is listed first. */
export function rank<T extends Entry>(entries: T[]): T[] {
  return [...entries].sort((a, b) => b.score - a.score || a.durationMs - b.durationMs || a.userId - b.userId);
}

/** Prize winners: the top N by score then time, or a seeded draw of N among full marks. */
export function winners<T extends Entry>(entries: T[], rule: { kind: 'top' | 'draw'; n: number }, seed: number): T[] {
  if (rule.kind === 'top') return rank(entries).slice(0, rule.n);
  const full = entries.filter((e) => e.score >= 100).sort((a, b) => a.userId - b.userId);
  return shuffle(full, seededRandom(seed)).slice(0, rule.n);
}
