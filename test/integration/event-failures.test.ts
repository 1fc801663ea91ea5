import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sqlitePath } from '../../src/db/database';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { dialects } from '../helpers/databases';
import { cardText, demo, flush, startStack, type Stack } from '../helpers/stack';
import { TcpProxy } from '../helpers/tcp-proxy';

const root = path.resolve(import.meta.dirname, '../..');
const count = async (s: Stack, table: string) =>
  Number(((await s.service.deps.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);
const replies = async (s: Stack) =>
  (await s.service.deps.db('outbox').where('uuid', 'like', 're:%').pluck('uuid')) as string[];
const cli = (s: Stack, ...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: s.databaseUrl, LOG_LEVEL: 'silent' },
  });

// MySQL only: SQLite has no connection to cut (its lock case is below).
describe.runIf(dialects().includes('mysql'))('events while MySQL is cut off (TCP proxy)', () => {
  let s: Stack | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    proxy?.restore();
    await s?.stop();
    await proxy?.close();
  });

  it('answers 503 during a 30 s cut, and handles all 50 events exactly once when Lark delivers them again', async () => {
    const target = new URL(process.env.TEST_MYSQL_URL!);
    proxy = new TcpProxy({
      host: target.hostname === 'localhost' ? '127.0.0.1' : target.hostname,
      port: Number(target.port || 3306),
    });
    const port = await proxy.listen();
    s = await startStack('mysql', {
      routeDatabase: (url) => {
        const u = new URL(url);
        u.hostname = '127.0.0.1';
        u.port = String(port);
        return u.toString();
      },
    });
    // Half only read (帮助: no dedupe keys, the reply keyed by the message), half in a transaction (发起填报, which
    // neither may use: answered with whom it is for).
    const events = Array.from({ length: 50 }, (_, i) =>
      textMessage(s!.id, i % 2 ? demo.filler : demo.unitHead, i < 25 ? '帮助' : '发起填报'),
    );
    proxy.cut();
    const cutAt = Date.now();
    const statuses: number[] = [];
    for (const [i, e] of events.entries()) {
      // Spread over the cut, as people keep writing to the bot.
      const due = cutAt + i * 560;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      statuses.push((await s.send(e)).status);
    }
    expect(statuses.filter((x) => x === 503)).toHaveLength(50);
    while (Date.now() - cutAt < 30_000) await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${s.service.url}/healthz`)).status).toBe(503);
    proxy.restore();

    // Lark delivers each unanswered event again (at least once: here twice, the second copies concurrently).
    const first = await Promise.all(events.map((e) => s!.send(e)));
    expect(first.map((r) => r.status)).toEqual(Array(50).fill(200));
    await Promise.all(events.map((e) => s!.send(e)));
    expect((await replies(s)).length).toBe(50);
    expect(new Set(await replies(s)).size).toBe(50);
    expect(await count(s, 'lark_dedupe')).toBe(50); // event and message keys of the 发起填报 messages
    await flush(s);
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(25);
    expect(s.logs.some((l) => l.includes('database unavailable: event refused for redelivery'))).toBe(true);
    expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe.each(dialects())('failing events on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  // SQLite only: MySQL's connection cut is the test above.
  if (dialect === 'sqlite')
    it('answers 503 while another process holds the database lock, then handles the redelivery', async () => {
      s = await startStack(dialect);
      const other = new Database(sqlitePath(s.databaseUrl));
      other.pragma('busy_timeout = 0');
      other.exec('BEGIN EXCLUSIVE');
      const e = textMessage(s.id, demo.filler, '帮助');
      try {
        expect((await s.send(e)).status).toBe(503);
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect(await count(s, 'lark_dedupe')).toBe(0);
      expect((await s.send(e)).status).toBe(200);
      expect(await replies(s)).toHaveLength(1);
    });

  it('keeps a handler bug as a failed event, tells the person once, and replays it after the fix', async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    // A deployment bug: the table the handler needs is missing. Every delivery fails the same way.
    await db.schema.renameTable('role_assignments', 'role_assignments_moved');
    const click = cardAction(s.id, demo.filler, 'om_x', { value: { action: 'command', command: 'whoami' } });
    const res = await s.send(click);
    expect(res.status).toBe(200);
    const toast = (res.body as { toast: { type: string; content: string } }).toast;
    expect(toast.type).toBe('error');
    const reference = /参考编号 ([0-9A-F]{8})/.exec(toast.content)![1]!;
    const again = await s.send(click); // Lark would not, but a redelivery must not make a second error card
    expect(again.status).toBe(200);
    await flush(s);
    expect(s.fake.messagesTo(demo.filler)).toHaveLength(1);
    expect(cardText(s.fake.messagesTo(demo.filler)[0]!.card)).toContain(reference);
    const [failed] = await db('failed_events');
    expect(failed).toMatchObject({
      kind: 'card_action',
      open_id: demo.filler,
      attempts: 2,
      status: 'failed',
      reference,
    });
    expect(failed.error).toContain('role_assignments');
    expect(await count(s, 'lark_dedupe')).toBe(0);

    const list = cli(s, 'events', 'failed');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(`#${failed.id}`);
    expect(list.stdout).toContain(reference);
    const early = cli(s, 'events', 'replay', String(failed.id));
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('重放失败');

    await db.schema.renameTable('role_assignments_moved', 'role_assignments'); // the fix
    const replay = cli(s, 'events', 'replay', String(failed.id));
    expect(replay.stderr).toBe('');
    expect(replay.stdout).toContain(`失败事件 #${failed.id} 已重放成功`);
    expect(await db('failed_events').where({ id: failed.id }).first()).toMatchObject({
      status: 'replayed',
      attempts: 3,
    });
    await flush(s);
    expect(cardText(s.fake.messagesTo(demo.filler).at(-1)!.card)).toContain('填报人（杭州第一中学）');
    expect(cli(s, 'events', 'replay', String(failed.id)).stderr).toContain('已重放过');
    expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
  }, 90_000); // four CLI processes of about 4 s each
});
