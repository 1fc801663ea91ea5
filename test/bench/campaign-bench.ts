import type { Dialect, Db } from '../../src/db/database';
import { createDb, migrateLatest } from '../../src/db/database';
import { createCardRenderer } from '../../src/cards/renderer';
import { launchCampaign } from '../../src/campaigns/launch';
import { runReminders } from '../../src/campaigns/reminders';
import { FormStore } from '../../src/forms/form-store';
import { loadForms } from '../../src/forms/load-forms';
import { chunks } from '../../src/shared/chunks';
import { freshDatabase } from '../helpers/databases';

const DEPARTMENTS = 327; // one city: the bureau, 10 supervising departments, 316 units
const PROJECTS = 22_470; // ten times Hangzhou's 2,247
const CITY = 2_247;

/** A city-sized organisation, written directly (setup, not measured). */
async function seed(db: Db): Promise<void> {
  const now = Date.now();
  await db('departments').insert({
    code: 'BUREAU',
    name: '财政局',
    kind: 'bureau',
    parent_id: null,
    created_at: now,
    updated_at: now,
  });
  const bureau = Number((await db('departments').where({ code: 'BUREAU' }).first('id')).id);
  for (let s = 0; s < 10; s++)
    await db('departments').insert({
      code: `S${s}`,
      name: `主管部门${s}`,
      kind: 'supervising',
      parent_id: bureau,
      created_at: now,
      updated_at: now,
    });
  const sup = (await db('departments').where({ kind: 'supervising' }).orderBy('id').pluck('id')).map(Number);
  const units = Array.from({ length: DEPARTMENTS - 11 }, (_, i) => ({
    code: `U${i}`,
    name: `预算单位${i}`,
    kind: 'unit',
    parent_id: sup[i % 10],
    created_at: now,
    updated_at: now,
  }));
  for (const c of chunks(units, 200)) await db('departments').insert(c);
  const unitIds = (await db('departments').where({ kind: 'unit' }).orderBy('id').pluck('id')).map(Number);
  const allDepts = [...sup, ...unitIds];
  const users = allDepts.flatMap((d, i) => [
    { open_id: `ou_f${i}`, name: `填报人${i}`, department_id: d, active: true, created_at: now, updated_at: now },
    { open_id: `ou_h${i}`, name: `负责人${i}`, department_id: d, active: true, created_at: now, updated_at: now },
  ]);
  users.push({
    open_id: 'ou_perf',
    name: '绩效处',
    department_id: bureau,
    active: true,
    created_at: now,
    updated_at: now,
  });
  for (const c of chunks(users, 200)) await db('users').insert(c);
  const ids = new Map<string, number>(
    (await db('users').select('id', 'open_id')).map((u: { id: number; open_id: string }) => [u.open_id, Number(u.id)]),
  );
  const roles = allDepts.flatMap((d, i) => [
    { user_id: ids.get(`ou_f${i}`), role: 'filler', scope_department_id: d },
    {
      user_id: ids.get(`ou_h${i}`),
      role: sup.includes(d) ? 'supervising_reviewer' : 'unit_head',
      scope_department_id: d,
    },
  ]);
  roles.push({ user_id: ids.get('ou_perf'), role: 'performance_division', scope_department_id: null as never });
  for (const c of chunks(roles, 200)) await db('role_assignments').insert(c);
  const projects = Array.from({ length: PROJECTS }, (_, i) => ({
    code: `P${i}`,
    name: `项目${i}`,
    department_id: allDepts[i % allDepts.length],
    year: i < CITY ? 2026 : 2027,
    tier: 'ABC'[i % 3],
    amount: 1_000_000 + i,
    is_new: false,
    is_gov_investment: false,
    is_policy: false,
    created_at: now,
    updated_at: now,
  }));
  for (const c of chunks(projects, 500)) await db('projects').insert(c);
}

async function measure(dialect: Dialect): Promise<string[]> {
  const t = await freshDatabase(dialect);
  const db = createDb(t.url);
  try {
    await migrateLatest(db);
    await seed(db);
    const store = new FormStore(loadForms().forms);
    const cards = createCardRenderer();
    const launchAt = Date.parse('2026-11-30T10:00:00+08:00');
    const input = (year: number) => ({
      title: `${year} 年度绩效目标申报`,
      formId: 'performance-target',
      population: { kind: 'projects' as const, year },
      opensOn: '2026-11-30',
      deadline: '2026-12-07',
    });

    let t0 = performance.now();
    const city = await db.transaction((tx) => launchCampaign(tx, store, cards, input(2026), null, launchAt));
    const launchMs = performance.now() - t0;
    await db.transaction((tx) => launchCampaign(tx, store, cards, input(2027), null, launchAt));
    const open = Number(((await db('campaign_tasks').count({ n: '*' })) as { n: number }[])[0]!.n);

    // 2026-12-02 is 3 working days before the deadline: every open task is due a reminder.
    t0 = performance.now();
    const run = await runReminders(db, store, cards, Date.parse('2026-12-02T10:00:00+08:00'), 'bench');
    const tickMs = performance.now() - t0;
    return [
      `| ${dialect} | launch ${city.totalTasks} tasks, ${city.cardsQueued} task cards | ${launchMs.toFixed(0)} ms |`,
      `| ${dialect} | reminder tick over ${open} open tasks → ${run.cards} cards | ${tickMs.toFixed(0)} ms |`,
    ];
  } finally {
    await db.destroy();
    await t.drop();
  }
}

export async function benchCampaigns(): Promise<void> {
  const dialects: Dialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  const rows: string[] = [];
  for (const d of dialects) rows.push(...(await measure(d)));
  console.log(`\nCampaigns (${DEPARTMENTS} departments, ${PROJECTS} projects)`);
  console.log('| db | work | time |');
  console.log('|---|---|---:|');
  for (const r of rows) console.log(r);
}
