import type { BotContext } from '../bot/bot-types.ts';
import { launchCampaign } from '../campaigns/index.ts';
import { type FillState, type FormStore, computeAll } from '../forms/index.ts';
import { getProject } from '../projects/index.ts';
import { addWorkingDays, beijingDate } from '../shared/working-days.ts';
import { itemOfProject, recordItemReview } from './sampling-repository.ts';
import type { SamplingRules } from './sampling-rules.ts';

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

/**
 * After a 抽评复核表 is submitted: the drawn item records the self-score, the review score and grade, and whether the
 * unit must rectify; when it must, a 整改 task for that project goes to its unit (a campaign of the rectification form
 * due in `working_days`, with the usual reminders), in the same transaction. A resubmitted review updates the item;
 * the 整改 task is never started twice.
 */
export function reviewHook(store: FormStore, rules: SamplingRules) {
  return async (ctx: BotContext, s: FillState): Promise<void> => {
    if (s.form.def.id !== rules.review.form || s.submission.subjectType !== 'project') return;
    const item = await itemOfProject(ctx.tx, s.submission.subjectId, s.submission.period);
    if (!item) return;
    const data = computeAll(s.form, s.revision.data, s.subject.ctx);
    const r = rules.review;
    const rectify = data[r.rectify] === true;
    await recordItemReview(
      ctx.tx,
      item.id,
      {
        submissionId: s.submission.id,
        selfScore: num(data[r.self_score]),
        selfGrade: text(data[r.self_grade]),
        score: num(data[r.score]),
        grade: text(data[r.grade]),
        rectify,
      },
      ctx.now,
    );
    if (rectify) await startRectification(ctx, store, rules, s.submission.subjectId);
  };
}

async function startRectification(ctx: BotContext, store: FormStore, rules: SamplingRules, projectId: number) {
  const p = (await getProject(ctx.tx, projectId))!;
  const today = beijingDate(ctx.now);
  await launchCampaign(
    ctx.tx,
    store,
    ctx.cards,
    {
      title: `${rules.rectification.title}：${p.name}`.slice(0, 100),
      formId: rules.rectification.form,
      population: { kind: 'projects', year: p.year, codes: [p.code] },
      opensOn: today,
      deadline: addWorkingDays(today, rules.rectification.working_days),
    },
    ctx.user?.id ?? null,
    ctx.now,
  );
}
