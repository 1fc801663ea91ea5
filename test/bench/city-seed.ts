import type { Db } from '../../src/db/database';
import { chunks } from '../../src/shared/chunks';

export const DEPARTMENTS = 327; // one city: the bureau, 10 supervising departments, 316 units
export const PROJECTS = 22_470; // ten times Hangzhou's 2,247
export const CITY = 2_247;

/**
 * A city-sized organisation, written directly (setup, not measured): per department a filler (`ou_f<i>`) and a head
 * (`ou_h<i>`), the performance division (`ou_perf`), and `staff` more people without roles (`ou_s<i>`).
 */
export async function seedCity(db: Db, staff = 0): Promise<void> {
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
  for (let i = 0; i < staff; i++) {
    const department_id = allDepts[i % allDepts.length]!;
    users.push({
      open_id: `ou_s${i}`,
      name: `职工${i}`,
      department_id,
      active: true,
      created_at: now,
      updated_at: now,
    });
  }
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

/** The city's target campaign for a year of projects (opened 2026-11-30, due a week later). */
export const cityCampaign = (year: number) => ({
  title: `${year} 年度绩效目标申报`,
  formId: 'performance-target',
  population: { kind: 'projects' as const, year },
  opensOn: '2026-11-30',
  deadline: '2026-12-07',
});
