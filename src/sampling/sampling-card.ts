import { z } from 'zod';
import type { BotContext, CardAction, Command } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema, withRole } from '../bot/guards.ts';
import { campaignsOfForm } from '../campaigns/index.ts';
import type { FormStore } from '../forms/index.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { bureauRoles } from '../org/index.ts';
import { drawReport } from './draw-report.ts';
import { type DrawOutcome, drawForCampaign } from './sample-draw.ts';
import { drawOfCampaign, itemsOfDraw } from './sampling-repository.ts';
import type { SamplingRules } from './sampling-rules.ts';
import { chineseDay } from '../shared/clock.ts';

const refusal = '只有绩效处或管理员可以抽评';
const shownItems = 15;

/** `抽评`: the self-evaluation campaigns, each drawn or ready to draw. */
export function samplingCommand(store: FormStore, rules: SamplingRules): Command {
  return {
    name: 'sampling',
    title: '抽评',
    description: '从自评任务中按比例分层抽取项目复核，查看复核和整改进展',
    aliases: ['抽评'],
    roles: [...bureauRoles],
    run: async (ctx) => ctx.respond(await campaignsCard(ctx, store, rules)),
  };
}

async function campaignsCard(ctx: BotContext, store: FormStore, rules: SamplingRules) {
  const source = store.get(rules.review.form)?.def.prefill?.form ?? '';
  const lines: string[] = [];
  const buttons = [];
  for (const c of await campaignsOfForm(ctx.tx, source, 5)) {
    const d = await drawOfCampaign(ctx.tx, c.id);
    if (d) {
      const items = await itemsOfDraw(ctx.tx, d.id);
      const reviewed = items.filter((i) => i.reviewedAt !== null);
      lines.push(
        `${c.title}：已抽取 ${d.size} 项（${d.population} 项中），已复核 ${reviewed.length} 项，` +
          `需整改 ${reviewed.filter((i) => i.rectify).length} 项`,
      );
      buttons.push({ text: `查看“${c.title}”`, value: { action: 'sampling.show', campaign: c.id } });
    } else {
      lines.push(`${c.title}：尚未抽样（截止 ${chineseDay(c.deadline)}）`);
      buttons.push({
        primary: true,
        text: `抽取“${c.title}”（${Math.round(rules.ratio * 1000) / 10}%）`,
        value: { action: 'sampling.draw', campaign: c.id },
      });
    }
  }
  if (!lines.length) lines.push('还没有自评填报任务。');
  lines.push('只抽取自评已审核通过的项目；按单位 × 等级分层抽取，上年评价为差等项目必抽。');
  return ctx.cards.render('notice', { title: '抽评', color: 'blue', lines, buttons });
}

/** The draw as a card: the size and its rounding, the strata, the reviewers' loads, the first projects. */
async function drawCard(ctx: BotContext, o: DrawOutcome) {
  const r = await drawReport(ctx.tx, o);
  // A fresh draw has no reviews yet; a recorded one shows where each stands.
  const items = o.drawId && o.existing ? await itemsOfDraw(ctx.tx, o.drawId) : [];
  const state = new Map(items.map((i) => [i.projectId, i]));
  const loads = new Map<string, number>();
  for (const i of r.items) loads.set(i.reviewer ?? '未分配', (loads.get(i.reviewer ?? '未分配') ?? 0) + 1);
  const represented = r.strata.filter((s) => s.mandatory + s.drawn > 0).length;
  const lines = [
    `自评已审核通过 ${r.population} 项，按 ${Math.round(r.ratio * 1000) / 10}% 抽取 ${r.size} 项（${r.rounding}）；随机种子 ${r.seed}，可复现。`,
    `分层（单位 × 等级）${r.strata.length} 个，抽中 ${represented} 个；必抽 ${r.items.filter((i) => i.reason).length} 项。`,
    `复核人：${[...loads].map(([name, n]) => `${name} ${n} 项`).join('，')}`,
    ...o.result.items.slice(0, shownItems).map((i, k) => {
      const it = state.get(i.projectId);
      const progress = !it?.reviewedAt
        ? '待复核'
        : `复核 ${it.reviewScore ?? '—'} 分（自评 ${it.selfScore ?? '—'}）${it.rectify ? '，需整改' : ''}`;
      const row = r.items[k]!;
      return `${row.code} ${row.name} · ${row.department} · ${row.reason ?? '随机'} · ${row.reviewer ?? '未分配'} · ${progress}`;
    }),
    ...(r.items.length > shownItems
      ? [`……共 ${r.items.length} 项，完整名单请导出或由管理员运行 sample draw 查看`]
      : []),
  ];
  return ctx.cards.render('notice', { title: `抽评 · ${o.title}`, color: 'green', lines });
}

const campaignValue = z.object({ campaign: idSchema });

/** 抽取: draws and records the campaign's sample once; a second click (or a redelivery) shows the same draw. */
export function drawAction(store: FormStore, rules: SamplingRules): CardAction<z.infer<typeof campaignValue>> {
  return {
    key: 'sampling.draw',
    value: campaignValue,
    guard: withRole(bureauRoles, refusal),
    async run(ctx, { value }) {
      const input = { campaignId: value.campaign };
      let o: DrawOutcome;
      try {
        o = await ctx.tx.transaction((sp) => drawForCampaign(sp, store, ctx.cards, rules, input, ctx.user.id, ctx.now));
      } catch (err) {
        // Two clicks at once: the other one recorded the draw first (one draw per campaign, unique).
        if (!isUniqueViolation(err)) throw err;
        return { toast: { type: 'info', content: '该任务已抽样，未重复抽取' } };
      }
      return cardResponse(await drawCard(ctx, o), {
        type: o.existing ? 'info' : 'success',
        content: o.existing ? '该任务已抽样，未重复抽取' : `已抽取 ${o.result.size} 项并通知复核人`,
      });
    },
  };
}

/** 查看: the recorded draw with each project's review and 整改 state. */
export function showAction(store: FormStore, rules: SamplingRules): CardAction<z.infer<typeof campaignValue>> {
  return {
    key: 'sampling.show',
    value: campaignValue,
    guard: withRole(bureauRoles, refusal),
    async run(ctx, { value }) {
      const d = await drawOfCampaign(ctx.tx, value.campaign);
      if (!d) return cardResponse(await campaignsCard(ctx, store, rules), { type: 'info', content: '该任务尚未抽样' });
      const o = await drawForCampaign(
        ctx.tx,
        store,
        ctx.cards,
        rules,
        { campaignId: value.campaign },
        ctx.user.id,
        ctx.now,
      );
      return cardResponse(await drawCard(ctx, o));
    },
  };
}
