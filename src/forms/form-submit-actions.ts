import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { ActionContext, CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { eventSource } from '../bot/event-source.ts';
import { idSchema } from '../bot/guards.ts';
import { stale } from './fill-responses.ts';
import { type Filling, type FillState, withRevision } from './fill-state.ts';
import { problemCount, renderPage, renderSubmitted } from './fill-cards.ts';
import { type FormData, withoutReviewerValues } from './form-engine.ts';
import { fillerOfSubmission } from './form-guards.ts';
import { seqSchema } from './form-page-action.ts';
import { markSubmitted, openRevision } from './submission-repository.ts';

const submitValue = z.object({ sid: idSchema, seq: seqSchema });
const reviseValue = z.object({ sid: idSchema, rev: idSchema });

/** 确认提交 on the summary: submits a complete draft; the hooks (an approval chain) run in the same transaction. */
export function submitAction(f: Filling): CardAction<z.infer<typeof submitValue>> {
  return {
    key: 'form.submit',
    value: submitValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const s = await f.load(ctx, v.sid);
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq) return stale(ctx, s);
      if (problemCount(s) > 0)
        return cardResponse(renderPage(ctx, s, s.pages.length - 1), { type: 'error', content: '还有需要修改的地方' });
      const submitted = await markSubmitted(ctx.tx, s.revision, ctx.user.id, ctx.now);
      if (!submitted) return stale(ctx, await f.reload(ctx, s.submission.id));
      const done = withRevision(ctx, s, submitted, 'submitted');
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'submission.submit',
        entityType: 'submission',
        entityId: s.submission.id,
        revision: s.revision.revision,
        source: eventSource(ctx),
        detail: { form: s.form.def.id, version: s.revision.formVersion },
      });
      for (const hook of f.hooks.afterSubmit ?? []) await hook(ctx, done);
      return cardResponse(renderSubmitted(ctx, await f.load(ctx, s.submission.id)), {
        type: 'success',
        content: `已提交（第 ${s.revision.revision} 版）`,
      });
    },
  };
}

/** 修改 on a submitted revision: opens the next revision as a draft; the submitted one stays as it was. */
export function reviseAction(f: Filling): CardAction<z.infer<typeof reviseValue>> {
  return {
    key: 'form.revise',
    value: reviseValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const s = await f.load(ctx, v.sid);
      if (s.revision.status !== 'submitted' || v.rev !== s.revision.revision) return stale(ctx, s);
      // Approved work is locked; work under approval changes only by withdrawing it first.
      if (s.submission.status === 'approved') return { toast: { type: 'warning', content: '已审批通过，不能再修改' } };
      if (s.submission.status === 'in_approval')
        return { toast: { type: 'warning', content: '正在审批中，如需修改请先撤回' } };
      const fresh = await openNextRevision(ctx, f, s, withoutReviewerValues(s.form, s.revision.data), 'revise');
      const notice = `已生成第 ${fresh.revision.revision} 版草稿，第 ${s.revision.revision} 版保留不变。`;
      return cardResponse(renderPage(ctx, fresh, 0, { notice }));
    },
  };
}

/**
 * Opens the next revision as a draft holding `data`, the submitted one staying as it was, and audits it. It keeps the
 * version its submission started with, unless the form has moved on: then it upgrades.
 */
export async function openNextRevision(
  ctx: ActionContext,
  f: Filling,
  s: FillState,
  data: FormData,
  why: 'revise' | 'amend',
): Promise<FillState> {
  const form = f.store.get(s.form.def.id);
  const version = form ? form.def.version : s.revision.formVersion;
  if (form) await f.store.pin(ctx.tx, form, ctx.now);
  await openRevision(ctx.tx, s.submission, { ...s.revision, data }, version, ctx.user.id, ctx.now);
  const fresh = await f.reload(ctx, s.submission.id);
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user.id,
    action: `submission.${why}`,
    entityType: 'submission',
    entityId: s.submission.id,
    revision: fresh.revision.revision,
    source: eventSource(ctx),
  });
  return fresh;
}
