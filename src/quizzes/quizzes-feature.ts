import type { BotRegistry, Command } from '../bot/bot-types.ts';
import { bureauRoles, hasRole } from '../org/index.ts';
import type { Bank } from './bank-schema.ts';
import { startAction, submitAction } from './quiz-answer-actions.ts';
import { board, ownResult } from './quiz-board.ts';
import { boardAction, drawAction, remindAction } from './quiz-bureau-actions.ts';
import { inviteCard } from './quiz-invite.ts';
import { publishAction, publishCommand } from './quiz-publish-action.ts';
import { latestQuiz } from './quiz-repository.ts';

/** 有奖竞答: publishing, answering, results and the prize draw. */
export function registerQuizzes(registry: BotRegistry, banks: Map<string, Bank>): void {
  registry.command(publishCommand(banks));
  registry.command(quizCommand(banks));
  registry.action(publishAction(banks));
  registry.action(startAction(banks));
  registry.action(submitAction(banks));
  registry.action(boardAction(banks));
  registry.action(remindAction());
  registry.action(drawAction(banks));
}

/** `竞答`: the newest quiz's invitation again with one's own result so far, or its results for the bureau. */
function quizCommand(banks: Map<string, Bank>): Command {
  return {
    name: 'quiz',
    title: '竞答',
    description: '参加有奖竞答；绩效处查看结果',
    aliases: ['竞答', 'quiz', '竞答结果'],
    async run(ctx) {
      const quiz = await latestQuiz(ctx.tx);
      if (!quiz) return ctx.respond(ctx.cards.render('notice', { title: '有奖竞答', lines: ['目前没有竞答。'] }));
      if (hasRole(ctx.user, ...bureauRoles)) return ctx.respond(await board(ctx, banks, quiz));
      const mine = ctx.user ? await ownResult(ctx, quiz, ctx.user.id) : null;
      return ctx.respond(inviteCard(ctx.cards, quiz, mine ?? '发送“竞答”可随时找到这张卡片。'));
    },
  };
}
