import { afterEach, describe, expect, it } from 'vitest';
import { orgChanged } from '../../src/org/index';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, buttons, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { approveAll, cardText, demo, flush, startStack, type Stack } from '../helpers/stack';

async function instanceOf(s: Stack, projectCode: string) {
  const db = s.service.deps.db;
  const p = await db('projects').where({ code: projectCode }).first('id');
  const sub = await db('submissions').where({ subject_id: p.id, form_id: 'performance-target' }).first();
  const inst = await db('approval_instances').where({ submission_id: sub.id }).orderBy('revision', 'desc').first();
  return {
    sub,
    inst,
    state: JSON.parse(inst.state) as {
      status: string;
      current: number;
      steps: { id: string; status: string; approvers: number[] }[];
    },
  };
}

async function addUser(s: Stack, openId: string, name: string, deptCode: string, role?: string) {
  const db = s.service.deps.db;
  const d = await db('departments').where({ code: deptCode }).first('id');
  await db('users').insert({ open_id: openId, name, department_id: d.id, active: true, created_at: 1, updated_at: 1 });
  const u = await db('users').where({ open_id: openId }).first('id');
  if (role) await db('role_assignments').insert({ user_id: u.id, role, scope_department_id: d.id });
  await orgChanged(db); // written past the org's own writers: the senders' cache must hear of it
}

describe.each(dialects())('approval chains on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('routes by tier and amount: C ends in the unit, A goes up to the performance division', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-006'); // tier C, 1,150,000
    expect((await instanceOf(s, '2026-JYJ01-006')).state.steps.map((x) => x.id)).toEqual([
      'unit_head',
      'cc_supervising',
    ]);
    await approveAll(s, [demo.unitHead]);
    expect((await instanceOf(s, '2026-JYJ01-006')).sub.status).toBe('approved');

    await submitTarget(s, demo.otherFiller, '2026-JYJ02-008'); // tier A, 56,000,000
    const a = await instanceOf(s, '2026-JYJ02-008');
    expect(a.state.steps.map((x) => x.id)).toEqual(['unit_head', 'supervising', 'finance', 'performance']);
    expect(a.state.steps[3]!.approvers).toHaveLength(2);

    // A unit without a unit head: the step goes to the admins with a note, it does not pass silently.
    await s.service.deps.db('role_assignments').where({ role: 'unit_head' }).delete();
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    const orphan = await instanceOf(s, '2026-JYJ01-007');
    const admins = await s.service.deps
      .db('users as u')
      .join('role_assignments as r', 'r.user_id', 'u.id')
      .where('r.role', 'admin')
      .orderBy('u.id')
      .pluck('u.id');
    expect(orphan.state.steps[0]).toMatchObject({
      status: 'active',
      approvers: admins,
      note: '“单位负责人审核”未找到审批人，已转管理员处理',
    });
    expect(s.logs.some((l) => l.includes('approval step without approver'))).toBe(true);
  });

  it('takes a target through return, resubmission with field comments and a diff, and final approval', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-005'); // tier B: unit head → supervising → finance
    await approveAll(s, [demo.unitHead]);
    const unitHeadCard = s.fake.messagesTo(demo.unitHead)[0]!;
    expect(unitHeadCard.patches).toBeGreaterThan(0); // the card now shows the outcome instead of buttons
    expect(buttons(unitHeadCard.card)).toHaveLength(0);

    const reviewer = new CardDriver(s, demo.supervising).fromInbox('待审批');
    expect(text(reviewer.card)).toContain('主管部门审核');
    const revision1Card = reviewer.card;
    await reviewer.click('退回修改', { comment: '' });
    expect(reviewer.lastToast).toEqual({ type: 'warning', content: '退回修改时请填写意见' });
    await reviewer.click('退回修改', { comment: '请量化效益指标', fields: ['indicators'] });
    expect(reviewer.lastToast?.type).toBe('success');
    await flush(s);

    // The submitter's own card says so, in place: no new card, no 撤回 left; the form reopens as revision 2 with the
    // comment beside the indicator table.
    const notice = new CardDriver(s, demo.filler).fromInbox('已退回修改');
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(1);
    expect(text(notice.card)).toContain('请量化效益指标');
    expect(buttons(notice.card).map((b) => b.text)).toEqual(['修改并重新提交']);
    expect(s.fake.message(notice.messageId)!.buzzed).toEqual([demo.filler]); // 加急: it is theirs to act on
    await notice.click('修改并重新提交');
    // It opens where the reviewer pointed: the indicator table, the comment beside it.
    expect(text(notice.card)).toContain('第 4/5 步 · 绩效指标');
    expect(text(notice.card)).toContain('审核意见：郑伟：请量化效益指标');
    await notice.click('编辑', undefined, '服务效果');
    await notice.click('保存这一行', {
      level1: '效益指标',
      level2: '社会效益指标',
      name: '服务效果',
      operator: '≥',
      value: '95',
      unit: '%',
      text_value: '',
      weight: '40',
    });
    await notice.click('下一步');
    await notice.click('确认提交');
    expect(notice.lastToast).toEqual({ type: 'success', content: '已提交（第 2 版）' });
    await flush(s);

    // The chain resumes at the step that returned it; the reviewer sees what changed.
    const again = await instanceOf(s, '2026-JYJ01-005');
    expect(again.inst.revision).toBe(2);
    expect(again.state.steps[again.state.current]!.id).toBe('supervising');
    const second = new CardDriver(s, demo.supervising).fromInbox('与退回版本相比的修改');
    expect(text(second.card)).toContain('绩效指标第 2 行');
    expect(text(second.card)).toContain('服务效果');

    // A copy of the revision-1 card (say, forwarded before it was updated) is refused.
    reviewer.card = revision1Card;
    await reviewer.click('同意', { comment: '' });
    expect(reviewer.lastToast?.content).toContain('当前为第 2 版');

    await approveAll(s, [demo.supervising, demo.finance]);
    const done = await instanceOf(s, '2026-JYJ01-005');
    expect(done.sub.status).toBe('approved');
    expect(done.inst.status).toBe('approved');
    // One card for the whole way, showing the end: every step decided, nothing left to click but 申请调整.
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(1);
    const mine = s.fake.messagesTo(demo.filler)[0]!;
    expect(text(mine.card)).toContain('审批通过');
    expect(text(mine.card)).toMatch(/【已通过】单位负责人审核[^]*【已通过】主管部门审核[^]*【已通过】财政业务处室审核/);
    expect(buttons(mine.card).map((b) => b.text)).toEqual(['申请调整']);
    // The newest decision is the outcome line, said once.
    const approved = text(mine.card);
    expect(approved.split('财政业务处室审核（目标审核）：').length - 1).toBe(1);

    const audit = await s.service.deps
      .db('audit_log')
      .where({ entity_type: 'submission' })
      .orderBy('id')
      .select('action', 'revision', 'source', 'actor_user_id');
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'submission.create',
      'submission.submit',
      'approval.start',
      'approval.approve',
      'approval.return',
      'submission.submit',
      'approval.start',
      'approval.refused',
      'approval.approve',
      'approval.review', // the finance section's 目标审核, recorded before its approval
      'approval.approve',
    ]);
    expect(
      audit
        .filter((a: { action: string }) => a.action.startsWith('approval.'))
        .every((a: { source: string }) => a.source === 'bot' || a.source.startsWith('card:om_')),
    ).toBe(true);
  });

  it('puts the whole target on one card to decide from, keeps the submitter on one card, and urges once a day', async () => {
    s = await startStack(dialect);
    const five = [
      {
        level1: '产出指标',
        level2: '数量指标',
        name: '改造实验室',
        operator: '≥',
        value: '10',
        unit: '间',
        weight: '20',
      },
      {
        level1: '产出指标',
        level2: '质量指标',
        name: '验收合格率',
        operator: '≥',
        value: '95',
        unit: '%',
        weight: '15',
      },
      {
        level1: '产出指标',
        level2: '时效指标',
        name: '完工时间',
        operator: '≤',
        value: '11',
        unit: '月',
        weight: '15',
      },
      {
        level1: '效益指标',
        level2: '社会效益指标',
        name: '实验开出率',
        operator: '≥',
        value: '90',
        unit: '%',
        weight: '30',
      },
      {
        ...{ level1: '满意度指标', level2: '服务对象满意度指标', name: '师生满意度' },
        ...{ operator: '≥', value: '90', unit: '%', weight: '10' },
      },
    ];
    const filler = await submitTarget(s, demo.filler, '2026-JYJ01-005', '完成 10 间实验室改造', undefined, five);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    const card = text(head.card);
    // Goals, funds, every indicator with its value and weight, and the chain: who decides now, for how long, who next.
    expect(card).toContain('完成 10 间实验室改造');
    expect(card).toContain('财政拨款：');
    const table = JSON.stringify(head.card).match(/"tag":"table".*?"rows":(\[.*?\])\}/)!;
    const rows = JSON.parse(table[1]!) as Record<string, string>[];
    expect(rows.map((r) => [r.name, r.weight])).toEqual([
      ['改造实验室', '20'],
      ['验收合格率', '15'],
      ['完工时间', '15'],
      ['实验开出率', '30'],
      ['师生满意度', '10'],
    ]);
    expect(card).toContain('【审批中】单位负责人审核：待 张伟 审批（已等待 0 个工作日）');
    expect(card).not.toContain('审核等级：—'); // the finance step's ratings, not given yet, are left out
    expect(card).toMatch(/【待审】主管部门审核：郑伟/);
    expect(buttons(head.card).map((b) => b.text)).toEqual([
      ...['项目档案（历次目标、审批和评价）', '同意', '退回修改', '驳回', '评论'],
    ]);

    // 催办 from the submitter's card buzzes the approval card once, however often it is clicked that day.
    await filler.click('催办');
    expect(filler.lastToast).toEqual({ type: 'success', content: '已催办 张伟' });
    await filler.click('催办');
    expect(filler.lastToast?.content).toBe('今天已催办过这一环节，明天可再次催办');
    await flush(s);
    expect(s.fake.messagesTo(demo.unitHead)[0]!.buzzed).toEqual([demo.unitHead]);

    await head.click('同意', { comment: '' });
    expect(head.lastToast?.type).toBe('success');
    await flush(s);
    // The submitter's card moved on in place; no second card was sent.
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(1);
    const mine = text(s.fake.message(filler.messageId)!.card);
    expect(mine).toMatch(/【已通过】单位负责人审核：张伟 同意/);
    expect(mine).toContain('【审批中】主管部门审核：待 郑伟 审批');
    expect(mine).toContain('撤回');
  });

  it('decides an any-one step exactly once when two approvers click at the same instant', async () => {
    s = await startStack(dialect);
    await addUser(s, 'ou_testhead0000000000000000000002', '副校长', 'JYJ01', 'unit_head');
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    const a = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    const b = new CardDriver(s, 'ou_testhead0000000000000000000002').fromInbox('待审批');
    await Promise.all([a.click('同意', { comment: '' }), b.click('同意', { comment: '' })]);
    const toasts = [a.lastToast!, b.lastToast!];
    expect(toasts.filter((t) => t.type === 'success')).toHaveLength(1);
    const loser = toasts.find((t) => t.type !== 'success')!;
    expect(loser.content).toMatch(/^已由 (张伟|副校长) 同意/);
    const { state } = await instanceOf(s, '2026-JYJ01-007');
    expect(state.status).toBe('approved'); // tier C: one step
    expect(await s.service.deps.db('audit_log').where({ action: 'approval.approve' }).count({ n: '*' })).toEqual([
      { n: 1 },
    ]);
  });

  it('refuses forwarded cards, and lets the submitter withdraw while pending', async () => {
    s = await startStack(dialect);
    const mine = await submitTarget(s, demo.filler, '2026-JYJ01-005');
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    const stranger = new CardDriver(s, demo.otherFiller);
    stranger.card = head.card;
    await stranger.click('同意', { comment: '' });
    expect(stranger.lastToast).toEqual({ type: 'warning', content: '您不是该事项的审批人' });
    expect(
      await s.service.deps
        .db('audit_log')
        .where({ action: 'action.refused', entity_id: 'appr.decide' })
        .count({ n: '*' }),
    ).toEqual([{ n: 1 }]);

    expect(text(mine.card)).toContain('审批中：单位负责人审核（张伟）');
    await mine.click('撤回');
    expect(mine.lastToast).toEqual({ type: 'success', content: '已撤回' });
    await flush(s);
    expect(text(s.fake.message(s.fake.messagesTo(demo.unitHead).at(-1)!.messageId)!.card)).toContain('撤回了提交');
    await head.click('同意', { comment: '' });
    expect(head.lastToast).toEqual({ type: 'warning', content: '提交人已撤回，无需审批' });
  });

  it('delegation: the delegate decides as "X 代 Y", recorded for whom', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    // Only someone who could hold the head's steps (the same role for the same unit) may be the delegate.
    await addUser(s, 'ou_deputy00000000000000000000001', '王副校长', 'JYJ01');
    const head = new CardDriver(s, demo.unitHead);
    await s.send(textMessage(s.id, demo.unitHead, '委托'));
    await flush(s);
    head.fromInbox('审批委托');
    expect(text(head.card)).toContain('没有可委托的同事');
    expect(JSON.stringify(head.card)).not.toContain(demo.filler);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const until = { start: `${today} +0800`, end: `2099-12-31 +0800` };
    const delegate = (to: string) =>
      s.send(
        cardAction(s.id, demo.unitHead, head.messageId, {
          value: { action: 'appr.delegate' },
          form_value: { delegate: to, ...until },
          name: 'btn',
        }),
      );
    expect(cardText(((await delegate(demo.filler)).body as { card: { data: unknown } }).card.data)).toContain(
      '不能委托给 刘洋：受托人须与您担任相同的审批角色',
    );
    expect(
      cardText(((await delegate('ou_deputy00000000000000000000001')).body as { card: { data: unknown } }).card.data),
    ).toContain('不能委托给 王副校长');
    const db = s.service.deps.db;
    const deputyId = (await db('users').where({ open_id: 'ou_deputy00000000000000000000001' }).first('id')).id;
    await db('role_assignments').insert({
      user_id: deputyId,
      role: 'unit_head',
      scope_department_id: (await db('departments').where({ code: 'JYJ01' }).first('id')).id,
    });
    await orgChanged(db);
    await s.send(textMessage(s.id, demo.unitHead, '委托'));
    await flush(s);
    head.fromInbox('审批委托');
    expect(JSON.stringify(head.card)).toContain('ou_deputy00000000000000000000001');
    await head.click('确定委托', {
      delegate: 'ou_deputy00000000000000000000001',
      start: `${today} +0800`,
      end: '2026-01-01 +0800',
    });
    expect(text(head.card)).toContain('结束日期');
    await head.click('确定委托', { delegate: 'ou_deputy00000000000000000000001', ...until });
    expect(head.lastToast).toEqual({ type: 'success', content: '已委托给 王副校长' });
    // A double click: the same delegation again changes nothing and notifies nobody again.
    await Promise.all([1, 2].map(() => delegate('ou_deputy00000000000000000000001')));
    expect(await db('delegations').whereNull('cancelled_at').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(await db('audit_log').where({ action: 'delegation.create' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await flush(s);
    expect(
      s.fake.messagesTo('ou_deputy00000000000000000000001').filter((m) => text(m.card).includes('审批委托')),
    ).toHaveLength(1);

    // The chain started before the deputy had the role: the deputy decides it only as the head's delegate.
    await s.send(textMessage(s.id, 'ou_deputy00000000000000000000001', '待审批'));
    await flush(s);
    const deputy = new CardDriver(s, 'ou_deputy00000000000000000000001').fromInbox('待审批事项');
    expect(text(deputy.card)).toContain('代 张伟');
    await deputy.click('打开');
    await flush(s);
    deputy.fromInbox('待审批：');
    expect(text(deputy.card)).toContain('您正在代 张伟 审批');
    await deputy.click('同意', { comment: '同意' });
    expect(deputy.lastToast).toEqual({ type: 'success', content: '已同意（王副校长 代 张伟）' });
    const row = await db('audit_log').where({ action: 'approval.approve' }).first();
    const ids = await db('users')
      .whereIn('open_id', ['ou_deputy00000000000000000000001', demo.unitHead])
      .orderBy('id')
      .pluck('id');
    expect([row.actor_user_id, row.on_behalf_of_user_id]).toEqual([ids[1], ids[0]]);
    await flush(s);
    expect(text(s.fake.messagesTo(demo.filler).find((m) => text(m.card).includes('审批通过'))!.card)).toContain(
      '王副校长 代 张伟 同意',
    );
  });

  it('transfers a decision to a colleague and sends comments to the submitter', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    // Joins as a unit head after the chain started: not an approver yet, but someone who could hold the step.
    await addUser(s, 'ou_colleague000000000000000000001', '教务主任', 'JYJ01', 'unit_head');
    expect(buttons(new CardDriver(s, demo.unitHead).fromInbox('待审批').card).map((b) => b.text)).not.toContain('转交'); // nobody else could, then
    await s.send(textMessage(s.id, demo.unitHead, '待审批'));
    await flush(s);
    await new CardDriver(s, demo.unitHead).fromInbox('待审批事项').click('打开');
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批：');
    expect(JSON.stringify(head.card)).toContain('ou_colleague000000000000000000001');
    await head.click('评论', { comment: '' });
    expect(head.lastToast).toEqual({ type: 'warning', content: '请填写评论内容' });
    await head.click('评论', { comment: '指标口径请再确认' });
    expect(head.lastToast).toEqual({ type: 'success', content: '评论已发送给提交人' });
    await head.click('转交', { comment: '请教务主任审核', transfer_to: 'ou_colleague000000000000000000001' });
    expect(head.lastToast).toEqual({ type: 'success', content: '已转交给 教务主任' });
    await flush(s);
    expect(text(new CardDriver(s, demo.filler).fromInbox('审批评论').card)).toContain('张伟：指标口径请再确认');
    const colleague = new CardDriver(s, 'ou_colleague000000000000000000001').fromInbox('待审批');
    await colleague.click('同意', { comment: '' });
    expect(colleague.lastToast?.type).toBe('success');
    expect((await instanceOf(s, '2026-JYJ01-007')).sub.status).toBe('approved');
    const actions = await s.service.deps
      .db('audit_log')
      .where('action', 'like', 'approval.%')
      .orderBy('id')
      .pluck('action');
    expect(actions).toEqual(['approval.start', 'approval.comment', 'approval.transfer', 'approval.approve']);
  });

  it('separation of duties: whoever filled a revision decides none of it, by any path', async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    // 副校长 is a unit head and also fills: he saves the first page, 刘洋 finishes and submits.
    await addUser(s, 'ou_vicehead0000000000000000000001', '副校长', 'JYJ01', 'unit_head');
    const viceId = (await db('users').where({ open_id: 'ou_vicehead0000000000000000000001' }).first('id')).id;
    await db('role_assignments').insert({
      user_id: viceId,
      role: 'filler',
      scope_department_id: (await db('departments').where({ code: 'JYJ01' }).first('id')).id,
    });
    const vice = new CardDriver(s, 'ou_vicehead0000000000000000000001');
    await s.send(textMessage(s.id, 'ou_vicehead0000000000000000000001', '填报 2026-JYJ01-007'));
    await flush(s);
    vice.fromInbox('选择要填报的表单');
    await vice.click(/开始填报/, undefined, '绩效目标申报表**\\n');
    await vice.click('保存草稿', { manager: '副校长' });
    expect(vice.lastToast?.type).toBe('success');
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    const { state } = await instanceOf(s, '2026-JYJ01-007');
    const ids = Object.fromEntries(
      (await db('users').whereIn('open_id', [demo.filler, demo.unitHead]).select('open_id', 'id')).map(
        (u: { open_id: string; id: number }) => [u.open_id, Number(u.id)],
      ),
    );
    expect(state.steps[0]!.approvers).toEqual([ids[demo.unitHead]]);
    expect(s.fake.messagesTo('ou_vicehead0000000000000000000001').some((m) => text(m.card).includes('待审批：'))).toBe(
      false,
    );

    // A copy of the head's card in the vice head's hands is refused, and so is acting as the head's delegate.
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    expect(JSON.stringify(head.card)).not.toContain(demo.filler); // the 转交 picker leaves out the submitter
    expect(JSON.stringify(head.card)).not.toContain('ou_vicehead0000000000000000000001'); // and the filler
    const copy = new CardDriver(s, 'ou_vicehead0000000000000000000001');
    copy.card = head.card;
    await copy.click('同意', { comment: '' });
    expect(copy.lastToast).toEqual({ type: 'warning', content: '您是该事项的提交人或填报人，不能审批' });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await db('delegations').insert({
      from_user_id: ids[demo.unitHead],
      to_user_id: viceId,
      start_date: today,
      end_date: '2099-12-31',
      created_at: Date.now(),
    });
    await copy.click('同意', { comment: '' });
    expect(copy.lastToast).toEqual({ type: 'warning', content: '您是该事项的提交人或填报人，不能审批' });
    await s.send(textMessage(s.id, 'ou_vicehead0000000000000000000001', '待审批'));
    await flush(s);
    const list = new CardDriver(s, 'ou_vicehead0000000000000000000001').fromInbox('待审批事项');
    expect(text(list.card)).toContain('共 0 项'); // not listed as his to decide
    await s.send(textMessage(s.id, 'ou_vicehead0000000000000000000001', '待办'));
    await flush(s);
    const todo = s.fake.messagesTo('ou_vicehead0000000000000000000001').at(-1)!;
    expect(text(todo.card)).toContain('待办');
    expect(JSON.stringify(todo.card)).not.toContain('appr.open'); // nor among his 待办
    const batch = await s.send(
      cardAction(s.id, 'ou_vicehead0000000000000000000001', list.messageId, {
        value: { action: 'appr.batch' },
        form_value: { items: [String((await instanceOf(s, '2026-JYJ01-007')).inst.id)], comment: '' },
        name: 'btn',
      }),
    );
    expect(cardText((batch.body as { card: { data: unknown } }).card.data)).toContain('批量同意：成功 0 项');
    expect(cardText((batch.body as { card: { data: unknown } }).card.data)).toContain(
      '您是该事项的提交人或填报人，不能审批',
    );

    // The head may not hand the step to the submitter or to a filler, even by a forged form value.
    const inst = (await instanceOf(s, '2026-JYJ01-007')).inst;
    for (const to of [demo.filler, 'ou_vicehead0000000000000000000001']) {
      const value = { action: 'appr.decide', iid: inst.id, rev: 1, step: 0, decision: 'transfer' };
      const res = await s.send(
        cardAction(s.id, demo.unitHead, head.messageId, {
          value,
          form_value: { comment: '', transfer_to: to },
          name: 'btn',
        }),
      );
      expect((res.body as { toast: { content: string } }).toast.content).toMatch(
        /^不能转交给 (刘洋|副校长)：只能转交给可以办理“单位负责人审核”的人员，且不能是提交人或填报人$/,
      );
    }
    expect((await instanceOf(s, '2026-JYJ01-007')).state.steps[0]!.approvers).toEqual([ids[demo.unitHead]]);
    await head.click('同意', { comment: '' });
    expect(head.lastToast?.type).toBe('success');
  });

  it('answers 查看完整内容 of older cards only to those the read rule allows', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-005');
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    // Today's card carries the whole submission; cards sent before it did still have the button.
    const detail = { action: 'appr.detail', iid: (head.button('同意') as { iid: number }).iid };
    const stranger = new CardDriver(s, demo.otherFiller);
    await stranger.clickValue(detail);
    expect(stranger.lastToast).toEqual({ type: 'warning', content: '您无权查看该填报内容' });
    // The finance section in charge of the supervising department may read it before its step comes.
    const finance = new CardDriver(s, demo.finance);
    await finance.clickValue(detail);
    expect(finance.lastToast).toEqual({ type: 'info', content: '完整内容已发送给您' });
    await head.clickValue(detail);
    await flush(s);
    expect(s.fake.messagesTo(demo.otherFiller)).toHaveLength(0);
    expect(text(s.fake.messagesTo(demo.unitHead).at(-1)!.card)).toContain('绩效目标申报表');
  });

  it('batch approval from one list card, with a result per item', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-006');
    await submitTarget(s, demo.filler, '2026-JYJ01-007');
    await s.send(textMessage(s.id, demo.unitHead, '待审批'));
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批事项');
    expect(text(head.card)).toContain('共 2 项');
    // Each row says whose it is, how much, and how long it has waited.
    expect(text(head.card)).toMatch(/杭州第一中学 · \*\*[\d,.]+ 万元\*\* · 今天送达/);
    const listCard = head.card;
    const keys = (JSON.stringify(head.card).match(/"value":"(\d+)"/g) ?? []).map((m) => m.slice(9, -1));
    await head.click('批量同意', { items: keys, comment: '' });
    expect(text(head.card)).toContain('批量同意：成功 2 项，共 2 项');
    expect((await instanceOf(s, '2026-JYJ01-006')).sub.status).toBe('approved');
    expect((await instanceOf(s, '2026-JYJ01-007')).sub.status).toBe('approved');
    // The same list, clicked again from an older copy: each item reports that it was already decided.
    head.card = listCard;
    await head.click('批量同意', { items: keys, comment: '' });
    expect(text(head.card)).toContain('批量同意：成功 0 项，共 2 项');
    expect(text(head.card)).toContain('已由 张伟 同意');
  });
});
