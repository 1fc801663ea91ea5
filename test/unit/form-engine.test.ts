import { describe, expect, it } from 'vitest';
import { compileForm } from '../../src/forms/compile-form';
import { computeAll, computeOnce, defaults, isVisible, validateAll } from '../../src/forms/form-engine';
import type { LeafField } from '../../src/forms/form-schema';
import { pagesOf } from '../../src/forms/pages';
import { parseInput } from '../../src/forms/parse-input';

const form = compileForm({
  id: 'demo',
  title: '示例',
  version: 1,
  fillers: ['filler'],
  attach_to: 'project',
  sections: [
    {
      id: 'a',
      title: '基本',
      fields: [
        { id: 'has_other', label: '有其他资金', type: 'yes_no', required: true },
        { id: 'other', label: '其他资金', type: 'money', unit: 'wan', required: true, visible_if: 'has_other' },
        { id: 'name', label: '名称', type: 'text', default: '=project.name' },
        ...Array.from({ length: 18 }, (_, i) => ({ id: `f${i}`, label: `字段${i}`, type: 'text' })),
      ],
    },
    {
      id: 'b',
      title: '行',
      fields: [
        {
          id: 'rows',
          label: '明细',
          type: 'group',
          min_rows: 1,
          fields: [
            { id: 'w', label: '分值', type: 'decimal', required: true },
            { id: 'double', label: '双倍', type: 'decimal', compute: 'w * 2' },
          ],
        },
      ],
    },
    { id: 'c', title: '合计', fields: [{ id: 'total', label: '合计', type: 'decimal', compute: 'sum(rows.double)' }] },
  ],
  checks: [{ rule: 'total <= 100', message: '合计不能超过 100' }],
}).form!;

describe('form engine', () => {
  it('pages long sections and puts groups on their own page; computed-only sections go to the summary', () => {
    expect(pagesOf(form).map((p) => `${p.kind}:${p.kind === 'fields' ? p.fields.length : ''}`)).toEqual([
      'fields:8',
      'fields:8',
      'fields:5',
      'group:',
      'summary:',
    ]);
  });

  it('shows conditional fields only when their condition holds, and only then requires them', () => {
    const other = form.fields.get('other')!.field;
    expect(isVisible(form, other, { has_other: false }, {})).toBe(false);
    expect(validateAll(form, { has_other: false, rows: [{ w: 1 }] }, {}).fields).toEqual({});
    expect(validateAll(form, { has_other: true, rows: [{ w: 1 }] }, {}).fields).toEqual({ other: '此项必填' });
  });

  it('evaluates defaults, row computes, totals and form checks', () => {
    expect(defaults(form, { project: { name: '项目甲' } })).toMatchObject({ name: '项目甲', rows: [] });
    const data = computeAll(form, { rows: [{ w: 10 }, { w: 45.5 }] }, {});
    expect(data.total).toBe(111);
    expect(validateAll(form, { has_other: false, rows: [{ w: 10 }, { w: 45.5 }] }, {}).checks).toEqual([
      '合计不能超过 100',
    ]);
    expect(validateAll(form, { has_other: false, rows: [] }, {}).fields).toEqual({
      rows: '至少需要 1 行（当前 0 行）',
    });
  });
});

describe('validation results', () => {
  const capped = compileForm({
    id: 'capped',
    title: '上限',
    version: 1,
    fillers: ['filler'],
    attach_to: 'project',
    sections: [{ id: 'a', title: '金额', fields: [{ id: 'amount', label: '金额', type: 'decimal', required: true }] }],
    checks: [{ rule: 'amount <= project.cap', message: '金额超过上限' }],
  }).form!;

  it('are shared for the same data and context, frozen, and follow any change of either', () => {
    const first = validateAll(capped, { amount: 50 }, { project: { cap: 100 } });
    expect(first.checks).toEqual([]);
    expect(validateAll(capped, { amount: 50 }, { project: { cap: 100 } })).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.fields) && Object.isFrozen(first.checks)).toBe(true);
    expect(validateAll(capped, { amount: 50 }, { project: { cap: 40 } }).checks).toEqual(['金额超过上限']);
    expect(validateAll(capped, { amount: 150 }, { project: { cap: 100 } }).checks).toEqual(['金额超过上限']);
    expect(validateAll(capped, {}, { project: { cap: 100 } }).fields).toEqual({ amount: '此项必填' });
  });
});

describe('computed values', () => {
  it('are computed once for the same data, handed out as a copy, and leave the input as it was', () => {
    const input = { rows: [{ w: 10 }, { w: 20 }] };
    const a = computeAll(form, input, {});
    const b = computeAll(form, input, {});
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a.rows).toBe(b.rows); // shared, so frozen
    expect(Object.isFrozen((a.rows as object[])[0])).toBe(true);
    a.total = 'set by a caller';
    expect(computeAll(form, input, {}).total).toBe(60);
    expect(Object.isFrozen(input.rows[0])).toBe(false);
    expect(computeAll(form, { rows: [{ w: 1 }] }, {}).total).toBe(2);
  });

  it('are the same computed once, for a revision read once, without a shared frozen copy', () => {
    const input = { rows: [{ w: 3 }, { w: 4 }] };
    const once = computeOnce(form, input, {});
    expect(once).toEqual(computeAll(form, input, {}));
    expect(once.total).toBe(14);
    expect(Object.isFrozen((once.rows as object[])[0])).toBe(false);
    expect(computeOnce(form, input, {}).rows).not.toBe(once.rows);
  });
});

describe('computing through a group', () => {
  it('gives that group the rows the whole form gives it and leaves later fields as they came in', () => {
    const input = { rows: [{ w: 10 }, { w: 45.5 }], total: 'as typed' };
    const through = computeAll(form, input, {}, 'rows');
    expect(through.rows).toEqual(computeAll(form, input, {}).rows);
    expect(through.total).toBe('as typed');
  });
});

describe('card input parsing', () => {
  const f = (x: Partial<LeafField> & { type: LeafField['type'] }) => ({ id: 'x', label: 'x', ...x }) as LeafField;
  it('reads money as people type it', () => {
    expect(parseInput(f({ type: 'money', unit: 'wan' }), '1,200.50')).toEqual({ value: 1200.5 });
    expect(parseInput(f({ type: 'money', unit: 'wan' }), '300万元')).toEqual({ value: 300 });
    expect(parseInput(f({ type: 'money', unit: 'wan' }), '１２３')).toEqual({ value: 123 }); // full-width digits
    expect(parseInput(f({ type: 'money', unit: 'wan' }), '1.234')).toEqual({ error: '金额最多保留两位小数' });
    expect(parseInput(f({ type: 'money', unit: 'yuan' }), '三百')).toEqual({ error: '请输入金额（元），如 12.50' });
  });
  it('reads percentages, integers, dates and choices', () => {
    expect(parseInput(f({ type: 'percent' }), '85.5%')).toEqual({ value: 0.855 });
    expect(parseInput(f({ type: 'integer', min: 0 }), '-1')).toEqual({ error: '不能小于 0' });
    expect(parseInput(f({ type: 'integer' }), '1.5')).toEqual({ error: '请输入整数' });
    expect(parseInput(f({ type: 'date' }), '2026-02-30 +0800')).toEqual({ error: '请选择有效日期' });
    expect(parseInput(f({ type: 'date' }), '2026-02-28 +0800')).toEqual({ value: '2026-02-28' });
    expect(parseInput(f({ type: 'choice', options: ['甲', '乙'] } as never), '丙')).toEqual({
      error: '请从选项中选择',
    });
    expect(parseInput(f({ type: 'text', max_length: 3 } as never), '四个字啊')).toEqual({
      error: '最多 3 个字（当前 4 个）',
    });
    expect(parseInput(f({ type: 'text' }), '   ')).toEqual({ value: null });
  });
});
