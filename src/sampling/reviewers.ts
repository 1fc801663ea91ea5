import type { Executor } from '../db/database.ts';
import { usersWithRole } from '../org/index.ts';
import { AppError } from '../shared/errors.ts';
import { type ItemRow, setReviewers } from './sampling-repository.ts';
import type { SamplingRules } from './sampling-rules.ts';

/**
 * Shares the drawn projects among the reviewers: holders of the first role in `reviewers` that anyone holds. A
 * department's projects go to one reviewer (one visit per unit), the largest departments first, each to whoever has
 * fewest so far. Returns project id → reviewer.
 */
export async function assignReviewers(
  db: Executor,
  rules: SamplingRules,
  items: ItemRow[],
): Promise<Map<number, number>> {
  let people: { id: number }[] = [];
  for (const role of rules.reviewers) {
    people = await usersWithRole(db, role);
    if (people.length) break;
  }
  if (!people.length)
    throw new AppError('conflict', '没有可分配的复核人：请先为第三方评价机构人员分配“第三方评价”角色');
  const byDepartment = new Map<number, ItemRow[]>();
  for (const i of items) byDepartment.set(i.departmentId, [...(byDepartment.get(i.departmentId) ?? []), i]);
  const load = new Map(people.map((p) => [p.id, 0]));
  const byItem = new Map<number, number>();
  const byProject = new Map<number, number>();
  const departments = [...byDepartment].sort(([a, x], [b, y]) => y.length - x.length || a - b);
  for (const [, list] of departments) {
    const [reviewer] = [...load].sort(([a, x], [b, y]) => x - y || a - b)[0]!;
    load.set(reviewer, load.get(reviewer)! + list.length);
    for (const i of list) {
      byItem.set(i.id, reviewer);
      byProject.set(i.projectId, reviewer);
    }
  }
  await setReviewers(db, byItem);
  return byProject;
}
