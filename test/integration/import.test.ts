import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { importOrg } from '../../src/org/org-import';
import { importProjects } from '../../src/projects/project-import';
import { loadProjectRules } from '../../src/project-rules';

const { classify } = loadProjectRules();
import { AppError } from '../../src/shared/errors';
import { dialects, migratedDb } from '../helpers/databases';

const examples = path.resolve(import.meta.dirname, '../../examples');
const fixtures = path.resolve(import.meta.dirname, '../fixtures/import');

async function snapshot(db: Db) {
  return {
    departments: await db('departments').orderBy('code').select('code', 'name', 'kind', 'parent_id'),
    users: await db('users').orderBy('id').select('id', 'name', 'open_id', 'mobile', 'department_id'),
    roles: await db('role_assignments')
      .orderBy(['user_id', 'role', 'scope_department_id'])
      .select('user_id', 'role', 'scope_department_id'),
    projects: await db('projects').orderBy('code').select('code', 'name', 'tier', 'amount', 'is_new'),
  };
}

async function importError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe.each(dialects())('organisation and project import on %s', (dialect) => {
  let db: Db;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ db, close } = await migratedDb(dialect));
  });
  afterEach(async () => close());

  it('imports the demo organisation and projects, and a re-import updates without duplicating', async () => {
    expect(await importOrg(db, path.join(examples, 'org.yaml'), 1000)).toEqual({
      departmentsCreated: 12,
      departmentsUpdated: 0,
      usersCreated: 28,
      usersUpdated: 0,
    });
    expect(await importProjects(db, path.join(examples, 'projects.xlsx'), 1000, classify)).toMatchObject({
      created: 40,
      updated: 0,
    });
    const first = await snapshot(db);
    expect(first.roles.filter((r) => r.role === 'finance_section')).toHaveLength(3);
    const roles = new Set(first.roles.map((r) => r.role));
    expect([...roles].sort()).toEqual([
      'admin',
      'filler',
      'finance_section',
      'performance_division',
      'supervising_reviewer',
      'third_party',
      'unit_head',
    ]);
    const big = first.projects.filter((p) => Number(p.amount) > 200_000_000);
    expect(big.length).toBeGreaterThan(0);

    expect(await importOrg(db, path.join(examples, 'org.yaml'), 2000)).toEqual({
      departmentsCreated: 0,
      departmentsUpdated: 12,
      usersCreated: 0,
      usersUpdated: 28,
    });
    expect(await importProjects(db, path.join(examples, 'projects.xlsx'), 2000, classify)).toMatchObject({
      created: 0,
      updated: 40,
    });
    expect(await snapshot(db)).toEqual(first);
  });

  it('re-import from CSV updates changed values in place', async () => {
    await importOrg(db, path.join(examples, 'org.yaml'), 1000);
    await importProjects(db, path.join(fixtures, 'projects-good.csv'), 1000, classify);
    const t2 = await db('projects').where({ code: 'T-002' }).first();
    expect(Number(t2.amount)).toBe(1_200_000);
    expect(Boolean(t2.is_new)).toBe(true);
  });

  it('a project file with one bad row changes nothing and names the row', async () => {
    await importOrg(db, path.join(examples, 'org.yaml'), 1000);
    const before = await snapshot(db);
    const e = await importError(importProjects(db, path.join(fixtures, 'projects-one-bad-row.csv'), 1000, classify));
    expect(e.code).toBe('import_failed');
    expect(e.issues).toEqual([{ where: '第 4 行', message: '等级应为 A、B 或 C（当前“E”）' }]);
    expect(await snapshot(db)).toEqual(before);
    expect(await db('audit_log').where({ action: 'projects.import' }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('an org file with errors reports every bad entry and changes nothing', async () => {
    await importOrg(db, path.join(examples, 'org.yaml'), 1000);
    const before = await snapshot(db);
    const e = await importError(importOrg(db, path.join(fixtures, 'org-bad.yaml'), 1000));
    expect(e.issues.map((i) => i.where)).toEqual([
      'departments 第 2 条',
      'users 第 2 条',
      'users 第 3 条',
      'users 第 4 条',
    ]);
    expect(e.issues[0]!.message).toContain('上级编码');
    expect(e.issues[1]!.message).toContain('至少填写一项');
    expect(e.issues[2]!.message).toContain('角色“科长”无效');
    expect(e.issues[3]!.message).toContain('财政业务处室@部门编码');
    expect(await snapshot(db)).toEqual(before);
  });

  it('refuses files it cannot read with a clear message', async () => {
    expect((await importError(importOrg(db, path.join(fixtures, 'missing.yaml'), 1))).message).toContain(
      '无法读取文件',
    );
    expect((await importError(importProjects(db, path.join(examples, 'org.yaml'), 1, classify))).message).toContain(
      '没有项目',
    );
  });
});
