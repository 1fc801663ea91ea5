import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database';
import { FormStore, loadForms } from '../../src/forms';
import {
  confirmResults,
  loadResultsRules,
  monitoringExport,
  resultLines,
  selfEvaluationExport,
  targetsExport,
} from '../../src/results';
import { dialects, migratedDb } from '../helpers/databases';

/*
 * 结果应用 and 信息公开 over settled results: five projects whose self-evaluations score 优, 中 and 良, one 良 that 抽评
 * re-scored 差 and sent to 整改, and one still in approval. The rules table turns grades into actions; the bureau
 * confirms them and overrides one with a reason; the disclosure workbook holds only approved, confirmed projects.
 */
const root = path.resolve(import.meta.dirname, '../..');
const now = Date.now();
const store = new FormStore(loadForms().forms);
const rules = loadResultsRules();

/** A self-evaluation of one 90-point row (≥ 10 项) with the budget fully spent: 10 + 9 × done. */
const selfEvaluation = (done: number) => ({
  budget_initial: 480,
  budget_full: 480,
  spent: 480,
  annual_goal: '完成 10 项建设任务',
  goal_actual: `完成 ${done} 项`,
  indicators: [
    {
      level1: '产出指标',
      level2: '数量指标',
      name: '完成数量',
      operator: '≥',
      value: 10,
      unit: '项',
      weight: 90,
      actual: done,
    },
  ],
  conclusion: '完成',
});

async function seed(db: Db) {
  for (const f of [
    'performance-target',
    'self-evaluation',
    'sampling-review',
    'focus-evaluation',
    'performance-monitoring',
  ])
    await store.pin(db, store.get(f)!, now);
  const [dept] = await db('departments').insert({
    code: 'JYJ01',
    name: '杭州第一中学',
    kind: 'unit',
    created_at: now,
    updated_at: now,
  });
  const [user] = await db('users').insert({ name: '刘洋', department_id: dept, created_at: now, updated_at: now });
  const ids: Record<string, number> = {};
  for (const k of [1, 2, 3, 4, 5]) {
    const [id] = await db('projects').insert({
      ...{ code: `2026-P${k}`, name: `项目${k}`, department_id: dept, year: 2026, tier: 'B', amount: 4_800_000 },
      created_at: now,
      updated_at: now,
    });
    ids[`P${k}`] = Number(id);
  }
  const settle = async (form: string, project: string, data: object, status = 'approved') => {
    const version = store.get(form)!.def.version;
    const [sid] = await db('submissions').insert({
      ...{ form_id: form, subject_type: 'project', subject_id: ids[project], period: '2026', status },
      ...{ current_revision: 1, department_id: dept, created_by: user, created_at: now, updated_at: now },
    });
    await db('submission_revisions').insert({
      ...{ submission_id: sid, revision: 1, form_version: version, status: 'submitted', data: JSON.stringify(data) },
      ...{ created_at: now, updated_at: now, submitted_at: now, submitted_by: user },
      approved_at: status === 'approved' ? now : null,
    });
    return Number(sid);
  };
  for (const p of ['P1', 'P2', 'P3', 'P4', 'P5']) await settle('performance-target', p, { annual_goal: '完成 10 项' });
  await settle('self-evaluation', 'P1', selfEvaluation(10)); // 100, 优
  await settle('self-evaluation', 'P2', selfEvaluation(7)); // 73, 中
  await settle('self-evaluation', 'P3', selfEvaluation(8)); // 82, 良
  await settle('self-evaluation', 'P4', selfEvaluation(10), 'in_approval'); // not settled
  await settle('self-evaluation', 'P5', selfEvaluation(8)); // 82, 良
  // 抽评 re-scored P3 at 55 (差): 10 + 90 × 5/10, and asked for 整改, not yet verified.
  const review = await settle(
    'sampling-review',
    'P3',
    {
      self_total: 82,
      self_grade: '良',
      budget_full: 480,
      spent: 480,
      review_spent: 480,
      indicators: [{ operator: '≥', value: 10, weight: 90, review_actual: 5 }],
    },
    'submitted',
  );
  const [campaign] = await db('campaigns').insert({
    ...{ title: '自评', form_id: 'self-evaluation', period: '2026', population: '{}', opens_on: '2027-01-04' },
    ...{ deadline: '2027-02-26', policy: '{}', status: 'open', open_key: 'k', created_at: now, updated_at: now },
  });
  const [draw] = await db('sampling_draws').insert({
    ...{ campaign_id: campaign, period: '2026', ratio: 0.115, seed: 1, population: 5, size: 1, detail: '{}' },
    drawn_at: now,
  });
  await db('sampling_items').insert({
    ...{ draw_id: draw, project_id: ids.P3, department_id: dept, stratum: 'x', review_submission_id: review },
    ...{ review_score: 55, review_grade: '差', rectify: true, reviewed_at: now },
  });
  return { ids, settle };
}

describe.each(dialects())('结果应用 and 信息公开 on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof migratedDb>>;
  let seeded: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    t = await migratedDb(dialect);
    seeded = await seed(t.db);
  });
  afterAll(async () => t?.close());

  const byCode = async () => Object.fromEntries((await resultLines(t.db, store, rules, 2026)).map((l) => [l.code, l]));

  it('turns each settled grade into the suggested action, the 抽评 result and an open 整改 first', async () => {
    const l = await byCode();
    expect(l['2026-P1']).toMatchObject({ grade: '优', score: 100, source: '绩效自评', state: '待确认' });
    expect(l['2026-P1']!.suggested).toEqual({ action: '优先保障', cut_percent: null, note: null });
    expect(l['2026-P2']!.suggested).toMatchObject({ action: '压减', cut_percent: 10 });
    expect(l['2026-P3']).toMatchObject({ grade: '差', score: 55, source: '抽评复核', rectify: true, rectified: false });
    expect(l['2026-P3']!.suggested).toMatchObject({ action: '暂缓安排', note: '抽评整改尚未验收' });
    expect(l['2026-P4']).toMatchObject({ grade: null, state: '待评价' });
    expect(l['2026-P5']!.suggested.action).toBe('保障');
  });

  it('confirms the suggestions, overrides one only with a reason, and confirms nothing twice', async () => {
    const all = await t.db.transaction((tx) => confirmResults(tx, store, rules, { year: 2026 }, null, now));
    expect(all).toMatchObject({ confirmed: 4, pending: 1 });
    const again = await t.db.transaction((tx) => confirmResults(tx, store, rules, { year: 2026 }, null, now));
    expect(again.confirmed).toBe(0);
    const override = { year: 2026, codes: ['2026-P2'], action: '保障' };
    await expect(confirmResults(t.db, store, rules, override, null, now)).rejects.toThrow('请说明调整理由');
    await expect(confirmResults(t.db, store, rules, { ...override, action: '追加' }, null, now)).rejects.toThrow(
      '处理意见应为',
    );
    await confirmResults(t.db, store, rules, { ...override, reason: '列入市重点民生项目' }, null, now);
    const l = await byCode();
    expect(l['2026-P2']).toMatchObject({ state: '已调整' });
    expect(l['2026-P2']!.confirmed).toMatchObject({ action: '保障', cut_percent: null, reason: '列入市重点民生项目' });
    expect(l['2026-P1']!.state).toBe('已确认');
  });

  it('exports the approved self-evaluations, each on a sheet laid out as 10号 annex 1, or a summary row each', async () => {
    const { book } = await selfEvaluationExport(t.db, store, rules, { year: 2026 });
    expect(book.worksheets.map((w) => w.name)).toEqual(['2026-P1', '2026-P2', '2026-P3', '2026-P5']); // not P4
    const ws = book.getWorksheet('2026-P1')!;
    expect(ws.getCell('A1').value).toBe('项目支出绩效自评表');
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:H1', 'A2:B2', 'C2:H2', 'A4:B4', 'C7:E7', 'A10:E10']));
    expect([ws.getCell('C2').value, ws.getCell('F3').value]).toEqual(['项目1', '杭州第一中学']);
    expect((ws.getRow(4).values as unknown[]).slice(3)).toEqual([
      '年初预算数',
      '全年预算数',
      '全年执行数',
      '分值',
      '执行率',
      '得分',
    ]);
    expect((ws.getRow(5).values as unknown[]).slice(3)).toEqual([480, 480, 480, 10, 1, 10]);
    expect([ws.getCell('C5').numFmt, ws.getCell('G5').numFmt]).toEqual(['#,##0.00', '0.00%']);
    expect([ws.getCell('C7').value, ws.getCell('F7').value]).toEqual(['完成 10 项建设任务', '完成 10 项']);
    expect((ws.getRow(9).values as unknown[]).slice(1, 8)).toEqual([
      '产出指标',
      '数量指标',
      '完成数量',
      '≥10项',
      '10项',
      90,
      90,
    ]);
    expect([ws.getCell('F10').value, ws.getCell('G10').value, ws.getCell('H10').value]).toEqual([
      100,
      100,
      '评价等级：优',
    ]);
    expect(ws.getCell('C11').value).toBe('完成');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9 });

    // The summary as an operator writes it, through the CLI.
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'selfeval-')), '自评汇总.xlsx');
    const r = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'export', 'selfeval', '--year', '2026', '--summary', '--out', out],
      { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('已导出 4 个项目的绩效自评表汇总');
    const summary = new ExcelJS.Workbook();
    await summary.xlsx.readFile(out);
    const sum = summary.getWorksheet('自评汇总')!;
    expect([4, 5, 6, 7].map((r) => sum.getCell(r, 2).value)).toEqual(['2026-P1', '2026-P2', '2026-P3', '2026-P5']);
    expect([sum.getCell('H5').value, sum.getCell('I5').value]).toEqual([73, '中']);
    await expect(selfEvaluationExport(t.db, store, rules, { year: 2026, department: 'NOPE' })).rejects.toThrow(
      '没有编码为 NOPE 的部门',
    );
  });

  it('exports the approved 双监控 reports: a row per project, worst light first, and a row per indicator', async () => {
    const report = (toDate: number, extra: object = {}) => ({
      ...{ as_of: '2026-07-31', budget_initial: 480, budget_full: 480, spent: 240, expected_spend: 480 },
      indicators: [
        { level1: '产出指标', level2: '数量指标', name: '完成数量', operator: '≥', value: 10, unit: '项', weight: 90 },
      ].map((r) => ({ ...r, to_date: toDate, expected: 10, ...extra })),
      goal_progress: '按计划推进',
    });
    await seeded.settle('performance-monitoring', 'P1', report(6));
    await seeded.settle('performance-monitoring', 'P2', {
      ...report(1, { causes: ['经费保障'], likelihood: '有可能' }),
      ...{ corrective: '调整预算', corrective_deadline: '2026-09-15' },
    });
    const { book, count } = await monitoringExport(t.db, store, rules, { year: 2026 });
    expect(count).toBe(2);
    const ws = book.getWorksheet('项目预警')!;
    expect(ws.getCell('A1').value).toBe('2026 年度绩效运行监控预警汇总表');
    // Time progress to 31 July is 7 months of 12; half the budget spent: 预算执行 green; a red indicator makes P2 red.
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual([
      ...['杭州第一中学', '2026-P2', '项目2', '2026-07-31', 480, 240, 0.5, 7 / 12],
      ...['绿', '红', '调整预算', '2026-09-15'],
    ]);
    expect(ws.getCell('B5').value).toBe('2026-P1');
    expect([ws.getCell('E4').numFmt, ws.getCell('G4').numFmt, ws.getCell('H4').numFmt]).toEqual([
      '#,##0.00',
      '0.00%',
      '0.00%',
    ]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    const ind = book.getWorksheet('指标预警')!;
    expect((ind.getRow(4).values as unknown[]).slice(1)).toEqual([
      ...['杭州第一中学', '项目2', '产出指标', '数量指标', '完成数量', '≥10项', 1, 10, '红', '经费保障', '有可能'],
    ]);
    expect(ind.getCell('I5').value).toBe('绿');
    expect((await monitoringExport(t.db, store, rules, { year: 2026, project: '2026-P1' })).count).toBe(1);
  });

  it('exports the approved targets, each on a sheet as the template prints it, one unit with --department', async () => {
    const { book, count } = await targetsExport(t.db, store, rules, { year: 2026, department: 'JYJ01' });
    expect(count).toBe(5);
    const ws = book.getWorksheet('2026-P1')!;
    expect(ws.getCell('A1').value).toBe('项目支出绩效目标申报表');
    expect([ws.getCell('C2').value, ws.getCell('F2').value, ws.getCell('G2').value]).toEqual([
      '项目1',
      '项目编码',
      '2026-P1',
    ]);
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:H1', 'C2:E2', 'G2:H2', 'C9:H9']));
    expect([ws.getCell('A9').value, ws.getCell('C9').value]).toEqual(['年度目标', '完成 10 项']);
    expect((ws.getRow(10).values as unknown[]).slice(1)).toEqual([
      ...['一级指标', '二级指标', '三级指标', '指标值', '分值', '核心', '指标解释', '取值依据'],
    ]);
    await expect(targetsExport(t.db, store, rules, { year: 2026, department: 'NOPE' })).rejects.toThrow(
      '没有编码为 NOPE 的部门',
    );
  });

  it('exports only approved, confirmed projects to the disclosure workbook', async () => {
    // A 重点评价 of P5 accepted after the confirmation: its suggestion moves (优 → 优先保障) and waits for the bureau.
    await seeded.settle('focus-evaluation', 'P5', { items: [{ level1: '产出', weight: 100, points: 95 }] });
    expect((await byCode())['2026-P5']).toMatchObject({ state: '建议已变化', grade: '优', source: '重点评价' });

    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'disclosure-')), '信息公开.xlsx');
    const r = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'export', 'disclosure', '--year', '2026', '--out', out],
      { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent' } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('已导出 3 个项目的信息公开表');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(out);
    const ws = book.getWorksheet('项目绩效自评结果')!;
    expect(ws.getCell('A1').value).toBe('2026 年度项目支出绩效自评结果公开表');
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:M1', 'A2:M2']));
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1 });
    expect((ws.getRow(3).values as unknown[]).slice(1, 4)).toEqual(['部门（单位）', '项目编码', '项目名称']);
    const codes = [4, 5, 6].map((r) => ws.getCell(r, 2).value);
    expect(codes).toEqual(['2026-P1', '2026-P2', '2026-P3']); // not P4 (in approval) nor P5 (changed since)
    expect(ws.getCell(7, 2).value).toBeNull();
    // P1: 480.00 万元 spent of 480, 100 %, 100 分, 优, 优先保障; P3 shows the 抽评 result beside its own 良.
    expect(ws.getCell('F4').value).toBe(480);
    expect(ws.getCell('F4').numFmt).toBe('#,##0.00');
    expect(ws.getCell('G4').value).toBe(1);
    expect(ws.getCell('G4').numFmt).toBe('0.00%');
    expect([ws.getCell('J4').value, ws.getCell('K4').value, ws.getCell('M4').value]).toEqual([100, '优', '优先保障']);
    expect([ws.getCell('K6').value, ws.getCell('L6').value, ws.getCell('M6').value]).toEqual([
      '良',
      '差（抽评复核）',
      '暂缓安排',
    ]);
    expect(ws.getCell('M5').value).toBe('保障');
    const rows = book.getWorksheet('绩效指标完成情况')!;
    expect([rows.getCell('E3').value, rows.getCell('F3').value, rows.getCell('G3').value]).toEqual([
      '完成数量',
      '≥10项',
      '10项',
    ]);
  });
});
