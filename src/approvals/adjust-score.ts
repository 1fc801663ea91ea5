import type { BotContext, CardResponse } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { type FormStore, recordAdjustment } from '../forms/index.ts';
import { adjustableRows } from './adjustable-rows.ts';
import { round } from '../shared/decimal.ts';
import { namesIn, read } from './approval-reads.ts';
import type { InstanceRow } from './approval-repository.ts';
import { renderRequest, stateNames } from './approval-view.ts';
import { transferPeople, updateDecidedCards } from './approval-effects.ts';
import { type Acting, audit, refuse } from './decide-support.ts';

/**
 * 调整得分 on the approval card: the approver sets a flagged row's score (10号: a target set too low is scored down by
 * the deviation), with the reason from the comment box. Kept in the revision's reviewer-only fields and the audit.
 */
export async function adjustScore(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  d: { adjustRow?: string; adjustScore?: string; comment: string },
): Promise<CardResponse> {
  const s = await read(ctx, store, inst.submissionId);
  const spec = s.form.def.approval?.adjust;
  if (!spec || s.revision.revision !== inst.revision) return refuse(ctx, inst, 'not_adjustable', '该审批不能调整得分');
  const row = adjustableRows(s).find((r) => String(r.index) === d.adjustRow);
  if (!row) return { toast: { type: 'warning', content: '请选择需要调整得分的指标' } };
  const typed = (d.adjustScore ?? '').trim();
  const score = Number(typed);
  if (!/^\d+(\.\d{1,2})?$/.test(typed) || score > row.max)
    return { toast: { type: 'warning', content: `调整后的得分应为 0–${row.max} 之间、最多两位小数的数` } };
  if (!d.comment) return { toast: { type: 'warning', content: '请在审批意见中填写调整理由' } };
  const before = ((s.revision.data[spec.group] as Record<string, unknown>[] | undefined)?.[row.index] ?? {}) as {
    name?: unknown;
    [field: string]: unknown;
  };
  const done = { type: 'success' as const, content: `已调整第 ${row.index + 1} 行得分为 ${round(score)}` };
  // A second click with the same score and reason finds it done: nothing is written, recorded or sent again.
  if (before[spec.score] === round(score) && before[spec.reason] === d.comment) return { toast: done };
  const values = { [spec.score]: round(score), [spec.reason]: d.comment };
  const written = await recordAdjustment(ctx, s, row.index, values);
  if (!written) return { toast: { type: 'warning', content: '填报内容刚刚发生变化，请重试' } };
  await audit(ctx, inst, who, 'approval.adjust', {
    row: row.index,
    name: before.name ?? null,
    score: round(score),
    previous: before[spec.score] ?? null,
    reason: d.comment,
  });
  const names = await namesIn(ctx, stateNames(inst.state, [inst.submitterId]));
  // The step's other cards show the new score too; the clicked one is answered directly.
  await updateDecidedCards(ctx, written, inst, inst.state.current, names, '');
  const card = renderRequest(ctx, {
    s: written,
    inst,
    names,
    changes: [],
    people: await transferPeople(ctx, written, inst),
  });
  return cardResponse(card, done);
}
