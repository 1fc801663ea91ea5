import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { addWorkingDays } from '../../src/shared/working-days';
import { CardDriver, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * 双监控 through cards: a campaign as of 6月30日 (time progress 50 %), a report on the approved target that lights
 * red, its warning to the unit, the supervising department and the finance section once, the lights on 进度, the
 * corrective action in 待办, and 建议暂缓拨款 on the 10th working day after an unconfirmed action's deadline.
 */
const at = (beijing: string) => Date.parse(`${beijing}+08:00`);
const project = '2026-JYJ01-005'; // 实验室设备更新, 杭州第一中学, 480 万元, tier B
const chain = [demo.unitHead, demo.supervising, demo.finance];
const deadline = '2026-09-15';

describe.each(dialects())('双监控 on %s', (dialect) => {
  let s: Stack;
  let now = at('2026-08-03T10:00:00');
  afterEach(async () => s?.stop());

  const say = async (openId: string, words: string, match: string) => {
    await s.send(textMessage(s.id, openId, words));
    await flush(s);
    return new CardDriver(s, openId).fromInbox(match);
  };
  const tick = async (date: string) => {
    now = at(`${date}T10:00:00`);
    await s.service.scheduler.tick(now);
    await flush(s);
  };
  const cardsWith = (openId: string, words: string) =>
    s.fake.messagesTo(openId).filter((m) => text(m.card).includes(words)).length;

  async function launchAsOfJune() {
    const bureau = await say(demo.performance, '发起填报', '发起填报任务');
    await bureau.click('发起', {
      title: '2026 年绩效运行监控',
      form: 'performance-monitoring',
      population: 'projects',
      year: '2026',
      opens: '2026-08-03 +0800',
      deadline: '2026-08-14 +0800',
      as_of: '2026-06-30 +0800',
    });
    expect(text(bureau.card)).toContain('已发起：27 项任务');
    expect(text(bureau.card)).toContain('另有 13 个对象不适用本表单'); // tier C: managed by their departments alone
  }

  /** The report as the filler fills it: funds 100 of 480 spent (20.83 % ÷ 50 % → 红), row 1 at 40 % (红). */
  async function fillRedReport(): Promise<CardDriver> {
    const u = await say(demo.filler, `填报 ${project}`, '选择要填报的表单');
    await u.click('开始填报', undefined, '绩效运行监控表**\\n');
    expect(text(u.card)).toContain('2026-06-30'); // the campaign's as-of date, locked
    expect(text(u.card)).toContain('50.00%（自动计算）');
    expect(inputs(u.card).as_of).toBeUndefined();
    await u.click('下一步', { budget_full: '480', spent: '100', expected_spend: '480' });
    expect(text(u.card)).toContain('执行偏慢原因');
    expect(text(u.card)).toContain('41.67%'); // 20.83 % ÷ 50 %
    await u.click('下一步', { budget_full: '480', spent: '100', expected_spend: '480', funds_reason: '设备招标延期' });
    await u.click('下一步', { goal_progress: '完成招标文件编制' });
    await u.click('填写', undefined, '完成数量');
    // The target (≥ 10 项) cannot be lowered from the report.
    await u.click('保存这一行', { value: '4', to_date: '2', expected: '8' });
    expect(u.lastToast?.content).toContain('「年度指标值」不能修改');
    await u.click('保存这一行', { to_date: '2', expected: '8' }); // 2 ÷ (10 × 50 %) = 40 % → 红
    expect(text(u.card)).toContain('偏差原因');
    await u.click('保存这一行', { to_date: '2', expected: '8', causes: ['经费保障'], likelihood: '有可能' });
    expect(text(u.card)).toContain('【红】完成数量');
    await u.click('填写', undefined, '服务效果');
    await u.click('保存这一行', { qual_level: '达成' });
    await u.click('下一步');
    expect(text(u.card)).toContain('纠偏措施');
    await u.click('下一步', { corrective: '调整预算', corrective_deadline: `${deadline} +0800`, corrective_note: '' });
    expect(text(u.card)).toContain('**红**');
    await u.click('确认提交');
    expect(u.lastToast).toEqual({ type: 'success', content: '已提交（第 1 版）' });
    await flush(s);
    return u;
  }

  it('lights a lagging project red, warns once, lists its corrective action and flags it when not carried out', async () => {
    s = await startStack(dialect, { clock: () => now });
    await submitTarget(s, demo.filler, project);
    await approveAll(s, chain);
    await launchAsOfJune();
    await fillRedReport();
    const db = s.service.deps.db;
    const row = await db('monitoring_follow_ups').first();
    expect(row).toMatchObject({ light: '红', action: '调整预算', deadline, status: 'open', as_of: '2026-06-30' });
    // The report goes through the chain declared in its form file.
    expect(cardsWith(demo.unitHead, '待审批：绩效运行监控表')).toBe(1);

    // The next morning's digest: the unit, its supervising department and the finance section hear of it once.
    await tick('2026-08-04');
    await tick('2026-08-05');
    const warning = '【红灯】实验室设备更新（2026-JYJ01-005）（杭州第一中学），截至 2026-06-30';
    for (const openId of [demo.filler, demo.unitHead, demo.supervising, demo.finance])
      expect(cardsWith(openId, warning), openId).toBe(1);
    expect(cardsWith(demo.performance, warning)).toBe(0);
    expect(cardsWith(demo.otherFiller, warning)).toBe(0);

    // 进度 for the bureau: the lights, the red project first.
    const progress = await say(demo.performance, '进度', '填报进度');
    expect(text(progress.card)).toContain('**监控预警**　红 1');
    expect(text(progress.card)).toContain('实验室设备更新（2026-JYJ01-005）（杭州第一中学）：调整预算');
    expect(text(progress.card)).toContain('杭州第一中学：红 1');
    // The same lights as a ring chart (Lark's chart component).
    expect(text(progress.card)).toContain('"values":[{"light":"红","count":1}]');

    // 待办 lists the action; nobody else's unit may confirm it.
    const todo = await say(demo.filler, '待办', '纠偏措施：调整预算');
    const other = new CardDriver(s, demo.otherFiller);
    other.card = todo.card;
    await other.click('已落实');
    expect(other.lastToast?.content).toBe('只有本单位的填报人或单位负责人可以确认落实');

    // Not confirmed: flagged on the 10th working day after the deadline, not on the 9th; the bureau hears of it once.
    await tick(addWorkingDays(deadline, 9));
    expect((await db('monitoring_follow_ups').first('flagged_at')).flagged_at).toBeNull();
    const flagDay = addWorkingDays(deadline, 10);
    await tick(flagDay);
    await tick(addWorkingDays(deadline, 11));
    const flagged =
      '【建议暂缓拨款】实验室设备更新（2026-JYJ01-005）（杭州第一中学）：纠偏措施“调整预算”期限 9月15日 周二 已过 10 个工作日';
    for (const openId of [demo.performance, demo.unitHead, demo.finance]) expect(cardsWith(openId, flagged)).toBe(1);
    expect(Number((await db('monitoring_follow_ups').first('flagged_at')).flagged_at)).toBe(at(`${flagDay}T10:00:00`));
    expect(text((await say(demo.performance, '进度', '填报进度')).card)).toContain('调整预算 · 建议暂缓拨款');

    // Confirmed once: a second click changes nothing.
    const done = await say(demo.filler, '待办', '纠偏措施：调整预算');
    await done.click('已落实');
    expect(done.lastToast).toEqual({ type: 'success', content: '已确认落实：调整预算' });
    await done.click('已落实');
    expect(done.lastToast).toEqual({ type: 'info', content: '已确认落实，无需重复操作' });
    expect(await db('audit_log').where({ action: 'monitoring.action_done' }).count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(text((await say(demo.filler, '待办', '待办')).card)).not.toContain('纠偏措施：调整预算');
  });

  it('needs an approved target: without one the report does not start and the card says whom to ask', async () => {
    s = await startStack(dialect, { clock: () => now });
    await launchAsOfJune();
    const u = await say(demo.filler, `填报 ${project}`, '选择要填报的表单');
    await u.click('开始填报', undefined, '绩效运行监控表**\\n');
    expect(u.lastToast?.content).toContain('还没有已批复的《绩效目标申报表》，暂不能开始《绩效运行监控表》');
    expect(u.lastToast?.content).toContain('单位负责人（张伟）');
  });
});
