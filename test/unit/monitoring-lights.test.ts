import { describe, expect, it } from 'vitest';
import { levelLight, limitLight, percentOf, progressLight, timeProgress, worstLight } from '../../src/forms/monitoring';
import { compileForm } from '../../src/forms/compile-form';
import { evalForm } from '../../src/forms/form-eval';
import { loadForms } from '../../src/forms/load-forms';

/*
 * 双监控 lights on hand-worked examples (shared/docs/budget-performance-rules.md §5.4). Time progress at 07-31 is
 * 7/12 = 58.33 %; funds: 执行率 ÷ 时间进度 → 红 < 60 % ≤ 黄 < 80 % ≤ 绿; indicators: to date ÷ (target × 7/12) →
 * 红 < 60 % ≤ 黄 < 80 % ≤ 绿 < 120 % ≤ 蓝.
 */
describe('time progress', () => {
  it.each([
    ['2026-07-31', 7 / 12],
    ['2026-06-30', 6 / 12],
    ['2026-12-31', 1],
    ['2026-02-28', 2 / 12], // 2026 is not a leap year
    ['2024-02-29', 2 / 12],
    ['2026-07-16', (6 + 16 / 31) / 12],
  ])('%s → %s', (date, share) => expect(timeProgress(date)).toBeCloseTo(share, 12));

  it('is null for what is not a date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '7月31日', '']) expect(timeProgress(bad)).toBeNull();
  });
});

describe('budget execution light (execution rate ÷ time progress, as of 07-31)', () => {
  const share = 7 / 12;
  const bands: [string, number][] = [
    ['绿', 80],
    ['黄', 60],
    ['红', 0],
  ];
  // Spent of a 1,200 budget: 700 is exactly on time (7/12). The light edges are 60 % and 80 % of 700 = 420 and 560.
  const light = (spent: number) => {
    const pct = percentOf(spent / 1200, share)!;
    return bands.find(([, min]) => pct >= min)![0];
  };
  it.each([
    [419, '红'], // 59.86 %
    [420, '黄'], // 60.00 %
    [559, '黄'], // 79.86 %
    [560, '绿'], // 80.00 %
    [700, '绿'],
    [0, '红'],
  ])('spent %s of 1,200 → %s', (spent, expected) => expect(light(spent)).toBe(expected));

  it('rounds the ratio to a hundredth of a percent before it is compared, as the card shows it', () => {
    // 59.995 % shows as 60.00 % and lights yellow; 59.994 % shows as 59.99 % and lights red.
    expect(percentOf(59.995, 100)).toBe(60);
    expect(percentOf(59.994, 100)).toBe(59.99);
  });
});

describe('indicator light', () => {
  const share = 7 / 12;
  // Target ≥ 120 sets: the pro-rated standard at 07-31 is 70.
  it.each([
    [38.5, '红'], // 55 %
    [49, '黄'], // 70 %
    [70, '绿'], // 100 %
    [91, '蓝'], // 130 %
    [42, '黄'], // 60 % exactly
    [56, '绿'], // 80 % exactly
    [84, '蓝'], // 120 % exactly
    [83.99, '绿'],
  ])('%s to date of a 120 target → %s', (toDate, expected) => expect(progressLight(120, toDate, share)).toBe(expected));

  it('has no light without a target to pro-rate', () => expect(progressLight(0, 5, share)).toBeNull());

  it('judges reverse, quality, time and cost indicators by their limit, not pro-rated', () => {
    expect(limitLight('≤', 5, 4.99)).toBe('绿'); // complaint rate ≤ 5 %: 4.99 % is within
    expect(limitLight('≤', 5, 5)).toBe('绿');
    expect(limitLight('≤', 5, 5.01)).toBe('红');
    expect(limitLight('<', 5, 5)).toBe('红');
    expect(limitLight('≥', 95, 94.99)).toBe('红'); // pass rate ≥ 95 %: no pro-rating for quality
    expect(limitLight('≥', 95, 95)).toBe('绿');
    expect(limitLight('=', 12, 12)).toBe('绿');
  });

  it('lights qualitative progress by its level', () => {
    expect(levelLight('达成')).toBe('绿');
    expect(levelLight('部分达成')).toBe('黄');
    expect(levelLight('未达成')).toBe('红');
    expect(levelLight('')).toBeNull();
  });

  it('takes the worst light for the project', () => {
    const order = ['红', '黄', '蓝', '绿'];
    expect(worstLight(order, ['绿', '蓝', '绿'])).toBe('蓝');
    expect(worstLight(order, ['绿', '黄', '红'])).toBe('红');
    expect(worstLight(order, [null, '绿'])).toBe('绿');
    expect(worstLight(order, [])).toBeNull();
  });
});

describe('the monitoring form computes these lights', () => {
  const form = loadForms().forms.get('performance-monitoring')!;
  const base = {
    project: { year: 2026, tier: 'B', amount: 12000000 },
    as_of: '2026-07-31',
    budget_initial: 1200,
    budget_full: 1200,
    expected_spend: 1200,
    annual_goal: '建成 120 套',
    goal_progress: '推进中',
  };
  const row = (r: Record<string, unknown>) => ({ level1: '产出指标', level2: '数量指标', weight: 50, ...r });

  it('is a valid form', () => expect(compileForm(form.def).errors).toEqual([]));

  it('lights each row and the project, and asks for causes and a corrective choice where it is red', () => {
    const result = evalForm(form, {
      ...base,
      spent: 560, // 46.67 % ÷ 58.33 % = 80.00 % → 绿
      indicators: [
        row({ name: '建成数量', operator: '≥', value: 120, unit: '套', to_date: 38.5, expected: 100 }), // 55 % 红
        row({ name: '培训人次', operator: '≥', value: 120, unit: '人次', to_date: 49, expected: 120 }), // 70 % 黄
        row({ name: '巡检次数', operator: '≥', value: 120, unit: '次', to_date: 70, expected: 120 }), // 100 % 绿
        row({ name: '受益户数', operator: '≥', value: 120, unit: '户', to_date: 91, expected: 150 }), // 130 % 蓝
        row({ name: '投诉率', operator: '≤', value: 5, unit: '%', to_date: 6, expected: 4 }), // reverse, over → 红
        row({ level2: '质量指标', name: '合格率', operator: '≥', value: 95, unit: '%', to_date: 96, expected: 96 }),
        row({ level1: '效益指标', level2: '社会效益指标', name: '满意', operator: '定性', qual_level: '部分达成' }),
      ],
    });
    expect(result.computed.funds_light).toBe('绿');
    expect((result.computed.indicators as { light: string }[]).map((r) => r.light)).toEqual([
      '红',
      '黄',
      '绿',
      '蓝',
      '红',
      '绿',
      '黄',
    ]);
    expect(result.computed.overall_light).toBe('红');
    const fields = result.problems.map((p) => p.field);
    for (const i of [0, 1, 4, 6]) expect(fields).toContain(`indicators[${i}].causes`);
    expect(fields).not.toContain('indicators[2].causes');
    expect(fields).not.toContain('indicators[3].causes'); // blue: ahead, no cause asked
    expect(fields).toContain('corrective');
    expect(fields).toContain('corrective_deadline');
    expect(fields).not.toContain('funds_reason');
  });

  it('lights the funds by execution against time', () => {
    const light = (spent: number) =>
      evalForm(form, { ...base, spent, indicators: [row({ name: 'x', operator: '≥', value: 12, to_date: 7 })] })
        .computed.funds_light;
    expect([light(419), light(420), light(559), light(560)]).toEqual(['红', '黄', '黄', '绿']);
  });
});
