import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import fs from 'node:fs';
import { assignEvaluator } from '../../src/forms';
import { textMessage } from '../../src/sandbox/lark-sender';
import { beijingDate } from '../../src/shared/clock';
import { buttons, CardDriver, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * 重点评价 as the bureau runs it: an evaluator named with `assign`, who scores the 20 items of 10号 annex 2 through the
 * cards (a score above an item's weight refused, a deduction explained); the total graded by the form's bands; the
 * performance division accepts it. Nobody else can fill it.
 */
const root = path.resolve(import.meta.dirname, '../..');
const project = '2026-JYJ01-005';
const thirdParty = 'ou_demo0000000000000000000000007'; // 孙悦, 第三方评价
const items: { level3: string; weight: number }[] = YAML.parse(
  fs.readFileSync(path.join(root, 'forms/focus-evaluation.yaml'), 'utf8'),
).sections[0].fields[0].rows;

describe.each(dialects())('重点评价 scorecard on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('is scored item by item by the assigned evaluator, graded, and accepted by the performance division', async () => {
    s = await startStack(dialect);
    const assign = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'assign', '--form', 'focus-evaluation', '--project', project, '--to', '孙悦'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'silent' } },
    );
    expect(assign.status, assign.stderr).toBe(0);
    expect(assign.stdout).toContain(
      '已指定 孙悦 评价：实验室设备更新（2026-JYJ01-005）（2026 年度《项目支出绩效评价（重点评价）》）',
    );
    const wrong = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'assign', '--form', 'focus-evaluation', '--project', project, '--to', '刘洋'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'silent' } },
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('没有找到可担任评价人的“刘洋”');

    // The unit's filler may not open it.
    const { db } = s.service.deps;
    const projectId = Number((await db('projects').where({ code: project }).first('id')).id);
    const filler = new CardDriver(s, demo.filler);
    await filler.clickValue({ action: 'form.open', form: 'focus-evaluation', type: 'project', id: projectId });
    expect(filler.lastToast?.content).toBe('您不是该对象的指定评价人，不能填写此表');

    await flush(s);
    const e = new CardDriver(s, thirdParty).fromInbox('绩效处指定您评价');
    await e.click('查看评价任务');
    await flush(s);
    const card = new CardDriver(s, thirdParty).fromInbox('评价任务');
    await card.click('开始评价', undefined, '重点评价');
    expect(text(card.card)).toContain('共 20 行');

    // Full marks except 预算执行率 (4 → 3) and 服务对象满意度 (10 → 8): 97, 优.
    const points = (level3: string, weight: number) =>
      level3 === '预算执行率' ? 3 : level3 === '服务对象满意度' ? 8 : weight;
    for (const item of items) {
      if (!text(card.card).includes(`${item.level3}（`)) await card.click('下一组');
      await card.click('填写', undefined, `${item.level3}（`);
      expect(Object.keys(inputs(card.card)).sort()).toEqual(['note', 'points']);
      const p = points(item.level3, item.weight);
      if (item.level3 === '预算执行率') {
        await card.click('保存这一行', { points: '5', note: '' });
        expect(text(card.card)).toContain('得分不能超过该项分值');
        await card.click('保存这一行', { points: String(p), note: '' });
        expect(text(card.card)).toContain('此项必填');
      }
      await card.click('保存这一行', { points: String(p), note: p < item.weight ? '执行进度偏慢' : '' });
      expect(buttons(card.card).some((b) => b.text === '保存这一行')).toBe(false);
    }
    await card.click('下一步');
    await card.click('下一步', { findings: '执行进度偏慢', suggestions: '加快支出进度', report: '' });
    expect(text(card.card)).toContain('**97**');
    expect(text(card.card)).toContain('**优**');
    await card.click('确认提交');
    expect(card.lastToast?.type, JSON.stringify(card.lastToast)).toBe('success');
    await approveAll(s, [demo.performance]);
    const sub = await db('submissions').where({ form_id: 'focus-evaluation' }).first('status');
    expect(sub.status).toBe('approved');
  }, 90_000); // two CLI processes and 40 clicks
  it('scores a department on the six 部门整体 dimensions, filled by its assigned evaluator only', async () => {
    s = await startStack(dialect);
    const { db } = s.service.deps;
    const { forms, cards } = s.service.bot;
    const year = beijingDate(Date.now()).slice(0, 4);
    const input = { formId: 'department-evaluation', department: 'JYJ01', to: '孙悦' };
    const r = await db.transaction((tx) => assignEvaluator(tx, forms, cards, input, null, Date.now(), year));
    expect(r).toMatchObject({ subject: '杭州第一中学', period: year, assignee: '孙悦' });
    const unit = Number((await db('departments').where({ code: 'JYJ01' }).first('id')).id);
    const head = new CardDriver(s, demo.unitHead);
    await head.clickValue({ action: 'form.open', form: 'department-evaluation', type: 'department', id: unit });
    expect(head.lastToast?.content).toBe('您不是该对象的指定评价人，不能填写此表');

    await s.send(textMessage(s.id, thirdParty, '评价任务'));
    await flush(s);
    const e = new CardDriver(s, thirdParty).fromInbox('评价任务');
    await e.click('开始评价', undefined, '部门整体绩效评价表');
    expect(text(e.card)).toContain('共 12 行');
    for (const dim of ['运行成本', '管理效率', '履职效能', '社会效应', '可持续发展能力', '服务对象满意度'])
      expect(text(e.card)).toContain(dim);
    const rows: { level2: string; weight: number }[] = YAML.parse(
      fs.readFileSync(path.join(root, 'forms/department-evaluation.yaml'), 'utf8'),
    ).sections[0].fields[0].rows;
    for (const row of rows) {
      await e.click('填写', undefined, `${row.level2}（`);
      await e.click('保存这一行', {
        points: String(row.level2 === '重点工作完成' ? 12 : row.weight),
        note: '部分任务延期',
      });
    }
    await e.click('下一步');
    await e.click('下一步', { findings: '重点任务延期', suggestions: '加强计划管理' });
    expect(text(e.card)).toContain('**97**');
    await e.click('确认提交');
    expect(e.lastToast?.type, JSON.stringify(e.lastToast)).toBe('success');
  });
});
