import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, inputs, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

const original = fs.readFileSync(path.resolve(import.meta.dirname, '../../forms/performance-target.yaml'), 'utf8');

function formsDir(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-forms-'));
  fs.writeFileSync(path.join(dir, 'performance-target.yaml'), content);
  return dir;
}

/** The next version: a renamed label and a new required field in the header. */
const current = Number(/^version: (\d+)$/m.exec(original)![1]);
const v2 = original
  .replace(`version: ${current}`, `version: ${current + 1}`)
  .replace('label: 项目负责人,', 'label: 项目负责人（姓名）,')
  .replace(
    '      - { id: start_date,',
    '      - { id: email, label: 电子邮箱, type: text, required: true }\n      - { id: start_date,',
  );

async function chooser(s: Stack, u: CardDriver) {
  await s.send(textMessage(s.id, u.openId, '填报'));
  await flush(s);
  u.fromInbox('选择要填报的表单');
}

describe.each(dialects())('form versions on %s', (dialect) => {
  const stacks: Stack[] = [];
  afterEach(async () => {
    for (const s of stacks.splice(0).reverse()) await s.stop();
  });

  it('keeps work in flight on the version it started with while new work uses the new file', async () => {
    const first = await startStack(dialect, { formsDir: formsDir(original) });
    stacks.push(first);
    const u1 = new CardDriver(first, demo.filler);
    await chooser(first, u1);
    await u1.click('开始填报', undefined, '2026-JYJ01-005');
    await u1.click('保存草稿', { manager: '刘洋' });
    await first.halt();

    // The file changes to version 2 while the draft is open; the service restarts on it.
    const second = await startStack(dialect, { formsDir: formsDir(v2), databaseUrl: first.databaseUrl });
    stacks.push(second);
    const u2 = new CardDriver(second, demo.filler);
    await chooser(second, u2);
    await u2.click('继续填报', undefined, '2026-JYJ01-005');
    expect(text(u2.card)).toContain('**项目负责人**');
    expect(Object.keys(inputs(u2.card))).not.toContain('email');
    expect(inputs(u2.card).manager).toBe('刘洋');

    await chooser(second, u2);
    await u2.click('开始填报', undefined, '2026-JYJ01-006');
    expect(text(u2.card)).toContain('项目负责人（姓名）');
    expect(Object.keys(inputs(u2.card))).toContain('email');

    const versions = await second.service.deps
      .db('submission_revisions')
      .orderBy('submission_id')
      .pluck('form_version');
    expect(versions).toEqual([current, current + 1]);
  });

  it('refuses new work on a file changed without a version bump, naming the fix', async () => {
    const first = await startStack(dialect, { formsDir: formsDir(original) });
    stacks.push(first);
    const u1 = new CardDriver(first, demo.filler);
    await chooser(first, u1);
    await u1.click('开始填报', undefined, '2026-JYJ01-005');
    await first.halt();

    const edited = original.replace('label: 项目负责人,', 'label: 负责人,');
    const second = await startStack(dialect, { formsDir: formsDir(edited), databaseUrl: first.databaseUrl });
    stacks.push(second);
    const u2 = new CardDriver(second, demo.filler);
    await chooser(second, u2);
    await u2.click('开始填报', undefined, '2026-JYJ01-006');
    expect(u2.lastToast).toEqual({
      type: 'warning',
      content: `表单“绩效目标申报表”的内容已修改但版本号仍为 ${current}，请联系管理员把 version 加 1`,
    });
  });
});
