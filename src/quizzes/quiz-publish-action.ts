import { z } from 'zod';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { withRole } from '../bot/guards.ts';
import { bureauRoles, departmentOptions, roleLabels, roleSchema } from '../org/index.ts';
import { beijingDate, chineseDateTime } from '../shared/clock.ts';
import { isAppError } from '../shared/errors.ts';
import type { Bank } from './bank-schema.ts';
import { type Audience, publishQuiz } from './publish.ts';

const publishCard = async (ctx: BotContext, banks: Map<string, Bank>, error?: string) =>
  ctx.cards.render('quiz-publish', {
    error,
    today: beijingDate(ctx.now),
    banks: [...banks.values()].map((b) => ({ value: b.id, label: `${b.title}（${b.questions.length} 题）` })),
    departments: (await departmentOptions(ctx.tx, 100)).map((d) => ({ value: d.code, label: d.name })),
    roles: roleSchema.options.map((r) => ({ value: r, label: roleLabels[r] })),
  });

/** `发布竞答`: the publish form. */
export function publishCommand(banks: Map<string, Bank>): Command {
  return {
    name: 'quiz_publish',
    title: '发布竞答',
    description: '向全体或指定人员发布有奖竞答',
    aliases: ['发布竞答', 'quiz publish'],
    roles: [...bureauRoles],
    run: async (ctx) => ctx.respond(await publishCard(ctx, banks)),
  };
}

const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);

/** A later opening date opens at 09:00 Beijing time that day; today (or none) opens now. */
function opensAt(now: number, picked: unknown): number {
  const day = typeof picked === 'string' ? picked.slice(0, 10) : '';
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && day > beijingDate(now) ? Date.parse(`${day}T09:00:00+08:00`) : now;
}

function audienceOf(f: Record<string, unknown>): Audience {
  if (f.audience === 'departments') return { kind: 'departments', codes: list(f.departments) };
  if (f.audience === 'roles') return { kind: 'roles', roles: list(f.roles) as never };
  return { kind: 'all' };
}

/** 发布 on the publish form: one quiz and one invitation per recipient, whatever the number of clicks. */
export function publishAction(banks: Map<string, Bank>): CardAction<object, Record<string, unknown>> {
  return {
    key: 'quiz.publish',
    value: z.object({}),
    form: z.record(z.string(), z.unknown()),
    guard: withRole(bureauRoles, '只有绩效处或管理员可以发布竞答'),
    async run(ctx, { form: f }) {
      const spec = {
        bankId: String(f.bank ?? ''),
        title: String(f.title ?? ''),
        questionCount: Number(f.count),
        timeLimitS: Number(f.minutes) * 60,
        attemptsAllowed: Number(f.attempts),
        opensAt: opensAt(ctx.now, f.opens),
        closesAt: opensAt(ctx.now, f.opens) + Number(f.days) * 86_400_000,
        audience: audienceOf(f),
        prize: { kind: f.prize === 'draw' ? ('draw' as const) : ('top' as const), n: Number(f.winners) },
      };
      try {
        const r = await ctx.tx.transaction((sp) => publishQuiz(sp, banks, ctx.cards, spec, ctx.user.id, ctx.now));
        const buttons = [{ text: '竞答结果', value: { action: 'quiz.board', qid: r.quizId } }];
        const later = spec.opensAt > ctx.now ? `将于 ${chineseDateTime(spec.opensAt)} 开放并` : '已';
        const lines = r.existing
          ? ['今天已发布过同一题库、同名的竞答，未重复发布，也未重复发送答题卡片。']
          : [`${later}向 ${r.recipients} 人发出答题卡片，发送进度和成绩见“竞答结果”。`];
        const title = r.existing ? '该竞答今天已发布' : '竞答已发布';
        const card = ctx.cards.render('notice', { title, color: r.existing ? 'orange' : 'green', lines, buttons });
        return cardResponse(
          card,
          r.existing ? { type: 'info', content: '未重复发布' } : { type: 'success', content: '已发布' },
        );
      } catch (err) {
        if (isAppError(err) && err.status < 500) return cardResponse(await publishCard(ctx, banks, err.message));
        throw err;
      }
    },
  };
}
