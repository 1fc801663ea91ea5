import type { Executor } from '../db/database.ts';
import type { Value } from './expression/evaluate.ts';
import { type FormContext, computeOnce } from './form-engine.ts';
import type { FormStore } from './form-store.ts';

export interface Settled {
  submissionId: number;
  revision: number;
  /** When the revision was approved (or submitted, for a form without a chain). */
  settledAt: number;
  /** Who submitted it: for an assigned form, the evaluator. */
  submittedBy: number | null;
  values: Record<string, Value>;
}

/**
 * Every project's settled revision of one form for one year — the newest approved revision when the form has an
 * approval chain, else the newest submitted one — with its computed values (a grade, a total). What later stages
 * (结果应用, 信息公开) read: a revision still under approval or a draft never counts.
 */
export async function settledValues(
  db: Executor,
  store: FormStore,
  formId: string,
  period: string,
  ctxOf: (projectId: number) => FormContext | undefined,
): Promise<Map<number, Settled>> {
  const chained = Boolean(store.get(formId)?.def.approval);
  const rows: Record<string, unknown>[] = await db('submission_revisions as r')
    .join('submissions as s', 's.id', 'r.submission_id')
    .where({ 's.form_id': formId, 's.period': period, 's.subject_type': 'project', 'r.status': 'submitted' })
    .modify((q) => void (chained ? q.whereNotNull('r.approved_at') : q))
    .orderBy('r.revision')
    .select('s.id as sid', 's.subject_id', 'r.revision', 'r.form_version', 'r.data', 'r.approved_at', 'r.submitted_at')
    .select('r.submitted_by');
  const newest = new Map<number, Record<string, unknown>>();
  for (const r of rows) newest.set(Number(r.subject_id), r); // ordered by revision: the last one wins
  const out = new Map<number, Settled>();
  for (const [projectId, r] of newest) {
    const ctx = ctxOf(projectId);
    if (!ctx) continue;
    const form = await store.at(db, formId, Number(r.form_version));
    out.set(projectId, {
      submissionId: Number(r.sid),
      revision: Number(r.revision),
      settledAt: Number(chained ? r.approved_at : r.submitted_at),
      submittedBy: r.submitted_by === null ? null : Number(r.submitted_by),
      values: computeOnce(form, JSON.parse(String(r.data)), ctx),
    });
  }
  return out;
}
