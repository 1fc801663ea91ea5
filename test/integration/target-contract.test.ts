import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget, targetFirstPage } from '../helpers/fill-target';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * The approved target is the contract: a 目标调整 is a new target revision approved like the first, and the reports
 * started after its approval measure against it, while those started before keep the revision they began with.
 */
const project = '2026-JYJ01-005'; // 实验室设备更新, 杭州第一中学, 480 万元, tier B
const chain = [demo.unitHead, demo.supervising, demo.finance];

async function chooser(s: Stack, openId: string): Promise<CardDriver> {
  const u = new CardDriver(s, openId);
  await s.send(textMessage(s.id, openId, `填报 ${project}`));
  await flush(s);
  return u.fromInbox('选择要填报的表单');
}

const dataOf = async (s: Stack, form: string) => {
  const db = s.service.deps.db;
  const sub = await db('submissions').where({ form_id: form }).first('id', 'status', 'current_revision');
  const rev = await db('submission_revisions')
    .where({ submission_id: sub.id, revision: sub.current_revision })
    .first('data');
  return { status: sub.status as string, revision: Number(sub.current_revision), data: JSON.parse(rev.data) };
};

describe.each(dialects())('the approved target as the contract on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('adjusts the target through the same approval; reports after it measure against the new revision', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, project);
    await approveAll(s, chain);

    // 申请调整 on the approved target: revision 2 opens at its adjustment section.
    const u = await chooser(s, demo.filler);
    await u.click('查看', undefined, '绩效目标申报表**\\n');
    await u.click('申请调整');
    expect(text(u.card)).toContain('已生成第 2 版（调整申请）');
    expect(text(u.card)).toContain('批复前，监控和自评仍以第 1 版为准');
    expect(text(u.card)).toContain('目标调整申请');
    await u.click('下一步', { adjust_kind: '预算调整', budget_change: '-80', adjust_reason: '' });
    expect(text(u.card)).toContain('此项必填');
    await u.click('下一步', {
      adjust_kind: '预算调整',
      budget_change: '-80',
      adjust_reason: '预算调减 80 万元，数量目标调为 8 项',
    });
    await u.click('下一步', targetFirstPage());
    await u.click('下一步', { fund_fiscal: '400', fund_other: '0' });
    await u.click('下一步', { overall_goal: '完成年度建设任务', annual_goal: '完成 8 项建设任务' });
    await u.click('编辑', undefined, '完成数量');
    const row = { level1: '产出指标', level2: '数量指标', name: '完成数量', operator: '≥', value: '8', unit: '项' };
    await u.click('保存这一行', { ...row, weight: '50' });
    await u.click('下一步');
    expect(text(u.card)).toContain('调整理由');
    await u.click('确认提交');
    expect(u.lastToast).toEqual({ type: 'success', content: '已提交（第 2 版）' });
    await flush(s);

    // The unit head decides with the reason and the change in front of them.
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    expect(text(head.card)).toContain('预算调减 80 万元');
    expect(text(head.card)).toContain('与已批复的第 1 版相比的调整');
    expect(text(head.card)).toContain('完成数量 ≥10项（50 分）</font> → **产出指标 · 完成数量 ≥8项（50 分）**');

    // Under approval, the approved revision still holds: a monitoring report started now measures against it.
    const m = await chooser(s, demo.filler);
    await m.click('开始填报', undefined, '绩效运行监控表**\\n');
    expect(text(m.card)).toMatch(/第 1 版（\d{4}-\d{2}-\d{2} 批复）/);
    expect((await dataOf(s, 'performance-monitoring')).data.indicators[0].value).toBe(10);

    await approveAll(s, chain);
    const target = await dataOf(s, 'performance-target');
    expect(target).toMatchObject({ status: 'approved', revision: 2 });
    const db = s.service.deps.db;
    const stamps = await db('submission_revisions as r')
      .join('submissions as s', 's.id', 'r.submission_id')
      .where('s.form_id', 'performance-target')
      .orderBy('r.revision')
      .pluck('r.approved_at');
    expect(stamps.every((t: unknown) => Number(t) > 0)).toBe(true);
    expect(stamps).toHaveLength(2);
    const amends = db('audit_log').where({ entity_type: 'submission', action: 'submission.amend' });
    expect(await amends.count({ n: '*' })).toEqual([{ n: 1 }]);

    // The self-evaluation started after the approval measures against revision 2: 8 项, 400 万元.
    const e = await chooser(s, demo.filler);
    await e.click('开始填报', undefined, '项目支出绩效自评表**\\n');
    expect(text(e.card)).toMatch(/第 2 版（\d{4}-\d{2}-\d{2} 批复）/);
    expect(text(e.card)).toContain('400.00 万元');
    expect(inputs(e.card).budget_initial).toBeUndefined();
    const evaluation = (await dataOf(s, 'self-evaluation')).data;
    expect(evaluation.indicators[0]).toMatchObject({ name: '完成数量', value: 8 });
    expect(evaluation.target_basis).toMatch(/^第 2 版/);
    // The monitoring report begun before keeps its revision.
    expect((await dataOf(s, 'performance-monitoring')).data.target_basis).toMatch(/^第 1 版/);
  });

  it('refuses an adjustment before approval, by someone else, or twice from one card', async () => {
    s = await startStack(dialect);
    const submitted = await submitTarget(s, demo.filler, project);
    const db = s.service.deps.db;
    const sub = await db('submissions').where({ form_id: 'performance-target' }).first('id');
    const value = { action: 'form.amend', sid: Number(sub.id), rev: 1 };
    // Under approval: the card offers 撤回, not 申请调整; a forged click is refused and changes nothing.
    expect(text(submitted.card)).not.toContain('申请调整');
    await submitted.clickValue(value);
    expect(submitted.lastToast?.content).toContain('批复后才能申请调整');
    await approveAll(s, chain);
    // Another unit's filler may not adjust this unit's target.
    const other = new CardDriver(s, demo.otherFiller);
    await other.clickValue(value);
    expect(other.lastToast?.type).toBe('warning');
    expect((await dataOf(s, 'performance-target')).revision).toBe(1);
    // A double click opens one adjustment: the second finds revision 1 no longer current.
    const u = new CardDriver(s, demo.filler);
    await u.clickValue(value);
    await u.clickValue(value);
    expect(u.lastToast?.content).toBe('卡片已过期，已刷新为最新内容');
    expect(await db('submission_revisions').where({ submission_id: sub.id }).count({ n: '*' })).toEqual([{ n: 2 }]);
    // The self-evaluation still starts from revision 1 while the adjustment is a draft.
    const e = await chooser(s, demo.filler);
    await e.click('开始填报', undefined, '项目支出绩效自评表**\\n');
    expect(text(e.card)).toMatch(/第 1 版（\d{4}-\d{2}-\d{2} 批复）/);
  });
});
