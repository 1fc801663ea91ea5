import { chunks } from '../shared/chunks.ts';
import type { Executor } from '../db/database.ts';
import type { FormData } from './form-engine.ts';

export interface SubmissionRow {
  id: number;
  formId: string;
  subjectType: 'project' | 'department';
  subjectId: number;
  period: string;
  status: string;
  currentRevision: number;
  departmentId: number;
  createdBy: number;
}

export interface RevisionRow {
  id: number;
  submissionId: number;
  revision: number;
  formVersion: number;
  status: 'draft' | 'submitted';
  data: FormData;
  page: number;
  seq: number;
  submittedAt: number | null;
  submittedBy: number | null;
  /** Everyone who saved this revision: with the submitter, they may not decide its approval. */
  editors: number[];
}

const toSubmission = (r: Record<string, unknown>): SubmissionRow => ({
  id: Number(r.id),
  formId: String(r.form_id),
  subjectType: r.subject_type as SubmissionRow['subjectType'],
  subjectId: Number(r.subject_id),
  period: String(r.period),
  status: String(r.status),
  currentRevision: Number(r.current_revision),
  departmentId: Number(r.department_id),
  createdBy: Number(r.created_by),
});

const toRevision = (r: Record<string, unknown>): RevisionRow => ({
  id: Number(r.id),
  submissionId: Number(r.submission_id),
  revision: Number(r.revision),
  formVersion: Number(r.form_version),
  status: r.status as RevisionRow['status'],
  data: JSON.parse(String(r.data)) as FormData,
  page: Number(r.page),
  seq: Number(r.seq),
  submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
  submittedBy: r.submitted_by === null ? null : Number(r.submitted_by),
  editors: r.editors ? (JSON.parse(String(r.editors)) as number[]) : r.updated_by ? [Number(r.updated_by)] : [],
});

export async function getSubmission(db: Executor, id: number): Promise<SubmissionRow | undefined> {
  const r = await db('submissions').where({ id }).first();
  return r ? toSubmission(r) : undefined;
}

const revisionColumns = ['id', 'submission_id', 'revision', 'form_version', 'status', 'data', 'page', 'seq'].concat([
  'submitted_at',
  'submitted_by',
  'editors',
  'updated_by',
]);

type Current = { submission: SubmissionRow; revision: RevisionRow };

/** The submission and its current revision in one statement: every click on a form reads both. */
export function getCurrent(db: Executor, id: number): Promise<Current | undefined> {
  return currentWhere(db, { 's.id': id });
}

/** The same, found by what the submission is for: opening a form reads it so, then works on it by id. */
export function findCurrent(
  db: Executor,
  key: { formId: string; subjectType: string; subjectId: number; period: string },
): Promise<Current | undefined> {
  return currentWhere(db, {
    's.form_id': key.formId,
    's.subject_type': key.subjectType,
    's.subject_id': key.subjectId,
    's.period': key.period,
  });
}

async function currentWhere(db: Executor, where: Record<string, string | number>): Promise<Current | undefined> {
  const r = await db('submissions as s')
    .join('submission_revisions as r', (j) => j.on('r.submission_id', 's.id').andOn('r.revision', 's.current_revision'))
    .where(where)
    .first('s.*', ...revisionColumns.map((c) => `r.${c} as r_${c}`));
  if (!r) return undefined;
  const rev = Object.fromEntries(revisionColumns.map((c) => [c, r[`r_${c}`]]));
  return { submission: toSubmission(r), revision: toRevision(rev) };
}

export async function findSubmission(
  db: Executor,
  key: { formId: string; subjectType: string; subjectId: number; period: string },
): Promise<SubmissionRow | undefined> {
  const r = await db('submissions')
    .where({ form_id: key.formId, subject_type: key.subjectType, subject_id: key.subjectId, period: key.period })
    .first();
  return r ? toSubmission(r) : undefined;
}

/** The submissions of some subjects, of one form when `formId` is given. */
export async function submissionsForSubjects(
  db: Executor,
  subjectType: string,
  subjectIds: number[],
  formId?: string,
): Promise<SubmissionRow[]> {
  if (!subjectIds.length) return [];
  const q = db('submissions').where({ subject_type: subjectType }).whereIn('subject_id', subjectIds);
  if (formId) q.where({ form_id: formId });
  return (await q).map(toSubmission);
}

export async function getRevision(
  db: Executor,
  submissionId: number,
  revision: number,
): Promise<RevisionRow | undefined> {
  const r = await db('submission_revisions').where({ submission_id: submissionId, revision }).first();
  return r ? toRevision(r) : undefined;
}

/** Creates the submission and its first draft revision; answers both as written, so nothing is read back. */
export async function createSubmission(
  db: Executor,
  s: {
    formId: string;
    subjectType: 'project' | 'department';
    subjectId: number;
    period: string;
    departmentId: number;
    userId: number;
    formVersion: number;
    data: FormData;
  },
  now: number,
): Promise<{ submission: SubmissionRow; revision: RevisionRow }> {
  // Both drivers answer an insert with the new row's id (MySQL's insertId, SQLite's last rowid).
  const [id] = await db('submissions').insert({
    form_id: s.formId,
    subject_type: s.subjectType,
    subject_id: s.subjectId,
    period: s.period,
    status: 'draft',
    current_revision: 1,
    department_id: s.departmentId,
    created_by: s.userId,
    created_at: now,
    updated_at: now,
  });
  const submission: SubmissionRow = {
    id: Number(id),
    formId: s.formId,
    subjectType: s.subjectType,
    subjectId: s.subjectId,
    period: s.period,
    status: 'draft',
    currentRevision: 1,
    departmentId: s.departmentId,
    createdBy: s.userId,
  };
  const [revisionId] = await insertRevision(db, submission.id, 1, s.formVersion, s.data, s.userId, now);
  const revision: RevisionRow = {
    id: Number(revisionId),
    submissionId: submission.id,
    revision: 1,
    formVersion: s.formVersion,
    status: 'draft',
    data: s.data,
    page: 0,
    seq: 0,
    submittedAt: null,
    submittedBy: null,
    editors: [s.userId],
  };
  return { submission, revision };
}

/** `carried`: who filled the revision this one copies; their work stays in it, so they stay its fillers. */
export async function insertRevision(
  db: Executor,
  submissionId: number,
  revision: number,
  formVersion: number,
  data: FormData,
  userId: number,
  now: number,
  carried: number[] = [],
  page = 0,
): Promise<number[]> {
  return db('submission_revisions').insert({
    submission_id: submissionId,
    revision,
    form_version: formVersion,
    status: 'draft',
    data: JSON.stringify(data),
    page,
    seq: 0,
    updated_by: userId,
    editors: JSON.stringify([...new Set([...carried, userId])]),
    created_at: now,
    updated_at: now,
  });
}

// The seq guard on every write makes this read-modify-write safe: a concurrent save fails and refreshes.
const withEditor = (rev: RevisionRow, userId: number) => [...new Set([...rev.editors, userId])];

/**
 * Saves a draft if nobody saved since `seq`: returns the revision as saved, or undefined when the card was stale.
 * Submitted revisions never match.
 */
export async function saveDraft(
  db: Executor,
  rev: RevisionRow,
  data: FormData,
  page: number,
  userId: number,
  now: number,
): Promise<RevisionRow | undefined> {
  const saved: RevisionRow = { ...rev, data, page, seq: rev.seq + 1, editors: withEditor(rev, userId) };
  const n = await db('submission_revisions')
    .where({ id: rev.id, seq: rev.seq, status: 'draft' })
    .update({
      data: JSON.stringify(data),
      page,
      seq: saved.seq,
      updated_by: userId,
      editors: JSON.stringify(saved.editors),
      updated_at: now,
    });
  return n === 1 ? saved : undefined;
}

/** Submits the draft if nobody saved since `seq`: returns the revision as submitted, or undefined when stale. */
export async function markSubmitted(
  db: Executor,
  rev: RevisionRow,
  userId: number,
  now: number,
): Promise<RevisionRow | undefined> {
  const submitted: RevisionRow = {
    ...rev,
    status: 'submitted',
    seq: rev.seq + 1,
    submittedAt: now,
    submittedBy: userId,
    editors: withEditor(rev, userId),
  };
  const n = await db('submission_revisions')
    .where({ id: rev.id, seq: rev.seq, status: 'draft' })
    .update({
      status: 'submitted',
      seq: submitted.seq,
      submitted_at: now,
      submitted_by: userId,
      editors: JSON.stringify(submitted.editors),
      updated_at: now,
    });
  if (n !== 1) return undefined;
  await db('submissions').where({ id: rev.submissionId }).update({ status: 'submitted', updated_at: now });
  return submitted;
}

/**
 * Opens the next revision as a draft, copying the latest data. `status` says why: `draft` (revised or withdrawn by
 * the filler) or `returned` (sent back by a reviewer), which progress and 待办 show differently; `page` is where it
 * opens (a return opens at the first field the reviewer marked).
 */
export async function openRevision(
  db: Executor,
  s: SubmissionRow,
  from: RevisionRow,
  formVersion: number,
  userId: number,
  now: number,
  status: 'draft' | 'returned' = 'draft',
  page = 0,
): Promise<void> {
  const next = s.currentRevision + 1;
  const n = await db('submissions')
    .where({ id: s.id, current_revision: s.currentRevision })
    .update({ current_revision: next, status, updated_at: now });
  if (n !== 1) return; // someone else opened it first; the caller re-reads
  await insertRevision(db, s.id, next, formVersion, from.data, userId, now, from.editors, page);
}

/**
 * Writes an approver's values into a submitted revision (reviewer-only fields): only while nobody wrote it since
 * `seq`. Returns the revision as written, or undefined when it changed meanwhile.
 */
export async function reviseSubmittedData(
  db: Executor,
  rev: RevisionRow,
  data: FormData,
  now: number,
): Promise<RevisionRow | undefined> {
  const n = await db('submission_revisions')
    .where({ id: rev.id, seq: rev.seq, status: 'submitted' })
    .update({ data: JSON.stringify(data), seq: rev.seq + 1, updated_at: now });
  return n === 1 ? { ...rev, data, seq: rev.seq + 1 } : undefined;
}

/**
 * The submission's status as its approval chain has it (approvals tells forms; forms owns the row). Approval stamps
 * the current revision: an approved revision stays the contract while a later one is under approval.
 */
export async function setSubmissionStatus(db: Executor, id: number, status: string, now: number): Promise<void> {
  await db('submissions').where({ id }).update({ status, updated_at: now });
  if (status === 'approved')
    await db('submission_revisions')
      .where({ submission_id: id, status: 'submitted' })
      .whereIn('revision', db('submissions').where({ id }).select('current_revision'))
      .update({ approved_at: now });
}

/**
 * The revision later forms measure against: the newest approved one when the form is approved by a chain, else the
 * newest submitted one. With its approval time (or submission time without a chain).
 */
export async function contractRevision(
  db: Executor,
  key: { formId: string; subjectType: string; subjectId: number; period: string },
  approved: boolean,
): Promise<(RevisionRow & { settledAt: number }) | undefined> {
  const r = await db('submission_revisions as r')
    .join('submissions as s', 's.id', 'r.submission_id')
    .where({ 's.form_id': key.formId, 's.subject_type': key.subjectType, 's.subject_id': key.subjectId })
    .where({ 's.period': key.period, 'r.status': 'submitted' })
    .modify((q) => void (approved ? q.whereNotNull('r.approved_at') : q))
    .orderBy('r.revision', 'desc')
    .first('r.*');
  if (!r) return undefined;
  return { ...toRevision(r), settledAt: Number(approved ? r.approved_at : r.submitted_at) };
}

/**
 * Every submission of one form for one period, which the campaigns derive their tasks' states from; only those of
 * `subjects` when given: a department's 待办 reads its own few, not the whole city's (22,470 at ten times a city).
 */
export async function submissionsOfForm(
  db: Executor,
  formId: string,
  period: string,
  subjects?: { type: string; id: number }[],
): Promise<SubmissionRow[]> {
  if (!subjects) return (await db('submissions').where({ form_id: formId, period })).map(toSubmission);
  const rows: Record<string, unknown>[] = [];
  for (const type of new Set(subjects.map((s) => s.type))) {
    const ids = subjects.filter((s) => s.type === type).map((s) => s.id);
    for (const chunk of chunks(ids, 500)) {
      rows.push(
        ...(await db('submissions')
          .where({ form_id: formId, period, subject_type: type })
          .whereIn('subject_id', chunk)),
      );
    }
  }
  return rows.map(toSubmission);
}

/** Submissions by id, for lists of many: one statement per thousand. */
export async function submissionsByIds(db: Executor, ids: number[]): Promise<Map<number, SubmissionRow>> {
  const out = new Map<number, SubmissionRow>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 1000)
    for (const r of await db('submissions').whereIn('id', unique.slice(i, i + 1000)))
      out.set(Number(r.id), toSubmission(r));
  return out;
}
