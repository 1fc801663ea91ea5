import { afterEach, describe, expect, it } from 'vitest';
import { createDb, migrateLatest, type Db } from '../../src/db/database';
import { migrationSource } from '../../src/db/migration-source';
import { openKey } from '../../src/campaigns/launch';
import { dialects, freshDatabase } from '../helpers/databases';

describe.each(dialects())('migration 006 on %s', (dialect) => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await db?.destroy();
    await drop?.();
  });

  it('keys the campaigns already open and records the approval cards already sent', async () => {
    const fresh = await freshDatabase(dialect);
    drop = fresh.drop;
    db = createDb(fresh.url);
    for (let i = 0; i < 5; i++) await db.migrate.up({ migrationSource }); // up to 005, as a deployment before 006
    await db('departments').insert({ id: 1, code: 'D', name: '部门', kind: 'unit', created_at: 1, updated_at: 1 });
    await db('users').insert({ id: 7, name: '张伟', department_id: 1, active: true, created_at: 1, updated_at: 1 });
    await db('submissions').insert({
      id: 3,
      form_id: 'f',
      subject_type: 'project',
      subject_id: 1,
      period: '2026',
      status: 'in_approval',
      current_revision: 1,
      department_id: 1,
      created_by: 7,
      created_at: 1,
      updated_at: 1,
    });
    await db('approval_instances').insert({
      id: 5,
      submission_id: 3,
      revision: 1,
      status: 'pending',
      state: '{}',
      version: 0,
      submitter_id: 7,
      created_at: 1,
      updated_at: 1,
    });
    const row = {
      kind: 'send',
      recipient: 'ou_x',
      payload: '{}',
      status: 'sent',
      attempts: 1,
      available_at: 1,
      created_at: 1,
    };
    await db('outbox').insert([
      { ...row, uuid: 'a', ref: 'appr:5:0:7' },
      { ...row, uuid: 'b', ref: 'appr:5:0:7' },
      { ...row, uuid: 'c', ref: 'quiz:1' },
    ]);
    const campaign = {
      form_id: 'performance-target',
      period: '2026',
      opens_on: '2026-09-28',
      deadline: '2026-10-12',
      policy: '{}',
      status: 'open',
      created_at: 1,
      updated_at: 1,
    };
    // Two open twins of one launch (the old double click) and another scope.
    await db('campaigns').insert([
      { ...campaign, id: 1, title: 'a', population: JSON.stringify({ kind: 'projects', year: 2026 }) },
      { ...campaign, id: 2, title: 'b', population: JSON.stringify({ year: 2026, kind: 'projects' }) },
      { ...campaign, id: 3, title: 'c', population: JSON.stringify({ kind: 'projects', year: 2026, tiers: ['A'] }) },
    ]);
    await migrateLatest(db);
    const keys = await db('campaigns').orderBy('id').pluck('open_key');
    expect(keys[0]).toBeNull();
    expect(keys[1]).toBe(openKey('performance-target', '2026', { kind: 'projects', year: 2026 }));
    expect(keys[2]).toBe(openKey('performance-target', '2026', { kind: 'projects', year: 2026, tiers: ['A'] }));
    expect(await db('approval_cards').select('instance_id', 'step', 'user_id', 'ref')).toEqual([
      { instance_id: 5, step: 0, user_id: 7, ref: 'appr:5:0:7' },
    ]);
  });
});

describe.each(dialects())('migration 008 on %s', (dialect) => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await db?.destroy();
    await drop?.();
  });

  it('stamps the current revision of each approved submission, and nothing else', async () => {
    const fresh = await freshDatabase(dialect);
    drop = fresh.drop;
    db = createDb(fresh.url);
    for (let i = 0; i < 7; i++) await db.migrate.up({ migrationSource }); // a deployment before 008
    await db('departments').insert({ id: 1, code: 'D', name: '部门', kind: 'unit', created_at: 1, updated_at: 1 });
    await db('users').insert({ id: 7, name: '张伟', department_id: 1, active: true, created_at: 1, updated_at: 1 });
    const submission = (id: number, status: string, current: number, updated: number) => ({
      id,
      form_id: 'performance-target',
      subject_type: 'project',
      subject_id: id,
      period: '2026',
      status,
      current_revision: current,
      department_id: 1,
      created_by: 7,
      created_at: 1,
      updated_at: updated,
    });
    await db('submissions').insert([submission(1, 'approved', 2, 500), submission(2, 'in_approval', 1, 600)]);
    const revision = (submission_id: number, revision: number) => ({
      submission_id,
      revision,
      form_version: 3,
      status: 'submitted',
      data: '{}',
      created_at: 1,
      updated_at: 1,
    });
    await db('submission_revisions').insert([revision(1, 1), revision(1, 2), revision(2, 1)]);
    await migrateLatest(db);
    const stamped = await db('submission_revisions').orderBy('id').select('submission_id', 'revision', 'approved_at');
    expect(
      stamped.map((r) => [r.submission_id, r.revision, r.approved_at === null ? null : Number(r.approved_at)]),
    ).toEqual([
      [1, 1, null],
      [1, 2, 500],
      [2, 1, null],
    ]);
  });
});
