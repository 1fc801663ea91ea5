import { describe, expect, it } from 'vitest';
import { lightsChart, progressChart } from '../../src/campaigns/progress-chart';

describe('the progress chart', () => {
  const units = [
    { name: '甲单位', states: ['not_started', 'draft', 'in_approval', 'approved', 'returned'] as const },
    { name: '乙单位', states: ['not_started', 'not_started', 'submitted'] as const },
  ].map((u) => ({ ...u, states: [...u.states] }));

  it('stacks each unit by stage, in the order given, as a pure JSON spec', () => {
    const spec = progressChart(units, false)!;
    expect(spec).toMatchObject({ type: 'bar', direction: 'horizontal', stack: true, seriesField: 'stage' });
    expect(spec.data[0]!.values).toEqual([
      { unit: '甲单位', stage: '已通过', count: 1 },
      { unit: '甲单位', stage: '审批中', count: 1 },
      { unit: '甲单位', stage: '退回', count: 1 },
      { unit: '甲单位', stage: '草稿', count: 1 },
      { unit: '甲单位', stage: '未开始', count: 1 },
      { unit: '乙单位', stage: '审批中', count: 1 },
      { unit: '乙单位', stage: '未开始', count: 2 },
    ]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec); // nothing a card could not carry
  });

  it('counts work not handed in after the deadline as 逾期, and draws nothing for a single unit', () => {
    const values = progressChart(units, true)!.data[0]!.values;
    expect(values.filter((v) => v.stage === '逾期')).toEqual([
      { unit: '甲单位', stage: '逾期', count: 2 },
      { unit: '乙单位', stage: '逾期', count: 2 },
    ]);
    expect(progressChart(units.slice(0, 1), false)).toBeUndefined();
  });

  it('draws the 双监控 lights as a ring, each in its own colour, leaving out lights nobody has', () => {
    const spec = lightsChart([
      { light: '红', count: 2 },
      { light: '黄', count: 0 },
      { light: '蓝', count: 1 },
      { light: '绿', count: 7 },
    ]);
    expect(spec.data[0]!.values.map((v) => v.light)).toEqual(['红', '蓝', '绿']);
    expect(spec.color).toEqual({
      type: 'ordinal',
      domain: ['红', '蓝', '绿'],
      range: ['#F54A45', '#3370FF', '#34C724'],
    });
  });
});
