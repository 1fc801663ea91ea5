import { appendAudit } from '../audit/audit-log.ts';
import type { Executor } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { AppError } from '../shared/errors.ts';
import { type ResultLine, resultLines } from './results-listing.ts';
import { saveConfirmed } from './results-repository.ts';
import type { ResultsRules } from './results-rules.ts';

export interface ConfirmInput {
  year: number;
  /** Some projects by code; or one department's by its code; neither: every project of the year. */
  codes?: string[];
  department?: string;
  /** An override: the action chosen instead of the suggestion, for one project, with a reason. */
  action?: string;
  cutPercent?: number;
  reason?: string;
}

export interface ConfirmOutcome {
  confirmed: number;
  /** Projects in scope with no settled result yet: nothing to confirm. */
  pending: number;
  lines: ResultLine[];
}

/**
 * The bureau confirms the suggested actions (those not yet confirmed, or whose suggestion changed since), or
 * overrides one project's with a reason. Confirming again changes nothing.
 */
export async function confirmResults(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  input: ConfirmInput,
  by: number | null,
  now: number,
): Promise<ConfirmOutcome> {
  const all = await resultLines(db, store, rules, input.year);
  const lines = all.filter(
    (l) =>
      (!input.codes || input.codes.includes(l.code)) && (!input.department || l.department_code === input.department),
  );
  if (input.codes) {
    const missing = input.codes.filter((c) => !lines.some((l) => l.code === c));
    if (missing.length) throw new AppError('bad_request', `${input.year} 年度没有项目 ${missing.join('、')}`);
  }
  if (input.department && !lines.length)
    throw new AppError('bad_request', `部门 ${input.department} 在 ${input.year} 年度没有项目`);
  const decided = (input.action ? [override(rules, lines, input)] : suggestedOf(lines)).map((d) => ({
    ...d,
    confirmedBy: by,
    confirmedAt: now,
  }));
  if (decided.length) await saveConfirmed(db, String(input.year), decided);
  if (decided.length)
    await appendAudit(db, {
      at: now,
      actorUserId: by,
      action: input.action ? 'results.override' : 'results.confirm',
      entityType: 'budget_results',
      entityId: String(input.year),
      source: by ? 'bot' : 'cli',
      detail: { projects: decided.map((d) => d.projectId), action: input.action, reason: input.reason },
    });
  const byProject = new Map(decided.map((d) => [d.projectId, d]));
  return {
    confirmed: decided.length,
    pending: lines.filter((l) => l.state === '待评价').length,
    lines: all.map((l) => {
      const d = byProject.get(l.project_id);
      if (!d) return l;
      const confirmed = { action: d.action, cut_percent: d.cutPercent, reason: d.reason, by: null, at: now };
      return { ...l, confirmed, state: d.action === d.suggested ? '已确认' : '已调整' };
    }),
  };
}

const base = (l: ResultLine) => ({
  projectId: l.project_id,
  grade: l.grade,
  score: l.score,
  source: l.source,
  suggested: l.suggested.action,
});

function suggestedOf(lines: ResultLine[]) {
  return lines
    .filter((l) => l.state === '待确认' || l.state === '建议已变化')
    .map((l) => ({ ...base(l), action: l.suggested.action, cutPercent: l.suggested.cut_percent, reason: null }));
}

function override(rules: ResultsRules, lines: ResultLine[], input: ConfirmInput) {
  if (lines.length !== 1) throw new AppError('bad_request', '调整建议时请指定一个项目（--project 项目编码）');
  const l = lines[0]!;
  if (!rules.choices.includes(input.action!))
    throw new AppError('bad_request', `处理意见应为 ${rules.choices.join('、')} 之一`);
  const reason = input.reason?.trim() || null;
  if (input.action !== l.suggested.action && !reason)
    throw new AppError('bad_request', `与建议（${l.suggested.action}）不同，请说明调整理由`);
  const cut = input.action === '压减' ? (input.cutPercent ?? l.suggested.cut_percent) : null;
  if (input.action === '压减' && (cut === null || !(cut > 0 && cut <= 100)))
    throw new AppError('bad_request', '压减请给出比例（1–100 的百分数）');
  return { ...base(l), action: input.action!, cutPercent: cut, reason };
}
