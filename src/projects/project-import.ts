import type { Db, Executor } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { readTables } from '../import/read-tables.ts';
import { chunks } from '../shared/chunks.ts';
import { departmentIdsByCode } from '../org/index.ts';
import { AppError } from '../shared/errors.ts';
import { type ProjectPlan, planProjectImport } from './project-plan.ts';

export interface ProjectImportCounts {
  created: number;
  updated: number;
}

/** What the bureau's rules say of a project: its tier and why, and the ex-ante trigger that applies (or null). */
export type Classify = (p: Pick<ProjectPlan, 'amount' | 'isNew' | 'isGovInvestment' | 'isPolicy' | 'year'>) => {
  tier: 'A' | 'B' | 'C';
  tierRule: string;
  exAnteRule: string | null;
};

/** One imported project as the rules classified it. */
export interface ImportedProject {
  code: string;
  name: string;
  tier: 'A' | 'B' | 'C';
  tierSource: string;
  amount: number;
  exAnteRule: string | null;
}

/**
 * All-or-nothing project import keyed by project code. Every project is classified again (an import is how amounts and
 * flags change): the file's tier wins where it gives one, the rules fill in the rest and name the ex-ante trigger.
 */
export async function importProjects(
  db: Db,
  file: string,
  now: number,
  classify: Classify,
  source = 'cli',
): Promise<ProjectImportCounts & { projects: ImportedProject[] }> {
  const tables = await readTables(file);
  return db.transaction(async (tx) => {
    const deptIds = await departmentIdsByCode(tx);
    const { plan, issues } = planProjectImport(tables, new Set(deptIds.keys()));
    if (issues.length)
      throw new AppError('import_failed', `项目文件有 ${issues.length} 处错误，未做任何修改`, { issues });
    if (!plan.length)
      throw new AppError('import_failed', '文件中没有项目：多工作表的文件请把项目放在名为“项目”的工作表中');
    const existing = new Set((await tx('projects').pluck('code')) as string[]);
    const projects = plan.map((p) => {
      const c = classify(p);
      const tier = p.tier ?? c.tier;
      return { p, tier, tierSource: p.tier ? '导入文件指定' : c.tierRule, exAnteRule: c.exAnteRule };
    });
    await upsert(tx, projects, deptIds, now);
    const updated = plan.filter((p) => existing.has(p.code)).length;
    const counts = { created: plan.length - updated, updated };
    await appendAudit(tx, {
      at: now,
      action: 'projects.import',
      entityType: 'projects',
      entityId: file.split('/').pop()!,
      source,
      detail: { ...counts, exAnte: projects.filter((x) => x.exAnteRule).length },
    });
    const imported = projects.map(({ p, tier, tierSource, exAnteRule }) => ({
      ...{ code: p.code, name: p.name, tier, tierSource, amount: p.amount, exAnteRule },
    }));
    return { ...counts, projects: imported };
  });
}

type Classified = { p: ProjectPlan; tier: string; tierSource: string; exAnteRule: string | null };

/** Inserts new projects and updates known ones by code, in chunks. */
async function upsert(tx: Executor, projects: Classified[], deptIds: Map<string, number>, now: number) {
  for (const chunk of chunks(projects, 200)) {
    await tx('projects')
      .insert(
        chunk.map(({ p, tier, tierSource, exAnteRule }) => ({
          ...{ code: p.code, name: p.name, department_id: deptIds.get(p.department)!, year: p.year },
          ...{ tier, tier_source: tierSource, ex_ante_rule: exAnteRule, amount: p.amount },
          ...{ is_new: p.isNew, is_gov_investment: p.isGovInvestment, is_policy: p.isPolicy },
          previous_grade: p.previousGrade ?? null,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict('code')
      .merge(['name', 'department_id', 'year', 'tier', 'tier_source', 'ex_ante_rule', 'amount'].concat(mergedFlags));
  }
}

const mergedFlags = ['is_new', 'is_gov_investment', 'is_policy', 'previous_grade', 'updated_at'];
