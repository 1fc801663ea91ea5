import type { Db } from '../db/database.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { readTables } from '../import/read-tables.ts';
import { AppError } from '../shared/errors.ts';
import { planOrgImport } from './org-plan.ts';
import { type OrgImportCounts, applyOrgPlan, loadExistingOrg } from './org-repository.ts';

/** Reads, validates and applies an org file all-or-nothing. Throws AppError('import_failed') listing every bad row. */
export async function importOrg(db: Db, file: string, now: number, source = 'cli'): Promise<OrgImportCounts> {
  const tables = await readTables(file);
  return db.transaction(async (tx) => {
    const { plan, issues } = planOrgImport(tables, await loadExistingOrg(tx));
    if (issues.length)
      throw new AppError('import_failed', `组织架构文件有 ${issues.length} 处错误，未做任何修改`, { issues });
    if (!plan.departments.length && !plan.users.length) throw new AppError('import_failed', '文件中没有部门或人员');
    const counts = await applyOrgPlan(tx, plan, now);
    await appendAudit(tx, {
      at: now,
      action: 'org.import',
      entityType: 'org',
      entityId: file.split('/').pop()!,
      source,
      detail: counts,
    });
    return counts;
  });
}
