import type { Db } from '../db/database';
import { appendAudit } from '../audit/audit-log';
import { readTables } from '../import/read-tables';
import { chunks } from '../shared/chunks';
import { departmentIdsByCode } from '../org';
import { AppError } from '../shared/errors';
import { planProjectImport } from './project-plan';

export interface ProjectImportCounts {
  created: number;
  updated: number;
}

/** All-or-nothing project import keyed by project code. */
export async function importProjects(db: Db, file: string, now: number, source = 'cli'): Promise<ProjectImportCounts> {
  const tables = await readTables(file);
  return db.transaction(async (tx) => {
    const deptIds = await departmentIdsByCode(tx);
    const { plan, issues } = planProjectImport(tables, new Set(deptIds.keys()));
    if (issues.length)
      throw new AppError('import_failed', `项目文件有 ${issues.length} 处错误，未做任何修改`, { issues });
    if (!plan.length)
      throw new AppError('import_failed', '文件中没有项目：多工作表的文件请把项目放在名为“项目”的工作表中');
    const existing = new Set((await tx('projects').pluck('code')) as string[]);
    for (const chunk of chunks(plan, 200)) {
      await tx('projects')
        .insert(
          chunk.map((p) => ({
            code: p.code,
            name: p.name,
            department_id: deptIds.get(p.department)!,
            year: p.year,
            tier: p.tier,
            amount: p.amount,
            is_new: p.isNew,
            is_gov_investment: p.isGovInvestment,
            is_policy: p.isPolicy,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict('code')
        .merge([
          'name',
          'department_id',
          'year',
          'tier',
          'amount',
          'is_new',
          'is_gov_investment',
          'is_policy',
          'updated_at',
        ]);
    }
    const updated = plan.filter((p) => existing.has(p.code)).length;
    const counts = { created: plan.length - updated, updated };
    await appendAudit(tx, {
      at: now,
      action: 'projects.import',
      entityType: 'projects',
      entityId: file.split('/').pop()!,
      source,
      detail: counts,
    });
    return counts;
  });
}
