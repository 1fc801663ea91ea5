import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fileMessage } from '../../src/sandbox/lark-sender';
import { text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

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
});
