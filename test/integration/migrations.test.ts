import { afterEach, describe, expect, it } from 'vitest';
import { createDb, migrateLatest, rollback, type Db } from '../../src/db/database';
import { dialects, freshDatabase, type TestDatabase } from '../helpers/databases';

const tables = [
  'departments',
  'users',
  'role_assignments',
  'projects',
  'audit_log',
  'lark_dedupe',
  'outbox',
  'form_versions',
  'submissions',
  'submission_revisions',
  'approval_instances',
  'approval_tasks',
  'delegations',
  'campaigns',
  'campaign_tasks',
  'scheduler_runs',
  'quizzes',
  'quiz_recipients',
  'quiz_attempts',
  'quiz_draws',
  'failed_events',
  'sampling_draws',
  'sampling_items',
  'form_assignments',
  'budget_results',
  'report_ratings',
  'uploads',
  'leases',
  'org_version',
];
const all = [
  '001_foundation',
  '002_forms',
  '003_approvals',
  '004_campaigns',
  '005_quizzes',
  '006_integrity',
  '007_unused_columns',
  '008_approved_revisions',
  '009_monitoring',
  '010_project_rules',
  '011_target_review',
  '012_sampling',
  '013_budget_results',
  '014_submitter_cards',
  '015_uploads',
  '016_leases',
  '017_org_sync',
  '018_org_version',
];

describe.each(dialects())('migrations on %s', (dialect) => {
  let t: TestDatabase;
  let db: Db;
  afterEach(async () => {
    await db?.destroy();
    await t?.drop();
  });

  it('go up, down and up again', async () => {
    t = await freshDatabase(dialect);
    db = createDb(t.url);
    expect(await migrateLatest(db)).toEqual(all);
    for (const name of tables) expect(await db.schema.hasTable(name)).toBe(true);
    expect(await migrateLatest(db)).toEqual([]);

    expect(await rollback(db, true)).toEqual([...all].reverse());
    for (const name of tables) expect(await db.schema.hasTable(name)).toBe(false);

    expect(await migrateLatest(db)).toEqual(all);
    for (const name of tables) expect(await db.schema.hasTable(name)).toBe(true);
  });

  it('enforces foreign keys and an append-only audit log', async () => {
    t = await freshDatabase(dialect);
    db = createDb(t.url);
    await migrateLatest(db);
    await expect(db('users').insert({ name: 'x', department_id: 999, created_at: 1, updated_at: 1 })).rejects.toThrow();
    await db('audit_log').insert({ at: 1, action: 'test', entity_type: 't', entity_id: '1' });
    await expect(db('audit_log').update({ action: 'changed' })).rejects.toThrow(/append-only/);
    await expect(db('audit_log').delete()).rejects.toThrow(/append-only/);
    expect(await db('audit_log').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});
