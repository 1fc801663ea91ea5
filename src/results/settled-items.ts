import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Row } from './evaluation-cells.ts';
import { yearProjects } from './year-projects.ts';

/** A project's settled revision of one form, with where the project sits: what an export writes a sheet or line of. */
export interface SettledItem {
  code: string;
  name: string;
  department: string;
  supervising: string;
  values: Row;
}

/** Every project's settled revision of a form for a year (one unit's with `department`), by unit then code. */
export async function settledItems(
  db: Executor,
  store: FormStore,
  formId: string,
  o: { year: number; department?: string; project?: string },
): Promise<SettledItem[]> {
  const { byId, departments, settled } = await yearProjects(db, store, o.year);
  if (o.department && ![...departments.values()].some((d) => d.code === o.department))
    throw new AppError('not_found', `没有编码为 ${o.department} 的部门`);
  const items: SettledItem[] = [];
  for (const [projectId, s] of await settled(formId)) {
    const p = byId.get(projectId)!;
    const d = departments.get(p.departmentId);
    if ((o.department && d?.code !== o.department) || (o.project && p.code !== o.project)) continue;
    const parent = d?.parentId ? departments.get(d.parentId) : undefined;
    items.push({
      code: p.code,
      name: p.name,
      department: d?.name ?? '',
      supervising: parent?.name ?? '',
      values: s.values,
    });
  }
  return items.sort((a, b) => a.department.localeCompare(b.department, 'zh-CN') || a.code.localeCompare(b.code));
}
