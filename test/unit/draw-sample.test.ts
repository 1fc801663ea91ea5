import { describe, expect, it } from 'vitest';
import { checkedExpression } from '../../src/forms';
import { type Candidate, type DrawRules, drawSample } from '../../src/sampling/draw-sample';
import { seededRandom } from '../../src/shared/seeded-random';

/*
 * The seed's city: 2,247 projects in 327 units, tiers mixed. 11.5 % gives 258 (258.405 rounded half up); strata of
 * department × tier each get their proportional share; one seed always draws the same projects.
 */
function city(): Candidate[] {
  // 20 large units of 25 projects; the other 307 share 1,747: 212 of them 6, 95 of them 5.
  const random = seededRandom(2019);
  const out: Candidate[] = [];
  for (let d = 0; d < 327; d++) {
    const n = d < 20 ? 25 : d < 232 ? 6 : 5;
    for (let k = 0; k < n; k++) out.push(candidate(d, k, random));
  }
  return out;
}

function candidate(d: number, k: number, random: () => number): Candidate {
  const tier = random() < 0.1 ? 'A' : random() < 0.5 ? 'B' : 'C';
  const amountWan = tier === 'A' ? 5000 : tier === 'B' ? 800 : 100;
  return {
    projectId: d * 1000 + k,
    code: `2026-D${String(d).padStart(3, '0')}-${String(k).padStart(3, '0')}`,
    departmentId: d,
    departmentName: `单位${String(d).padStart(3, '0')}`,
    tier,
    project: { tier, amount_wan: amountWan, previous_grade: null },
  };
}

const names = new Set(['project']);
const rules = (over: Partial<DrawRules> = {}): DrawRules => ({
  ratio: 0.115,
  strata: ['department', 'tier'],
  include: [],
  exclude: [],
  ...over,
});

describe('drawSample', () => {
  const population = city();

  it('draws 258 of 2,247 at 11.5 %, saying how it rounded', () => {
    expect(population).toHaveLength(2247);
    expect(new Set(population.map((c) => c.departmentId)).size).toBe(327);
    const r = drawSample(population, rules(), 42);
    expect(r.size).toBe(258);
    expect(r.items).toHaveLength(258);
    expect(new Set(r.items.map((i) => i.code)).size).toBe(258);
    expect(r.rounding).toBe('2247 × 11.5% = 258.405，四舍五入为 258');
  });

  it('represents every stratum of at least 1 ÷ ratio projects, and shares the rest in proportion', () => {
    const r = drawSample(population, rules(), 42);
    const big = r.strata.filter((s) => s.population * 0.115 >= 1);
    expect(big.length).toBeGreaterThan(20);
    for (const s of big) expect(s.drawn, s.stratum).toBeGreaterThanOrEqual(1);
    // Largest remainder: every stratum gets its exact share rounded down or up.
    const total = r.strata.reduce((n, s) => n + s.population, 0);
    for (const s of r.strata) {
      const share = (258 * s.population) / total;
      expect(s.drawn).toBeGreaterThanOrEqual(Math.floor(share));
      expect(s.drawn).toBeLessThanOrEqual(Math.ceil(share));
    }
  });

  it('gives the same sample for the same seed and another for another seed', () => {
    const codes = (seed: number) => drawSample(population, rules(), seed).items.map((i) => i.code);
    expect(codes(42)).toEqual(codes(42));
    expect(codes(43)).not.toEqual(codes(42));
    // The order of the population does not matter: it is sorted by code first.
    expect(drawSample([...population].reverse(), rules(), 42).items.map((i) => i.code)).toEqual(codes(42));
  });

  it('always takes the mandatory projects, counts them in the size, and never the excluded ones', () => {
    const marked = population.map((c, i) =>
      i % 100 === 0 ? { ...c, project: { ...c.project, previous_grade: '差' } } : c,
    );
    const include = [{ label: '上年评价为差', expr: checkedExpression("project.previous_grade == '差'", names) }];
    const exclude = [{ label: '已列入重点评价', expr: checkedExpression('project.amount_wan >= 5000', names) }];
    const r = drawSample(marked, rules({ include, exclude }), 42);
    const excluded = marked.filter((c) => c.project.amount_wan === 5000);
    expect(r.excluded).toHaveLength(excluded.length);
    expect(r.eligible).toBe(2247 - excluded.length);
    const mandatory = marked.filter((c) => c.project.previous_grade === '差' && c.project.amount_wan !== 5000);
    expect(
      r.items
        .filter((i) => i.reason === '上年评价为差')
        .map((i) => i.code)
        .sort(),
    ).toEqual(mandatory.map((c) => c.code).sort());
    expect(r.size).toBe(Math.round(r.eligible * 0.115));
    expect(r.items.some((i) => excluded.some((c) => c.code === i.code))).toBe(false);
  });

  it('takes every mandatory project even when they outnumber the ratio', () => {
    const include = [{ label: '全部', expr: checkedExpression("project.tier != ''", names) }];
    const r = drawSample(population.slice(0, 100), rules({ include }), 1);
    expect(r.size).toBe(100);
    expect(r.rounding).toContain('必抽项目 100 个');
  });
});
