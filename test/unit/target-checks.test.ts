import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../../src/forms/compile-form';
import { type FormData, validateAll } from '../../src/forms/form-engine';

const file = () =>
  YAML.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../forms/performance-target.yaml'), 'utf8'));
const form = compileForm(file()).form!;
/** The same form once the bureau moves to 101号 from 2026. */
const from2026 = (() => {
  const def = file();
  def.settings.frameworks.push([2026, { name: '财预〔2021〕101号', cost_level1: true }]);
  return compileForm(def).form!;
})();

const row = (r: Record<string, unknown>) => ({ level1: '产出指标', level2: '数量指标', unit: '个', ...r });
const target = (rows: Record<string, unknown>[], funds = { fund_fiscal: 100, fund_other: 0 }) =>
  ({
    project_name: '项目',
    project_code: '2026-X-001',
    department_name: '单位',
    manager: '张三',
    phone: '0571-87001234',
    start_date: '2026-01-01',
    end_date: '2026-12-31',
    overall_goal: '目标',
    annual_goal: '目标',
    ...funds,
    indicators: rows,
  }) as unknown as FormData;
const check = (d: FormData, amountWan = 100, year = 2026, f = form) =>
  validateAll(f, d, { project: { amount_wan: amountWan, is_new: false, year }, department: {} });
const good = [
  row({ name: '设备数量', operator: '≥', value: 10, weight: 50 }),
  row({
    level1: '效益指标',
    level2: '社会效益指标',
    name: '服务效果',
    operator: '定性',
    text_value: '改善',
    weight: 40,
  }),
];

describe('target checks: errors where the rules leave no judgement, warnings where they do', () => {
  it('passes a sound target with nothing to say', () => {
    expect(check(target(good))).toMatchObject({ fields: {}, checks: [], warnings: [] });
  });

  it('refuses negative targets and duplicate indicator names', () => {
    const negative = [row({ name: '设备数量', operator: '≥', value: -5, weight: 50 }), good[1]!];
    expect(check(target(negative)).checks).toEqual(['绩效指标第 1 行：指标值不能为负数']);
    const twice = [good[0]!, { ...good[1]!, name: '设备数量' }];
    expect(check(target(twice)).checks).toEqual(['三级指标名称不能重复']);
  });

  it('refuses fiscal funds above the project library amount, and warns when the totals differ', () => {
    const typo = check(target(good, { fund_fiscal: 5000, fund_other: 0 }), 100); // 5,000 万 on a 100 万 project
    expect(typo.checks).toEqual(['财政拨款超过了项目库中的项目预算金额（含预算调整），请核对']);
    expect(check(target(good, { fund_fiscal: 80, fund_other: 0 })).warnings).toEqual([
      '资金总额与项目库中的项目预算金额不一致，请核对',
    ]);
    expect(check(target(good, { fund_fiscal: 80, fund_other: 20 })).warnings).toEqual([]);
  });

  it('warns about trivially met targets, percentages above 100 % and all-qualitative targets', () => {
    const trivial = [row({ name: '设备数量', operator: '≥', value: 0, weight: 50 }), good[1]!];
    expect(check(target(trivial)).warnings).toEqual(['绩效指标第 1 行：这样的指标必然达成，请设定有意义的目标值']);
    const over = [row({ name: '完成率', operator: '≥', value: 120, unit: '%', weight: 50 }), good[1]!];
    expect(check(target(over)).warnings).toEqual(['绩效指标第 1 行：百分比指标值超过 100%，请核对']);
    const allQualitative = [row({ name: '质量', operator: '定性', text_value: '良好', weight: 50 }), good[1]!];
    const r = check(target(allQualitative));
    expect(r.warnings).toEqual(['指标全部为定性指标：绩效目标应尽量细化、量化']);
    expect(r.checks).toEqual([]); // a warning never stops the submit
  });
});

describe('weight schemes and frameworks by year', () => {
  const rows = (output: number, benefit: number, satisfaction?: number) => [
    row({ name: '设备数量', operator: '≥', value: 10, weight: output }),
    row({
      level1: '效益指标',
      level2: '社会效益指标',
      name: '服务效果',
      operator: '≥',
      value: 90,
      unit: '%',
      weight: benefit,
    }),
    ...(satisfaction === undefined
      ? []
      : [
          row({
            level1: '满意度指标',
            level2: '服务对象满意度指标',
            name: '满意度',
            operator: '≥',
            value: 90,
            unit: '%',
            weight: satisfaction,
          }),
        ]),
  ];

  it('takes the default scheme, with 效益 40 when there is no satisfaction indicator', () => {
    expect(check(target(rows(50, 30, 10)))).toMatchObject({ checks: [], warnings: [] });
    expect(check(target(rows(50, 40)))).toMatchObject({ checks: [], warnings: [] });
  });

  it('allows an adjustment within the range with a reason, which the approver sees as a warning', () => {
    const adjusted = target(rows(45, 35, 10));
    expect(check(adjusted).checks).toEqual(['各一级指标分值与默认方案不同，请在“绩效目标”页填写分值调整理由']);
    const explained = check({ ...adjusted, weight_reason: '以效益为主的项目' } as FormData);
    expect(explained.checks).toEqual([]);
    expect(explained.warnings).toEqual(['各一级指标分值已按项目调整（与默认方案不同），请审核“分值调整理由”']);
  });

  it('refuses totals other than 90 and adjustments beyond the range', () => {
    const beyond = check({ ...target(rows(30, 50, 10)), weight_reason: '理由' } as FormData);
    expect(beyond.checks).toEqual([
      '产出指标（含成本指标）分值只能在默认 50 分上下调整 10 分以内',
      '效益指标分值只能在默认分值（30 分；没有满意度指标时 40 分）上下调整 10 分以内',
    ]);
    expect(check(target(rows(50, 30, 5))).checks).toContain(
      '指标分值合计应为 90 分（另 10 分为预算执行率，自评时计分）',
    );
  });

  it('follows the framework of the project year: 成本 under 产出 (88号), or a required level-1 成本指标 (101号)', () => {
    const costUnderOutput = [
      row({ name: '设备数量', operator: '≥', value: 10, weight: 40 }),
      row({ level2: '成本指标', name: '单位成本', operator: '≤', value: 2, unit: '万元', weight: 10 }),
      ...rows(0, 40).slice(1),
    ];
    expect(check(target(costUnderOutput)).checks).toEqual([]);
    expect(check(target(costUnderOutput), 100, 2026, from2026).checks).toEqual([
      '按财预〔2021〕101号 的指标框架，须设置一级指标“成本指标”',
      '按财预〔2021〕101号 的指标框架，成本指标是一级指标，不再放在产出指标下',
    ]);
    const costLevel1 = [
      row({ name: '设备数量', operator: '≥', value: 10, weight: 40 }),
      row({
        level1: '成本指标',
        level2: '经济成本指标',
        name: '单位成本',
        operator: '≤',
        value: 2,
        unit: '万元',
        weight: 10,
      }),
      ...rows(0, 40).slice(1),
    ];
    expect(check(target(costLevel1), 100, 2026, from2026).checks).toEqual([]);
    expect(check(target(costLevel1), 100, 2025, from2026).checks).toEqual([
      '按财预〔2015〕88号 的指标框架，成本是产出指标下的二级指标：请选“产出指标 · 成本指标”',
    ]);
  });
});
