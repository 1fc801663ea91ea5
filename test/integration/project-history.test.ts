import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { approveAll, demo, flush, startStack, type Stack } from '../helpers/stack';

const root = path.resolve(import.meta.dirname, '../..');

describe.each(dialects())('a project’s history on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  const ask = async (openId: string, words: string) => {
    await s.send(textMessage(s.id, openId, words));
    await flush(s);
    return text(s.fake.messagesTo(openId).at(-1)!.card);
  };

  it('tells one project’s story to whoever may read its unit, on a card and from the CLI', async () => {
    s = await startStack(dialect);
    await submitTarget(s, demo.filler, '2026-JYJ01-005');
    await approveAll(s, [demo.unitHead, demo.supervising, demo.finance]);

    const card = await ask(demo.filler, '项目 2026-JYJ01-005');
    expect(card).toContain('项目档案：实验室设备更新（2026-JYJ01-005）');
    expect(card).toContain('杭州第一中学 · 2026 年 · B 类 · 480 万元');
    expect(card).toMatch(/目标审核：[优良]/);
    expect(card).toContain('【绩效目标申报表】已通过');
    // (a colon on a card is written &#58;, so no client reads it as a link)
    expect(card).toMatch(/第 1 版 已提交 · \d+月\d+日 周. \S+ 提交 · \d+月\d+日 周. \S+ 批复 · 资金总额 480\.00 万元/);
    expect(card).toMatch(
      /单位负责人审核：张伟 同意[^]*主管部门审核：郑伟 同意[^]*财政业务处室审核（目标审核）：李华 同意/,
    );
    expect(card).toContain('【结果应用】尚未确认');
    // The bureau reads every project; another unit's filler none of this one.
    expect(await ask(demo.performance, '项目 2026-JYJ01-005')).toContain('【绩效目标申报表】已通过');
    expect(await ask(demo.otherFiller, '项目 2026-JYJ01-005')).toContain('您无权查看项目 2026-JYJ01-005');
    expect(await ask(demo.filler, '项目 2026-NOPE')).toContain('没有找到项目 2026-NOPE');

    const cli = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'projects', 'show', '2026-JYJ01-005', '--json'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: s.databaseUrl } },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const json = JSON.parse(cli.stdout);
    expect(json.project).toMatchObject({ code: '2026-JYJ01-005', tier: 'B', department: 'JYJ01' });
    expect(json.forms).toHaveLength(1);
    expect(json.forms[0]).toMatchObject({ form: 'performance-target', status: '已通过' });
    expect(json.forms[0].revisions[0]).toMatchObject({ revision: 1, headline: '资金总额 480.00 万元' });
    expect(json.forms[0].revisions[0].decisions[0]).toBe('提交人：刘洋');
    expect(json.forms[0].revisions[0].decisions).toHaveLength(4);
    expect(json.result).toBeNull();
  }, 60_000);
});
