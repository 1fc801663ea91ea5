import { z } from 'zod';
import type { BotRegistry, CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema, optionalText } from '../bot/guards.ts';
import { type FormStore, loadState, pageOrSubmitted, submittedCard } from '../forms/index.ts';
import { afterChange } from './approval-effects.ts';
import { approverOfInstance, fillerOfInstance, readerOfInstance } from './approval-guards.ts';
import { instanceOf } from './approval-reads.ts';
import { decideOne, save } from './decide.ts';
import { audit, refuse } from './decide-support.ts';
import { withdraw } from './chain.ts';
import { urgeAction } from './urge-action.ts';
import { fileOpenAction } from './file-open-action.ts';

const decideValue = z.object({
  iid: idSchema,
  rev: idSchema,
  step: z.coerce.number().int().min(0),
  decision: z.enum(['approve', 'reject', 'return', 'transfer', 'comment', 'adjust']),
});
const decideInputs = z.object({
  comment: optionalText,
  fields: z.array(z.string()).optional(),
  transfer_to: z.string().optional(),
  adjust_row: z.string().optional(),
  adjust_score: z.string().optional(),
});
/** The approval card's form; a review step adds one input per reviewed field, named `review_<field>`, and no other. */
const decideForm = decideInputs
  .catchall(z.union([z.string().max(2000), z.array(z.string())]))
  .superRefine((form, ctx) => {
    for (const key of Object.keys(form))
      if (!(key in decideInputs.shape) && !key.startsWith('review_'))
        ctx.addIssue({ code: 'custom', path: [key], message: 'unknown input' });
  });
const reviewInputs = (form: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(form)
      .filter(([k]) => k.startsWith('review_'))
      .map(([k, v]) => [k.slice('review_'.length), v]),
  );
const instanceValue = z.object({ iid: idSchema });
type InstanceValue = z.infer<typeof instanceValue>;

/** The clicks on approval cards: decide, read the full content, withdraw. */
export function registerApprovals(registry: BotRegistry, store: FormStore): void {
  registry.action(decideAction(store));
  registry.action(detailAction(store));
  registry.action(withdrawAction(store));
  registry.action(urgeAction(store));
  registry.action(fileOpenAction);
}

/** 同意 / 驳回 / 退回修改 / 转交 / 评论 on an approval card. */
function decideAction(store: FormStore): CardAction<z.infer<typeof decideValue>, z.infer<typeof decideForm>> {
  return {
    key: 'appr.decide',
    value: decideValue,
    form: decideForm,
    guard: approverOfInstance,
    run: (ctx, { value: v, form }) =>
      decideOne(ctx, store, {
        ...v,
        comment: form.comment,
        fields: form.fields,
        transferTo: form.transfer_to,
        adjustRow: form.adjust_row,
        adjustScore: form.adjust_score,
        review: reviewInputs(form),
      }),
  };
}

/** 查看完整内容: the revision under approval, read-only (no withdraw or revise buttons for the approver). */
function detailAction(store: FormStore): CardAction<InstanceValue> {
  return {
    key: 'appr.detail',
    value: instanceValue,
    guard: readerOfInstance,
    async run(ctx, { value: v }) {
      const inst = (await instanceOf(ctx, v.iid))!;
      await ctx.sendTo(ctx.openId, await submittedCard(ctx, store, inst.submissionId, inst.revision));
      return { toast: { type: 'info', content: '完整内容已发送给您' } };
    },
  };
}

/** 撤回 by the submitting unit: the chain stops and the form reopens as a draft. */
function withdrawAction(store: FormStore): CardAction<InstanceValue> {
  return {
    key: 'appr.withdraw',
    value: instanceValue,
    guard: fillerOfInstance(store),
    async run(ctx, { value: v }) {
      const inst = await instanceOf(ctx, v.iid);
      if (!inst) return { toast: { type: 'error', content: '该审批已不存在' } };
      const s = await loadState(ctx, store, inst.submissionId);
      const r = withdraw(inst.state);
      if ('refused' in r) return refuse(ctx, inst, 'closed', '审批已结束，不能撤回');
      if (!(await save(ctx, inst, r))) return { toast: { type: 'warning', content: '审批状态刚刚发生变化，请重试' } };
      await audit(ctx, inst, { userId: ctx.user.id }, 'approval.withdraw');
      await afterChange(ctx, store, inst, r, {
        decidedStep: inst.state.current,
        outcomeText: `${ctx.user.name} 撤回了提交`,
        fill: s,
      });
      // The withdrawn revision reopened as a draft: the filler's card is its page, ready to change.
      return cardResponse(
        pageOrSubmitted(ctx, await loadState(ctx, store, s.submission.id), '已撤回，可修改后重新提交。'),
        { type: 'success', content: '已撤回' },
      );
    },
  };
}
