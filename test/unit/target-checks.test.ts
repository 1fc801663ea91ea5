import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../../src/forms/compile-form';
import { type FormData, validateAll } from '../../src/forms/form-engine';

const form = compileForm(
  YAML.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../forms/performance-target.yaml'), 'utf8')),
).form!;

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
const check = (d: FormData, amountWan = 100) =>
  validateAll(form, d, { project: { amount_wan: amountWan, is_new: false }, department: {} });
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
    expect(typo.checks).toEqual(['财政拨款超过了项目库中的项目预算金额，请核对']);
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
