import type { Tx } from '../db/database.ts';
import type { FormStore } from '../forms/index.ts';
import { allDepartments, roleHoldersByDepartment } from '../org/index.ts';
import { projectNames } from '../projects/index.ts';
import { workingDaysUntil } from '../shared/working-days.ts';
import { type FollowUpRow, markFlagged, markWarned, overdueActions, unwarned } from './follow-up-repository.ts';
import { chineseDay } from '../shared/clock.ts';

type Person = { id: number; openId: string };

/** One line for one person's daily digest: a warning light, or a 建议暂缓拨款 escalation. */
export interface FollowUpNews {
  person: Person;
  kind: 'warn' | 'escalate';
  line: string;
}

/** Who hears of a unit's project: the unit, its supervising department, the finance section in charge, the bureau. */
interface Audience {
  unit(dept: number): Person[];
  supervision(dept: number): Person[];
  bureau: Person[];
  name(dept: number): string;
}

async function audience(tx: Tx): Promise<Audience> {
  const departments = new Map((await allDepartments(tx)).map((d) => [d.id, d]));
  const [fillers, heads, reviewers, finance, bureau] = await Promise.all(
    (['filler', 'unit_head', 'supervising_reviewer', 'finance_section', 'performance_division'] as const).map((r) =>
      roleHoldersByDepartment(tx, r),
    ),
  );
  const supervisingOf = (dept: number) => {
    const d = departments.get(dept);
    return d?.kind === 'supervising' ? dept : (d?.parentId ?? null);
  };
  return {
    unit: (dept) => [...(heads!.get(dept) ?? []), ...(fillers!.get(dept) ?? [])],
    supervision: (dept) => {
      const sup = supervisingOf(dept);
      return sup === null ? [] : [...(reviewers!.get(sup) ?? []), ...(finance!.get(sup) ?? [])];
    },
    bureau: [...bureau!.values()].flat(),
    name: (dept) => departments.get(dept)?.name ?? '',
  };
}

/**
 * The day's follow-up of submitted reports, in the reminders' transaction (so once a day across instances): each new
 * or worsened warning light to the unit, its supervising department and finance section; each red project whose
 * corrective action is not confirmed `suspend_after_days` working days after its deadline flagged 建议暂缓拨款, to
 * the bureau as well. Rows are marked in the same transaction: nobody hears of the same thing twice.
 */
export async function dailyFollowUps(tx: Tx, store: FormStore, today: string, now: number): Promise<FollowUpNews[]> {
  const specOf = (r: FollowUpRow) => store.get(r.formId)?.def.follow_up;
  const lights = [...new Set(store.list().flatMap((f) => f.def.follow_up?.warn_on ?? []))];
  const warn = (await unwarned(tx, lights)).filter((r) => specOf(r)?.warn_on.includes(r.light ?? ''));
  const flag = (await overdueActions(tx, today)).filter((r) => {
    const spec = specOf(r);
    return (
      spec && spec.suspend_on.includes(r.light ?? '') && workingDaysUntil(r.deadline!, today) >= spec.suspend_after_days
    );
  });
  if (!warn.length && !flag.length) return [];
  const who = await audience(tx);
  const names = await projectNames(
    tx,
    [...warn, ...flag].map((r) => r.projectId),
    true,
  );
  const subject = (r: FollowUpRow) => `${names.get(r.projectId) ?? ''}（${who.name(r.departmentId)}）`;
  const news: FollowUpNews[] = [];
  const tell = (people: Person[], kind: FollowUpNews['kind'], line: string) =>
    new Map(people.map((p) => [p.id, p])).forEach((person) => news.push({ person, kind, line }));
  for (const r of warn) {
    const action = r.action ? `，纠偏措施：${r.action}${r.deadline ? `（${chineseDay(r.deadline)} 前）` : ''}` : '';
    const line = `【${r.light}灯】${subject(r)}${r.asOf ? `，截至 ${r.asOf}` : ''}${action}`;
    tell([...who.unit(r.departmentId), ...who.supervision(r.departmentId)], 'warn', line);
  }
  for (const r of flag) {
    const days = workingDaysUntil(r.deadline!, today);
    const line = `【建议暂缓拨款】${subject(r)}：纠偏措施“${r.action ?? '—'}”期限 ${r.deadline ? chineseDay(r.deadline) : '—'} 已过 ${days} 个工作日仍未确认落实`;
    tell([...who.unit(r.departmentId), ...who.supervision(r.departmentId), ...who.bureau], 'escalate', line);
  }
  await markWarned(
    tx,
    warn.map((r) => r.id),
  );
  await markFlagged(
    tx,
    flag.map((r) => r.id),
    now,
  );
  return news;
}
