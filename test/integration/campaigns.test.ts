import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { progressExport, tasksWithState } from '../../src/campaigns';
import { createCardRenderer } from '../../src/cards/renderer';
import { relaunchCampaign } from '../../src/campaigns/launch';
import { runReminders } from '../../src/campaigns/reminders';
import { createDb } from '../../src/db/database';
import { FormStore } from '../../src/forms/form-store';
import { loadForms } from '../../src/forms/load-forms';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { cardText, demo, flush, startStack, type Stack } from '../helpers/stack';
import { chineseDay } from '../../src/shared/clock';

const at = (beijing: string) => Date.parse(`${beijing}+08:00`);

// Deadline Mon 2026-10-12. On the 2026 calendar: National Day 10-01..10-07 off, Sat 10-10 a make-up workday.
// Working days to the deadline: 09-29 → 5, 10-08 → 3, 10-10 → 1, 10-12 → 0, 10-13 → -1, 10-15 → -3.
describe.each(dialects())('filing campaigns on %s', (dialect) => {
  let s: Stack;
  let now = at('2026-09-28T10:00:00');
  // Every test starts on the same day; a test that ticks forward leaves the clock where it stopped.
  beforeEach(() => void (now = at('2026-09-28T10:00:00')));
  afterEach(async () => s?.stop());

  const reminderCards = (openId: string, date: string) =>
    s.fake.messagesTo(openId).filter((m) => text(m.card).includes('"content":"' + chineseDay(date) + '"'));
  const tick = async (beijing: string) => {
    now = at(beijing);
    const r = await s.service.scheduler.tick(now);
    await flush(s);
    return r;
  };

  async function launch() {
    s = await startStack(dialect, { clock: () => now });
    const bureau = new CardDriver(s, demo.performance);
    await s.send(textMessage(s.id, demo.performance, '发起填报'));
    await flush(s);
    bureau.fromInbox('发起填报任务');
    const values = {
      title: '2027 年度项目绩效目标申报',
      form: 'performance-target',
      population: 'projects',
      year: '2026',
      opens: '2026-09-28 +0800',
      deadline: '2026-09-01 +0800',
    };
    await bureau.click('发起', values);
    expect(text(bureau.card)).toContain('截止日期不能早于开始日期');
    // Each reminder input is a labelled choice; a forged day is refused with a sentence.
    expect(text(bureau.card)).toContain('"content":"截止前第 5 个工作日"');
    expect(text(bureau.card)).toContain('"selected_values":["5","3","1","0"]');
    expect(text(bureau.card)).toContain('"content":"逾期 3 个工作日后"');
    await bureau.click('发起', { ...values, deadline: '2026-10-12 +0800', remind_days: ['5', '三'] });
    expect(text(bureau.card)).toContain('提醒日应为截止前的工作日数');
    await bureau.click('发起', {
      ...values,
      deadline: '2026-10-12 +0800',
      remind_days: ['5', '3', '1', '0'],
      escalate_after: '3',
    });
    // The 4 demo projects whose 事前绩效评估 is required and not done are held back, their units told.
    expect(text(bureau.card)).toContain('36 项任务，已通知 10 位填报人');
    expect(text(bureau.card)).toContain('4 个项目需先通过事前绩效评估，暂未下发（已通知其单位）');
    expect(text(bureau.card)).toContain(
      '2026-JYJ-002 智慧教育云平台建设：需事前评估，尚未开始（新增政府投资项目（2亿元及以上））',
    );
    await flush(s);
    return bureau;
  }

  it('lets the bureau preview a day’s reminders, move the deadline (telling the fillers once) and close it', async () => {
    await launch();
    await s.send(textMessage(s.id, demo.performance, '进度'));
    await flush(s);
    const m = new CardDriver(s, demo.performance).fromInbox('填报进度');
    await m.click('管理（延期、预览提醒、关闭）');
    expect(text(m.card)).toContain('截止 2026年10月12日 周一（还剩 6 个工作日） · 36 项任务，未完成 36 项');
    const sentBefore = s.fake.messages.length;
    await m.click('预览提醒', { date: '2026-09-29 +0800' });
    expect(text(m.card)).toContain('2026年9月29日 周二（还剩 5 个工作日）：将提醒');
    expect(text(m.card)).toContain('刘洋：待填报 3 项');
    await m.click('预览提醒', { date: '2026-09-30 +0800' });
    expect(text(m.card)).toContain('2026年9月30日 周三（还剩 4 个工作日）不是提醒日，不发送提醒');
    await m.click('预览提醒', { date: '2026-10-01 +0800' });
    expect(text(m.card)).toContain('2026年10月1日 周四不是工作日');
    await flush(s);
    expect(s.fake.messages.length).toBe(sentBefore); // a preview sends nothing

    await m.click('延长截止日期', {});
    expect(text(m.card)).toContain('请选择新的截止日期');
    await m.click('延长截止日期', { deadline: '2026-10-16 +0800' });
    expect(m.lastToast).toEqual({ type: 'success', content: '截止日期已改为 10月16日 周五，已通知未完成的填报人' });
    await m.click('延长截止日期', { deadline: '2026-10-16 +0800' });
    await flush(s);
    const moved = s.fake.messagesTo(demo.filler).filter((x) => text(x.card).includes('截止日期调整'));
    expect(moved).toHaveLength(1);
    expect(text(moved[0]!.card)).toContain('截止日期由 10月12日 周一 调整为 2026年10月16日 周五');

    const close = m.button('关闭任务');
    await m.clickValue(close);
    expect(m.lastToast).toEqual({ type: 'success', content: '已关闭，不再提醒' });
    await m.clickValue(close); // a double click
    expect(m.lastToast).toEqual({ type: 'info', content: '该任务已关闭' });
    // 10-09 is 5 working days before the new deadline: a reminder day, but the campaign is closed.
    expect((await tick('2026-10-09T10:00:00')).cards).toBe(0);
    // Reopened by a new deadline, under its key.
    await m.click('重新开放', { deadline: '2026-10-20 +0800' });
    expect(m.lastToast?.type).toBe('success');
    expect(await s.service.deps.db('campaigns').first('status', 'deadline')).toEqual({
      status: 'open',
      deadline: '2026-10-20',
    });
  });

  it('reads only a department’s own submissions for its 待办, however many the city has filed', async () => {
    await launch();
    const db = s.service.deps.db;
    const c = await db('campaigns').orderBy('id', 'desc').first();
    const filler = await db('users').where({ open_id: demo.filler }).first();
    const tasks: { subject_type: string; subject_id: number; department_id: number }[] = await db(
      'campaign_tasks',
    ).where({ campaign_id: c.id });
    const own = tasks.filter((t) => Number(t.department_id) === Number(filler.department_id));
    const others = tasks.filter((t) => Number(t.department_id) !== Number(filler.department_id));
    expect(own.length).toBeGreaterThan(1);
    // Every other department has filed; the filler's unit has one draft.
    const row = (t: (typeof tasks)[number], status: string) => ({
      ...{ form_id: c.form_id, subject_type: t.subject_type, subject_id: t.subject_id, period: c.period, status },
      ...{
        current_revision: 1,
        department_id: t.department_id,
        created_by: filler.id,
        created_at: now,
        updated_at: now,
      },
    });
    await db('submissions').insert([...others.map((t) => row(t, 'submitted')), row(own[0]!, 'draft')]);
    const read: { department_id: number }[] = [];
    const listen = (rows: unknown, q: { sql: string }) => {
      if (/from [`"]submissions[`"]/.test(q.sql) && Array.isArray(rows)) read.push(...rows);
    };
    db.on('query-response', listen);
    const mine = await tasksWithState(db, [c.id], [filler.department_id]).finally(() =>
      db.off('query-response', listen),
    );
    expect(read.map((r) => Number(r.department_id))).toEqual([Number(filler.department_id)]);
    expect(mine.map((t) => t.state).sort()).toEqual(['draft', ...own.slice(1).map(() => 'not_started')].sort());
    const city = await tasksWithState(db, [c.id]);
    expect(city.filter((t) => t.state === 'submitted')).toHaveLength(others.length);
  });

  it('launches once per subject, sends task cards, and relaunching or extending never duplicates', async () => {
    await launch();
    const db = s.service.deps.db;
    expect(await db('campaign_tasks').count({ n: '*' })).toEqual([{ n: 36 }]);
    expect(s.fake.messagesTo(demo.filler).filter((m) => text(m.card).includes('填报任务：'))).toHaveLength(1);
    const c = await db('campaigns').first('id');
    const r = await db.transaction((tx) =>
      relaunchCampaign(tx, new FormStore(loadForms().forms), createCardRenderer(), c.id, '2026-10-14', null, now),
    );
    expect(r.newTasks).toBe(0);
    await flush(s);
    expect(await db('campaign_tasks').count({ n: '*' })).toEqual([{ n: 36 }]);
    expect(s.fake.messagesTo(demo.filler).filter((m) => text(m.card).includes('填报任务：'))).toHaveLength(1);
  });

  it('launches the same campaign once, whether relaunched or clicked twice at once, and says when a future one notifies', async () => {
    const bureau = await launch();
    const db = s.service.deps.db;
    const values = {
      title: '2027 年度项目绩效目标申报',
      form: 'performance-target',
      population: 'projects',
      year: '2026',
      opens: '2026-09-28 +0800',
      deadline: '2026-10-12 +0800',
    };
    const launchValue = { action: 'campaign.launch' };
    const click = (form: Record<string, unknown>) =>
      s.send(
        cardAction(s.id, demo.performance, bureau.messageId, { value: launchValue, form_value: form, name: 'btn' }),
      );
    const again = await click(values);
    expect(cardText((again.body as { card: { data: unknown } }).card.data)).toContain(
      '已在进行中：36 项任务，截止 10月12日 周一。未重复发起，也未重复通知。',
    );
    // Two clicks on 发起 for a new scope, at the same instant: one campaign, one round of cards.
    const tierA = { ...values, population: 'projects:A' };
    const outboxBefore = Number((await db('outbox').count({ n: '*' }))[0]!.n);
    const both = await Promise.all([click(tierA), click(tierA)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => (r.body as { toast: { content: string } }).toast.content).sort()).toEqual([
      '已发起',
      '未重复发起',
    ]);
    expect(await db('campaigns').count({ n: '*' })).toEqual([{ n: 2 }]);
    const tasks = Number(
      (
        await db('campaign_tasks')
          .where({ campaign_id: (await db('campaigns').orderBy('id', 'desc').first('id')).id })
          .count({ n: '*' })
      )[0]!.n,
    );
    const twin = both.find((r) => (r.body as { toast: { content: string } }).toast.content === '未重复发起')!;
    expect(cardText((twin.body as { card: { data: unknown } }).card.data)).toContain(`已在进行中：${tasks} 项任务`);
    const queued = Number((await db('outbox').count({ n: '*' }))[0]!.n) - outboxBefore;
    const launched = await db('campaigns').orderBy('id', 'desc').first('id');
    expect(
      await db('outbox')
        .where({ ref: `campaign:${launched.id}` })
        .count({ n: '*' }),
    ).toEqual([{ n: queued }]);
    // A campaign that opens later says when its notices go out.
    const later = await click({ ...values, population: 'projects:B', opens: '2026-10-08 +0800' });
    expect(cardText((later.body as { card: { data: unknown } }).card.data)).toMatch(
      /将于 2026-10-08 上午 9 点通知 \d+ 位填报人/,
    );
  });

  it('reminds on working days before the deadline, across a holiday and a make-up workday, once a day, quietly at night', async () => {
    await launch();
    expect(await tick('2026-09-29T08:30:00')).toMatchObject({ skipped: 'quiet' }); // before 09:00
    const first = await tick('2026-09-29T10:00:00'); // 5 working days before
    expect(first.cards).toBeGreaterThan(0);
    expect(reminderCards(demo.filler, '2026-09-29')).toHaveLength(1); // one card for all of 刘洋's 3 projects
    expect(text(reminderCards(demo.filler, '2026-09-29')[0]!.card)).toContain('待您填报（3 项）');
    expect(await tick('2026-09-29T15:00:00')).toMatchObject({ skipped: 'done' });
    expect((await tick('2026-09-30T10:00:00')).cards).toBe(0); // 4 working days: not a reminder day
    expect(await tick('2026-10-01T10:00:00')).toMatchObject({ skipped: 'quiet' }); // National Day
    expect((await tick('2026-10-08T10:00:00')).cards).toBeGreaterThan(0); // 3 working days, after the holiday
    // The service was down on the make-up Saturday 10-10 and comes back on the deadline day: no stale reminder.
    const deadline = await tick('2026-10-12T09:30:00');
    expect(deadline.buzzes).toBeGreaterThan(0);
    expect(reminderCards(demo.filler, '2026-10-10')).toHaveLength(0);
    const urgent = reminderCards(demo.filler, '2026-10-12');
    expect(urgent).toHaveLength(1);
    expect(text(urgent[0]!.card)).toContain('今天截止');
    expect(urgent[0]!.buzzed).toEqual([demo.filler]);

    // export progress, two working days after the deadline: each task with its fillers, days overdue and reminders.
    const cid = Number((await s.service.deps.db('campaigns').first('id')).id);
    const exported = await progressExport(s.service.deps.db, cid, '2026-10-14');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await exported.book.xlsx.writeBuffer());
    const ws = book.getWorksheet('填报进度')!;
    expect(ws.getCell('A1').value).toBe('2027 年度项目绩效目标申报 · 填报进度');
    expect(String(ws.getCell('A2').value)).toBe('截止 2026年10月12日 周一 · 统计至 2026年10月14日 周三 · 共 36 项');
    expect(ws.getRow(3).values).toEqual([, '单位', '填报对象', '状态', '填报人', '逾期（工作日）', '已提醒（次）']);
    const rows = ws.getSheetValues().slice(4) as unknown[][];
    expect(rows).toHaveLength(36);
    expect(rows).toContainEqual([, '杭州第一中学', '实验室设备更新（2026-JYJ01-005）', '未开始', '刘洋', 2, 3]);
  });

  it('sends on a make-up Saturday and escalates overdue work to the unit head, then the supervising department and the bureau', async () => {
    await launch();
    await submitTarget(s, demo.filler, '2026-JYJ01-005'); // now in approval: no longer reminded
    expect((await tick('2026-10-10T10:00:00')).cards).toBeGreaterThan(0); // Saturday, but a make-up workday: 1 working day left
    expect(text(reminderCards(demo.filler, '2026-10-10')[0]!.card)).toContain('待您填报（2 项）');
    await tick('2026-10-13T10:00:00'); // 1 working day overdue
    expect(text(reminderCards(demo.unitHead, '2026-10-13')[0]!.card)).toMatch(
      /杭州第一中学 2 项已逾期 1 个工作日未提交/,
    );
    expect(reminderCards(demo.supervising, '2026-10-13').filter((m) => text(m.card).includes('逾期'))).toHaveLength(0);
    await tick('2026-10-15T10:00:00'); // 3 working days overdue: escalate
    expect(text(reminderCards(demo.supervising, '2026-10-15')[0]!.card)).toContain(
      '杭州第一中学 2 项已逾期 3 个工作日未提交',
    );
    expect(text(reminderCards(demo.performance, '2026-10-15')[0]!.card)).toMatch(
      /个单位共 \d+ 项已逾期 3 个工作日未提交/,
    );
    // The unit head has sat on 刘洋's submission since 09-28: reminded as an approver too, in the same single card.
    const head = reminderCards(demo.unitHead, '2026-10-15');
    expect(head).toHaveLength(1);
    expect(text(head[0]!.card)).toContain('待您审批（1 项）');
  });

  it('shows progress to the bureau and a unit head their own unit, and 待办 to a filler', async () => {
    const bureau = await launch();
    await submitTarget(s, demo.filler, '2026-JYJ01-005');
    await s.send(textMessage(s.id, demo.performance, '进度'));
    await s.send(textMessage(s.id, demo.unitHead, '进度'));
    await s.send(textMessage(s.id, demo.filler, '待办'));
    await flush(s);
    bureau.fromInbox('填报进度');
    expect(text(bureau.card)).toContain('已提交 **2.8%**（1/36）');
    expect(text(bureau.card)).toContain('审批中 **1**');
    await bureau.click(/ 明细$/);
    await flush(s);
    expect(s.fake.messagesTo(demo.performance).some((m) => text(m.card).includes('：未开始'))).toBe(true);
    // The bureau chases what waits in approval from a unit's list (催办 buzzes the approver's card).
    const jyj01 = await s.service.deps.db('departments').where({ code: 'JYJ01' }).first('id');
    const cid = (bureau.button(/ 明细$/) as { cid: number }).cid;
    await bureau.clickValue({ action: 'campaign.dept', cid, dept: Number(jyj01.id) });
    await flush(s);
    const unit = new CardDriver(s, demo.performance).fromInbox('实验室设备更新（2026-JYJ01-005）：审批中');
    await unit.click('催办');
    expect(unit.lastToast).toEqual({ type: 'success', content: '已催办 张伟' });
    await flush(s);
    expect(s.fake.messagesTo(demo.unitHead).find((m) => text(m.card).includes('待审批'))!.buzzed).toEqual([
      demo.unitHead,
    ]);
    const head = new CardDriver(s, demo.unitHead).fromInbox('填报进度');
    expect(text(head.card)).toContain('已提交 **33.3%**（1/3）');
    const todo = new CardDriver(s, demo.filler).fromInbox('我的待办');
    expect(text(todo.card)).toContain('校园安全技防改造');
    expect(text(todo.card)).not.toContain('实验室设备更新'); // submitted: nothing left to do
    await todo.click('填报', undefined, '校园安全技防改造');
    expect(text(todo.card)).toContain('第 1/5 步');
  });

  it('two schedulers on one database send each reminder exactly once', async () => {
    await launch();
    const other = createDb(s.databaseUrl);
    try {
      const forms = new FormStore(loadForms().forms);
      const cards = createCardRenderer();
      const t = at('2026-09-29T10:00:00');
      const run = (db: typeof other, id: string) => runReminders(db, forms, cards, t, id);
      // MySQL: truly concurrent instances. SQLite is one process's embedded file: the second instance runs after.
      const [a, b] =
        dialect === 'mysql'
          ? await Promise.all([run(s.service.deps.db, 'A'), run(other, 'B')])
          : [await run(s.service.deps.db, 'A'), await run(other, 'B')];
      expect([a.skipped, b.skipped].filter((x) => x === 'done')).toHaveLength(1);
      expect(a.cards + b.cards).toBeGreaterThan(0);
    } finally {
      await other.destroy();
    }
    const rows = await s.service.deps.db('outbox').where('uuid', 'like', 'rem:%').select('uuid');
    expect(new Set(rows.map((r: { uuid: string }) => r.uuid)).size).toBe(rows.length);
  });
});
