import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * 导出 on cards: the workbook reaches whoever clicked as a file message, uploaded through im/v1/files (the fake keeps
 * the bytes it was sent), within what that person may see.
 */
describe.each(dialects())('exports from cards on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  const filesTo = (openId: string) => s.fake.messagesTo(openId).filter((m) => m.file);
  async function workbook(openId: string) {
    const m = filesTo(openId).at(-1)!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(s.fake.files.get(m.file!.key)!.bytes as unknown as ArrayBuffer);
    return { book, name: m.file!.name };
  }
  const dataRows = (ws: ExcelJS.Worksheet) =>
    ws.getSheetValues().slice(4).filter(Boolean) as unknown as (string | number)[][];

  async function progressOf(openId: string) {
    await s.send(textMessage(s.id, openId, '进度'));
    await flush(s);
    return new CardDriver(s, openId).fromInbox('填报进度');
  }

  it('sends a campaign’s progress as a workbook: every unit to the bureau, their own to a unit head, once per click', async () => {
    s = await startStack(dialect);
    const bureau = new CardDriver(s, demo.performance);
    await s.send(textMessage(s.id, demo.performance, '发起填报'));
    await flush(s);
    await bureau.fromInbox('发起填报任务').click('发起', {
      title: '2027 年度项目绩效目标申报',
      form: 'performance-target',
      population: 'projects',
      year: '2026',
      opens: '2026-09-28 +0800',
      deadline: '2030-10-12 +0800',
      remind_days: ['5', '3', '1', '0'],
      escalate_after: '3',
    });
    expect(text(bureau.card)).toContain('36 项任务');
    await flush(s);

    const board = await progressOf(demo.performance);
    expect(text(board.card)).toContain('"tag":"table"');
    expect(text(board.card)).toContain('进度最慢的单位');
    await board.click('导出 Excel');
    expect(board.lastToast?.content).toMatch(/^已生成《2027 年度项目绩效目标申报填报进度\d{4}-\d\d-\d\d》/);
    await board.click('导出 Excel'); // a double click: one file
    expect(board.lastToast).toEqual({ type: 'info', content: '刚刚已导出，请在对话中查看文件' });
    await flush(s);
    expect(filesTo(demo.performance)).toHaveLength(1);
    const all = await workbook(demo.performance);
    expect(all.name).toMatch(/^2027 年度项目绩效目标申报填报进度\d{4}-\d\d-\d\d\.xlsx$/);
    expect(s.fake.files.get(filesTo(demo.performance)[0]!.file!.key)!.type).toBe('xls');
    const ws = all.book.getWorksheet('填报进度')!;
    expect(ws.getRow(3).values).toEqual([, '单位', '填报对象', '状态', '填报人', '逾期（工作日）', '已提醒（次）']);
    expect(dataRows(ws)).toHaveLength(36);

    // A unit head exports from their own card: their unit's rows only.
    const head = await progressOf(demo.unitHead);
    await head.click('导出 Excel');
    await flush(s);
    const own = await workbook(demo.unitHead);
    expect(own.name).toContain('（杭州第一中学）');
    const units = new Set(dataRows(own.book.getWorksheet('填报进度')!).map((r) => r[1]));
    expect([...units]).toEqual(['杭州第一中学']);

    // A filler has no progress view, so no export: a forged click is refused and sends nothing.
    const filler = new CardDriver(s, demo.filler);
    await filler.clickValue(board.button('导出 Excel'));
    expect(filler.lastToast).toEqual({ type: 'warning', content: '您无权导出填报进度' });
    await flush(s);
    expect(filesTo(demo.filler)).toHaveLength(0);
  }, 90_000);

  it('opens each form from a project’s history and exports its approved target; the results list exports for the bureau only', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-005');
    await approveAll(s, [demo.unitHead, demo.supervising, demo.finance]);
    await s.send(textMessage(s.id, demo.supervising, '项目 2026-JYJ01-005'));
    await flush(s);
    const history = new CardDriver(s, demo.supervising).fromInbox('项目档案');
    await history.click('查看绩效目标申报表（第 1 版）');
    expect(history.lastToast?.content).toBe('表单内容已发送给您');
    await flush(s);
    const shown = text(s.fake.messagesTo(demo.supervising).at(-1)!.card);
    expect(shown).toContain('实验室设备更新');
    expect(shown).not.toContain('撤回');

    await history.click('导出 Excel');
    await flush(s);
    const p = await workbook(demo.supervising);
    expect(p.name).toBe('实验室设备更新（2026-JYJ01-005）绩效表.xlsx');
    const sheet = p.book.getWorksheet('绩效目标申报表')!;
    expect(sheet.getCell('A1').value).toBe('项目支出绩效目标申报表');
    expect(p.book.getWorksheet('绩效自评表')).toBeUndefined();

    // Another unit's filler: the read rule refuses both, and a submission of another project is refused too.
    const other = new CardDriver(s, demo.otherFiller);
    await other.clickValue(history.button('查看绩效目标申报表（第 1 版）'));
    expect(other.lastToast).toEqual({ type: 'warning', content: '您无权查看该项目的档案' });
    await other.clickValue(history.button('导出 Excel'));
    expect(other.lastToast).toEqual({ type: 'warning', content: '您无权查看该项目的档案' });
    const sid = history.button('查看绩效目标申报表（第 1 版）').sid;
    await history.clickValue({ action: 'project.form', code: '2026-JYJ01-006', sid, rev: 1 });
    expect(history.lastToast).toEqual({ type: 'warning', content: '该表单不属于这个项目' });

    // 结果应用 is the bureau's: its list exports; a unit head's forged click is refused.
    await s.send(textMessage(s.id, demo.performance, '结果应用'));
    await flush(s);
    const results = new CardDriver(s, demo.performance).fromInbox('结果应用');
    await results.click('导出 Excel');
    await flush(s);
    const r = await workbook(demo.performance);
    expect(r.name).toBe('2026年度结果应用清单.xlsx');
    const head = new CardDriver(s, demo.unitHead);
    await head.clickValue(results.button('导出 Excel'));
    expect(head.lastToast).toEqual({ type: 'warning', content: '只有绩效处或管理员可以确认结果应用' });
  }, 90_000);
});
