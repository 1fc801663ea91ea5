import { describe, expect, it } from 'vitest';
import type { Bank } from '../../src/quizzes/bank-schema';
import { drawPaper, grade, rank, winners } from '../../src/quizzes/quiz-logic';

const bank: Bank = {
  id: 'b',
  title: 'b',
  questions: [
    { id: 's', type: 'single', stem: 's', options: ['a', 'b', 'c', 'd'], answer: 'B', explanation: 'e', source: 'x' },
    {
      id: 'm',
      type: 'multiple',
      stem: 'm',
      options: ['a', 'b', 'c'],
      answer: ['A', 'C'],
      explanation: 'e',
      source: 'x',
    },
    { id: 't', type: 'true_false', stem: 't', answer: false, explanation: 'e', source: 'x' },
  ],
};

describe('quiz logic', () => {
  it('draws the same paper from the same seed and different papers from different seeds', () => {
    expect(drawPaper(bank, 3, 42)).toEqual(drawPaper(bank, 3, 42));
    const papers = new Set(Array.from({ length: 20 }, (_, i) => JSON.stringify(drawPaper(bank, 3, i))));
    expect(papers.size).toBeGreaterThan(5);
  });

  it('grades answers given on shuffled options against the bank', () => {
    const paper = {
      questions: [
        { id: 's', order: [3, 1, 0, 2] },
        { id: 'm', order: [2, 0, 1] },
        { id: 't', order: [0, 1] },
      ],
    };
    // Shown s: [d, b, a, c] → position 1 is "b" (correct). Shown m: [c, a, b] → positions 0 and 1 are c and a
    // (correct).
    const r = grade(bank, paper, { s: [1], m: [0, 1], t: [1] });
    expect(r.items.map((i) => i.correct)).toEqual([true, true, true]);
    expect(r.score).toBe(100);
    const wrong = grade(bank, paper, { s: [0], m: [0], t: [0] });
    expect(wrong.correct).toBe(0);
    expect(grade(bank, paper, { s: [1] }).score).toBe(33.3);
  });

  it('ranks by score then time, and draws prizes reproducibly', () => {
    const e = [
      { userId: 1, score: 90, durationMs: 50 },
      { userId: 2, score: 100, durationMs: 90 },
      { userId: 3, score: 100, durationMs: 40 },
      { userId: 4, score: 100, durationMs: 40 },
    ];
    expect(rank(e).map((x) => x.userId)).toEqual([3, 4, 2, 1]);
    expect(winners(e, { kind: 'top', n: 2 }, 0).map((x) => x.userId)).toEqual([3, 4]);
    const draw = winners(e, { kind: 'draw', n: 2 }, 7).map((x) => x.userId);
    expect(winners([...e].reverse(), { kind: 'draw', n: 2 }, 7).map((x) => x.userId)).toEqual(draw);
    expect(draw.every((u) => u !== 1)).toBe(true);
  });
});
