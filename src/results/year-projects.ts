import type { Executor } from '../db/database.ts';
import { type FormContext, type FormStore, type Settled, projectScope, settledValues } from '../forms/index.ts';
import { type Department, allDepartments } from '../org/index.ts';
import { type Project, listProjects } from '../projects/index.ts';

/** A year's projects, and the settled values of any form about them (computed as their forms define). */
export interface YearProjects {
  projects: Project[];
  byId: Map<number, Project>;
  departments: Map<number, Department>;
  /** The form's settled revision per project, or an empty map when the form is not loaded. */
  settled(formId: string): Promise<Map<number, Settled>>;
}

export async function yearProjects(db: Executor, store: FormStore, year: number): Promise<YearProjects> {
  const projects = await listProjects(db, year);
  const byId = new Map(projects.map((p) => [p.id, p]));
  const departments = new Map((await allDepartments(db)).map((d) => [d.id, d]));
  const ctxOf = (id: number): FormContext | undefined => {
    const p = byId.get(id);
    const d = p && departments.get(p.departmentId);
    return p && d
      ? { project: projectScope(p), department: { name: d.name, code: d.code, supervising: null } }
      : undefined;
  };
  return {
    projects,
    byId,
    departments,
    settled: async (formId) =>
      store.get(formId) ? settledValues(db, store, formId, String(year), ctxOf) : new Map<number, Settled>(),
  };
}
