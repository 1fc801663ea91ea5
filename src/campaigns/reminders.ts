import type { CardRenderer } from '../cards/renderer.ts';
import type { Db, Tx } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type FormStore, submissionStatusLabels } from '../forms/index.ts';
import { enqueueMany } from '../lark/outbox-repository.ts';
import type { OutboxMessage } from '../lark/outbox-message.ts';
import { overdueApprovals } from '../approvals/index.ts';
import { dailyFollowUps } from '../monitoring/index.ts';
import { deadlineText, needsFiller } from './campaign-schema.ts';
import { type CampaignRow, type TaskRow, openCampaigns, subjectNames, tasksWithState } from './campaign-repository.ts';
import { allDepartments, roleHoldersByDepartment } from '../org/index.ts';
import { claimRun } from '../shared/run-once.ts';
import { beijingDate, inSendWindow, isWorkingDay, workingDaysUntil } from '../shared/working-days.ts';

interface Inbox {
  openId: string;
  fill: string[];
  approve: string[];
  /** 双监控 warning lights of the day. */
  warn: string[];
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
  const done = { skipped: 'done' as const, cards: 0, buzzes: 0, tasksConsidered: 0 };
  try {
    return await db.transaction(async (tx) => {
      if (!(await claimRun(tx, `reminders:${today}`, instance, now))) return done;
      return plan(tx, store, cards, today, now);
    });
  } catch (err) {
    // The twin that lost the race on MySQL may see the duplicate only at commit time.
    if (isUniqueViolation(err)) return done;
    throw err;
  }
}

type Person = { id: number; openId: string };
type Holders = Map<number, Person[]>;
type Inboxes = { of(u: Person): Inbox; all: Map<number, Inbox> };

function inboxes(): Inboxes {
  const all = new Map<number, Inbox>();
  return {
    all,
    of(u) {
      let i = all.get(u.id);
      if (!i) all.set(u.id, (i = { openId: u.openId, fill: [], approve: [], warn: [], escalate: [], buzz: false }));
      return i;
    },
  };
}

/** Who hears of what, for every campaign with a reminder due today. */
interface Audience {
  fillers: Holders;
  heads: Holders;
  reviewers: Holders;
  bureau: Person[];
  departments: Map<number, { name: string; parent: number | null; kind: string }>;
}

async function audience(tx: Tx): Promise<Audience> {
  const departments = new Map(
    (await allDepartments(tx)).map((d) => [d.id, { name: d.name, parent: d.parentId, kind: d.kind }]),
  );
  return {
    fillers: await roleHoldersByDepartment(tx, 'filler'),
    heads: await roleHoldersByDepartment(tx, 'unit_head'),
    reviewers: await roleHoldersByDepartment(tx, 'supervising_reviewer'),
    bureau: [...(await roleHoldersByDepartment(tx, 'performance_division')).values()].flat(),
    departments,
  };
}

async function plan(tx: Tx, store: FormStore, cards: CardRenderer, today: string, now: number): Promise<RunResult> {
  const boxes = inboxes();
  const who = await audience(tx);
  const due = (await openCampaigns(tx, today))
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
  fillBoxes(boxes, who, due, open, names);
  await approverReminders(tx, store, today, (u) => boxes.of(u), who.bureau);
  for (const n of await dailyFollowUps(tx, store, today, now)) boxes.of(n.person)[n.kind].push(n.line);
  const items = reminderCards(boxes, cards, today);
  await enqueueMany(tx, items, now);
  const buzzes = items.filter((i) => i.message.kind === 'buzz').length;
  return { cards: items.length - buzzes, buzzes, tasksConsidered: tasks.length };
}

/** The campaigns' part of the day: each filler's open tasks, and the overdue escalations. */
function fillBoxes(
  boxes: Inboxes,
  who: Audience,
  due: { c: CampaignRow; wd: number }[],
  open: TaskRow[],
  names: Map<string, string>,
): void {
  for (const { c, wd } of due) {
    const mine = open.filter((t) => t.campaignId === c.id);
    const when = deadlineText(wd);
    for (const t of mine)
      for (const f of who.fillers.get(t.departmentId) ?? []) {
        const box = boxes.of(f);
        const subject = names.get(`${t.subjectType}:${t.subjectId}`) ?? '';
        box.fill.push(`${c.title}：${subject}（${submissionStatusLabels[t.state]}，${when}）`);
        if (wd === 0 && t.state === 'not_started' && c.policy.buzz_on_deadline) box.buzz = true;
      }
    if (wd < 0) escalate(boxes, who, c, mine, -wd, when);
  }
}

/** What one campaign's reminders would be on a date, sent to nobody: who would hear, and what. */
export interface ReminderPreview {
  date: string;
  workingDay: boolean;
  /** Working days to the deadline on that date (negative: overdue). */
  wd: number;
  due: boolean;
  people: { userId: number; fill: number; escalate: string[]; buzz: boolean }[];
}

export async function previewReminders(tx: Tx, c: CampaignRow, date: string): Promise<ReminderPreview> {
  const wd = workingDaysUntil(date, c.deadline);
  const due = isWorkingDay(date) && (wd >= 0 ? c.policy.remind_days.includes(wd) : c.policy.overdue_daily);
  const base = { date, workingDay: isWorkingDay(date), wd, due, people: [] };
  if (!due || c.status !== 'open') return { ...base, due: false };
  const who = await audience(tx);
  const open = (await tasksWithState(tx, [c.id])).filter((t) => needsFiller(t.state));
  const boxes = inboxes();
  fillBoxes(boxes, who, [{ c, wd }], open, new Map());
  return {
    ...base,
    people: [...boxes.all].map(([userId, b]) => ({ userId, fill: b.fill.length, escalate: b.escalate, buzz: b.buzz })),
  };
}

/**
 * Overdue: the unit head is copied; after `escalate_after` working days, the supervising department and the bureau
 * too (the bureau with the five units furthest behind).
 */
function escalate(
  boxes: Inboxes,
  who: Audience,
  c: CampaignRow,
  mine: TaskRow[],
  daysOver: number,
  when: string,
): void {
  const perDept = new Map<number, TaskRow[]>();
  for (const t of mine) perDept.set(t.departmentId, [...(perDept.get(t.departmentId) ?? []), t]);
  const name = (d: number) => who.departments.get(d)?.name ?? '';
  const supervisingOf = (dept: number) =>
    who.departments.get(dept)?.kind === 'supervising' ? dept : (who.departments.get(dept)?.parent ?? null);
  const escalated = daysOver >= c.policy.escalate_after;
  for (const [dept, list] of perDept) {
    const line = `${c.title}：${name(dept)} ${list.length} 项${when}未提交`;
    for (const h of who.heads.get(dept) ?? []) boxes.of(h).escalate.push(line);
    const sup = escalated ? supervisingOf(dept) : null;
    for (const r of sup !== null ? (who.reviewers.get(sup) ?? []) : []) boxes.of(r).escalate.push(line);
  }
  if (!escalated || !perDept.size) return;
  const worst = [...perDept]
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, 5)
    .map(([d, l]) => `${name(d)} ${l.length} 项`);
  const line = `${c.title}：${perDept.size} 个单位共 ${mine.length} 项${when}未提交，最多的是 ${worst.join('、')}`;
  for (const b of who.bureau) boxes.of(b).escalate.push(line);
}

/** One reminder card per person with something waiting, and a buzz for a task due today and not started. */
function reminderCards(boxes: Inboxes, cards: CardRenderer, today: string) {
  const items: { message: OutboxMessage; uuid: string; ref: string }[] = [];
  for (const [userId, box] of boxes.all) {
    if (!box.fill.length && !box.approve.length && !box.warn.length && !box.escalate.length) continue;
    const ref = `rem:${userId}:${today}`;
    const card = cards.render('reminder', {
      date: today,
      fillCount: box.fill.length,
      fill: box.fill.slice(0, 8),
      approveCount: box.approve.length,
      approve: box.approve.slice(0, 5),
      warn: box.warn.slice(0, 8),
      moreWarn: Math.max(0, box.warn.length - 8),
      escalate: box.escalate.slice(0, 8),
      more: Math.max(0, box.fill.length - 8),
      urgent: box.buzz,
      todo: { action: 'command', command: 'todo' },
    });
    items.push({ message: { kind: 'send', receiveIdType: 'open_id', receiveId: box.openId, card }, uuid: ref, ref });
    if (box.buzz)
      items.push({
        message: { kind: 'buzz', targetRef: ref, openIds: [box.openId] },
        uuid: `buzz:${userId}:${today}`,
        ref: `buzz:${userId}`,
      });
  }
  return items;
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
