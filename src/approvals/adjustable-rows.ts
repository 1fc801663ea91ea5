import { type FillState, evaluateRows, truthy } from '../forms/index.ts';

/** Rows an approver may score down (`approval.adjust.rows_when`), with the highest score each may get. */
export function adjustableRows(s: Pick<FillState, 'form' | 'revision' | 'subject'>): { index: number; max: number }[] {
  const spec = s.form.def.approval?.adjust;
  if (!spec) return [];
  const when = evaluateRows(s.form, s.revision.data, s.subject.ctx, spec.group, spec.rows_when);
  const max = evaluateRows(s.form, s.revision.data, s.subject.ctx, spec.group, spec.max);
  return when.flatMap((w, index) => (truthy(w) ? [{ index, max: Number(max[index] ?? 0) }] : []));
}
