import type { Executor } from '../db/database.ts';
import type { FormStore, Settled } from '../forms/index.ts';
import { contactsOf } from '../org/index.ts';
import type { Project } from '../projects/index.ts';
import { rectifyByProject } from '../sampling/index.ts';
import { type Confirmed, confirmedResults } from './results-repository.ts';
import type { ResultsRules, Suggestion } from './results-rules.ts';
import { yearProjects } from './year-projects.ts';

/** One project's line in 结果应用: its result, what the rules suggest, and what the bureau confirmed. */
export interface ResultLine {
  project_id: number;
  code: string;
  name: string;
  department: string;
  department_code: string;
  tier: string;
  amount_wan: number;
  grade: string | null;
  score: number | null;
  source: string | null;
  rectify: boolean;
  rectified: boolean;
  suggested: Suggestion;
  confirmed: {
    action: string;
    cut_percent: number | null;
    reason: string | null;
    by: string | null;
    at: number;
  } | null;
  /** 待确认 | 已确认 | 已调整 | 建议已变化 (confirmed, then the result changed) | 待评价. */
  state: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** Every project of the year with its 结果应用 line, in department then code order. */
export async function resultLines(
  db: Executor,
  store: FormStore,
  rules: ResultsRules,
  year: number,
): Promise<ResultLine[]> {
  const period = String(year);
  const inYear = await yearProjects(db, store, year);
  const { projects, departments } = inYear;
  const sources: { label: string; grade: string; score: string; settled: Map<number, Settled> }[] = [];
  for (const s of rules.grade_sources)
    if (store.get(s.form)) sources.push({ ...s, settled: await inYear.settled(s.form) });
  const rectify = await rectifyByProject(db, period);
  const rectified = await inYear.settled(rules.rectification_form);
  const confirmed = await confirmedResults(db, period);
  const people = await contactsOf(db, [...new Set([...confirmed.values()].map((c) => c.confirmedBy ?? 0))]);
  const lines = projects.map((p) => {
    const found = sources.find((s) => text(s.settled.get(p.id)?.values[s.grade]));
    const values = found?.settled.get(p.id)?.values;
    const facts = {
      grade: values ? text(values[found!.grade]) : null,
      score: values ? num(values[found!.score]) : null,
      source: found?.label ?? null,
      rectify: rectify.get(p.id) ?? false,
      rectified: rectified.has(p.id),
      tier: p.tier,
      amount_wan: p.amount / 10000,
    };
    const suggested = rules.suggest(facts);
    const c = confirmed.get(p.id);
    return line(
      p,
      departments.get(p.departmentId),
      facts,
      suggested,
      c && { ...c, by: people.get(c.confirmedBy ?? 0)?.name ?? null },
    );
  });
  return lines.sort((a, b) => a.department_code.localeCompare(b.department_code) || a.code.localeCompare(b.code));
}

type Facts = Pick<ResultLine, 'grade' | 'score' | 'source' | 'rectify' | 'rectified' | 'tier' | 'amount_wan'>;

function line(
  p: Project,
  d: { name: string; code: string } | undefined,
  facts: Facts,
  suggested: Suggestion,
  c: (Confirmed & { by: string | null }) | undefined,
): ResultLine {
  const state = !c
    ? suggested.action === '待评价'
      ? '待评价'
      : '待确认'
    : c.suggested !== suggested.action
      ? '建议已变化'
      : c.action !== c.suggested
        ? '已调整'
        : '已确认';
  return {
    project_id: p.id,
    code: p.code,
    name: p.name,
    department: d?.name ?? '',
    department_code: d?.code ?? '',
    ...facts,
    suggested,
    confirmed: c
      ? { action: c.action, cut_percent: c.cutPercent, reason: c.reason, by: c.by, at: c.confirmedAt }
      : null,
    state,
  };
}
