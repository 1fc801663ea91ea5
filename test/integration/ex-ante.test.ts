import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importClassified, projectListing } from '../../src/project-rules';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, buttons, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget, targetFirstPage } from '../helpers/fill-target';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * Before the budget: the 事前绩效评估 triggers at their boundaries (inclusive), evaluated on import and again when an
 * import changes a project; an evaluation scored through cards to each conclusion; the target campaign's gate; a tier-C
 * target that stays in its unit.
 */
const thirdParty = 'ou_demo0000000000000000000000007'; // 孙悦, 第三方评价
const header = '项目编码,项目名称,单位编码,年度,等级,金额（元）,新增项目,政府投资,政策类';
const boundaryRows = [
  '2026-JYJ01-101,政府投资 1.99 亿,JYJ01,2026,,199999999.99,是,是,否',
  '2026-JYJ01-102,政府投资 2 亿,JYJ01,2026,,200000000,是,是,否',
  '2026-JYJ01-103,新增项目 999.99 万,JYJ01,2026,,9999900,是,否,否',
  '2026-JYJ01-104,新增项目 1000 万,JYJ01,2026,,10000000,是,否,否',
  '2026-JYJ01-105,延续项目 3 亿,JYJ01,2026,,300000000,否,否,否',
  '2026-JYJ01-106,新出台政策 1200 万,JYJ01,2026,,12000000,是,否,是',
];

function csv(rows: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'projects-')), 'projects.csv');
  fs.writeFileSync(file, [header, ...rows].join('\n'));
  return file;
}

describe.each(dialects())('事前绩效评估 and tiers on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  const listed = async () =>
    Object.fromEntries(
      (await projectListing(s.service.deps.db, 2026))
        .filter((p) => p.code.startsWith('2026-JYJ01-10'))
        .map((p) => [p.code, { tier: p.tier, ex_ante: p.ex_ante, amount: p.ex_ante_amount }]),
    );

  const say = async (openId: string, words: string, match: string) => {
    await s.send(textMessage(s.id, openId, words));
    await flush(s);
    return new CardDriver(s, openId).fromInbox(match);
  };

  /** The unit argues the evaluation; its head approves; the third party scores; the performance division confirms. */
  async function evaluate(code: string, scores: number[], recommended: string) {
    const u = await say(demo.filler, `填报 ${code}`, '选择要填报的表单');
    await u.click('开始填报', undefined, '事前绩效评估表**\\n');
    await u.click('下一步', { requested: inputs(u.card).requested, summary: '项目概述' });
    const reasons = ['necessity', 'economy', 'targets', 'feasibility', 'funding'];
    await u.click('下一步', Object.fromEntries(reasons.map((r) => [r, `${r} 论证`])));
    await u.click('确认提交');
    expect(u.lastToast?.type).toBe('success');
    await approveAll(s, [demo.unitHead]);
    const reviewer = new CardDriver(s, thirdParty).fromInbox('事前评估评审');
    await reviewer.click('同意', { comment: '' });
    expect(reviewer.lastToast?.content).toContain('请填写「立项必要性得分」');
    const ids = ['s_necessity', 's_economy', 's_targets', 's_feasibility', 's_funding'];
    const review = Object.fromEntries(ids.map((id, i) => [`review_${id}`, String(scores[i])]));
    await reviewer.click('同意', {
      ...review,
      review_recommended: recommended,
      review_opinion: '评审意见',
      comment: '',
    });
    expect(reviewer.lastToast?.type, JSON.stringify(reviewer.lastToast)).toBe('success');
    await approveAll(s, [demo.performance]);
  }

  it('triggers ex-ante at the inclusive boundaries on import and on change, and scores it to each conclusion', async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    const report = await importClassified(db, csv(boundaryRows), Date.now());
    expect(report.lines).toContain('  2026-JYJ01-102 政府投资 2 亿（20,000 万元）：新增政府投资项目（2亿元及以上）');
    expect(await listed()).toEqual({
      '2026-JYJ01-101': { tier: 'A', ex_ante: 'not_required', amount: null },
      '2026-JYJ01-102': { tier: 'A', ex_ante: 'required', amount: null },
      '2026-JYJ01-103': { tier: 'B', ex_ante: 'not_required', amount: null },
      '2026-JYJ01-104': { tier: 'B', ex_ante: 'required', amount: null },
      '2026-JYJ01-105': { tier: 'A', ex_ante: 'not_required', amount: null },
      '2026-JYJ01-106': { tier: 'A', ex_ante: 'required', amount: null },
    });
    // A change of amount is a new import: 999.99 万 raised to 1000 万 now needs an evaluation.
    await importClassified(db, csv([boundaryRows[2]!.replace('9999900', '10000000')]), Date.now());
    expect((await listed())['2026-JYJ01-103']!.ex_ante).toBe('required');

    // The chooser offers the evaluation only where a trigger applies.
    expect(text((await say(demo.filler, '填报 2026-JYJ01-101', '选择要填报的表单')).card)).not.toContain(
      '事前绩效评估表',
    );

    // 20 % each: 90·90·90·90·90 = 90 予以支持; 80·70·70·60·60 = 68 调整后支持 (800 万); 50 throughout = 50 不予支持.
    await evaluate('2026-JYJ01-102', [90, 90, 90, 90, 90], '20000');
    await evaluate('2026-JYJ01-104', [80, 70, 70, 60, 60], '800');
    await evaluate('2026-JYJ01-106', [50, 50, 50, 50, 50], '0');
    const after = await listed();
    expect(after['2026-JYJ01-102']).toEqual({ tier: 'A', ex_ante: 'passed', amount: 200000000 });
    expect(after['2026-JYJ01-104']).toEqual({ tier: 'B', ex_ante: 'passed_with_changes', amount: 8000000 });
    expect(after['2026-JYJ01-106']!.ex_ante).toBe('failed');
    const scores = await db('projects').where({ code: '2026-JYJ01-104' }).first('ex_ante_score', 'ex_ante_conclusion');
    expect({ score: Number(scores.ex_ante_score), conclusion: scores.ex_ante_conclusion }).toEqual({
      score: 68,
      conclusion: '调整后支持',
    });

    // The target campaign holds back what has not passed and tells the unit; 104 starts from the recommended 800 万.
    const bureau = await say(demo.performance, '发起填报', '发起填报任务');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await bureau.click('发起', {
      title: '2026 年绩效目标',
      form: 'performance-target',
      population: 'projects',
      year: '2026',
      opens: `${today} +0800`,
      deadline: '2099-12-31 +0800',
    });
    const launched = text(bureau.card);
    expect(launched).toContain('2026-JYJ01-103 新增项目 999.99 万：需事前评估，尚未开始');
    expect(launched).toContain('2026-JYJ01-106 新出台政策 1200 万：事前评估：不予支持');
    expect(launched).not.toContain('2026-JYJ01-104 ');
    await flush(s);
    const notice = s.fake.messagesTo(demo.filler).find((m) => text(m.card).includes('以下项目需先完成事前绩效评估'));
    expect(text(notice?.card)).toContain('新增项目 999.99 万（2026-JYJ01-103）');
    const tasks = await db('campaign_tasks as t')
      .join('projects as p', 'p.id', 't.subject_id')
      .where('p.code', 'like', '2026-JYJ01-10%')
      .orderBy('p.code')
      .pluck('p.code');
    expect(tasks).toEqual(['2026-JYJ01-101', '2026-JYJ01-102', '2026-JYJ01-104', '2026-JYJ01-105']);
    const u = await say(demo.filler, '填报 2026-JYJ01-104', '选择要填报的表单');
    await u.click('开始填报', undefined, '绩效目标申报表**\\n');
    await u.click('下一步', targetFirstPage());
    expect(inputs(u.card).fund_fiscal).toBe('800.00');
  });

  it('目标审核: 中 sends the target back for revision with the ratings, 差 blocks it; the grade is kept', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-005'); // tier B: unit head → supervising → finance (目标审核)
    await approveAll(s, [demo.unitHead, demo.supervising]);
    const rate = (r: string[]) => ({
      review_r_completeness: r[0],
      review_c_completeness: '内容完整',
      review_r_relevance: r[1],
      review_c_relevance: '与职能相关',
      review_r_appropriateness: r[2],
      review_c_appropriateness: '资金偏多',
      review_r_feasibility: r[3],
      review_c_feasibility: '测算不足',
      comment: '',
    });
    const finance = new CardDriver(s, demo.finance).fromInbox('财政业务处室审核（目标审核）');
    expect(inputs(finance.card)).toHaveProperty('review_r_completeness');
    // The card's form takes its declared inputs and review_* ones, nothing else.
    await finance.click('同意', { ...rate(['优', '优', '优', '优']), score: '100' });
    expect(finance.lastToast?.content).toBe('提交的内容格式不正确，请检查后重试');
    await finance.click('同意', { ...rate(['良', '良', '中']), review_r_feasibility: '' });
    expect(finance.lastToast?.content).toContain('请填写「可行性」');
    // 良 良 中 中: (85 + 85 + 65 + 65) ÷ 4 = 75 → 中: back to the unit with the ratings as the reason.
    await finance.click('同意', rate(['良', '良', '中', '中']));
    expect(finance.lastToast?.content).toContain('已退回修改');
    const db = s.service.deps.db;
    const project = () =>
      db('projects').where({ code: '2026-JYJ01-005' }).first('target_review_grade', 'target_review_action');
    expect(await project()).toEqual({ target_review_grade: '中', target_review_action: '退回单位修改后重新报送' });
    expect((await db('submissions').where({ form_id: 'performance-target' }).first('status')).status).toBe('returned');
    await flush(s);
    const filler = new CardDriver(s, demo.filler).fromInbox('已退回修改');
    expect(text(filler.card)).toContain('审核等级：中；完整性：良');

    // Revised and resubmitted: the chain resumes at the review; 差 差 良 良 = 42.5 → 差 blocks the target.
    await filler.click('修改并重新提交');
    await filler.click('下一步', targetFirstPage());
    await filler.click('下一步', { fund_fiscal: '480', fund_other: '0' });
    await filler.click('下一步', { overall_goal: '完成年度建设任务', annual_goal: '完成年度建设任务' });
    await filler.click('下一步');
    await filler.click('确认提交');
    expect(filler.lastToast).toEqual({ type: 'success', content: '已提交（第 2 版）' });
    await flush(s);
    const again = new CardDriver(s, demo.finance).fromInbox('财政业务处室审核（目标审核）');
    await again.click('同意', rate(['差', '差', '良', '良']));
    expect(again.lastToast?.content).toContain('已驳回');
    expect(await project()).toEqual({ target_review_grade: '差', target_review_action: '不予安排预算' });
    expect((await db('submissions').where({ form_id: 'performance-target' }).first('status')).status).toBe('rejected');
    const listed = (await projectListing(db, 2026)).find((p) => p.code === '2026-JYJ01-005');
    expect(listed).toMatchObject({ target_review: '差', target_review_action: '不予安排预算' });
  });

  it('files a tier-C target in simplified form, approved within its unit, the supervising department copied', async () => {
    s = await startStack(dialect);
    const u = await say(demo.filler, '填报 2026-JYJ01-006', '选择要填报的表单'); // 校园安全技防改造, tier C
    await u.click('开始填报', undefined, '绩效目标申报表**\\n');
    await u.click('下一步', targetFirstPage());
    await u.click('下一步', { fund_fiscal: '115', fund_other: '0' });
    expect(text(u.card)).not.toContain('总体目标');
    await u.click('下一步', { annual_goal: '完成技防改造' });
    await u.click('添加一行');
    const row = { level1: '产出指标', level2: '数量指标', name: '改造点位', operator: '≥', value: '40', unit: '个' };
    await u.click('保存这一行', { ...row, weight: '90' });
    await u.click('下一步');
    await u.click('确认提交');
    expect(u.lastToast?.type, JSON.stringify(u.lastToast)).toBe('success');
    await flush(s);
    expect(text(u.card)).toContain('【待抄送】抄送主管部门：郑伟');
    await approveAll(s, [demo.unitHead]);
    const db = s.service.deps.db;
    const sub = await db('submissions').where({ form_id: 'performance-target' }).first('status');
    expect(sub.status).toBe('approved');
    // 抄送: the supervising department is told with the whole target, decides nothing.
    expect(s.fake.messagesTo(demo.supervising).filter((m) => text(m.card).includes('待审批'))).toHaveLength(0);
    const copy = s.fake.messagesTo(demo.supervising).find((m) => text(m.card).includes('抄送：绩效目标申报表'))!;
    expect(text(copy.card)).toContain('审批通过');
    expect(text(copy.card)).toContain('改造点位');
    expect(buttons(copy.card)).toHaveLength(0);
    expect(text(s.fake.message(u.messageId)!.card)).toContain('【已抄送】抄送主管部门：郑伟');
  });
});
