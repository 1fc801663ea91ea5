import type { Executor } from '../db/database.ts';
import { type FormContext, computeAll } from './form-engine.ts';
import type { FormStore } from './form-store.ts';
import { summaryResults } from './form-view.ts';
import { submissionStatusLabels } from './submission-status.ts';
import { submissionsForSubjects } from './submission-repository.ts';

export interface RevisionRecord {
  revision: number;
  status: 'draft' | 'submitted';
  submittedAt: number | null;
  approvedAt: number | null;
  submittedBy: number | null;
  /** The form's headline figures for this revision (资金总额, 总分 and 等级, 项目监控结果 …). */
  headline: { label: string; value: string }[];
}

export interface SubmissionRecord {
  submissionId: number;
  formId: string;
  title: string;
  period: string;
  status: string;
  statusLabel: string;
  revisions: RevisionRecord[];
}

/**
 * Every form filed about one subject, in the order of the year's work, each with every revision and its headline
 * figures as its own form version computes them: what a project's history shows.
 */
export async function subjectRecord(
  db: Executor,
  store: FormStore,
  subject: { type: 'project' | 'department'; id: number },
  ctx: FormContext,
): Promise<SubmissionRecord[]> {
  const subs = await submissionsForSubjects(db, subject.type, [subject.id]);
  if (!subs.length) return [];
  const rows: Record<string, unknown>[] = await db('submission_revisions')
    .whereIn(
      'submission_id',
      subs.map((s) => s.id),
    )
    .orderBy(['submission_id', 'revision'])
    .select(
      'submission_id',
      'revision',
      'status',
      'form_version',
      'data',
      'submitted_at',
      'approved_at',
      'submitted_by',
    );
  const order = store.list().map((f) => f.def.id);
  const out: SubmissionRecord[] = [];
  for (const s of [...subs].sort((a, b) => order.indexOf(a.formId) - order.indexOf(b.formId) || a.id - b.id)) {
    const revisions: RevisionRecord[] = [];
    for (const r of rows.filter((x) => Number(x.submission_id) === s.id)) {
      const form = await store.at(db, s.formId, Number(r.form_version));
      const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
      revisions.push({
        revision: Number(r.revision),
        status: r.status === 'draft' ? 'draft' : 'submitted',
        submittedAt: num(r.submitted_at),
        approvedAt: num(r.approved_at),
        submittedBy: num(r.submitted_by),
        headline: r.status === 'draft' ? [] : summaryResults(form, computeAll(form, JSON.parse(String(r.data)), ctx)),
      });
    }
    out.push({
      submissionId: s.id,
      formId: s.formId,
      title: store.get(s.formId)?.def.title ?? s.formId,
      period: s.period,
      status: s.status,
      statusLabel: submissionStatusLabels[s.status] ?? s.status,
      revisions,
    });
  }
  return out;
}
