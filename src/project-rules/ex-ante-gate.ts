import type { Executor } from '../db/database.ts';
import { projectsByIds } from '../projects/index.ts';
import { type ExAnteState, exAnteLabels, exAnteStatesOf } from './ex-ante-status.ts';
import { type ProjectRules, loadProjectRules } from './project-rules.ts';

/** A project held back from a campaign: its ex-ante evaluation is required and has not passed. */
export interface HeldBack {
  id: number;
  departmentId: number;
  code: string;
  name: string;
  state: ExAnteState;
  reason: string;
}

const blocking: ExAnteState[] = ['required', 'in_progress', 'failed'];

/** Splits projects into those a gated campaign may ask for and those it must hold back, with why. */
export async function exAnteGate(
  db: Executor,
  projectIds: number[],
  rules: ProjectRules = loadProjectRules(),
): Promise<{ allowed: Set<number>; held: HeldBack[] }> {
  const projects = await projectsByIds(db, projectIds);
  const states = await exAnteStatesOf(db, rules.exAnteForm, projects);
  const held = projects
    .filter((p) => blocking.includes(states.get(p.id)!))
    .map((p) => ({
      id: p.id,
      departmentId: p.departmentId,
      code: p.code,
      name: p.name,
      state: states.get(p.id)!,
      reason: `${exAnteLabels[states.get(p.id)!]}（${p.exAnteRule ?? ''}）`,
    }));
  const heldIds = new Set(held.map((h) => h.id));
  return { allowed: new Set(projectIds.filter((id) => !heldIds.has(id))), held };
}
