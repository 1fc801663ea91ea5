import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { contactsOf } from '../org/index.ts';
import { type Rating, ratingsOf } from './results-repository.ts';
import { projectLabel } from '../projects/index.ts';
import { yearProjects } from './year-projects.ts';

export const ratingChoices = ['优秀', '良好', '合格', '不合格'] as const;

/** A third party's settled evaluation report (抽评复核, 重点评价) of the year, with the bureau's rating if any. */
export interface Report {
  submissionId: number;
  form: string;
  project: string;
  evaluator: string;
  /** The form's first summary values, e.g. 73 分 · 中. */
  result: string;
  rating: Rating | null;
}

/** Every settled report of an assigned form that third parties fill, for one year, by form then project code. */
export async function reportsOf(db: Executor, store: FormStore, year: number): Promise<Report[]> {
  const inYear = await yearProjects(db, store, year);
  const projects = inYear.byId;
  const found: Omit<Report, 'evaluator' | 'rating'>[] = [];
  const evaluators = new Map<number, number | null>();
  for (const form of store.list().filter((f) => f.def.assigned && f.def.fillers.includes('third_party'))) {
    if (form.def.attach_to !== 'project') continue;
    const settled = await inYear.settled(form.def.id);
    for (const [projectId, s] of settled) {
      const p = projects.get(projectId)!;
      const [score, grade] = form.def.summary.map((k) => s.values[k]);
      evaluators.set(s.submissionId, s.submittedBy);
      found.push({
        submissionId: s.submissionId,
        form: form.def.title,
        project: projectLabel(p),
        result: [score === null || score === undefined ? null : `${String(score)} 分`, grade]
          .filter(Boolean)
          .join(' · '),
      });
    }
  }
  const people = await contactsOf(db, [...new Set([...evaluators.values()].filter((x): x is number => x !== null))]);
  const ratings = await ratingsOf(
    db,
    found.map((r) => r.submissionId),
  );
  return found.map((r) => ({
    ...r,
    evaluator: people.get(evaluators.get(r.submissionId) ?? 0)?.name ?? '—',
    rating: ratings.get(r.submissionId) ?? null,
  }));
}
