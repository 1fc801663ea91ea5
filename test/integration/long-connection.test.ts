import { afterEach, describe, expect, it } from 'vitest';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { startService } from '../../src/service';
import { testConfig } from '../helpers/config';
import { dialects, freshDatabase } from '../helpers/databases';
import { cardText, demo, flush, startStack, type Stack } from '../helpers/stack';

const health = async (s: Stack) => {
  const r = await fetch(`${s.service.url}/healthz`);
  return {
    status: r.status,
    body: (await r.json()) as { status: string; reason?: string; checks: Record<string, unknown> },
  };
};
const until = async (what: () => Promise<boolean> | boolean, timeoutMs = 15_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.each(dialects())('long connection (LARK_EVENT_MODE=websocket) on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('receives messages and card callbacks through the SDK WSClient into the same dispatcher', async () => {
    s = await startStack(dialect, { eventMode: 'websocket' });
    await s.fake.ws.waitForConnection();
    await until(async () => (await health(s)).status === 200);
    expect((await health(s)).body.checks.longConnection).toEqual({ state: 'connected' });

    const msg = textMessage(s.id, demo.unitHead, '我的信息');
    expect((await s.fake.ws.push(msg)).code).toBe(200);
    expect((await s.fake.ws.push(msg)).code).toBe(200); // a re-push is acknowledged but not handled again

    const reply = await s.fake.ws.push(
      cardAction(s.id, demo.unitHead, 'om_card', { value: { action: 'command', command: 'whoami' } }),
    );
    expect(reply).toEqual({ code: 200, data: { toast: { type: 'info', content: '已为您打开「我的信息」' } } });

    await flush(s);
    const cards = s.fake.messagesTo(demo.unitHead);
    expect(cards).toHaveLength(2);
    expect(cardText(cards[0]!.card)).toContain('单位负责人（杭州第一中学）');
  });

  it('replaces a half-dead connection whose gateway stops answering pings', async () => {
    s = await startStack(dialect, {
      eventMode: 'websocket',
      fakeLark: { pingIntervalS: 1 },
      longConnection: { pingTimeoutS: 1 },
    });
    await s.fake.ws.waitForConnection();
    await new Promise((r) => setTimeout(r, 2500)); // pings are answered: the connection is kept
    expect(s.fake.ws.accepted).toBe(1);
    s.fake.ws.mute = true; // the socket stays OPEN, nothing comes back
    await until(() => s.fake.ws.accepted >= 2);
    s.fake.ws.mute = false;
    expect(s.logs.some((l) => l.includes('terminating to trigger reconnect'))).toBe(true);
    await until(async () => (await health(s)).status === 200);
    expect((await s.fake.ws.push(textMessage(s.id, demo.unitHead, '我的信息'))).code).toBe(200);
  });

  it('says so loudly when Lark refuses the app, reports 503, and connects once the secret is right again', async () => {
    s = await startStack(dialect, { eventMode: 'websocket', longConnection: { restartBaseMs: 500 } });
    await s.fake.ws.waitForConnection();
    // The secret is reset in the developer console while the service runs: the reconnect is refused for good.
    s.fake.acceptOnly({ id: s.id.appId, secret: 'the-new-secret' });
    s.fake.ws.close();
    await until(() =>
      s.logs.some(
        (l) => l.includes('"level":50') && l.includes('long connection gave up') && l.includes('LARK_APP_SECRET'),
      ),
    );
    const h = await health(s);
    expect(h.status).toBe(503);
    expect(h.body.reason).toContain('longConnection');
    s.fake.acceptOnly(undefined);
    await until(async () => (await health(s)).status === 200);
    expect((await s.fake.ws.push(textMessage(s.id, demo.unitHead, '我的信息'))).code).toBe(200);
  });
});

describe('start-up checks the Lark app credentials', () => {
  it('refuses to start with a secret Lark rejects, naming the setting', async () => {
    const fake = new FakeLark({ app: { id: 'cli_a000000000000001', secret: 'right' } });
    const url = await fake.listen();
    const db = await freshDatabase('sqlite');
    try {
      const config = testConfig(db.url, {
        LARK_APP_ID: 'cli_a000000000000001',
        LARK_APP_SECRET: 'wrong',
        LARK_DOMAIN: url,
        LARK_EVENT_MODE: 'websocket',
      });
      await expect(startService(config, { port: 0, host: '127.0.0.1' })).rejects.toThrow(
        '飞书应用凭证被拒绝（10014 app secret invalid）：请检查 LARK_APP_SECRET',
      );
    } finally {
      await fake.close();
      await db.drop();
    }
  });
});
