import { type Expr, type Value, evaluate, truthy } from '../forms/index.ts';
import { round } from '../shared/decimal.ts';
import { seededRandom, shuffle } from '../shared/seeded-random.ts';

/*
 * 抽评 as a pure function of the population, the rules and a seed: the same inputs always draw the same projects.
 *
 * - Rules that exclude a project take it out first; the sample size is the eligible count × ratio, rounded half up
 *   (2,247 × 11.5 % = 258.405 → 258).
 * - Mandatory inclusions (last year's 差, large amounts) are taken next and count towards the size.
 * - The rest of the size is shared out over the strata (department × tier by default) in proportion to what each
 *   has left, by largest remainder: a stratum with at least 1 ÷ ratio projects (9 at 11.5 %) gets at least one, and the
 *   total is exact. Equal remainders are ordered by the seed, not by name.
 * - Within a stratum the projects are taken from a seeded shuffle of the stratum sorted by code.
 */

export interface Candidate {
  projectId: number;
  code: string;
  departmentId: number;
  departmentName: string;
  tier: string;
  /** What include / exclude rules read, as `project.*`. */
  project: Record<string, Value>;
}

export interface Rule {
  label: string;
  expr: Expr;
}

export interface DrawRules {
  ratio: number;
  strata: ('department' | 'tier')[];
  include: Rule[];
  exclude: Rule[];
}

export interface Drawn {
  projectId: number;
  code: string;
  departmentId: number;
  stratum: string;
  /** The mandatory-inclusion rule, or null when drawn at random. */
  reason: string | null;
}

export interface StratumCount {
  stratum: string;
  population: number;
  mandatory: number;
  drawn: number;
}

export interface DrawResult {
  population: number;
  eligible: number;
  size: number;
  rounding: string;
  items: Drawn[];
  strata: StratumCount[];
  excluded: { code: string; reason: string }[];
}

const firstMatch = (rules: Rule[], c: Candidate) =>
  rules.find((r) => truthy(evaluate(r.expr, [{ project: c.project }])))?.label;

const stratumOf = (rules: DrawRules, c: Candidate) =>
  rules.strata.map((s) => (s === 'department' ? c.departmentName : `${c.tier} 类`)).join(' · ') || '全部';

export function drawSample(candidates: Candidate[], rules: DrawRules, seed: number): DrawResult {
  const random = seededRandom(seed);
  const sorted = [...candidates].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const excluded: DrawResult['excluded'] = [];
  const mandatory: Drawn[] = [];
  const rest = new Map<string, Candidate[]>();
  const counts = new Map<string, StratumCount>();
  for (const c of sorted) {
    const out = firstMatch(rules.exclude, c);
    if (out) {
      excluded.push({ code: c.code, reason: out });
      continue;
    }
    const stratum = stratumOf(rules, c);
    const count = counts.get(stratum) ?? { stratum, population: 0, mandatory: 0, drawn: 0 };
    counts.set(stratum, count);
    count.population++;
    const reason = firstMatch(rules.include, c);
    if (reason) {
      count.mandatory++;
      mandatory.push({ projectId: c.projectId, code: c.code, departmentId: c.departmentId, stratum, reason });
    } else rest.set(stratum, [...(rest.get(stratum) ?? []), c]);
  }
  const eligible = sorted.length - excluded.length;
  const exact = eligible * rules.ratio;
  const size = Math.max(round(exact, 0), mandatory.length);
  const quotas = allocate(rest, size - mandatory.length, random);
  const drawn: Drawn[] = [];
  for (const [stratum, members] of [...rest].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const take = shuffle(members, random).slice(0, quotas.get(stratum) ?? 0);
    counts.get(stratum)!.drawn = take.length;
    for (const c of take)
      drawn.push({ projectId: c.projectId, code: c.code, departmentId: c.departmentId, stratum, reason: null });
  }
  const percent = round(rules.ratio * 100, 2);
  const rounding =
    size > round(exact, 0)
      ? `必抽项目 ${mandatory.length} 个，多于 ${eligible} × ${percent}% = ${round(exact, 3)}，样本即为必抽项目`
      : `${eligible} × ${percent}% = ${round(exact, 3)}，四舍五入为 ${size}`;
  return {
    population: sorted.length,
    eligible,
    size: mandatory.length + drawn.length,
    rounding,
    items: [...mandatory, ...drawn].sort((a, b) => (a.code < b.code ? -1 : 1)),
    strata: [...counts.values()].sort((a, b) => (a.stratum < b.stratum ? -1 : 1)),
    excluded,
  };
}

/** Largest-remainder shares of `n` over the strata by their sizes; ties in the remainder ordered by the seed. */
function allocate(strata: Map<string, Candidate[]>, n: number, random: () => number): Map<string, number> {
  const total = [...strata.values()].reduce((s, m) => s + m.length, 0);
  const quotas = new Map<string, number>();
  if (n <= 0 || total === 0) return quotas;
  const take = Math.min(n, total);
  const keys = [...strata.keys()].sort();
  const shares = keys.map((k) => {
    const exact = (take * strata.get(k)!.length) / total;
    return { k, floor: Math.floor(exact), remainder: exact - Math.floor(exact), tie: random() };
  });
  let left = take - shares.reduce((s, x) => s + x.floor, 0);
  for (const x of shares) quotas.set(x.k, x.floor);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.tie - b.tie);
  for (const x of byRemainder) {
    if (left <= 0) break;
    quotas.set(x.k, x.floor + 1);
    left--;
  }
  return quotas;
}
