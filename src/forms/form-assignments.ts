import type { Executor } from '../db/database.ts';
import { chunks } from '../shared/chunks.ts';

/*
 * Who fills an assigned form (`assigned: true`: 抽评复核, 重点评价) for which subject and period. Written by the
 * feature that assigns (sampling, the CLI), read by the fill guards.
 */
export interface Assignment {
  formId: string;
  subjectType: 'project' | 'department';
  subjectId: number;
  period: string;
  userId: number;
  source: string;
}

/** Sets the one assignee of each subject for a form: an earlier assignee of the same subject is replaced. */
export async function assignForm(db: Executor, rows: Assignment[], by: number | null, now: number): Promise<void> {
  const groups = new Map<string, Assignment[]>();
  for (const r of rows) {
    const key = `${r.formId}|${r.subjectType}|${r.period}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const list of groups.values()) {
    const { formId, subjectType, period } = list[0]!;
    for (const chunk of chunks(list, 500)) {
      await db('form_assignments')
        .where({ form_id: formId, subject_type: subjectType, period })
        .whereIn(
          'subject_id',
          chunk.map((r) => r.subjectId),
        )
        .delete();
      await db('form_assignments').insert(
        chunk.map((r) => ({
          ...{ form_id: formId, subject_type: subjectType, subject_id: r.subjectId, period },
          ...{ user_id: r.userId, source: r.source, assigned_by: by, assigned_at: now },
        })),
      );
    }
  }
}

export async function isAssigned(
  db: Executor,
  formId: string,
  subject: { type: string; id: number; period: string },
  userId: number,
): Promise<boolean> {
  const key = { form_id: formId, subject_type: subject.type, subject_id: subject.id, period: subject.period };
  return Boolean(
    await db('form_assignments')
      .where({ ...key, user_id: userId })
      .first('id'),
  );
}

/** The subjects assigned to one person, newest period first. */
export async function assignmentsOf(db: Executor, userId: number): Promise<Assignment[]> {
  const rows: Record<string, unknown>[] = await db('form_assignments')
    .where({ user_id: userId })
    .orderBy([{ column: 'period', order: 'desc' }, 'id']);
  return rows.map((r) => ({
    formId: String(r.form_id),
    subjectType: r.subject_type as Assignment['subjectType'],
    subjectId: Number(r.subject_id),
    period: String(r.period),
    userId: Number(r.user_id),
    source: String(r.source),
  }));
}

/** Withdraws what one source assigned (a replaced draw). */
export async function unassignForms(db: Executor, source: string): Promise<void> {
  await db('form_assignments').where({ source }).delete();
}
