import type { Executor } from '../db/database.ts';
import { chunks } from '../shared/chunks.ts';

/* budget_results and report_ratings: only results/ names them. */

export interface Confirmed {
  projectId: number;
  grade: string | null;
  score: number | null;
  source: string | null;
  /** The rule's action when the bureau decided: an override is an action that differs from it. */
  suggested: string;
  action: string;
  cutPercent: number | null;
  reason: string | null;
  confirmedBy: number | null;
  confirmedAt: number;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toConfirmed = (r: Record<string, unknown>): Confirmed => ({
  projectId: Number(r.project_id),
  grade: str(r.grade),
  score: num(r.score),
  source: str(r.source),
  suggested: String(r.suggested),
  action: String(r.action),
  cutPercent: num(r.cut_percent),
  reason: str(r.reason),
  confirmedBy: num(r.confirmed_by),
  confirmedAt: Number(r.confirmed_at),
});

export async function confirmedResults(db: Executor, period: string): Promise<Map<number, Confirmed>> {
  const rows: Record<string, unknown>[] = await db('budget_results').where({ period });
  return new Map(rows.map((r) => [Number(r.project_id), toConfirmed(r)]));
}

/** One project's confirmed 结果应用 for a year, if the bureau decided it. */
export async function confirmedResultOf(db: Executor, projectId: number, period: string) {
  const r: Record<string, unknown> | undefined = await db('budget_results')
    .where({ project_id: projectId, period })
    .first();
  return r ? toConfirmed(r) : undefined;
}

/** Records the bureau's decisions for a year, replacing earlier ones of the same projects. */
export async function saveConfirmed(db: Executor, period: string, decided: Confirmed[]): Promise<void> {
  for (const chunk of chunks(decided, 200))
    await db('budget_results')
      .insert(
        chunk.map((c) => ({
          ...{ project_id: c.projectId, period, grade: c.grade, score: c.score, source: c.source },
          ...{ suggested: c.suggested, action: c.action, cut_percent: c.cutPercent, reason: c.reason },
          ...{ confirmed_by: c.confirmedBy, confirmed_at: c.confirmedAt },
        })),
      )
      .onConflict(['project_id', 'period'])
      .merge();
}

export interface Rating {
  submissionId: number;
  rating: string;
  comment: string | null;
  ratedBy: number | null;
  ratedAt: number;
}

export async function ratingsOf(db: Executor, submissionIds: number[]): Promise<Map<number, Rating>> {
  if (!submissionIds.length) return new Map();
  const rows: Record<string, unknown>[] = await db('report_ratings').whereIn('submission_id', submissionIds);
  return new Map(
    rows.map((r) => [
      Number(r.submission_id),
      {
        submissionId: Number(r.submission_id),
        rating: String(r.rating),
        comment: str(r.comment),
        ratedBy: num(r.rated_by),
        ratedAt: Number(r.rated_at),
      },
    ]),
  );
}

export async function saveRating(db: Executor, r: Rating): Promise<void> {
  await db('report_ratings')
    .insert({
      submission_id: r.submissionId,
      rating: r.rating,
      comment: r.comment,
      rated_by: r.ratedBy,
      rated_at: r.ratedAt,
    })
    .onConflict('submission_id')
    .merge();
}
