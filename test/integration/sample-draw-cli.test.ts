import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { dialects, migratedDb } from '../helpers/databases';

/*
 * `sample draw` as an operator runs it, on the seed's scale: a self-evaluation campaign of 2,247 projects in 327 units,
 * all approved but 7 still in approval. 11.5 % of 2,240 is 257.6 → 258; a seed draws the same sample every time, and
 * the recorded draw assigns every project to one of the two third parties, a unit's projects to one of them.
 */
const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();

async function seedCity(db: Db): Promise<number> {
  const depts = Array.from({ length: 327 }, (_, d) => ({
    code: `D${String(d).padStart(3, '0')}`,
    name: `单位${String(d).padStart(3, '0')}`,
    kind: 'unit',
    created_at: now,
    updated_at: now,
  }));
  await db.batchInsert('departments', depts, 200);
  const ids = new Map((await db('departments').select('id', 'code')).map((r) => [r.code, Number(r.id)]));
  const projects = Array.from({ length: 2247 }, (_, i) => {
    const d = i < 500 ? i % 20 : 20 + ((i - 500) % 307);
    return {
      code: `2026-${String(i).padStart(4, '0')}`,
      name: `项目${i}`,
      department_id: ids.get(`D${String(d).padStart(3, '0')}`)!,
      year: 2026,
      tier: i % 10 === 0 ? 'A' : i % 3 === 0 ? 'B' : 'C',
      amount: 1_000_000,
      created_at: now,
      updated_at: now,
    };
  });
  await db.batchInsert('projects', projects, 300);
  const [campaign] = await db('campaigns').insert({
    title: '2026 年度绩效自评',
    form_id: 'self-evaluation',
    period: '2026',
    population: JSON.stringify({ kind: 'projects', year: 2026 }),
    opens_on: '2027-01-04',
    deadline: '2027-02-26',
    policy: '{}',
    status: 'open',
    open_key: 'self-evaluation|2026|test',
    created_at: now,
    updated_at: now,
  });
  const rows: { id: number; department_id: number }[] = await db('projects')
    .orderBy('id')
    .select('id', 'department_id');
  await db.batchInsert(
    'campaign_tasks',
    rows.map((p) => ({
      campaign_id: Number(campaign),
      subject_type: 'project',
      subject_id: p.id,
      department_id: p.department_id,
      created_at: now,
    })),
    300,
  );
  const [user] = await db('users').insert({
    name: '填报人',
    department_id: rows[0]!.department_id,
    created_at: now,
    updated_at: now,
  });
  await db.batchInsert(
    'submissions',
    rows.map((p, i) => ({
      form_id: 'self-evaluation',
      subject_type: 'project',
      subject_id: p.id,
      period: '2026',
      status: i < 7 ? 'in_approval' : 'approved',
      current_revision: 1,
      department_id: p.department_id,
      created_by: Number(user),
      created_at: now,
      updated_at: now,
    })),
    300,
  );
  for (const [k, name] of ['孙悦', '钱程'].entries()) {
    const [id] = await db('users').insert({
      name,
      open_id: `ou_reviewer${k}`,
      department_id: ids.get('D000')!,
      created_at: now,
      updated_at: now,
    });
    await db('role_assignments').insert({ user_id: Number(id), role: 'third_party', scope_department_id: null });
  }
  return Number(campaign);
}

// Each test runs the CLI (a process of about 4 s) several times: their timeouts say so.
describe.each(dialects())('sample draw on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof migratedDb>>;
  let campaign: number;
  beforeAll(async () => {
    t = await migratedDb(dialect);
    campaign = await seedCity(t.db);
  });
  afterAll(async () => t?.close());

  const cli = (...args: string[]) =>
    spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'sample', 'draw', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' },
    });
  const json = (...args: string[]) => {
    const r = cli('--campaign', String(campaign), '--json', ...args);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  it('previews a reproducible stratified sample of 258 without recording it', async () => {
    const a = json('--seed', '42', '--dry-run');
    expect(a).toMatchObject({ population: 2240, eligible: 2240, size: 258, recorded: false, seed: 42 });
    expect(a.rounding).toBe('2240 × 11.5% = 257.6，四舍五入为 258');
    expect(a.items).toHaveLength(258);
    expect(json('--seed', '42', '--dry-run').items).toEqual(a.items);
    const other = json('--seed', '43', '--dry-run').items.map((i: { code: string }) => i.code);
    expect(other).not.toEqual(a.items.map((i: { code: string }) => i.code));
    // The 20 large units hold strata of 9 or more: each is drawn from.
    const big = a.strata.filter((s: { population: number }) => s.population >= 9);
    expect(big.length).toBeGreaterThan(0);
    for (const s of big) expect(s.drawn, s.stratum).toBeGreaterThan(0);
    expect(await t.db('sampling_draws').count({ n: '*' })).toEqual([{ n: 0 }]);
  }, 120_000);

  it('records the draw, assigns reviewers by unit, and shows the same draw again', async () => {
    const preview = json('--seed', '42', '--dry-run');
    const drawn = json('--seed', '42');
    expect(drawn).toMatchObject({ recorded: true, size: 258 });
    expect(drawn.items.map((i: { code: string }) => i.code)).toEqual(
      preview.items.map((i: { code: string }) => i.code),
    );
    const byUnit = new Map<string, Set<string>>();
    for (const i of drawn.items) byUnit.set(i.department, (byUnit.get(i.department) ?? new Set()).add(i.reviewer));
    expect([...byUnit.values()].every((r) => r.size === 1)).toBe(true);
    const counts = drawn.items.reduce(
      (m: Record<string, number>, i: { reviewer: string }) => ({ ...m, [i.reviewer]: (m[i.reviewer] ?? 0) + 1 }),
      {},
    );
    expect(Object.keys(counts).sort()).toEqual(['孙悦', '钱程']);
    expect(Math.abs(counts['孙悦'] - counts['钱程'])).toBeLessThanOrEqual(25);
    expect(await t.db('form_assignments').where({ form_id: 'sampling-review' }).count({ n: '*' })).toEqual([
      { n: 258 },
    ]);
    expect(await t.db('outbox').where('uuid', 'like', 'sampling:%').count({ n: '*' })).toEqual([{ n: 2 }]);

    // Without a seed the recorded draw is shown again; another seed is refused unless replaced.
    expect(json().items).toEqual(drawn.items);
    const refused = cli('--campaign', String(campaign), '--seed', '43');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('已抽样（种子 42');
    const replaced = json('--seed', '43', '--replace');
    expect(replaced.seed).toBe(43);
    expect(await t.db('sampling_items').count({ n: '*' })).toEqual([{ n: 258 }]);
    expect(await t.db('form_assignments').where({ form_id: 'sampling-review' }).count({ n: '*' })).toEqual([
      { n: 258 },
    ]);
  }, 120_000);

  it('explains a wrong campaign or ratio', () => {
    const missing = cli('--campaign', '999');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('填报任务 999 不存在');
    const ratio = cli('--campaign', String(campaign), '--ratio', '12', '--dry-run');
    expect(ratio.status).toBe(1);
    expect(ratio.stderr).toContain('抽样比例应大于 0、不超过 1');
    expect(cli().status).toBe(1);
  }, 120_000);
});
