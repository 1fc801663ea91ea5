import type { CardRenderer } from '../cards/renderer';
import type { Db, Tx } from '../db/database';
import { isUniqueViolation } from '../db/errors';
import { type FormStore, submissionStatusLabels } from '../forms';
import { enqueueMany } from '../lark/outbox-repository';
import type { OutboxMessage } from '../lark/outbox-message';
import { overdueApprovals } from '../approvals';
import { needsFiller } from './campaign-schema';
import { type TaskRow, openCampaigns, subjectNames, tasksWithState } from './campaign-repository';
import { allDepartments, roleHoldersByDepartment } from '../org';
import { beijingDate, inSendWindow, workingDaysUntil } from '../shared/working-days';

interface Inbox {
  openId: string;
  fill: string[];
  approve: string[];
  escalate: string[];
  buzz: boolean;
}

export interface RunResult {
  skipped?: 'quiet' | 'done';
  cards: number;
  buzzes: number;
  tasksConsidered: number;
}

/**
 * One day's reminders. Runs once per Beijing date across all instances (the first to record `reminders:<date>`
 * wins, in the same transaction as the cards it queues), only inside the send window, and only for what is due today:
 * after downtime it catches up on today and never sends yesterday's. At most one card per person per run.
 */
export async function runReminders(
  db: Db,
  store: FormStore,
  cards: CardRenderer,
  now: number,
  instance: string,
): Promise<RunResult> {
  if (!inSendWindow(now)) return { skipped: 'quiet', cards: 0, buzzes: 0, tasksConsidered: 0 };
  const today = beijingDate(now);
  try {
    return await db.transaction(async (tx) => {
      await tx('scheduler_runs').insert({ key: `reminders:${today}`, instance, at: now });
      return plan(tx, store, cards, today, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { skipped: 'done', cards: 0, buzzes: 0, tasksConsidered: 0 };
    throw err;
  }
}

async function plan(tx: Tx, store: FormStore, cards: CardRenderer, today: string, now: number): Promise<RunResult> {
  const inboxes = new Map<number, Inbox>();
  const inbox = (u: { id: number; openId: string }) => {
    let i = inboxes.get(u.id);
    if (!i) inboxes.set(u.id, (i = { openId: u.openId, fill: [], approve: [], escalate: [], buzz: false }));
    return i;
  };
  const fillers = await roleHoldersByDepartment(tx, 'filler');
  const heads = await roleHoldersByDepartment(tx, 'unit_head');
  const reviewers = await roleHoldersByDepartment(tx, 'supervising_reviewer');
  const bureau = await roleHoldersByDepartment(tx, 'performance_division');
  const departments = new Map(
    (await allDepartments(tx)).map((d) => [d.id, { name: d.name, parent: d.parentId, kind: d.kind }]),
  );
  const supervisingOf = (dept: number) =>
    departments.get(dept)?.kind === 'supervising' ? dept : (departments.get(dept)?.parent ?? null);
  const bureauPeople = [...bureau.values()].flat();

  const campaigns = await openCampaigns(tx, today);
  const due = campaigns
    .map((c) => ({ c, wd: workingDaysUntil(today, c.deadline) }))
    .filter(({ c, wd }) => (wd >= 0 ? c.policy.remind_days.includes(wd) : c.policy.overdue_daily));
  const tasks = await tasksWithState(
    tx,
    due.map((d) => d.c.id),
  );
  const open = tasks.filter((t) => needsFiller(t.state));
  const names = await subjectNames(
    tx,
    open.map((t) => ({ type: t.subjectType, id: t.subjectId })),
  );

  for (const { c, wd } of due) {
    const mine = open.filter((t) => t.campaignId === c.id);
    const when = wd > 0 ? `还剩 ${wd} 个工作日` : wd === 0 ? '今天截止' : `已逾期 ${-wd} 个工作日`;
    const perDept = new Map<number, TaskRow[]>();
    for (const t of mine) {
      perDept.set(t.departmentId, [...(perDept.get(t.departmentId) ?? []), t]);
      for (const f of fillers.get(t.departmentId) ?? []) {
        const box = inbox(f);
        box.fill.push(
          `${c.title}：${names.get(`${t.subjectType}:${t.subjectId}`) ?? ''}（${submissionStatusLabels[t.state]}，${when}）`,
        );
        if (wd === 0 && t.state === 'not_started' && c.policy.buzz_on_deadline) box.buzz = true;
      }
    }
    if (wd >= 0) continue;
    // Overdue: the unit head is copied; after `escalate_after` working days, the supervising department and the bureau
    // too.
    for (const [dept, list] of perDept) {
      const line = `${c.title}：${departments.get(dept)?.name ?? ''} ${list.length} 项${when}未提交`;
      for (const h of heads.get(dept) ?? []) inbox(h).escalate.push(line);
      if (-wd >= c.policy.escalate_after) {
        const sup = supervisingOf(dept);
        for (const r of sup !== null ? (reviewers.get(sup) ?? []) : []) inbox(r).escalate.push(line);
      }
    }
    if (-wd >= c.policy.escalate_after && perDept.size) {
      const worst = [...perDept]
        .sort((a, b) => b[1].length - a[1].length)
        .slice(0, 5)
        .map(([d, l]) => `${departments.get(d)?.name ?? ''} ${l.length} 项`);
      for (const b of bureauPeople)
        inbox(b).escalate.push(
          `${c.title}：${perDept.size} 个单位共 ${mine.length} 项${when}未提交，最多的是 ${worst.join('、')}`,
        );
    }
  }

  await approverReminders(tx, store, today, (u) => inbox(u), bureauPeople);

  const items: { message: OutboxMessage; uuid: string; ref: string }[] = [];
  let buzzes = 0;
  for (const [userId, box] of inboxes) {
    if (!box.fill.length && !box.approve.length && !box.escalate.length) continue;
    const ref = `rem:${userId}:${today}`;
    items.push({
      message: {
        kind: 'send',
        receiveIdType: 'open_id',
        receiveId: box.openId,
        card: cards.render('reminder', {
          date: today,
          fillCount: box.fill.length,
          fill: box.fill.slice(0, 8),
          approveCount: box.approve.length,
          approve: box.approve.slice(0, 5),
          escalate: box.escalate.slice(0, 8),
          more: Math.max(0, box.fill.length - 8),
          urgent: box.buzz,
          todo: { action: 'command', command: 'todo' },
        }),
      },
      uuid: ref,
      ref,
    });
    if (box.buzz) {
      items.push({
        message: { kind: 'buzz', targetRef: ref, openIds: [box.openId] },
        uuid: `buzz:${userId}:${today}`,
        ref: `buzz:${userId}`,
      });
      buzzes++;
    }
  }
  await enqueueMany(tx, items, now);
  return { cards: items.length - buzzes, buzzes, tasksConsidered: tasks.length };
}

/**
 * Approvers sitting on a decision longer than their step allows are reminded; at twice the limit the bureau hears of
 * it.
 */
async function approverReminders(
  tx: Tx,
  store: FormStore,
  today: string,
  inbox: (u: { id: number; openId: string }) => Inbox,
  bureau: { id: number; openId: string }[],
) {
  for (const w of await overdueApprovals(tx, store, today)) {
    inbox({ id: w.userId, openId: w.openId }).approve.push(
      `${w.formTitle} · ${w.stepTitle}（已等待 ${w.waited} 个工作日）`,
    );
    if (w.waited >= 2 * w.limit)
      for (const b of bureau)
        inbox(b).escalate.push(`${w.userName} 的审批（${w.formTitle} · ${w.stepTitle}）已等待 ${w.waited} 个工作日`);
  }
}
