import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, reviewDefaults } from '../helpers/card-driver';
import { submitTarget, targetFirstPage } from '../helpers/fill-target';
import { dialects } from '../helpers/databases';
import { statementsDuring } from '../helpers/statements';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * Handlers read what they render once: a guard's read serves its handler, a write does not read back, and the org
 * look-ups of one event are shared. These budgets (SQL statements per event, transaction control not counted) hold
 * that in place; a change that reads the same rows twice fails here, with the statements listed.
 */
const firstPage = targetFirstPage();

/** Budgets by step, and the card action each step clicks (every registered action is measured at least once). */
const budgets = {
  // the sender with roles and the shared org version (none once cached, checked once a second), the reply; an event
  // that changes something adds its dedupe claim (帮助 only reads)
  intake: [3, 'message'],
  formStart: [11, 'form.open'], // the first open: pins the form version, creates the submission and its draft
  formOpen: [6, 'form.open'], // the submission with its current revision read once, by what it is for
  formPage: [8, 'form.page'],
  rowEdit: [8, 'form.row.edit'],
  rowSave: [8, 'form.row.save'],
  rowDelete: [8, 'form.row.delete'],
  rowCancel: [8, 'form.row.cancel'],
  submit: [20, 'form.submit'],
  revise: [8, 'form.revise'],
  amend: [12, 'form.amend'], // pins the version, opens the adjustment revision, audits it, renders its first page
  approveStep: [15, 'appr.decide'],
  // The final step is the finance section's 目标审核: its ratings written into the revision, audited, kept on the project.
  reviewFinal: [17, 'appr.decide'],
  returnForChanges: [15, 'appr.decide'],
  withdraw: [15, 'appr.withdraw'],
  urge: [10, 'appr.urge'],
  projectHistory: [16, 'project.show'],
  projectForm: [12, 'project.form'],
  projectExport: [14, 'project.export'],
  detail: [8, 'appr.detail'],
  fileOpen: [9, 'file.open'],
  openFromList: [10, 'appr.open'],
  batchOfOne: [18, 'appr.batch'],
  delegate: [10, 'appr.delegate'],
  undelegate: [8, 'appr.undelegate'],
  roleGrant: [11, 'admin.roles'], // a locking read of the person, the org version; the person is told of the change
  helpButton: [4, 'command'],
  correctiveDone: [6, 'monitor.done'],
  // Bureau work on the demo organisation: a launch and a publish write their rows in chunks, whatever their number.
  launch: [19, 'campaign.launch'], // with the ex-ante gate (projects and evaluations read once), units with no filler named
  departmentTasks: [10, 'campaign.dept'],
  campaignManage: [8, 'campaign.manage'],
  campaignExport: [16, 'campaign.export'],
  campaignPreview: [12, 'campaign.preview'],
  // A relaunch: the population re-derived, missing tasks added and announced, the moved deadline told to fillers.
  campaignExtend: [27, 'campaign.extend'],
  campaignClose: [8, 'campaign.close'],
  publish: [12, 'quiz.publish'],
  quizStart: [9, 'quiz.start'], // the paper goes out as a new message: the batch-sent invite cannot be replaced
  quizSubmit: [8, 'quiz.submit'],
  quizBoard: [8, 'quiz.board'],
  quizRemind: [8, 'quiz.remind'],
  quizDraw: [14, 'quiz.draw'],
  // The year's close: bureau actions over a whole campaign or year, bounded by batches, not by the number of rows.
  sampleDraw: [26, 'sampling.draw'],
  sampleShow: [13, 'sampling.show'],
  resultsShow: [12, 'results.show'],
  resultsExport: [13, 'results.export'],
  resultsConfirm: [13, 'results.confirm'],
  resultsOverride: [14, 'results.override'],
  ratingRate: [12, 'rating.rate'],
  ratingPublish: [8, 'rating.publish'],
} as const;
type Step = keyof typeof budgets;

describe.each(dialects())('statements per action on %s', (dialect) => {
  let s: Stack;
  const measured: Record<string, string[]> = {};
  const within = (name: Step, sql: string[]) => {
    measured[name] = sql;
    expect(sql.length, `${name}: ${sql.length} statements\n${sql.join('\n')}`).toBeLessThanOrEqual(budgets[name][0]);
  };
  /** A click as Lark delivers it, measured; answers the toast. */
  const click = async (name: Step, openId: string, value: object, form?: Record<string, unknown>) => {
    let toast: { type: string; content: string } | undefined;
    const sql = await statementsDuring(s, async () => {
      const payload = {
        value: { action: budgets[name][1], ...value },
        form_value: form,
        name: form ? 'btn' : undefined,
      };
      const res = await s.send(cardAction(s.id, openId, 'om_budget', payload));
      expect(res.status).toBe(200);
      toast = (res.body as { toast?: typeof toast }).toast;
    });
    within(name, sql);
    return toast;
  };

  beforeAll(async () => {
    s = await startStack(dialect);
  });
  afterAll(async () => {
    console.log(dialect, Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, v.length])));
    await s?.stop();
  });

  it('a message to the bot', async () => {
    within('intake', await statementsDuring(s, () => s.send(textMessage(s.id, demo.filler, '帮助'))));
  });

  it('a read-only command, typed or clicked, by anyone, only reads and writes its answer', async () => {
    const readOnly = s.service.bot.registry.commands.filter((c) => c.readOnly);
    const names = ['help', 'todo', 'progress', 'whoami', 'fill', 'approvals'];
    expect(readOnly.map((c) => c.name)).toEqual(expect.arrayContaining(names));
    const people = [demo.filler, demo.unitHead, demo.supervising, demo.finance, demo.performance, demo.stranger];
    const all: string[] = [];
    const listen = (q: { sql: string }) => void all.push(q.sql);
    s.service.deps.db.on('query', listen);
    for (const c of readOnly)
      for (const [i, p] of people.entries()) {
        const ids = { eventId: `evt-ro-${c.name}-${i}`, messageId: `om_ro_${c.name}_${i}` };
        const typed = textMessage(s.id, p, c.aliases[0]!, ids);
        const clicked = cardAction(s.id, p, 'om_ro', { value: { action: 'command', command: c.name } });
        for (const event of [typed, clicked]) {
          const sql = await statementsDuring(s, () => s.send(event));
          const writes = sql.filter((q) => !/^\s*select\b/i.test(q));
          expect(writes.length, `${c.name} by ${p}:\n${sql.join('\n')}`).toBe(1);
          // The answer; or, for a click this person may not make, the refusal's audit row (a toast answers it).
          expect(writes[0]).toMatch(/insert (ignore )?into [`"]?(outbox|audit_log)\b/i);
        }
      }
    s.service.deps.db.off('query', listen);
    // On MySQL not one transaction: the answer is a statement of its own.
    if (dialect === 'mysql')
      expect(all.filter((q) => /^(begin|start transaction|commit)\b/i.test(q.trim()))).toEqual([]);
  });

  it('filling a target: open, pages, rows, submit', async () => {
    const steps = { open: 'formStart', page: 'formPage', rowEdit: 'rowEdit', rowSave: 'rowSave', submit: 'submit' };
    const u = await submitTarget(s, demo.filler, '2026-JYJ01-005', '完成年度建设任务', async (step, click) =>
      within(steps[step] as Step, await statementsDuring(s, click)),
    );
    // Opened again from the list; then a row saved by mistake and deleted, on a second draft.
    await s.send(textMessage(s.id, demo.filler, '填报 2026-JYJ01-005'));
    await flush(s);
    u.fromInbox('选择要填报的表单');
    within('formOpen', await statementsDuring(s, () => u.click('查看', undefined, `绩效目标申报表**\\n`)));

    // Another project's draft: a row saved by mistake, then deleted.
    const d = new CardDriver(s, demo.filler);
    await s.send(textMessage(s.id, demo.filler, '填报 2026-JYJ01-007'));
    await flush(s);
    d.fromInbox('2026-JYJ01-007');
    await d.click('开始填报', undefined, `绩效目标申报表**\\n`);
    await d.click('下一步', firstPage);
    await d.click('下一步', { fund_fiscal: '100', fund_other: '0' });
    await d.click('下一步', { overall_goal: '完成', annual_goal: '完成' });
    await d.click('添加一行');
    const row = { level1: '产出指标', level2: '数量指标', name: '多余的一行', operator: '≥', value: '1', unit: '项' };
    await d.click('保存这一行', { ...row, weight: '5' });
    within('rowDelete', await statementsDuring(s, () => d.click('删除', undefined, '多余的一行')));
    expect(d.lastToast).toEqual({ type: 'success', content: '已删除' });
  });

  it('去修改, paging a table and 继续填报 only read, by the filler; a refusal writes its audit row alone', async () => {
    const db = s.service.deps.db;
    const draft = await db('submission_revisions as r')
      .join('submissions as s', 's.id', 'r.submission_id')
      .where('r.status', 'draft')
      .orderBy('r.id', 'desc')
      .first('r.submission_id', 'r.seq', 's.subject_id', 's.form_id');
    // 填报 draws 继续填报 on a draft of this year as a read-only open.
    await s.send(textMessage(s.id, demo.filler, '填报'));
    await flush(s);
    const chooser = JSON.stringify(s.fake.messagesTo(demo.filler).at(-1)!.card);
    const reopen = { action: 'form.open', form: draft.form_id, type: 'project', id: draft.subject_id, existing: 1 };
    expect(chooser).toContain(JSON.stringify(reopen).slice(1, -1));
    const all: string[] = [];
    const listen = (q: { sql: string }) => void all.push(q.sql);
    db.on('query', listen);
    let toast: { content?: string } | undefined;
    const writesOf = async (openId: string, value: Record<string, unknown>) => {
      const sql = await statementsDuring(s, async () => {
        const res = await s.send(cardAction(s.id, openId, 'om_page', { value }));
        expect(res.status).toBe(200);
        toast = (res.body as { toast?: typeof toast }).toast;
      });
      return sql.filter((q) => !/^\s*select\b/i.test(q));
    };
    const page = { action: 'form.page', sid: draft.submission_id, seq: draft.seq, page: 1 };
    expect(await writesOf(demo.filler, { ...page, nav: 'goto' })).toEqual([]);
    expect(await writesOf(demo.filler, { ...page, nav: 'rows', from: 0 })).toEqual([]);
    expect(await writesOf(demo.filler, reopen)).toEqual([]);
    // A read-only open finds no submission (a card of last year, say): it says so and creates nothing.
    const other = await db('projects as p')
      .join('departments as d', 'd.id', 'p.department_id')
      .where('d.code', 'JYJ01')
      .whereNotIn('p.id', db('submissions').select('subject_id'))
      .first('p.id');
    expect(await writesOf(demo.filler, { ...reopen, id: other.id })).toEqual([]);
    expect(toast?.content).toBe('卡片已过期，请发送“填报”查看最新的表单');
    for (const value of [{ ...page, nav: 'goto' }, reopen]) {
      const refused = await writesOf(demo.otherFiller, value);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatch(/insert into [`"]?audit_log/i);
    }
    db.off('query', listen);
    if (dialect === 'mysql')
      expect(all.filter((q) => /^(begin|start transaction|commit)\b/i.test(q.trim()))).toEqual([]);
  });

  it('deciding: a step, a return, a withdrawal, the final approval', async () => {
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    // 查看完整内容 of cards sent before the approval card carried the whole submission.
    const detail = { action: 'appr.detail', iid: (head.button('同意') as { iid: number }).iid };
    within('detail', await statementsDuring(s, () => head.clickValue(detail)));
    within('approveStep', await statementsDuring(s, () => head.click('同意', { comment: '' })));
    expect(head.lastToast?.type).toBe('success');
    await flush(s);
    const reviewer = new CardDriver(s, demo.supervising).fromInbox('待审批');
    within(
      'returnForChanges',
      await statementsDuring(s, () => reviewer.click('退回修改', { comment: '请量化', fields: ['indicators'] })),
    );
    expect(reviewer.lastToast?.type).toBe('success');

    await flush(s);

    // Resubmitted: the chain resumes at the supervising step; the finance division's approval is the last.
    const filler = new CardDriver(s, demo.filler).fromInbox('已退回修改');
    await filler.click('修改并重新提交'); // opens at the indicator table the reviewer marked
    await filler.click('下一步');
    await filler.click('确认提交');
    expect(filler.lastToast).toEqual({ type: 'success', content: '已提交（第 2 版）' });
    await approveAll(s, [demo.supervising]);
    const finance = new CardDriver(s, demo.finance).fromInbox('待审批');
    const review = reviewDefaults(finance.card); // 目标审核: the four criteria rated 优, each with a remark
    within('reviewFinal', await statementsDuring(s, () => finance.click('同意', { ...review, comment: '' })));
    expect(finance.lastToast?.type).toBe('success');
    const target = await s.service.deps.db('submissions').orderBy('id').first('id');
    const code = '2026-JYJ01-005';
    const shown = await click('projectForm', demo.finance, { code, sid: Number(target.id), rev: 1 });
    expect(shown?.content).toBe('表单内容已发送给您');
    expect((await click('projectExport', demo.finance, { code }))?.type).toBe('success');
    // A kept upload attached to the revision (as a self-evaluation's 佐证材料 would be), opened by an approver.
    const db = s.service.deps.db;
    const owner = await db('users').where({ open_id: demo.filler }).first('id', 'department_id');
    await s.service.deps.files.put('evidence/ab/x.pdf', Buffer.from('%PDF'));
    const upload = {
      ...{ user_id: owner.id, department_id: owner.department_id, lark_message_id: 'om_1', lark_file_key: 'f_1' },
      ...{ kind: 'file', name: '验收.pdf', status: 'stored', size: 4, sha256: 'a'.repeat(64) },
      ...{ storage_key: 'evidence/ab/x.pdf', attempts: 1, next_at: 0, created_at: 0 },
    };
    const [uid] = await db('uploads').insert(upload);
    const rev = await db('submission_revisions').where({ submission_id: target.id }).first('id', 'data');
    const data = typeof rev.data === 'string' ? JSON.parse(rev.data) : rev.data;
    const evidence = [{ id: Number(uid), name: '验收.pdf', size: 4, sha256: 'a'.repeat(64) }];
    await db('submission_revisions')
      .where({ id: rev.id })
      .update({ data: JSON.stringify({ ...data, evidence_files: evidence }) });
    expect((await click('fileOpen', demo.finance, { sid: Number(target.id), id: Number(uid) }))?.type).toBe('success');

    // Another target, withdrawn by its filler from the card the submit answered with.
    const other = await submitTarget(s, demo.filler, '2026-JYJ01-006');
    within('urge', await statementsDuring(s, () => other.click('催办')));
    const approver = new CardDriver(s, demo.unitHead).fromInbox('2026-JYJ01-006');
    within('projectHistory', await statementsDuring(s, () => approver.click('项目档案（历次目标、审批和评价）')));
    expect(approver.lastToast).toEqual({ type: 'info', content: '项目档案已发送给您' });
    expect(other.lastToast?.type).toBe('success');
    within('withdraw', await statementsDuring(s, () => other.click('撤回')));
    expect(other.lastToast).toEqual({ type: 'success', content: '已撤回' });
  });

  it('every other action, clicked by someone it is for', async () => {
    const db = s.service.deps.db;
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const draft = await db('submissions as s')
      .join('projects as p', 'p.id', 's.subject_id')
      .join('submission_revisions as r', (j) =>
        j.on('r.submission_id', 's.id').andOn('r.revision', 's.current_revision'),
      )
      .where('p.code', '2026-JYJ01-007')
      .first('s.id', 'r.seq');
    const row = { sid: Number(draft.id), seq: Number(draft.seq), page: 3, index: 0 };
    await click('rowCancel', demo.filler, row);
    const approved = await db('submissions as s')
      .join('projects as p', 'p.id', 's.subject_id')
      .where('p.code', '2026-JYJ01-005')
      .first('s.id', 's.current_revision');
    expect((await click('revise', demo.filler, { sid: approved.id, rev: approved.current_revision }))?.content).toBe(
      '已审批通过，不能再修改',
    );
    await click('amend', demo.filler, { sid: approved.id, rev: approved.current_revision });
    expect((await db('submissions').where({ id: approved.id }).first('status')).status).toBe('draft');
    await click('helpButton', demo.filler, { command: 'whoami' });

    // A red monitoring report's corrective action, confirmed by the unit's filler.
    const unit005 = await db('projects').where({ code: '2026-JYJ01-005' }).first('id', 'department_id');
    await db('monitoring_follow_ups').insert({
      ...{ submission_id: approved.id, revision: 1, form_id: 'performance-monitoring', period: '2026' },
      ...{ project_id: unit005.id, department_id: unit005.department_id, light: '红', action: '调整预算' },
      ...{ deadline: '2026-09-15', status: 'open', created_at: 1, updated_at: 1 },
    });
    const fid = (await db('monitoring_follow_ups').first('id')).id as number;
    expect((await click('correctiveDone', demo.filler, { fid }))?.type).toBe('success');

    // Another unit's target, opened from 待审批 and approved in a batch by its head.
    await submitTarget(s, demo.otherFiller, '2026-JYJ02-008');
    const inst = await db('approval_instances').orderBy('id', 'desc').first('id', 'state');
    const head = (JSON.parse(String(inst.state)) as { steps: { approvers: number[] }[] }).steps[0]!.approvers[0]!;
    const headOpenId = (await db('users').where({ id: head }).first('open_id')).open_id as string;
    expect((await click('openFromList', headOpenId, { iid: inst.id }))?.type).toBe('info');
    expect((await click('batchOfOne', headOpenId, {}, { items: [String(inst.id)], comment: '' }))?.type).toBe(
      'success',
    );

    // Delegation to a second head of the same unit, then cancelled.
    const unit = await db('departments').where({ code: 'JYJ01' }).first('id');
    const deputyRow = { open_id: 'ou_deputy_budget', name: '副校长', department_id: unit.id, active: true };
    await db('users').insert({ ...deputyRow, created_at: 1, updated_at: 1 });
    const deputy = await db('users').where({ open_id: 'ou_deputy_budget' }).first('id');
    await db('role_assignments').insert({ user_id: deputy.id, role: 'unit_head', scope_department_id: unit.id });
    const period = { start: `${today} +0800`, end: '2099-12-31 +0800' };
    const delegated = await click('delegate', demo.unitHead, {}, { delegate: 'ou_deputy_budget', ...period });
    expect(delegated?.content).toBe('已委托给 副校长');
    expect((await click('undelegate', demo.unitHead, {}))?.content).toBe('已取消委托');
    const grant = { person: '13800000023', role: 'filler', scope: 'JYJ03' };
    expect((await click('roleGrant', demo.admin, { op: 'grant' }, grant))?.content).toBe(
      '已授予 杨帆 填报人（杭州市教育考试院）',
    );

    // The bureau: a campaign and its department detail; a quiz answered, followed up and drawn.
    const launchForm = {
      title: '预算绩效目标填报',
      form: 'performance-target',
      population: 'projects:A',
      year: '2026',
      opens: `${today} +0800`,
      deadline: '2099-12-31 +0800',
    };
    expect((await click('launch', demo.performance, {}, launchForm))?.content).toBe('已发起');
    const campaign = await db('campaigns').orderBy('id', 'desc').first('id');
    const dept = await db('departments').where({ code: 'JYJ02' }).first('id');
    await click('departmentTasks', demo.performance, { cid: campaign.id, dept: dept.id });
    await click('campaignManage', demo.performance, { cid: campaign.id });
    expect((await click('campaignExport', demo.performance, { cid: campaign.id }))?.type).toBe('success');
    await click('campaignPreview', demo.performance, { cid: campaign.id }, { date: `${today} +0800` });
    const extended = await click(
      'campaignExtend',
      demo.performance,
      { cid: campaign.id },
      { deadline: '2099-12-30 +0800' },
    );
    expect(extended?.type).toBe('success');
    expect((await click('campaignClose', demo.performance, { cid: campaign.id }))?.type).toBe('success');
    const bank = [...s.service.bot.quizBanks.keys()][0];
    const quizForm = { bank, title: '知识竞答', count: '3', minutes: '10', attempts: '2', days: '1' };
    const published = await click(
      'publish',
      demo.performance,
      {},
      {
        ...quizForm,
        audience: 'departments',
        departments: ['JYJ01'],
        prize: 'top',
        winners: '1',
      },
    );
    expect(published?.content).toBe('已发布');
    const qid = (await db('quizzes').orderBy('id', 'desc').first('id')).id as number;
    await click('quizStart', demo.filler, { qid });
    expect((await click('quizSubmit', demo.filler, { qid, attempt: 1 }, { q0: '0' }))?.type).toBe('success');
    await click('quizBoard', demo.performance, { qid });
    await click('quizRemind', demo.performance, { qid });
    expect((await click('quizDraw', demo.performance, { qid, close: true }))?.content).toBe('已开奖');
  });

  it('the year’s close: 抽评 drawn and shown, 结果应用 decided, 评优', async () => {
    const db = s.service.deps.db;
    const now = Date.now();
    // A self-evaluation campaign over the year's projects, all approved; two of them last year's 差.
    const [cid] = await db('campaigns').insert({
      ...{ title: '2026 年度绩效自评', form_id: 'self-evaluation', period: '2026' },
      population: JSON.stringify({ kind: 'projects', year: 2026 }),
      ...{ opens_on: '2027-01-04', deadline: '2027-02-26', policy: '{}', status: 'open', open_key: 'budget-self' },
      ...{ created_at: now, updated_at: now },
    });
    const projects: { id: number; department_id: number }[] = await db('projects')
      .where({ year: 2026 })
      .select('id', 'department_id');
    const creator = (await db('users').first('id')).id as number;
    for (const p of projects) {
      const task = { campaign_id: cid, subject_type: 'project', subject_id: p.id, department_id: p.department_id };
      await db('campaign_tasks').insert({ ...task, created_at: now });
      await db('submissions')
        .insert({
          ...{ form_id: 'self-evaluation', subject_type: 'project', subject_id: p.id, period: '2026' },
          ...{ status: 'approved', current_revision: 1, department_id: p.department_id, created_by: creator },
          ...{ created_at: now, updated_at: now },
        })
        .onConflict(['form_id', 'subject_type', 'subject_id', 'period'])
        .ignore();
    }
    await db('projects').whereIn('code', ['2026-JYJ01-006', '2026-JYJ02-008']).update({ previous_grade: '差' });
    const drew = await click('sampleDraw', demo.performance, { campaign: Number(cid) });
    expect(drew?.type, JSON.stringify(drew)).toBe('success');
    await click('sampleShow', demo.performance, { campaign: Number(cid) });

    await click('resultsShow', demo.performance, { year: 2026, dept: 'JYJ01' });
    expect((await click('resultsExport', demo.performance, { year: 2026 }))?.type).toBe('success');
    const override = { item: '2026-JYJ01-005', choice: '保障', number: '', text: '列入市重点民生项目' };
    expect((await click('resultsOverride', demo.performance, { year: 2026, dept: 'JYJ01' }, override))?.type).toBe(
      'success',
    );
    await click('resultsConfirm', demo.performance, { year: 2026, dept: 'JYJ01' });
    await click('ratingRate', demo.performance, { year: 2026 }, { item: '999', choice: '优秀', text: '' });
    expect((await click('ratingPublish', demo.performance, { year: 2026 }))?.type).toBe('warning');
  });

  it('measures every registered card action', () => {
    const clicked = new Set<string>(Object.keys(measured).map((k) => budgets[k as Step][1]));
    const missing = [...s.service.bot.registry.actions.keys()].filter((k) => !clicked.has(k));
    expect(missing, 'actions without a statement budget').toEqual([]);
  });
});

describe.each(dialects())('what waits on an approver, on %s', (dialect) => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack(dialect);
  });
  afterAll(() => s?.stop());

  it('待办 and 待审批 read the same statements however many chains wait', async () => {
    const db = s.service.deps.db;
    const free: string[] = await db('projects as p')
      .join('departments as d', 'd.id', 'p.department_id')
      .where('d.code', 'JYJ01')
      .whereNotIn('p.id', db('submissions').select('subject_id'))
      .orderBy('p.code')
      .limit(2)
      .pluck('p.code');
    const asked = async (command: string) => {
      const sql = await statementsDuring(s, () => s.send(textMessage(s.id, demo.unitHead, command)));
      await flush(s);
      const card = JSON.stringify(s.fake.messagesTo(demo.unitHead).at(-1)!.card);
      // The sender (by open_id) and the org version are read when not cached: not part of what the card reads.
      const reads = sql.filter((q) => !/\borg_version\b|[`"]u[`"]\.[`"]open_id[`"] = \?/.test(q));
      return { statements: reads.length, listed: card.split('"appr.open"').length - 1, card };
    };
    await submitTarget(s, demo.filler, free[0]!);
    await flush(s);
    const one = { todo: await asked('待办'), approvals: await asked('待审批') };
    await submitTarget(s, demo.filler, free[1]!);
    await flush(s);
    const two = { todo: await asked('待办'), approvals: await asked('待审批') };
    for (const k of ['todo', 'approvals'] as const) {
      expect(one[k].listed, k).toBeGreaterThan(0);
      expect(two[k].listed, k).toBe(one[k].listed + 1);
      expect(two[k].statements, k).toBe(one[k].statements);
    }
    const [code, name] = [free[1]!, (await db('projects').where({ code: free[1] }).first('name')).name as string];
    expect(two.approvals.card).toContain(`${name}（${code}）`);
    expect(two.approvals.card).toContain(`共 ${two.approvals.listed} 项`);
  });
});
