import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { addWorkingDays, beijingDate } from '../../src/shared/working-days';
import { CardDriver, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { selfEvaluationOpen, submitSelfEvaluation } from '../helpers/fill-self-evaluation';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * 抽评 through the cards: an approved self-evaluation drawn, re-scored by its assigned third party, and a 整改 task
 * for the unit when the review falls more than the threshold below the self-score (none when it does not); the
 * rectification verified by the performance division. Nobody but the assignee can fill the review.
 */
const project = '2026-JYJ01-005'; // 实验室设备更新, tier B: self-evaluation by unit head and supervising department
const thirdParty = 'ou_demo0000000000000000000000007'; // 孙悦, 第三方评价

describe.each(dialects())('抽评 re-scoring on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  /** The target approved, the self-evaluation (100 分, 优) approved, its campaign drawn at 100 %. */
  async function drawn() {
    s = await startStack(dialect);
    await selfEvaluationOpen(s, project, [demo.unitHead, demo.supervising, demo.finance]);
    const { db } = s.service.deps;
    await submitSelfEvaluation(s, demo.filler, project, { spent: '480', count: '10', level: '达成', points: '40' });
    await approveAll(s, [demo.unitHead, demo.supervising]);
    // Last year's 差 makes the project a mandatory draw: 1 × 11.5 % rounds to none, the rule takes it anyway.
    await db('projects').where({ code: project }).update({ previous_grade: '差' });
    await s.send(textMessage(s.id, demo.performance, '抽评'));
    await flush(s);
    const bureau = new CardDriver(s, demo.performance).fromInbox('尚未抽样');
    const draw = bureau.button(/^抽取“2026 年度绩效自评”/);
    await bureau.clickValue(draw);
    expect(bureau.lastToast).toEqual({ type: 'success', content: '已抽取 1 项并通知复核人' });
    expect(text(bureau.card)).toContain('上年评价为差');
    expect(text(bureau.card)).toContain('孙悦 1 项');
    // A double click (or a redelivery) draws nothing more and says so.
    await bureau.clickValue(draw);
    expect(bureau.lastToast).toEqual({ type: 'info', content: '该任务已抽样，未重复抽取' });
    expect(await db('sampling_draws').count({ n: '*' })).toEqual([{ n: 1 }]);
    await flush(s);
    return db;
  }

  /** The reviewer opens the review from 评价任务 and re-scores: spent, the quantity done, the qualitative level. */
  async function review(spent: string, count: string, level: string, points: string) {
    const notice = new CardDriver(s, thirdParty).fromInbox('抽评复核任务');
    expect(text(notice.card)).toContain('实验室设备更新（2026-JYJ01-005）');
    await notice.click('查看评价任务');
    await flush(s);
    const r = new CardDriver(s, thirdParty).fromInbox('评价任务');
    await r.click('开始评价', undefined, '抽评复核表');
    expect(text(r.card)).toContain('核实执行数');
    await r.click('下一步', { review_spent: spent });
    await r.click('填写', undefined, '完成数量');
    // Only the verified figures are asked: the self-evaluation's rows are shown, not inputs.
    expect(Object.keys(inputs(r.card)).sort()).toEqual(['finding', 'review_actual']);
    await r.click('保存这一行', { review_actual: count, finding: '验收资料显示实际完成数量不足' });
    await r.click('填写', undefined, '服务效果');
    await r.click('保存这一行', { review_level: level, review_points: points, finding: '满意度调查样本不足' });
    await r.click('下一步');
    await r.click('下一步', { findings: '部分绩效数据与佐证材料不一致', suggestions: '完善台账', basis: '现场核查' });
    await r.click('确认提交');
    expect(r.lastToast?.type, JSON.stringify(r.lastToast)).toBe('success');
    await flush(s);
    return r;
  }

  it('records a review close to the self-score without a rectification', async () => {
    const db = await drawn();
    // 456 / 480 = 95 % → 9.5; 10 项 → 50; 达成 38 → 38: 97.5, 优, 2.5 below the self-score of 100.
    await review('456', '10', '达成', '38');
    const item = await db('sampling_items').first();
    expect(Number(item.self_score)).toBe(100);
    expect(Number(item.review_score)).toBe(97.5);
    expect(item.review_grade).toBe('优');
    expect(Boolean(item.rectify)).toBe(false);
    expect(await db('campaigns').where({ form_id: 'rectification' }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('starts a rectification for a gap above the threshold, verified by the performance division', async () => {
    const db = await drawn();
    // 整改 is never the unit's to begin: 填报 offers it only once a review of the project exists.
    const chooser = async () => {
      await s.send(textMessage(s.id, demo.filler, '填报 2026-JYJ01-005'));
      await flush(s);
      return text(new CardDriver(s, demo.filler).fromInbox('选择要填报的表单').card);
    };
    expect(await chooser()).not.toContain('整改反馈单');
    // 480 → 10; 7 of 10 项 → 35; 部分达成 28 → 28: 73, 中, 27 below the self-score: the unit must rectify.
    await review('480', '7', '部分达成', '28');
    const item = await db('sampling_items').first();
    expect(Number(item.review_score)).toBe(73);
    expect(item.review_grade).toBe('中');
    expect(Boolean(item.rectify)).toBe(true);
    const campaigns = await db('campaigns').where({ form_id: 'rectification' });
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0].title).toBe('抽评整改：实验室设备更新');
    expect(campaigns[0].deadline).toBe(addWorkingDays(beijingDate(Date.now()), 15));
    expect(await chooser()).toContain('整改反馈单');

    // The unit hears of it, answers with what the review found in front of it, and the bureau verifies.
    const u = new CardDriver(s, demo.filler).fromInbox('抽评整改');
    await u.click('填报', undefined, '实验室设备更新');
    expect(text(u.card)).toContain('部分绩效数据与佐证材料不一致');
    expect(text(u.card)).toContain('73');
    await u.click('下一步', { measures: '重新核对台账', result: '已补齐佐证材料' });
    await u.click('下一步', { done_on: '2026-12-20 +0800', evidence: '' });
    await u.click('确认提交');
    expect(u.lastToast?.type, JSON.stringify(u.lastToast)).toBe('success');
    await approveAll(s, [demo.unitHead, demo.performance]);
    const sub = await db('submissions').where({ form_id: 'rectification' }).first('status');
    expect(sub.status).toBe('approved');

    await afterTheYear();
  });

  /**
   * The rest of the year's close through the bureau's cards: 结果应用 suggests 压减 10 % for the 抽评 grade 中 (the
   * 整改 verified), the bureau overrides it only with a reason; 评优 rates the third party's report and publishes it
   * to the chat; 信息公开 then holds the project.
   */
  async function afterTheYear() {
    const db = s.service.deps.db;
    // The city overview: the year's grades as a distribution chart (the drawn project 中, the rest not evaluated).
    await s.send(textMessage(s.id, demo.performance, '结果应用'));
    await flush(s);
    const overview = text(new CardDriver(s, demo.performance).fromInbox('评价等级分布').card);
    expect(overview).toMatch(/"tag":"chart".*\{"grade":"中","count":1\}/);
    await s.send(textMessage(s.id, demo.performance, '结果应用 JYJ01'));
    await flush(s);
    const r = new CardDriver(s, demo.performance).fromInbox('结果应用 · 2026 年度');
    expect(text(r.card)).toContain(
      '"project":"实验室设备更新（2026-JYJ01-005）","result":"中（抽评复核 73 分）","suggested":"压减 10%","decided":"待确认"',
    );
    await r.click('确认本单位建议');
    expect(r.lastToast).toEqual({ type: 'success', content: '已确认 1 个项目' });
    expect(text(r.card)).toContain('"suggested":"压减 10%","decided":"已确认：压减 10%"');
    await r.click('调整处理意见', { item: project, choice: '保障', number: '', text: '' });
    expect(text(r.card)).toContain('与建议（压减）不同，请说明调整理由');
    await r.click('调整处理意见', { item: project, choice: '保障', number: '', text: '列入市重点民生项目' });
    expect(r.lastToast).toEqual({ type: 'success', content: `已将 ${project} 的处理意见定为 保障` });
    expect(text(r.card)).toContain('已调整：保障（列入市重点民生项目）');
    const confirmed = await db('budget_results').select('action', 'suggested', 'reason');
    expect(confirmed).toEqual(
      expect.arrayContaining([{ action: '保障', suggested: '压减', reason: '列入市重点民生项目' }]),
    );

    await s.send(textMessage(s.id, demo.performance, '评优'));
    await flush(s);
    const q = new CardDriver(s, demo.performance).fromInbox('评优 · 2026 年度');
    expect(text(q.card)).toContain('抽评复核表 · 实验室设备更新（2026-JYJ01-005） · 评价人 孙悦 · 73 分 · 中 · 未评定');
    const sid = String((await db('submissions').where({ form_id: 'sampling-review' }).first('id')).id);
    await q.click('评定', { item: sid, choice: '不合格', text: '' });
    expect(text(q.card)).toContain('评定为不合格时请填写评定意见');
    await q.click('评定', { item: sid, choice: '优秀', text: '核查扎实' });
    expect(q.lastToast).toEqual({ type: 'success', content: '已评定为优秀' });
    await q.click('发布到本会话');
    await q.click('发布到本会话');
    await flush(s);
    const published = s.fake.messagesTo(`oc_${demo.performance.slice(3)}`);
    expect(published).toHaveLength(1);
    expect(text(published[0]!.card)).toContain('实验室设备更新（2026-JYJ01-005），评价人 孙悦');

    await s.send(textMessage(s.id, demo.performance, '信息公开'));
    await flush(s);
    const d = new CardDriver(s, demo.performance).fromInbox('信息公开 · 2026 年度');
    expect(text(d.card)).toContain('可公开 1 个项目');
  }

  it('lets only the assigned reviewer fill the review', async () => {
    const db = await drawn();
    const projectId = (await db('projects').where({ code: project }).first('id')).id;
    const open = { action: 'form.open', form: 'sampling-review', type: 'project', id: Number(projectId) };
    // The unit's filler, and the performance division who was not assigned, are refused; nothing is started.
    for (const who of [demo.filler, demo.performance]) {
      const c = new CardDriver(s, who);
      await c.clickValue(open);
      expect(c.lastToast?.content).toBe('您不是该对象的指定评价人，不能填写此表');
    }
    // Another project of the year that was not drawn: the reviewer is refused too.
    const other = await db('projects').where({ year: 2026 }).whereNot({ code: project }).first('id');
    const r = new CardDriver(s, thirdParty);
    await r.clickValue({ ...open, id: Number(other.id) });
    expect(r.lastToast?.content).toBe('您不是该对象的指定评价人，不能填写此表');
    expect(await db('submissions').where({ form_id: 'sampling-review' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    // The unit's 填报 does not list the review form.
    await s.send(textMessage(s.id, demo.filler, `填报 ${project}`));
    await flush(s);
    expect(text(new CardDriver(s, demo.filler).fromInbox('选择要填报的表单').card)).not.toContain('抽评复核表');
  });
});
