import { afterEach, describe, expect, it } from 'vitest';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { dialects } from '../helpers/databases';
import { cardText, demo, flush, startStack, type Stack } from '../helpers/stack';

describe.each(dialects())('long connection (LARK_EVENT_MODE=websocket) on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('receives messages and card callbacks through the SDK WSClient into the same dispatcher', async () => {
    s = await startStack(dialect, { eventMode: 'websocket' });
    await s.fake.ws.waitForConnection();

    const msg = textMessage(s.id, demo.unitHead, '我的信息');
    expect((await s.fake.ws.push(msg)).code).toBe(200);
    expect((await s.fake.ws.push(msg)).code).toBe(200); // a re-push is acknowledged but not handled again

    const reply = await s.fake.ws.push(cardAction(s.id, demo.unitHead, 'om_card', { value: { action: 'command', command: 'whoami' } }));
    expect(reply).toEqual({ code: 200, data: { toast: { type: 'info', content: '已为您打开「我的信息」' } } });

    await flush(s);
    const cards = s.fake.messagesTo(demo.unitHead);
    expect(cards).toHaveLength(2);
    expect(cardText(cards[0]!.card)).toContain('单位负责人（杭州第一中学）');
  });
});
