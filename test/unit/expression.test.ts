import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/forms/expression/evaluate';
import { ExpressionError, parseExpression } from '../../src/forms/expression/parse';

const run = (src: string, scope: Record<string, unknown> = {}) => evaluate(parseExpression(src), [scope as never]);

describe('form expressions', () => {
  it('computes arithmetic, comparisons and logic with precedence', () => {
    expect(run('1 + 2 * 3')).toBe(7);
    expect(run('(1 + 2) * 3')).toBe(9);
    expect(run('a ≥ 3 && !(b < 1) || false', { a: 3, b: 2 })).toBe(true);
    expect(run("x == '定性' ? 'q' : 'n'", { x: '定性' })).toBe('q');
    expect(run("'2026-03-01' <= end", { end: '2026-12-31' })).toBe(true);
  });

  it('maps names over group rows and aggregates them', () => {
    const scope = {
      rows: [
        { w: 50, l: '产出指标' },
        { w: 30, l: '效益指标' },
        { w: 10, l: '产出指标' },
      ],
    };
    expect(run('sum(rows.w)', scope)).toBe(90);
    expect(run("sumif(rows.w, rows.l, '产出指标')", scope)).toBe(60);
    expect(run("includes(rows.l, '效益指标')", scope)).toBe(true);
    expect(run('count(rows)', scope)).toBe(3);
  });

  it('yields null instead of throwing on missing or bad data', () => {
    expect(run('a / b', { a: 1, b: 0 })).toBeNull();
    expect(run('a + 1', {})).toBeNull();
    expect(run('missing.deep.path')).toBeNull();
  });

  it('reports syntax errors with their column, in Chinese', () => {
    expect(() => parseExpression('1 +')).toThrow(ExpressionError);
    expect(() => parseExpression('1 +')).toThrow('表达式不完整（第 4 列）');
    expect(() => parseExpression("'open")).toThrow('字符串缺少结束引号');
    expect(() => parseExpression('a # b')).toThrow('无法识别的字符 “#”');
  });

  it('cannot reach JavaScript: names only read the given scope', () => {
    expect(run('constructor')).toBeNull();
    expect(run('process.env')).toBeNull();
    expect(run('x.__proto__', { x: {} })).toBeNull();
  });
});
