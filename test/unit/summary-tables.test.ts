import { describe, expect, it } from 'vitest';
import { FormStore, loadForms, summaryTables } from '../../src/forms';

const form = new FormStore(loadForms().forms).get('self-evaluation')!;
const row = (i: number, name: string) => ({
  ...{ level1: '产出指标', level2: '数量指标', name: `${i}. ${name}`, operator: '≥', value: 10, unit: '项' },
  ...{ weight: 3, actual: 10 },
});

describe('tables on cards', () => {
  it('shows a usual 30-row indicator table whole', () => {
    const [t] = summaryTables(form, { indicators: Array.from({ length: 30 }, (_, i) => row(i, '完成数量')) }, {});
    expect(t!.rows).toHaveLength(30);
    expect(t!.total).toBeUndefined();
  });

  it('keeps 30 rows of long text within the card budget by cutting the cells shorter', () => {
    const long = '按照年度工作计划完成各类设备的采购、安装、调试和验收工作并形成完整档案资料'.repeat(3);
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...row(i, long), level1: long, level2: long, unit: long }));
    const whole = JSON.stringify(rows).length;
    expect(whole).toBeGreaterThan(14_000);
    const tables = summaryTables(form, { indicators: rows }, {});
    const t = tables[0]!;
    expect(Buffer.byteLength(JSON.stringify(tables.map((x) => x.rows)))).toBeLessThanOrEqual(14_000);
    expect(t.rows).toHaveLength(30);
    expect(t.rows[0]!.name).toBe(`0. ${long}`.slice(0, 20) + '…');
    expect(t.total).toBeUndefined();
  });
});
