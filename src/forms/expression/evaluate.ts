import {
  type GradeBands,
  type Operator,
  type QualLevel,
  type ReverseRule,
  executionScore,
  farBeyondTarget,
  missedTarget,
  grade,
  inQualBand,
  qualitativeScore,
  quantitativeScore,
} from '../scoring.ts';
import { round } from '../../shared/decimal.ts';
import { levelLight, limitLight, progressLight, timeProgress, worstLight } from '../monitoring.ts';
import type { Expr } from './parse.ts';

export type Value = number | string | boolean | null | Value[] | { [k: string]: Value };
export type Scope = Record<string, Value>;

const isNum = (v: Value): v is number => typeof v === 'number' && Number.isFinite(v);
const num = (v: Value): number | null => (isNum(v) ? v : null);
const list = (v: Value): Value[] => (Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]);
const bothText = (l: Value, r: Value): boolean => typeof l === 'string' && typeof r === 'string';
const truthy = (v: Value) =>
  !(v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));

/** The functions a form may call. Names are checked at load time against this table. */
export const functions: Record<string, (...args: Value[]) => Value> = {
  sum: (...a) => (a.length === 1 ? list(a[0]!) : a).reduce<number>((s, v) => s + (num(v) ?? 0), 0),
  count: (v) => list(v).filter(truthy).length,
  len: (v) => (typeof v === 'string' ? [...v].length : list(v).length),
  min: (...a) => minMax(a, Math.min),
  max: (...a) => minMax(a, Math.max),
  round: (x, n) => (isNum(x) ? round(x, num(n) ?? 0) : null),
  abs: (x) => (isNum(x) ? Math.abs(x) : null),
  includes: (arr, v) => list(arr).some((x) => x === v),
  all: (arr) => list(arr).every(truthy),
  any: (arr) => list(arr).some(truthy),
  coalesce: (...a) => a.find((v) => v !== null && v !== undefined) ?? null,
  /** sumif(values, keys, key): the sum of values whose key matches, e.g. weights per level-1 indicator. */
  sumif: (values, keys, key) =>
    list(values).reduce<number>((s, v, i) => (list(keys)[i] === key ? s + (num(v) ?? 0) : s), 0),
  /**
   * by_year(table, year, key): `key` of the table's entry for `year`, where the table lists [from_year, settings]
   * in ascending order and an entry holds until the next one (frameworks and weight schemes by project year).
   */
  by_year: (table, year, key) => {
    const y = num(year);
    const entry = list(table)
      .filter((e): e is Value[] => Array.isArray(e) && isNum(e[0]!) && y !== null && (e[0] as number) <= y)
      .at(-1);
    const settings = entry?.[1];
    return settings && typeof settings === 'object' && !Array.isArray(settings) && typeof key === 'string'
      ? (settings[key] ?? null)
      : null;
  },
  /** occurrences(list, v): how many items equal v. */
  occurrences: (arr, v) => list(arr).filter((x) => x === v).length,
  /** unique(list): no two non-empty items are equal. */
  unique: (arr) => {
    const items = list(arr).filter((x) => x !== null && x !== '');
    return new Set(items.map((x) => JSON.stringify(x))).size === items.length;
  },
  /** pick(table, key): the table's value for the key, e.g. the points of a rating in a settings table. */
  pick: (table, key) =>
    table && typeof table === 'object' && !Array.isArray(table) && typeof key === 'string' && Object.hasOwn(table, key)
      ? (table[key] ?? null)
      : null,
  empty: (v) => v === null || v === '' || (Array.isArray(v) && v.length === 0),
  indicator_score: (op, target, actual, weight, reverse, level, points) => {
    const w = num(weight);
    if (w === null) return null;
    if (op === '定性')
      return typeof level === 'string' && isNum(points) ? qualitativeScore(level as QualLevel, points, w) : null;
    const t = num(target);
    const a = num(actual);
    if (t === null || a === null) return null;
    return quantitativeScore(op as Exclude<Operator, '定性'>, t, a, w, (reverse as ReverseRule) || '线性递减');
  },
  in_band: (level, points, weight) =>
    typeof level === 'string' && isNum(points) && isNum(weight)
      ? inQualBand(level as QualLevel, points, weight)
      : false,
  /** missed(operator, target, actual, level): the row missed its target (a reason is required). */
  missed: (op, target, actual, level) =>
    typeof op === 'string'
      ? missedTarget(op as Operator, num(target), num(actual), typeof level === 'string' ? level : undefined)
      : false,
  /** far_beyond(operator, target, actual, threshold): met by more than the threshold (target perhaps set too low). */
  far_beyond: (op, target, actual, threshold) =>
    typeof op === 'string' ? farBeyondTarget(op as Operator, num(target), num(actual), num(threshold) ?? 0.5) : false,
  execution_score: (rate, weight) => (isNum(rate) ? executionScore(rate, num(weight) ?? 10) : null),
  /** time_progress(as_of): the share of the year elapsed at the date (07-31 → 7/12). */
  time_progress: (d) => (typeof d === 'string' ? timeProgress(d) : null),
  /** progress_light(target, to_date, share, bands): a pro-rated indicator's light (red/yellow/green/blue bands). */
  progress_light: (target, toDate, share, bands) =>
    isNum(target) && isNum(toDate) && isNum(share)
      ? progressLight(target, toDate, share, Array.isArray(bands) && bands.length ? (bands as never) : undefined)
      : null,
  /** limit_light(operator, target, actual): within the target's limit → 绿, else 红 (not pro-rated indicators). */
  limit_light: (op, target, actual) =>
    typeof op === 'string' && isNum(target) && isNum(actual) ? limitLight(op as Operator, target, actual) : null,
  /** level_light(level): 达成 绿, 部分达成 黄, 未达成 红. */
  level_light: (level) => (typeof level === 'string' ? levelLight(level) : null),
  /** worst(order, a, b, …): the first light of `order` among the values (lists are searched too). */
  worst: (order, ...values) =>
    worstLight(
      list(order).map(String),
      values.flatMap((v) => list(v)).map((v) => (typeof v === 'string' ? v : null)),
    ),
  grade: (score, bands) =>
    isNum(score)
      ? grade(score, Array.isArray(bands) && bands.length ? (bands as unknown as GradeBands) : undefined)
      : null,
};

function minMax(a: Value[], f: (...n: number[]) => number): Value {
  const nums = (a.length === 1 ? list(a[0]!) : a).filter(isNum);
  return nums.length ? f(...nums) : null;
}

/** Reads a dotted name through the scopes; a name on a list of rows maps over the rows (indicators.weight). */
function lookup(path: string[], scopes: Scope[]): Value {
  const first = path[0]!;
  const scope = scopes.find((s) => Object.prototype.hasOwnProperty.call(s, first));
  let v: Value = scope ? scope[first]! : null;
  // Own properties only: `x.__proto__` or `x.constructor` must not reach JavaScript objects.
  const own = (o: Value, key: string): Value =>
    o && typeof o === 'object' && !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, key)
      ? ((o as Record<string, Value>)[key] ?? null)
      : null;
  for (const key of path.slice(1)) v = Array.isArray(v) ? v.map((row) => own(row, key)) : own(v, key);
  return v === undefined ? null : v;
}

/**
 * Evaluates against scopes searched in order (a row before its form). Never throws on data: bad arithmetic gives null.
 */
export function evaluate(e: Expr, scopes: Scope[]): Value {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'name':
      return lookup(e.path, scopes);
    case 'list':
      return e.items.map((i) => evaluate(i, scopes));
    case 'unary': {
      const v = evaluate(e.e, scopes);
      return e.op === '!' ? !truthy(v) : isNum(v) ? -v : null;
    }
    case 'cond':
      return truthy(evaluate(e.c, scopes)) ? evaluate(e.a, scopes) : evaluate(e.b, scopes);
    case 'call':
      return functions[e.fn]!(...e.args.map((a) => evaluate(a, scopes)));
    case 'bin': {
      if (e.op === '&&') return truthy(evaluate(e.l, scopes)) && truthy(evaluate(e.r, scopes));
      if (e.op === '||') return truthy(evaluate(e.l, scopes)) || truthy(evaluate(e.r, scopes));
      const l = evaluate(e.l, scopes);
      const r = evaluate(e.r, scopes);
      switch (e.op) {
        case '==':
          return isNum(l) && isNum(r) ? Math.abs(l - r) < 1e-9 : l === r;
        case '!=':
          return isNum(l) && isNum(r) ? Math.abs(l - r) >= 1e-9 : l !== r;
        // Strings compare too, so dates (YYYY-MM-DD) can be ordered.
        case '<':
          return isNum(l) && isNum(r) ? l < r : bothText(l, r) ? String(l) < String(r) : false;
        case '<=':
          return isNum(l) && isNum(r) ? l <= r + 1e-9 : bothText(l, r) ? String(l) <= String(r) : false;
        case '>':
          return isNum(l) && isNum(r) ? l > r : bothText(l, r) ? String(l) > String(r) : false;
        case '>=':
          return isNum(l) && isNum(r) ? l + 1e-9 >= r : bothText(l, r) ? String(l) >= String(r) : false;
        case '+':
          if (typeof l === 'string' || typeof r === 'string') return `${l ?? ''}${r ?? ''}`;
          return isNum(l) && isNum(r) ? l + r : null;
        case '-':
          return isNum(l) && isNum(r) ? l - r : null;
        case '*':
          return isNum(l) && isNum(r) ? l * r : null;
        case '/':
          return isNum(l) && isNum(r) && r !== 0 ? l / r : null;
        case '%':
          return isNum(l) && isNum(r) && r !== 0 ? l % r : null;
      }
      return null;
    }
  }
}

export { truthy };
