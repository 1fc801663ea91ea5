import { z } from 'zod';
import type { CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema } from '../bot/guards.ts';
import { AppError } from '../shared/errors.ts';
import { stale } from './fill-responses.ts';
import { renderPage } from './fill-cards.ts';
import type { Filling } from './fill-state.ts';
import { withoutReviewerValues } from './form-engine.ts';
import { fillerOfSubmission } from './form-guards.ts';
import { openNextRevision } from './form-submit-actions.ts';

const amendValue = z.object({ sid: idSchema, rev: idSchema });

/**
 * 申请调整目标 on an approved submission (目标调整, F3): the next revision, flagged as an adjustment, goes through the
 * same approval as the first. The approved revision stays the contract until the adjustment is approved.
 */
export function amendAction(f: Filling): CardAction<z.infer<typeof amendValue>> {
  return {
    key: 'form.amend',
    value: amendValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const s = await f.load(ctx, v.sid);
      const spec = s.form.def.amend;
      if (!spec) throw new AppError('bad_request', '该表单不能申请调整');
      if (s.revision.status !== 'submitted' || v.rev !== s.revision.revision) return stale(ctx, s);
      if (s.submission.status !== 'approved')
        return { toast: { type: 'warning', content: '批复后才能申请调整；审批中的请先撤回修改' } };
      const data = {
        ...withoutReviewerValues(s.form, s.revision.data),
        ...Object.fromEntries(spec.clear.map((id) => [id, null])),
        [spec.flag]: true,
      };
      const fresh = await openNextRevision(ctx, f, s, data, 'amend');
      const notice =
        `已生成第 ${fresh.revision.revision} 版（调整申请）。请修改需要调整的内容并说明原因；` +
        `批复前，监控和自评仍以第 ${s.revision.revision} 版为准。`;
      return cardResponse(renderPage(ctx, fresh, 0, { notice }));
    },
  };
}
