import type { Db, Executor } from '../db/database.ts';
import { departmentIdsByCode } from '../org/index.ts';
import { type Project, importProjects, listProjects } from '../projects/index.ts';
import { type ExAnteState, exAnteLabels, exAnteStatesOf } from './ex-ante-status.ts';
import { type ProjectRules, loadProjectRules } from './project-rules.ts';

/** A project import with the bureau's rules applied, and the report an operator reads: tiers and ex-ante triggers. */
export async function importClassified(db: Db, file: string, now: number, source = 'cli', rules?: ProjectRules) {
  const r = await importProjects(db, file, now, (p) => (rules ?? loadProjectRules()).classify(p), source);
  const tiers = (['A', 'B', 'C'] as const).map((t) => `${t} 类 ${r.projects.filter((p) => p.tier === t).length}`);
  const exAnte = r.projects.filter((p) => p.exAnteRule);
  const lines = [
    `项目导入完成：新增 ${r.created}、更新 ${r.updated}；${tiers.join('，')}`,
    exAnte.length ? `需事前绩效评估 ${exAnte.length} 项：` : '没有需要事前绩效评估的项目',
    ...exAnte.map(
      (p) => `  ${p.code} ${p.name}（${(p.amount / 10000).toLocaleString('zh-CN')} 万元）：${p.exAnteRule}`,
    ),
  ];
  return { ...r, lines };
}

/** `projects list`: each project with its tier, amount and ex-ante state (`--json` for scripts). */
export async function projectListing(db: Executor, year?: number, rules: ProjectRules = loadProjectRules()) {
  const projects = await listProjects(db, year);
  const codes = new Map([...(await departmentIdsByCode(db))].map(([code, id]) => [id, code]));
  const states = await exAnteStatesOf(db, rules.exAnteForm, projects);
  return projects.map((p) => listingRow(p, codes.get(p.departmentId) ?? '', states.get(p.id)!));
}

/** One project as `projects list` shows it, for its history. */
export async function projectFacts(db: Executor, p: Project, departmentCode: string, rules = loadProjectRules()) {
  const states = await exAnteStatesOf(db, rules.exAnteForm, [p]);
  return listingRow(p, departmentCode, states.get(p.id)!);
}

function listingRow(p: Project, department: string, state: ExAnteState) {
  return {
    code: p.code,
    name: p.name,
    department,
    year: p.year,
    tier: p.tier,
    tier_source: p.tierSource,
    amount: p.amount,
    ex_ante: state,
    ex_ante_label: exAnteLabels[state],
    ex_ante_rule: p.exAnteRule,
    ex_ante_conclusion: p.exAnteConclusion,
    ex_ante_amount: p.exAnteAmount,
    target_review: p.targetReviewGrade,
    target_review_action: p.targetReviewAction,
  };
}
