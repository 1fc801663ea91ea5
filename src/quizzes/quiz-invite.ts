import type { CardRenderer } from '../cards/renderer.ts';
import type { PrizeRule } from './publish.ts';
import type { QuizRow } from './quiz-repository.ts';

type Invited = Pick<QuizRow, 'id' | 'title' | 'count' | 'limitS' | 'opensAt' | 'closesAt' | 'prize'>;

/** The card that invites someone to answer, with a note saying why it came (published, found again, a reminder). */
export const inviteCard = (cards: CardRenderer, quiz: Invited, note: string) =>
  cards.render('quiz-invite', {
    title: quiz.title,
    count: quiz.count,
    minutes: Math.round(quiz.limitS / 60),
    opensAt: quiz.opensAt,
    closesAt: quiz.closesAt,
    prize: prizeText(quiz.prize),
    note,
    buttonText: '开始答题',
    start: { action: 'quiz.start', qid: quiz.id },
  });

export const prizeText = (p: PrizeRule) =>
  p.kind === 'top' ? `前 ${p.n} 名获奖（同分按用时）` : `满分者中抽取 ${p.n} 名`;
