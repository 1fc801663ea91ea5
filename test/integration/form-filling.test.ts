import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, buttons, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';
import { targetFirstPage } from '../helpers/fill-target';

const project = '2026-JYJ01-005'; // 实验室设备更新, 杭州第一中学

async function openChooser(s: Stack, u: CardDriver) {
  await s.send(textMessage(s.id, u.openId, '填报'));
  await flush(s);
  u.fromInbox('选择要填报的表单');
}

async function fillTarget(s: Stack, u: CardDriver) {
  await openChooser(s, u);
  expect(text(u.card)).toContain('实验室设备更新');
  await u.click('开始填报', undefined, `绩效目标申报表**\\n实验室设备更新（${project}）`);
  expect(text(u.card)).toContain('第 1/5 步 · 项目基本信息');
  // The project's identity comes from the project library: shown, not typed.
  expect(text(u.card)).toMatch(/项目名称[^]*实验室设备更新/);
  expect(text(u.card)).toContain('杭州第一中学');
  expect(inputs(u.card)).not.toHaveProperty('project_name');
  expect(inputs(u.card)).not.toHaveProperty('project_code');

  const header = {
    manager: '',
    phone: '电话',
    start_date: '2026-01-01 +0800',
    end_date: '2026-12-31 +0800',
  };
  await u.click('下一步', header);
  expect(text(u.card)).toContain('有 2 处需要修改');
  expect(text(u.card)).toContain('此项必填');
  expect(text(u.card)).toContain('请填写有效的电话号码');
  expect(inputs(u.card).phone).toBe('电话'); // what the user typed is kept
  expect(inputs(u.card).start_date).toBe('2026-01-01');

  // A forged card that renames the project changes nothing.
  await u.click('下一步', { ...header, manager: '刘洋', phone: '0571-87001234', project_name: '别的项目' });
  expect(u.lastToast?.content).toContain('「项目名称」不能修改');
  await u.click('下一步', { ...header, manager: '刘洋', phone: '0571-87001234' });
  expect(text(u.card)).toContain('项目资金（万元）');
  await u.click('下一步', { fund_fiscal: '180.50', fund_other: '三百' });
  expect(text(u.card)).toContain('请输入金额（万元）');
  await u.click('下一步', { fund_fiscal: '180.50', fund_other: '300万' });
  expect(text(u.card)).toContain('第 3/5 步 · 绩效目标');

  // The filler leaves; later `填报` shows the draft and reopens it where they were.
  await openChooser(s, u);
  await u.click('继续填报', undefined, project);
  expect(text(u.card)).toContain('第 3/5 步 · 绩效目标');

  await u.click('下一步', {
    overall_goal: '完成实验室设备更新，提升实验教学条件',
    annual_goal: '更新物理、化学实验室设备 100 台套',
  });
  expect(text(u.card)).toContain('共 0 行（至少 1 行）');
  await u.click('下一步');
  expect(text(u.card)).toContain('至少需要 1 行（当前 0 行）');

  await u.click('添加一行');
  await u.click('保存这一行', {
    level1: '产出指标',
    level2: '数量指标',
    name: '更新设备数量',
    operator: '≥',
    value: '',
    unit: '台套',
    weight: '50',
  });
  expect(text(u.card)).toContain('指标值');
  expect(text(u.card)).toContain('此项必填');
  await u.click('保存这一行', {
    level1: '产出指标',
    level2: '数量指标',
    name: '更新设备数量',
    operator: '≥',
    value: '100',
    unit: '台套',
    weight: '50',
  });
  await u.click('添加一行');
  await u.click('保存这一行', {
    level1: '效益指标',
    level2: '数量指标',
    name: '实验开出率',
    operator: '定性',
    text_value: '显著提升',
    weight: '40',
  });
  expect(text(u.card)).toContain('二级指标与一级指标不对应');
  await u.click('保存这一行', {
    level1: '效益指标',
    level2: '社会效益指标',
    name: '实验教学条件',
    operator: '定性',
    text_value: '显著提升',
    weight: '40',
  });
  expect(text(u.card)).toContain('共 2 行');

  await u.click('下一步');
  expect(text(u.card)).toContain('核对并提交');
  expect(text(u.card)).toContain('480.50 万元'); // 180.50 + 300 computed
  await u.click('确认提交');
  expect(u.lastToast).toEqual({ type: 'success', content: '已提交（第 1 版）' });
  expect(text(u.card)).toContain('已提交');
}

/**
 * The target filled and approved (tier B, 4,800,000 yuan: unit head → supervising department → finance section), then
 * its self-evaluation started and filled up to the goals page with these budget figures.
 */
async function startSelfEvaluation(s: Stack, u: CardDriver, funds: Record<string, string>) {
  await fillTarget(s, u);
  await approveAll(s, [demo.unitHead, demo.supervising, demo.finance]);
  await openChooser(s, u);
  await u.click('开始填报', undefined, `项目支出绩效自评表**\\n实验室设备更新（${project}）`);
  // Nothing to enter about the project: the first page is the budget, naming the target it measures against.
  expect(text(u.card)).toContain('第 1/5 步 · 预算执行');
  expect(text(u.card)).toMatch(/对照的绩效目标\*\*"\},\{"tag":"markdown","content":"第 1 版（\d{4}-\d{2}-\d{2} 批复）/);
  await u.click('下一步', funds);
}

describe.each(dialects())('filling forms through cards on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('fills the target form end to end: errors kept beside fields, resume, rows, computed total, submit', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await fillTarget(s, u);
    const db = s.service.deps.db;
    const sub = await db('submissions').where({ form_id: 'performance-target' }).first();
    expect(sub.status).toBe('in_approval'); // the approval chain has started
    const rev = await db('submission_revisions').where({ submission_id: sub.id }).first();
    expect(rev.status).toBe('submitted');
    expect(rev.form_version).toBe(6); // forms/performance-target.yaml
    expect(JSON.parse(rev.data).indicators).toHaveLength(2);
    expect(await db('audit_log').where({ entity_type: 'submission' }).orderBy('id').pluck('action')).toEqual([
      'submission.create',
      'submission.submit',
      'approval.start',
    ]);
  });

  it('lets the approver score down a row far beyond its target, with the reason kept in the revision and audit', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await startSelfEvaluation(s, u, { budget_full: '1600', spent: '1600' });
    await u.click('下一步', { goal_actual: '更新 1000 台套' });
    // Row 1: ≥ 100 with 1,000 done scores full but is flagged: the filler explains, and may not set the score.
    await u.click('填写', undefined, '更新设备数量');
    const row1 = { actual: '1000', adjusted_score: '50' };
    await u.click('保存这一行', row1);
    expect(text(u.card)).toContain('此项必填');
    await u.click('保存这一行', { ...row1, deviation: '年初按一期规模设定，二期提前实施' });
    await u.click('填写', undefined, '实验教学条件');
    await u.click('保存这一行', { qual_level: '达成', qual_points: '40' });
    await u.click('下一步');
    await u.click('下一步', { conclusion: '完成', problems: '', measures: '' });
    expect(text(u.card)).toContain('**100**');
    await u.click('确认提交');
    expect(u.lastToast?.type).toBe('success');
    const db = s.service.deps.db;
    const stored = async () => {
      const sub = await db('submissions').where({ form_id: 'self-evaluation' }).first('id');
      const rev = await db('submission_revisions').where({ submission_id: sub.id }).first('data');
      return JSON.parse(rev.data).indicators[0];
    };
    expect((await stored()).adjusted_score).toBeUndefined(); // what the filler sent for it was ignored

    // The unit head's card offers 调整得分 for the flagged row only.
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('项目支出绩效自评表');
    expect(text(head.card)).toContain('第 1 行 更新设备数量：得分 50（最高 50）');
    expect(text(head.card)).not.toContain('第 2 行 实验教学条件');
    await head.click('调整得分', { adjust_row: '0', adjust_score: '35', comment: '' });
    expect(head.lastToast).toEqual({ type: 'warning', content: '请在审批意见中填写调整理由' });
    await head.click('调整得分', { adjust_row: '0', adjust_score: '60', comment: '目标偏低' });
    expect(head.lastToast?.content).toContain('0–50');
    await head.click('调整得分', { adjust_row: '1', adjust_score: '30', comment: '目标偏低' });
    expect(head.lastToast).toEqual({ type: 'warning', content: '请选择需要调整得分的指标' });
    // Someone who is not deciding the current step may not adjust.
    const other = new CardDriver(s, demo.supervising);
    other.card = head.card;
    await other.click('调整得分', { adjust_row: '0', adjust_score: '10', comment: '越权' });
    expect(other.lastToast?.type).toBe('warning');
    expect((await stored()).adjusted_score).toBeUndefined();

    await head.click('调整得分', { adjust_row: '0', adjust_score: '35', comment: '目标按一期规模设定，偏低' });
    expect(head.lastToast).toEqual({ type: 'success', content: '已调整第 1 行得分为 35' });
    expect(await stored()).toMatchObject({ adjusted_score: 35, adjust_reason: '目标按一期规模设定，偏低' });
    const adjusted = await db('audit_log').where({ action: 'approval.adjust' }).first('detail', 'actor_user_id');
    expect(JSON.parse(adjusted.detail)).toMatchObject({ row: 0, score: 35, reason: '目标按一期规模设定，偏低' });
    // A double click records nothing more; the head's card in the inbox shows the new score.
    await head.click('调整得分', { adjust_row: '0', adjust_score: '35', comment: '目标按一期规模设定，偏低' });
    expect(head.lastToast).toEqual({ type: 'success', content: '已调整第 1 行得分为 35' });
    expect(await db('audit_log').where({ action: 'approval.adjust' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await flush(s);
    // The approver's card, updated in place, shows the new total and grade beside the scored row.
    const updated = text(new CardDriver(s, demo.unitHead).fromInbox('项目支出绩效自评表').card);
    expect(updated).toContain('得分 35（最高 50）');
    expect(updated).toContain('**85**'); // 10 + 35 + 40
    expect(updated).toContain('**良**');
  });

  it('fills the self-evaluation from the submitted target and scores it as computed by hand', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await startSelfEvaluation(s, u, { budget_full: '1600', spent: '1480' });
    expect(text(u.card)).toContain('预期目标');
    // Prefilled from the approved target, shown and not an input.
    expect(text(u.card)).toContain('更新物理、化学实验室设备 100 台套');
    expect(inputs(u.card).annual_goal).toBeUndefined();
    await u.click('下一步', { goal_actual: '已更新 85 台套，其余因供货延迟顺延' });
    expect(text(u.card)).toContain('共 2 行');

    // Row 1: ≥ 100 台套, weight 50, actual 85 → 50 × 85/100 = 42.5: lost points, so a deviation reason is required.
    await u.click('填写', undefined, '更新设备数量');
    expect(text(u.card)).toContain('年度指标值');
    expect(text(u.card)).toContain('"content":"100"'); // the target value, shown
    expect(Object.keys(inputs(u.card)).sort()).toEqual(['actual', 'deviation', 'evidence']);
    const row1 = {};
    await u.click('保存这一行', { ...row1, actual: '八十五' });
    expect(text(u.card)).toContain('请输入数字');
    await u.click('保存这一行', { ...row1, actual: '85' });
    expect(text(u.card)).toContain('偏差原因分析及改进措施');
    expect(text(u.card)).toContain('此项必填');
    await u.click('保存这一行', { ...row1, actual: '85', deviation: '供货延迟，已督促供应商' });

    // Row 2: qualitative, weight 40, 部分达成 with 30 points (75%, inside 60–80%) → 30; lost points → reason required.
    await u.click('填写', undefined, '实验教学条件');
    const row2 = {};
    await u.click('保存这一行', { ...row2, qual_level: '部分达成', qual_points: '35', deviation: '部分实验室未完工' });
    expect(text(u.card)).toContain('定性指标得分应在所选档次的范围内'); // 35/40 = 87.5% is not 部分达成
    await u.click('保存这一行', { ...row2, qual_level: '部分达成', qual_points: '30', deviation: '部分实验室未完工' });

    await u.click('下一步');
    await u.click('下一步', { conclusion: '项目基本完成年度目标', problems: '', measures: '' });
    // 执行率 1480/1600 = 92.5% → 9.25; total 9.25 + 42.5 + 30 = 81.75 → 良 (80 ≤ 81.75 < 90).
    const summary = text(u.card);
    expect(summary).toContain('92.50%');
    expect(summary).toContain('**9.25**');
    expect(summary).toContain('**81.75**');
    expect(summary).toContain('**良**');
    await u.click('确认提交');
    expect(u.lastToast?.type).toBe('success');

    const db = s.service.deps.db;
    const sub = await db('submissions').where({ form_id: 'self-evaluation' }).first();
    const data = JSON.parse(
      (await db('submission_revisions').where({ submission_id: sub.id, revision: 1 }).first()).data,
    );
    expect(data.budget_full).toBe(1600);
    expect(data.indicators.map((r: { actual: number | null }) => r.actual)).toEqual([85, null]);
  });

  it('holds the self-evaluation to the approved target: none before approval, locked rows, forged values refused', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await fillTarget(s, u);
    // Submitted but not yet approved: no self-evaluation starts, and the card says whom to ask.
    await openChooser(s, u);
    await u.click('开始填报', undefined, `项目支出绩效自评表**\\n实验室设备更新（${project}）`);
    expect(u.lastToast?.content).toContain('还没有已批复的《绩效目标申报表》，暂不能开始《项目支出绩效自评表》');
    expect(u.lastToast?.content).toContain('单位负责人（张伟）');
    const db = s.service.deps.db;
    expect(await db('submissions').where({ form_id: 'self-evaluation' }).count({ n: '*' })).toEqual([{ n: 0 }]);

    await approveAll(s, [demo.unitHead, demo.supervising, demo.finance]);
    await openChooser(s, u);
    await u.click('开始填报', undefined, `项目支出绩效自评表**\\n实验室设备更新（${project}）`);
    // 年初预算数 is the approved target's total (180.50 + 300); 全年预算数 starts at the project's amount.
    expect(text(u.card)).toContain('480.50 万元');
    expect(inputs(u.card).budget_initial).toBeUndefined();
    expect(inputs(u.card).budget_full).toBe('480.00');
    const funds = u.card;
    await u.click('下一步', { budget_initial: '1', budget_full: '480', spent: '400' });
    expect(u.lastToast?.content).toContain('「年初预算数」不能修改：取自已批复的绩效目标');
    u.card = funds;
    await u.click('下一步', { budget_full: '480', spent: '470' });
    await u.click('下一步', { goal_actual: '完成' });
    // The table: rows are filled in, never added or deleted.
    expect(buttons(u.card).map((b) => b.text)).not.toContain('添加一行');
    expect(buttons(u.card).map((b) => b.text)).not.toContain('删除');
    const table = u.card;
    const value = u.button('填写', '更新设备数量');
    for (const forged of [
      { action: 'form.row.edit', index: -1 },
      { action: 'form.row.delete', index: 0 },
    ]) {
      await u.clickValue({ ...value, ...forged });
      expect(u.lastToast?.content).toContain('「绩效指标」不能增加或删除行');
    }
    u.card = table;
    await u.click('填写', undefined, '更新设备数量');
    // Lowering the target from 100 to 50 so that 55 meets it: refused, and nothing of the input is kept.
    await u.click('保存这一行', { value: '50', actual: '55', deviation: '—' });
    expect(u.lastToast?.content).toContain('「年度指标值」不能修改');
    const rows = async () => {
      const sub = await db('submissions').where({ form_id: 'self-evaluation' }).first('id');
      return JSON.parse((await db('submission_revisions').where({ submission_id: sub.id }).first('data')).data)
        .indicators;
    };
    expect((await rows())[0]).toMatchObject({ value: 100, weight: 50 });
    expect((await rows())[0].actual).toBeUndefined();
    await u.click('保存这一行', { actual: '55', deviation: '供货延迟' });
    expect((await rows())[0]).toMatchObject({ value: 100, actual: 55 });
    expect(await rows()).toHaveLength(2);
  });

  it('pages a long table: the 16th row can be reached, edited and deleted', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await openChooser(s, u);
    await u.click('开始填报', undefined, `绩效目标申报表**\\n实验室设备更新（${project}）`);
    await u.click('下一步', targetFirstPage());
    await u.click('下一步', { fund_fiscal: '480', fund_other: '0' });
    await u.click('下一步', { overall_goal: '完成', annual_goal: '完成' });
    const row = (n: number) => ({
      level1: '产出指标',
      level2: '数量指标',
      name: `指标${n}`,
      operator: '≥',
      value: '1',
      unit: '项',
      weight: '1',
    });
    for (let n = 1; n <= 16; n++) {
      await u.click('添加一行');
      await u.click('保存这一行', row(n));
    }
    // After adding the 16th row the table shows the group that holds it.
    expect(text(u.card)).toContain('第 16–16 行，共 16 行');
    await u.click('上一组');
    expect(text(u.card)).toContain('第 1–15 行，共 16 行');
    expect(text(u.card)).not.toContain('指标16');
    await u.click('下一组');
    await u.click('编辑', undefined, '指标16');
    await u.click('保存这一行', { ...row(16), name: '指标十六' });
    expect(text(u.card)).toContain('指标十六');
    await u.click('删除', undefined, '指标十六');
    expect(text(u.card)).toContain('共 15 行');
    expect(text(u.card)).not.toContain('下一组');
  });

  it('keeps every revision: a withdrawal after submission opens revision 2 and leaves revision 1 as it was', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await fillTarget(s, u);
    await u.click('撤回');
    expect(u.lastToast).toEqual({ type: 'success', content: '已撤回' });
    // The card becomes the reopened draft's page, not a "submitted" card without a time.
    expect(text(u.card)).toContain('已撤回，可修改后重新提交');
    expect(text(u.card)).toContain('第 1/5 步');
    expect(text(u.card)).not.toContain('已于  提交');
    await openChooser(s, u);
    await u.click('继续填报', undefined, project);
    expect(text(u.card)).toContain('第 1/5 步');
    await u.click('下一步', {
      manager: '王芳',
      phone: '0571-87001234',
      start_date: '2026-01-01 +0800',
      end_date: '2026-12-31 +0800',
    });
    const db = s.service.deps.db;
    const revs = await db('submission_revisions').orderBy('revision').select('revision', 'status', 'data');
    expect(revs.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([
      [1, 'submitted'],
      [2, 'draft'],
    ]);
    expect(JSON.parse(revs[0].data).manager).toBe('刘洋');
    expect(JSON.parse(revs[1].data).manager).toBe('王芳');
  });

  it('refuses stale cards and other departments', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await openChooser(s, u);
    await u.click('开始填报', undefined, project);
    const page1 = u.card;
    await u.click('保存草稿', {
      manager: '刘洋',
      phone: '0571-87001234',
      start_date: '2026-01-01 +0800',
      end_date: '2026-02-01 +0800',
    });
    expect(u.lastToast).toEqual({ type: 'success', content: '草稿已保存，可随时回来继续填写' });
    u.card = page1; // an old copy of the card, clicked again
    await u.click('保存草稿', { manager: 'old' });
    expect(u.lastToast?.content).toBe('卡片已过期，已刷新为最新内容');
    expect(inputs(u.card).manager).toBe('刘洋');

    // A filler of another school clicking a forwarded card.
    const other = new CardDriver(s, 'ou_demo0000000000000000000000023');
    other.card = u.card;
    await other.click('保存草稿', { manager: 'hijack' });
    expect(other.lastToast).toEqual({ type: 'warning', content: '您不是该单位的填报人，不能填写此表' });
  });
});

describe.each(dialects())('hostile text in form fields on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('stores every user-text field exactly and shows it literally on every card', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    const bad = (label: string) => `${label}"}] <at id=all></at> **粗** [点我](https://evil.example) \\ 🎉\n第二行`;
    await openChooser(s, u);
    await u.click('开始填报', undefined, project);
    const header = {
      manager: '<at id=all></at>',
      phone: '0571-87001234',
      start_date: '2026-01-01 +0800',
      end_date: '2026-12-31 +0800',
    };
    await u.click('下一步', header);
    await u.click('上一步', { fund_fiscal: '1', fund_other: '0' });
    expect(inputs(u.card).manager).toBe('<at id=all></at>'); // round-trips into the input unchanged
    await u.click('下一步', header);
    await u.click('下一步', { fund_fiscal: '1', fund_other: '0' });
    await u.click('下一步', { overall_goal: bad('总体'), annual_goal: bad('年度') });
    for (const [level1, level2, weight] of [
      ['产出指标', '数量指标', '50'],
      ['效益指标', '社会效益指标', '40'],
    ]) {
      await u.click('添加一行');
      await u.click('保存这一行', {
        level1,
        level2,
        name: `${level1}"}]<at id=all></at>**粗**🎉`,
        operator: '定性',
        text_value: bad('定性'),
        unit: '"}]<at>🎉',
        weight,
      });
    }
    await u.click('下一步');
    const summary = text(u.card);
    expect(summary).toContain('确认提交');
    // Markdown never carries the raw text; a table's plain-text cells show it exactly as typed (Lark does not read
    // markdown or mentions in a `text` column).
    const elements = (u.card as { body: { elements: { tag: string; content?: string; rows?: object[] }[] } }).body
      .elements;
    const markdown = elements.filter((e) => e.tag === 'markdown').map((e) => e.content ?? '');
    expect(markdown.join('\n')).not.toMatch(/<at id=all>/);
    expect(markdown.join('\n')).not.toContain('](https://evil');
    const table = elements.find((e) => e.tag === 'table')!;
    expect(JSON.stringify(table)).toContain('"data_type":"text"');
    expect(table.rows![0]).toMatchObject({ name: '产出指标"}]<at id=all></at>**粗**🎉' });
    await u.click('确认提交');

    const rev = await s.service.deps.db('submission_revisions').first('data');
    const data = JSON.parse(rev.data);
    expect(data.manager).toBe('<at id=all></at>');
    expect(data.overall_goal).toBe(bad('总体'));
    expect(data.indicators[1].text_value).toBe(bad('定性'));
  });
});

describe.each(dialects())('fixing mistakes from the summary on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('jumps from each listed problem to its page, and back to the summary once it is fixed', async () => {
    s = await startStack(dialect);
    const u = new CardDriver(s, demo.filler);
    await openChooser(s, u);
    await u.click('开始填报', undefined, `绩效目标申报表**\\n实验室设备更新（${project}）`);
    await u.click('下一步', targetFirstPage());
    await u.click('下一步', { fund_fiscal: '480', fund_other: '0' });
    await u.click('下一步', { overall_goal: '完成建设', annual_goal: '完成建设' });
    await u.click('添加一行');
    const row = { level1: '产出指标', level2: '数量指标', name: '完成数量', operator: '≥', value: '10', unit: '项' };
    await u.click('保存这一行', { ...row, weight: '50' });
    await u.click('添加一行');
    const qual = { level1: '效益指标', level2: '社会效益指标', name: '服务效果', operator: '定性' };
    await u.click('保存这一行', { ...qual, text_value: '明显改善', weight: '40' });
    await u.click('下一步');
    expect(text(u.card)).toContain('核对并提交');
    // The draft loses two values on two pages (as a form version change or a return could leave it).
    const db = s.service.deps.db;
    const sub = await db('submissions').where({ form_id: 'performance-target' }).first('id', 'current_revision');
    const where = { submission_id: sub.id, revision: sub.current_revision };
    const data = JSON.parse((await db('submission_revisions').where(where).first('data')).data);
    data.manager = null;
    data.indicators[1].weight = null;
    await db('submission_revisions')
      .where(where)
      .update({ data: JSON.stringify(data) });
    await openChooser(s, u);
    await u.click('继续填报', undefined, `绩效目标申报表**\\n实验室设备更新（${project}）`);
    expect(text(u.card)).toContain('提交前请修改');
    expect(buttons(u.card).filter((b) => b.text === '去修改')).toHaveLength(2);
    expect(buttons(u.card).some((b) => b.text === '确认提交')).toBe(false);

    // One jump to page 1, the problem beside its field; 下一步 returns to the summary.
    await u.click('去修改', undefined, '项目负责人');
    expect(text(u.card)).toContain('第 1/5 步 · 项目基本信息');
    expect(text(u.card)).toContain('此项必填');
    await u.click('下一步', { ...targetFirstPage(), manager: '刘洋' });
    expect(text(u.card)).toContain('核对并提交');
    expect(buttons(u.card).filter((b) => b.text === '去修改')).toHaveLength(1);

    // One jump to the table, the row named; the row fixed, the table's 下一步 is the summary.
    await u.click('去修改', undefined, '第 2 行');
    expect(text(u.card)).toContain('绩效指标第 2 行「分值」');
    await u.click('编辑', undefined, '服务效果');
    await u.click('保存这一行', { ...qual, text_value: '明显改善', weight: '40' });
    await u.click('下一步');
    expect(text(u.card)).toContain('核对并提交');
    expect(buttons(u.card).some((b) => b.text === '去修改')).toBe(false);
    await u.click('确认提交');
    expect(u.lastToast).toEqual({ type: 'success', content: '已提交（第 1 版）' });
  });
});
