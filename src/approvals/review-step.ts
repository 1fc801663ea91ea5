import type { BotContext, CardResponse } from '../bot/bot-types.ts';
import { type FillState, type FormStore, applyReviewedOutcome, computeAll, recordReview } from '../forms/index.ts';
import { read } from './approval-reads.ts';
import type { InstanceRow } from './approval-repository.ts';
import { type Acting, audit, refuse } from './decide-support.ts';

/** The reviewer-only fields the current step's approver fills before 同意 (none for a plain step). */
export function reviewFieldsOf(s: FillState, inst: InstanceRow): string[] {
  const id = inst.state.steps[inst.state.current]?.id;
  return s.form.def.approval?.steps.find((x) => x.id === id)?.review ?? [];
}

/** A review's verdict when it is not plain approval: 目标审核 中 returns the target, 差 rejects it. */
export type Verdict = { decision: 'return' | 'reject'; comment: string };

/**
 * Before 同意 at a review step: the approver's entries (事前评估 scores, 目标审核 ratings) are checked and written into
 * the revision, and what they decide about the project is kept; then the approval goes on, or turns into the
 * decision the review calls for (`decide_by`). Answers `stop` when the approval must stop here.
 */
export async function recordStepReview(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  raw: Record<string, unknown>,
  comment: string,
): Promise<{ stop: CardResponse } | { verdict?: Verdict }> {
  const s = await read(ctx, store, inst.submissionId);
  const ids = reviewFieldsOf(s, inst);
  if (!ids.length) return {};
  const stop = (response: CardResponse) => ({ stop: response });
  if (s.revision.revision !== inst.revision)
    return stop(await refuse(ctx, inst, 'stale_revision', '该卡片已过期，请处理最新的审批卡片'));
  const r = await recordReview(ctx, s, ids, raw);
  if (!r) return stop({ toast: { type: 'warning', content: '填报内容刚刚发生变化，请重试' } });
  if ('errors' in r) return stop({ toast: { type: 'warning', content: r.errors.join('；') } });
  await audit(ctx, inst, who, 'approval.review', Object.fromEntries(ids.map((id) => [id, r.state.revision.data[id]])));
  await applyReviewedOutcome(ctx, r.state);
  return { verdict: verdictOf(r.state, inst, comment) };
}

/** The decision a review's verdict calls for, with the review as the comment the submitter reads. */
function verdictOf(s: FillState, inst: InstanceRow, comment: string): Verdict | undefined {
  const id = inst.state.steps[inst.state.current]?.id;
  const spec = s.form.def.approval?.steps.find((x) => x.id === id);
  const by = spec?.decide_by;
  if (!by) return undefined;
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  const value = String(data[by.field] ?? '');
  const decision = by.return.includes(value) ? 'return' : by.reject.includes(value) ? 'reject' : undefined;
  if (!decision) return undefined;
  const label = s.form.fields.get(by.field)?.field.label ?? by.field;
  const lines = (spec.review ?? []).map((f) => `${s.form.fields.get(f)?.field.label ?? f}：${String(data[f] ?? '—')}`);
  return { decision, comment: [`${label}：${value}`, ...lines, comment].filter(Boolean).join('；') };
}
