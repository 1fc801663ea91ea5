import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FormStore, loadForms } from '../../src/forms';
import { loadResultsRules, selfEvaluationExport } from '../../src/results';
import { fileMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { selfEvaluationOpen, submitSelfEvaluation } from '../helpers/fill-self-evaluation';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * 佐证材料: a person sends the bot a file; it is fetched through the message resource API, checked (type, 20 MB) and
 * kept by checksum, and the sender is told. Redelivery keeps one.
 */
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 7)]);

describe.each(dialects())('evidence files on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  async function send(openId: string, name: string, bytes: Buffer, opts: { image?: boolean; eventId?: string } = {}) {
    const sent = s.fake.userSendsFile(name, bytes);
    const res = await s.send(fileMessage(s.id, openId, { ...sent, name, image: opts.image }, opts));
    expect(res.status).toBe(200);
    await s.service.fetcher!.drain();
    await flush(s);
    return sent;
  }
  const lastCard = (openId: string) => text(s.fake.messagesTo(openId).at(-1)!.card);

  it('keeps an allowed file once, refuses a forbidden type at once and an oversized one after reading 20 MB', async () => {
    s = await startStack(dialect);
    const sent = await send(demo.filler, '2026年度自评佐证.pdf', pdf);
    expect(lastCard(demo.filler)).toContain('已保存《2026年度自评佐证.pdf》（3 KB）');
    const db = s.service.deps.db;
    const row = await db('uploads').first();
    const sum = createHash('sha256').update(pdf).digest('hex');
    expect(row).toMatchObject({ status: 'stored', name: '2026年度自评佐证.pdf', sha256: sum });
    expect(Number(row.size)).toBe(pdf.length);
    expect((await s.service.deps.files.get(row.storage_key)).equals(pdf)).toBe(true);

    // Lark redelivers the same message: nothing new is fetched, kept or said.
    const before = s.fake.messagesTo(demo.filler).length;
    await s.send(fileMessage(s.id, demo.filler, { ...sent, name: '2026年度自评佐证.pdf' }));
    await s.service.fetcher!.drain();
    await flush(s);
    expect(await db('uploads').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(before);

    await send(demo.filler, 'setup.exe', Buffer.from('MZ'));
    expect(lastCard(demo.filler)).toContain('不支持的文件类型「.exe」');
    expect(lastCard(demo.filler)).toContain('单个不超过 20 MB');
    const big = Buffer.alloc(20 * 1024 * 1024 + 10, 1);
    await send(demo.filler, '现场照片合集.zip', big);
    expect(lastCard(demo.filler)).toContain('文件超过 20 MB');
    expect(await db('uploads').where({ status: 'refused' }).count({ n: '*' })).toEqual([{ n: 2 }]);

    // A pasted image has no name: its format is read from its bytes.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100)]);
    await send(demo.filler, '', png, { image: true });
    expect(lastCard(demo.filler)).toMatch(/已保存《图片-\d+\.png》/);
  }, 60_000);

  it('attaches the unit’s files to a self-evaluation; approvers open them from the card; the export lists them', async () => {
    s = await startStack(dialect);
    const project = '2026-JYJ01-005';
    await selfEvaluationOpen(s, project, [demo.unitHead, demo.supervising, demo.finance]);
    const { db } = s.service.deps;
    await send(demo.filler, '验收报告.pdf', pdf);
    await send(demo.otherFiller, '别的单位.pdf', pdf);
    const [mine, theirs] = (await db('uploads').orderBy('id').select('id')).map((r) => String(r.id));

    // Another unit's file is refused at the field; the unit's own is attached.
    const figures = { spent: '480', count: '10', level: '达成', points: '40' };
    const atConclusion = async (page: CardDriver) => {
      expect(text(page.card)).toContain('验收报告.pdf（3 KB）');
      expect(text(page.card)).not.toContain('别的单位.pdf');
      await page.click('下一步', { conclusion: '完成年度目标', evidence_files: [theirs!] });
      expect(text(page.card)).toContain('所选文件不可用（只能附加本单位发给机器人的文件）');
    };
    await submitSelfEvaluation(s, demo.filler, project, { ...figures, evidence: [mine!], atConclusion });

    // The approver's card lists it; 打开 sends it as a file message, once for a double click.
    await flush(s);
    const head = new CardDriver(s, demo.unitHead).fromInbox('待审批：项目支出绩效自评表');
    expect(text(head.card)).toContain('**佐证材料**（1 个');
    await head.click('打开 验收报告.pdf（3 KB）');
    expect(head.lastToast).toEqual({ type: 'success', content: '《验收报告.pdf》已发送给您，请在对话中查看' });
    await head.click('打开 验收报告.pdf（3 KB）');
    expect(head.lastToast?.type).toBe('info');
    await flush(s);
    const sentFiles = s.fake.messagesTo(demo.unitHead).filter((m) => m.file);
    expect(sentFiles).toHaveLength(1);
    expect(s.fake.files.get(sentFiles[0]!.file!.key)!.bytes.equals(pdf)).toBe(true);

    // Outsiders and forged ids get nothing.
    const button = head.button('打开 验收报告.pdf（3 KB）');
    const other = new CardDriver(s, demo.otherFiller);
    await other.clickValue(button);
    expect(other.lastToast).toEqual({ type: 'warning', content: '您无权查看该填报内容' });
    await head.clickValue({ ...button, id: Number(theirs) });
    expect(head.lastToast).toEqual({ type: 'warning', content: '该文件不在这份填报的佐证材料中' });

    await approveAll(s, [demo.unitHead, demo.supervising]);
    const store = new FormStore(loadForms().forms);
    const { book } = await selfEvaluationExport(db, store, loadResultsRules(), { year: 2026, project });
    const cells: string[] = [];
    book.getWorksheet(project)!.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value))));
    expect(cells).toContain('佐证材料');
    expect(cells.some((c) => c.startsWith('验收报告.pdf（3 KB） SHA-256 '))).toBe(true);
  }, 120_000);
});
