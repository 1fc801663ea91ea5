import type { Executor } from '../db/database.ts';
import { chunks } from '../shared/chunks.ts';
import type { DrawResult, Drawn } from './draw-sample.ts';

/* sampling_draws and sampling_items: only sampling/ names them. */

export interface DrawRow {
  id: number;
  campaignId: number;
  period: string;
  ratio: number;
  seed: number;
  population: number;
  size: number;
  detail: Pick<DrawResult, 'rounding' | 'strata' | 'excluded' | 'eligible'>;
  drawnAt: number;
}

export interface ItemRow extends Omit<Drawn, 'code'> {
  id: number;
  drawId: number;
  reviewerId: number | null;
  selfScore: number | null;
  selfGrade: string | null;
  reviewScore: number | null;
  reviewGrade: string | null;
  rectify: boolean | null;
  reviewedAt: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

const toDraw = (r: Record<string, unknown>): DrawRow => ({
  id: Number(r.id),
  campaignId: Number(r.campaign_id),
  period: String(r.period),
  ratio: Number(r.ratio),
  seed: Number(r.seed),
  population: Number(r.population),
  size: Number(r.size),
  detail: JSON.parse(String(r.detail)),
  drawnAt: Number(r.drawn_at),
});

const toItem = (r: Record<string, unknown>): ItemRow => ({
  id: Number(r.id),
  drawId: Number(r.draw_id),
  projectId: Number(r.project_id),
  departmentId: Number(r.department_id),
  stratum: String(r.stratum),
  reason: str(r.reason),
  reviewerId: num(r.reviewer_id),
  selfScore: num(r.self_score),
  selfGrade: str(r.self_grade),
  reviewScore: num(r.review_score),
  reviewGrade: str(r.review_grade),
  rectify: r.rectify === null || r.rectify === undefined ? null : Boolean(r.rectify),
  reviewedAt: num(r.reviewed_at),
});

export async function drawOfCampaign(db: Executor, campaignId: number): Promise<DrawRow | undefined> {
  const r = await db('sampling_draws').where({ campaign_id: campaignId }).first();
  return r ? toDraw(r) : undefined;
}

export async function itemsOfDraw(db: Executor, drawId: number): Promise<ItemRow[]> {
  return (await db('sampling_items').where({ draw_id: drawId }).orderBy('id')).map(toItem);
}

/** The drawn item of a project for the year, if the project was drawn. */
export async function itemOfProject(db: Executor, projectId: number, period: string): Promise<ItemRow | undefined> {
  const r = await db('sampling_items as i')
    .join('sampling_draws as d', 'd.id', 'i.draw_id')
    .where({ 'i.project_id': projectId, 'd.period': period })
    .first('i.*');
  return r ? toItem(r) : undefined;
}

export async function insertDraw(
  db: Executor,
  d: { campaignId: number; period: string; ratio: number; seed: number; result: DrawResult },
  by: number | null,
  now: number,
): Promise<number> {
  const { rounding, strata, excluded, eligible } = d.result;
  const [id] = await db('sampling_draws').insert({
    campaign_id: d.campaignId,
    period: d.period,
    ratio: d.ratio,
    seed: d.seed,
    population: d.result.population,
    size: d.result.size,
    detail: JSON.stringify({ rounding, strata, excluded, eligible }),
    drawn_by: by,
    drawn_at: now,
  });
  for (const chunk of chunks(d.result.items, 500))
    await db('sampling_items').insert(
      chunk.map((i) => ({
        draw_id: Number(id),
        project_id: i.projectId,
        department_id: i.departmentId,
        stratum: i.stratum,
        reason: i.reason,
      })),
    );
  return Number(id);
}

export async function deleteDraw(db: Executor, id: number): Promise<void> {
  await db('sampling_items').where({ draw_id: id }).delete();
  await db('sampling_draws').where({ id }).delete();
}

/** One update per reviewer. */
export async function setReviewers(db: Executor, byItem: Map<number, number>): Promise<void> {
  const byReviewer = new Map<number, number[]>();
  for (const [itemId, userId] of byItem) byReviewer.set(userId, [...(byReviewer.get(userId) ?? []), itemId]);
  for (const [userId, items] of byReviewer)
    for (const chunk of chunks(items, 500))
      await db('sampling_items').whereIn('id', chunk).update({ reviewer_id: userId });
}

export async function recordItemReview(
  db: Executor,
  itemId: number,
  r: {
    submissionId: number;
    selfScore: number | null;
    selfGrade: string | null;
    score: number | null;
    grade: string | null;
    rectify: boolean;
  },
  now: number,
): Promise<void> {
  await db('sampling_items').where({ id: itemId }).update({
    review_submission_id: r.submissionId,
    self_score: r.selfScore,
    self_grade: r.selfGrade,
    review_score: r.score,
    review_grade: r.grade,
    rectify: r.rectify,
    reviewed_at: now,
  });
}

/** Whether each reviewed project of a year was asked to rectify (抽评 found a gap or a lower grade). */
export async function rectifyByProject(db: Executor, period: string): Promise<Map<number, boolean>> {
  const rows: { project_id: number; rectify: unknown }[] = await db('sampling_items as i')
    .join('sampling_draws as d', 'd.id', 'i.draw_id')
    .where({ 'd.period': period })
    .whereNotNull('i.reviewed_at')
    .select('i.project_id', 'i.rectify');
  return new Map(rows.map((r) => [Number(r.project_id), Boolean(r.rectify)]));
}
