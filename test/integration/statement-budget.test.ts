import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver } from '../helpers/card-driver';
import { submitTarget } from '../helpers/fill-target';
import { dialects } from '../helpers/databases';
import { statementsDuring } from '../helpers/statements';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * Handlers read what they render once: a guard's read serves its handler, a write does not read back, and the org
 * look-ups of one event are shared. These budgets (SQL statements per event, transaction control not counted) hold
 * that in place; a change that reads the same rows twice fails here, with the statements listed.
 */
const firstPage = {
  manager: '负责人',
  phone: '0571-87001234',
  start_date: '2026-01-01 +0800',
  end_date: '2026-12-31 +0800',
  project_name: '项目',
  project_code: '2026-JYJ01-005',
  department_name: '单位',
};

const budgets = {
  intake: 3, // dedupe claim, the sender with roles, the reply
  formStart: 11, // the first open: pins the form version, creates the submission and its draft, audits
  formOpen: 8,
  formPage: 8,
  rowEdit: 8,
  rowSave: 8,
  rowDelete: 8,
  submit: 20,
  approveStep: 15,
  approveFinal: 15,
  returnForChanges: 15,
  withdraw: 15,
  detail: 8,
};

describe.each(dialects())('statements per action on %s', (dialect) => {
  let s: Stack;
  const measured: Record<string, string[]> = {};
  const within = (name: keyof typeof budgets, sql: string[]) => {
    measured[name] = sql;
    expect(sql.length, `${name}: ${sql.length} statements\n${sql.join('\n')}`).toBeLessThanOrEqual(budgets[name]);
  };

  beforeAll(async () => {
    s = await startStack(dialect);
  });
  afterAll(async () => {
    console.log(dialect, Object.fromEntries(Object.entries(measured).map(([k, v]) => [k, v.length])));
    await s?.stop();
  });

  it('a message to the bot', async () => {
    within('intake', await statementsDuring(s, () => s.send(textMessage(s.id, demo.filler, '帮助'))));
  });

  it('filling a target: open, pages, rows, submit', async () => {
    const steps = { open: 'formStart', page: 'formPage', rowEdit: 'rowEdit', rowSave: 'rowSave', submit: 'submit' };
    const u = await submitTarget(s, demo.filler, '2026-JYJ01-005', '完成年度建设任务', async (step, click) =>
      within(steps[step] as keyof typeof budgets, await statementsDuring(s, click)),
    );
    // Opened again from the list; then a row saved by mistake and deleted, on a second draft.
    await s.send(textMessage(s.id, demo.filler, '填报 2026-JYJ01-005'));
    await flush(s);
    u.fromInbox('选择要填报的表单');
    within('formOpen', await statementsDuring(s, () => u.click('查看', undefined, `绩效目标申报表**\\n`)));

    // Another project's draft: a row saved by mistake, then deleted.
    const d = new CardDriver(s, demo.filler);
    await s.send(textMessage(s.id, demo.filler, '填报 2026-JYJ01-007'));
    await flush(s);
    d.fromInbox('2026-JYJ01-007');
    await d.click('开始填报', undefined, `绩效目标申报表**\\n`);
    await d.click('下一步', { ...firstPage, project_code: '2026-JYJ01-007' });
    await d.click('下一步', { fund_fiscal: '100', fund_other: '0' });
    await d.click('下一步', { overall_goal: '完成', annual_goal: '完成' });
    await d.click('添加一行');
    const row = { level1: '产出指标', level2: '数量指标', name: '多余的一行', operator: '≥', value: '1', unit: '项' };
    await d.click('保存这一行', { ...row, weight: '5' });
    within('rowDelete', await statementsDuring(s, () => d.click('删除', undefined, '多余的一行')));
    expect(d.lastToast).toEqual({ type: 'success', content: '已删除' });
  });

  it('deciding: a step, a return, a withdrawal, the final approval', async () => {
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批');
    within('detail', await statementsDuring(s, () => head.click('查看完整内容')));
    within('approveStep', await statementsDuring(s, () => head.click('同意', { comment: '' })));
    expect(head.lastToast?.type).toBe('success');
    await flush(s);
    const reviewer = new CardDriver(s, demo.supervising).fromInbox('待审批');
    within(
      'returnForChanges',
      await statementsDuring(s, () => reviewer.click('退回修改', { comment: '请量化', fields: ['indicators'] })),
    );
    expect(reviewer.lastToast?.type).toBe('success');

    await flush(s);

    // Resubmitted: the chain resumes at the supervising step; the finance division's approval is the last.
    const filler = new CardDriver(s, demo.filler).fromInbox('申报被退回修改');
    await filler.click('修改并重新提交');
    await filler.click('下一步', firstPage);
    await filler.click('下一步', { fund_fiscal: '100', fund_other: '0' });
    await filler.click('下一步', { overall_goal: '完成年度建设任务', annual_goal: '完成年度建设任务' });
    await filler.click('下一步');
    await filler.click('确认提交');
    expect(filler.lastToast).toEqual({ type: 'success', content: '已提交（第 2 版）' });
    await approveAll(s, [demo.supervising]);
    const finance = new CardDriver(s, demo.finance).fromInbox('待审批');
    within('approveFinal', await statementsDuring(s, () => finance.click('同意', { comment: '' })));
    expect(finance.lastToast?.type).toBe('success');

    // Another target, withdrawn by its filler from the card the submit answered with.
    const other = await submitTarget(s, demo.filler, '2026-JYJ01-006');
    within('withdraw', await statementsDuring(s, () => other.click('撤回')));
    expect(other.lastToast).toEqual({ type: 'success', content: '已撤回' });
  });
});
