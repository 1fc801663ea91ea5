import type { BotContext, CardResponse } from '../bot/bot-types';
import { type FillState, type FormStore, recordReview } from '../forms';
import { read } from './approval-reads';
import type { InstanceRow } from './approval-repository';
import { type Acting, audit, refuse } from './decide-support';

/** The reviewer-only fields the current step's approver fills before 同意 (none for a plain step). */
export function reviewFieldsOf(s: FillState, inst: InstanceRow): string[] {
  const id = inst.state.steps[inst.state.current]?.id;
  return s.form.def.approval?.steps.find((x) => x.id === id)?.review ?? [];
}

/**
 * Before 同意 at a review step: the approver's entries (事前评估 scores, 目标审核 ratings) are checked and written into
 * the revision, then the approval goes on. Answers a card response only when the approval must stop here.
 */
export async function recordStepReview(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  raw: Record<string, unknown>,
): Promise<CardResponse | undefined> {
  const s = await read(ctx, store, inst.submissionId);
  const ids = reviewFieldsOf(s, inst);
  if (!ids.length) return undefined;
  if (s.revision.revision !== inst.revision)
    return refuse(ctx, inst, 'stale_revision', '该卡片已过期，请处理最新的审批卡片');
  const r = await recordReview(ctx, s, ids, raw);
  if (!r) return { toast: { type: 'warning', content: '填报内容刚刚发生变化，请重试' } };
  if ('errors' in r) return { toast: { type: 'warning', content: r.errors.join('；') } };
  await audit(ctx, inst, who, 'approval.review', Object.fromEntries(ids.map((id) => [id, r.state.revision.data[id]])));
  return undefined;
}
