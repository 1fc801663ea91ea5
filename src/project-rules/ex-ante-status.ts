import type { Executor } from '../db/database.ts';
import { submissionsForSubjects } from '../forms/index.ts';
import type { Project } from '../projects/index.ts';

/** Where a project stands with its 事前绩效评估, as `projects list --json` and the gate read it. */
export const exAnteStates = [
  'not_required',
  'required',
  'in_progress',
  'passed',
  'passed_with_changes',
  'failed',
] as const;
export type ExAnteState = (typeof exAnteStates)[number];

export const exAnteLabels: Record<ExAnteState, string> = {
  not_required: '无需事前评估',
  required: '需事前评估，尚未开始',
  in_progress: '事前评估进行中',
  passed: '事前评估：予以支持',
  passed_with_changes: '事前评估：调整后支持',
  failed: '事前评估：不予支持',
};

const byConclusion: Record<string, ExAnteState> = {
  予以支持: 'passed',
  调整后支持: 'passed_with_changes',
  不予支持: 'failed',
};

/** A concluded evaluation decides; otherwise a required one is in progress once its submission exists. */
export function exAnteState(p: Project, evaluationStarted: boolean): ExAnteState {
  const concluded = p.exAnteConclusion ? byConclusion[p.exAnteConclusion] : undefined;
  if (concluded) return concluded;
  if (!p.exAnteRule) return 'not_required';
  return evaluationStarted ? 'in_progress' : 'required';
}

/** The ex-ante state of each project (one read of the evaluations for all of them). */
export async function exAnteStatesOf(
  db: Executor,
  formId: string,
  projects: Project[],
): Promise<Map<number, ExAnteState>> {
  const open = projects.filter((p) => p.exAnteRule && !p.exAnteConclusion).map((p) => p.id);
  const started = new Set((await submissionsForSubjects(db, 'project', open, formId)).map((s) => s.subjectId));
  return new Map(projects.map((p) => [p.id, exAnteState(p, started.has(p.id))]));
}
