import { createHash } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { withRole } from '../bot/guards.ts';
import type { FormStore } from '../forms/index.ts';
import { bureauRoles } from '../org/index.ts';
import { latestProjectYear } from '../projects/index.ts';
import { type Report, ratingChoices, reportsOf } from './report-ratings.ts';
import { saveRating } from './results-repository.ts';

const guard = withRole(bureauRoles, '只有绩效处或管理员可以评定评价报告');
const shown = 20;

const line = (r: Report) =>
  `${r.form} · ${r.project} · 评价人 ${r.evaluator} · ${r.result || '—'} · ` +
  (r.rating ? `评定：${r.rating.rating}${r.rating.comment ? `（${r.rating.comment}）` : ''}` : '未评定');

/** `评优`: the year's third-party reports, rated one by one, and published to the chat the card is in. */
export function ratingsCommand(store: FormStore): Command {
  return {
    name: 'ratings',
    title: '评优',
    description: '评定第三方评价报告质量（优秀、良好、合格、不合格）并发布到群聊',
    aliases: ['评优', '报告评优'],
    roles: [...bureauRoles],
    run: async (ctx) => {
      const year = (await latestProjectYear(ctx.tx)) ?? new Date(ctx.now).getUTCFullYear();
      return ctx.respond(await ratingsCard(ctx, store, year));
    },
  };
}

async function ratingsCard(ctx: BotContext, store: FormStore, year: number, error?: string, known?: Report[]) {
  const reports = known ?? (await reportsOf(ctx.tx, store, year));
  const rated = reports.filter((r) => r.rating).length;
  if (!reports.length)
    return ctx.cards.render('decide-list', {
      title: `评优 · ${year} 年度`,
      lines: ['还没有已完成的第三方评价报告（抽评复核、重点评价）。'],
    });
  return ctx.cards.render('decide-list', {
    title: `评优 · ${year} 年度`,
    subtitle: `第三方评价报告 ${reports.length} 份，已评定 ${rated} 份`,
    ...(error ? { error } : {}),
    lines: [
      ...reports.slice(0, shown).map(line),
      ...(reports.length > shown ? [`……共 ${reports.length} 份，列出前 ${shown} 份`] : []),
      '发布：在需要公布的群聊中发送“评优”，再点“发布到本会话”。',
    ],
    buttons: rated ? [{ text: '发布到本会话', value: { action: 'rating.publish', year } }] : [],
    form: {
      itemLabel: '评价报告',
      items: reports.slice(0, 50).map((r) => ({ label: `${r.project} · ${r.form}`, value: String(r.submissionId) })),
      choiceLabel: '质量评定',
      choices: ratingChoices.map((c) => ({ label: c, value: c })),
      textLabel: '评定意见',
      submit: '评定',
      value: { action: 'rating.rate', year },
    },
  });
}

const yearValue = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const rateForm = z.object({
  item: z.string().max(12).optional().default(''),
  choice: z.string().max(8).optional().default(''),
  text: z.string().max(300).optional().default(''),
});

/** 评定: one report's rating with a comment; rating it again replaces the rating. */
export function rateAction(store: FormStore): CardAction<z.infer<typeof yearValue>, z.infer<typeof rateForm>> {
  return {
    key: 'rating.rate',
    value: yearValue,
    form: rateForm,
    guard,
    async run(ctx, { value: v, form: f }) {
      const reports = await reportsOf(ctx.tx, store, v.year);
      const report = reports.find((r) => String(r.submissionId) === f.item);
      const rating = ratingChoices.find((c) => c === f.choice);
      if (!report || !rating) return cardResponse(await ratingsCard(ctx, store, v.year, '请选择评价报告和质量评定'));
      if (rating === '不合格' && !f.text.trim())
        return cardResponse(await ratingsCard(ctx, store, v.year, '评定为不合格时请填写评定意见', reports));
      const comment = f.text.trim() || null;
      const saved = { submissionId: report.submissionId, rating, comment, ratedBy: ctx.user.id, ratedAt: ctx.now };
      await saveRating(ctx.tx, saved);
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'report.rate',
        entityType: 'submission',
        entityId: report.submissionId,
        source: 'bot',
        detail: { rating, comment },
      });
      const now = reports.map((r) => (r === report ? { ...r, rating: saved } : r));
      return cardResponse(await ratingsCard(ctx, store, v.year, undefined, now), {
        type: 'success',
        content: `已评定为${rating}`,
      });
    },
  };
}

/** 发布到本会话: the rated reports by rating, sent once per content to the chat the card is in. */
export function publishRatingsAction(store: FormStore): CardAction<z.infer<typeof yearValue>> {
  return {
    key: 'rating.publish',
    value: yearValue,
    guard,
    async run(ctx, { value: v }) {
      const rated = (await reportsOf(ctx.tx, store, v.year)).filter((r) => r.rating);
      const chat = ctx.event.kind === 'card_action' ? ctx.event.chatId : undefined;
      if (!rated.length || !chat) return { toast: { type: 'warning', content: '还没有已评定的报告' } };
      const lines = ratingChoices.flatMap((c) => {
        const these = rated.filter((r) => r.rating!.rating === c);
        return these.length
          ? [`${c}（${these.length} 份）：`, ...these.map((r) => `· ${r.project}，评价人 ${r.evaluator}`)]
          : [];
      });
      const digest = createHash('sha256')
        .update(JSON.stringify([chat, lines]))
        .digest('hex')
        .slice(0, 24);
      await ctx.queue(
        {
          kind: 'send',
          receiveIdType: 'chat_id',
          receiveId: chat,
          card: ctx.cards.render('notice', {
            title: `${v.year} 年度第三方评价报告质量评定结果`,
            color: 'green',
            lines,
          }),
        },
        { uuid: `ratings:${v.year}:${digest}`, ref: `ratings:${v.year}` },
      );
      return { toast: { type: 'success', content: `已发布 ${rated.length} 份报告的评定结果` } };
    },
  };
}
