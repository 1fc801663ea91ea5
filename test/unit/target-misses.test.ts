import path from 'node:path';
import YAML from 'yaml';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileForm } from '../../src/forms/compile-form';
import { type FormData, validateAll } from '../../src/forms/form-engine';
import { farBeyondTarget, missedTarget, quantitativeScore } from '../../src/forms/scoring';

const form = compileForm(
  YAML.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../forms/self-evaluation.yaml'), 'utf8')),
).form!;

const row = (r: Record<string, unknown>) => ({
  level1: '产出指标',
  level2: '数量指标',
  name: '指标',
  unit: '个',
  weight: 45,
  reverse_rule: '线性递减',
  ...r,
});
const draft = (rows: Record<string, unknown>[], spent = 95) => ({
  project_name: '项目',
  department_name: '单位',
  budget_initial: 100,
  budget_full: 100,
  spent,
  annual_goal: '目标',
  goal_actual: '完成',
  conclusion: '结论',
  indicators: rows,
});
const problemsOf = (d: ReturnType<typeof draft>) =>
  validateAll(form, d as unknown as FormData, { project: {}, department: {} }).fields;

describe('every miss needs a reason', () => {
  it('knows a miss by the operator, in hundredths', () => {
    expect(missedTarget('<', 10, 10)).toBe(true); // "< 10" with 10 is missed, though it scores full
    expect(quantitativeScore('<', 10, 10, 10)).toBe(10);
    expect(missedTarget('≤', 10, 10)).toBe(false);
    expect(missedTarget('>', 100, 100)).toBe(true);
    expect(missedTarget('≥', 0.3, 0.1 + 0.2)).toBe(false);
    expect(missedTarget('=', 5, 5.01)).toBe(true);
    expect(missedTarget('定性', null, null, '部分达成')).toBe(true);
    expect(missedTarget('定性', null, null, '达成')).toBe(false);
    expect(missedTarget('≥', 10, null)).toBe(false); // nothing entered yet: the actual is what is missing
  });

  it('asks for 偏差原因 on a row that missed its target even with full marks', () => {
    const missedButFull = row({ operator: '<', value: 10, actual: 10 });
    const met = row({ operator: '≥', value: 10, actual: 12 });
    expect(problemsOf(draft([missedButFull, met]))).toEqual({ 'indicators[0].deviation': '此项必填' });
    expect(problemsOf(draft([{ ...missedButFull, deviation: '受疫情影响' }, met]))).toEqual({});
  });

  it('asks for the execution reason below the floor and above 100 %', () => {
    const rows = [row({ operator: '≥', value: 10, actual: 10 }), row({ operator: '≥', value: 5, actual: 6 })];
    expect(problemsOf(draft(rows, 95))).toEqual({});
    expect(problemsOf(draft(rows, 89))).toEqual({ exec_reason: '此项必填' });
    expect(problemsOf(draft(rows, 120))).toEqual({ exec_reason: '此项必填' });
    expect(problemsOf(draft(rows, 100))).toEqual({});
  });
});

describe('targets far beyond', () => {
  it('flags a row met by more than the threshold, both directions', () => {
    expect(farBeyondTarget('≥', 100, 1000, 0.5)).toBe(true);
    expect(farBeyondTarget('≥', 100, 150, 0.5)).toBe(false); // exactly 50 % over: not beyond
    expect(farBeyondTarget('≥', 100, 150.01, 0.5)).toBe(true);
    expect(farBeyondTarget('≤', 10, 4, 0.5)).toBe(true);
    expect(farBeyondTarget('≤', 10, 5, 0.5)).toBe(false);
    expect(farBeyondTarget('定性', null, null, 0.5)).toBe(false);
  });

  it('asks the filler to explain a row far beyond its target', () => {
    const rows = [row({ operator: '≥', value: 100, actual: 1000 }), row({ operator: '≥', value: 5, actual: 6 })];
    expect(problemsOf(draft(rows))).toEqual({ 'indicators[0].deviation': '此项必填' });
  });
});
