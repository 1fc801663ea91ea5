import { afterEach, describe, expect, it } from 'vitest';
import { encrypt, signature } from '../../src/lark/crypto';
import { cardAction, challenge, menuClick, textMessage, toRequest } from '../../src/sandbox/lark-sender';
import { dialects } from '../helpers/databases';
import { cardText, demo, flush, startStack, type Stack } from '../helpers/stack';

const count = async (s: Stack, table: string) =>
  Number(((await s.service.deps.db(table).count({ n: '*' })) as { n: number }[])[0]!.n);

describe.each(dialects())('Lark intake on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  describe('with an Encrypt Key', () => {
    it('answers the encrypted url_verification challenge', async () => {
      s = await startStack(dialect);
      const c = challenge(s.id);
      const res = await s.send(c);
      expect(res).toEqual({ status: 200, body: { challenge: c.challenge } });
    });

    it('handles a signed, encrypted 帮助 and replies with the help card for that user', async () => {
      s = await startStack(dialect);
      const msg = textMessage(s.id, demo.filler, '帮助');
      const res = await s.send(msg);
      expect(res).toEqual({ status: 200, body: {} });
      await flush(s);
      const [answer] = s.fake.messagesTo(demo.filler);
      const text = cardText(answer!.card);
      expect(text).toContain('刘洋');
      expect(text).toContain('填报人');
      expect(text).toContain('我的信息');
      expect(text).toContain('也可发送 我是谁');
      expect(text).not.toMatch(/也可发送[^"<]*[a-z]/); // English aliases work but are not advertised
    });

    it('tells a filler who types a bureau command which roles it needs, instead of the help card', async () => {
      s = await startStack(dialect);
      await s.send(textMessage(s.id, demo.filler, '发起填报'));
      await flush(s);
      const text = cardText(s.fake.messagesTo(demo.filler).at(-1)!.card);
      expect(text).toContain('「发起填报」需要绩效处、管理员角色');
      expect(text).toContain('您当前的角色：填报人');
      expect(text).not.toContain('发起填报任务');
    });

    it.each([
      [
        'forged signature',
        (body: string, h: Record<string, string>) => ({ body, headers: { ...h, 'x-lark-signature': '0'.repeat(64) } }),
        'signature mismatch',
      ],
      [
        'missing signature',
        (body: string, h: Record<string, string>) => ({ body, headers: { 'content-type': h['content-type']! } }),
        'signature headers missing',
      ],
      [
        'body changed after signing',
        (body: string, h: Record<string, string>) => ({ body: body.replace('{"encrypt"', '{ "encrypt"'), headers: h }),
        'signature mismatch',
      ],
    ])('refuses a %s with 401, changes nothing and logs the check and setting', async (_name, tamper, check) => {
      s = await startStack(dialect);
      const req = toRequest(s.id, textMessage(s.id, demo.filler, '帮助'));
      const bad = tamper(req.body, req.headers);
      const res = await fetch(s.eventsUrl, { method: 'POST', headers: bad.headers, body: bad.body });
      expect(res.status).toBe(401);
      expect(await count(s, 'lark_dedupe')).toBe(0);
      expect(await count(s, 'outbox')).toBe(0);
      const line = s.logs.find((l) => l.includes('lark request refused'))!;
      expect(line).toContain(check);
      expect(line).toContain('LARK_ENCRYPT_KEY');
    });

    it('refuses signed requests outside the replay window, and lets a redelivery hours later through', async () => {
      s = await startStack(dialect);
      const hour = 3600_000;
      const old = await s.send(textMessage(s.id, demo.filler, '帮助'), s.id, Date.now() - 9 * hour);
      expect(old.status).toBe(401);
      const line = s.logs.find((l) => l.includes('lark request refused'))!;
      expect(line).toMatch(/request timestamp \d+ s old, outside the 28800 s replay window/);
      expect(line).toContain('LARK_REPLAY_WINDOW_S');
      expect((await s.send(textMessage(s.id, demo.filler, '帮助'), s.id, Date.now() + 10 * 60_000)).status).toBe(401);
      // Lark's last redelivery comes about 7.1 h after the event: still inside the default window.
      expect((await s.send(textMessage(s.id, demo.filler, '帮助'), s.id, Date.now() - 7.2 * hour)).status).toBe(200);
      // Card callbacks are never redelivered, so an old one can only be a replay.
      const click = cardAction(s.id, demo.filler, 'om_x', { value: { action: 'command', command: 'whoami' } });
      expect((await s.send(click, s.id, Date.now() - 6 * 60_000)).status).toBe(401);
      expect((await s.send(click, s.id, Date.now() - 60_000)).status).toBe(200);
      expect(await count(s, 'outbox')).toBe(2); // the help card and 我的信息
    });

    it('refuses a body encrypted and signed with the wrong key', async () => {
      s = await startStack(dialect);
      const res = await s.send(textMessage(s.id, demo.filler, '帮助'), { ...s.id, encryptKey: 'some-other-key' });
      expect(res.status).toBe(401);
      expect(s.logs.some((l) => l.includes('LARK_ENCRYPT_KEY'))).toBe(true);
      expect(await count(s, 'outbox')).toBe(0);
    });

    it('refuses an unencrypted body even with a valid token', async () => {
      s = await startStack(dialect);
      const res = await s.send(textMessage(s.id, demo.filler, '帮助'), { ...s.id, encryptKey: undefined });
      expect(res.status).toBe(401);
      expect(s.logs.some((l) => l.includes('body is not encrypted'))).toBe(true);
    });

    it('refuses a correctly signed body whose ciphertext is damaged', async () => {
      s = await startStack(dialect);
      const key = s.id.encryptKey!;
      const body = JSON.stringify({ encrypt: encrypt('not json at all', key).slice(0, -8) + 'AAAAAAA=' });
      const ts = '1700000000';
      const res = await fetch(s.eventsUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-lark-request-timestamp': ts,
          'x-lark-request-nonce': 'n',
          'x-lark-signature': signature(ts, 'n', key, body),
        },
        body,
      });
      expect(res.status).toBe(401);
    });

    it('answers malformed JSON with 400 and oversized bodies with 413, and stays up', async () => {
      s = await startStack(dialect);
      expect(
        (
          await fetch(s.eventsUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"encrypt":',
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await fetch(s.eventsUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ encrypt: 'x'.repeat(1_100_000) }),
          })
        ).status,
      ).toBe(413);
      expect(
        (await fetch(s.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2,3]' }))
          .status,
      ).toBe(400);
      expect((await s.send({ schema: '2.0', header: { event_id: 'x', token: s.id.verificationToken } })).status).toBe(
        400,
      );
      expect((await s.send(textMessage(s.id, demo.filler, '帮助'))).status).toBe(200);
    });

    it('handles a redelivered event once, even when the copies arrive concurrently', async () => {
      s = await startStack(dialect);
      // 发起填报 (answered, to a filler, with whom it is for) is handled in a transaction with its dedupe keys; 帮助
      // only reads, and its reply is keyed by the message.
      for (const [text, n] of [
        ['发起填报', 1],
        ['帮助', 2],
      ] as const) {
        const msg = textMessage(s.id, demo.filler, text, { eventId: `evt-dup-${n}`, messageId: `om_dup_${n}` });
        const results = await Promise.all(Array.from({ length: 8 }, () => s.send(msg)));
        expect(results.every((r) => r.status === 200)).toBe(true);
        // Lark may also redeliver a message under a new event_id: the message_id still dedupes it.
        await s.send(textMessage(s.id, demo.filler, text, { eventId: `evt-dup-${n}b`, messageId: `om_dup_${n}` }));
        expect(await count(s, 'outbox')).toBe(n);
      }
      expect(await count(s, 'lark_dedupe')).toBe(2); // 发起填报's event and message keys
      const metrics = await (await fetch(`${s.service.url}/metrics`)).text();
      expect(metrics).toMatch(/jixiao_lark_events_total\{outcome="duplicate"\} 8/);
      await flush(s);
      expect(s.fake.messagesTo(demo.filler).map((m) => cardText(m.card).includes('发送下列指令'))).toEqual([
        false,
        true,
      ]);
    });

    it('answers a burst of messages and clicks, with their redeliveries in the same burst, each once', async () => {
      s = await startStack(dialect);
      const people = [demo.filler, demo.unitHead, demo.supervising, demo.finance, demo.otherFiller, demo.stranger];
      const events = people.flatMap((p, i) => [
        textMessage(s.id, p, '帮助', { eventId: `evt-burst-${i}`, messageId: `om_burst_${i}` }),
        cardAction(s.id, p, 'om_x', { value: { action: 'command', command: 'whoami' } }),
      ]);
      const results = await Promise.all([...events, ...events].map((e) => s.send(e)));
      expect(results.map((r) => r.status)).toEqual(Array(24).fill(200));
      expect(await count(s, 'outbox')).toBe(12); // a card per event, the stranger's two included
      // Both only read: no dedupe keys, each answer keyed by its message or click instead.
      expect(await count(s, 'lark_dedupe')).toBe(0);
      await flush(s);
      const toFinance = s.fake.messagesTo(demo.finance).map((m) => cardText(m.card));
      // The help card and 我的信息, each once, both naming the role.
      expect(toFinance).toHaveLength(2);
      expect(toFinance.filter((t) => t.includes('发送下列指令'))).toHaveLength(1);
      expect(toFinance.every((t) => t.includes('财政业务处室'))).toBe(true);
    });
  });

  describe('with only a Verification Token', () => {
    it('accepts plain events with the right token and refuses a wrong one', async () => {
      s = await startStack(dialect, { encryptKey: null });
      const c = challenge(s.id);
      expect(await s.send(c)).toEqual({ status: 200, body: { challenge: c.challenge } });
      expect((await s.send(textMessage(s.id, demo.filler, 'help'))).status).toBe(200);
      const res = await s.send(textMessage({ ...s.id, verificationToken: 'guess' }, demo.filler, 'help'));
      expect(res.status).toBe(401);
      expect(s.logs.find((l) => l.includes('lark request refused'))).toContain('LARK_VERIFICATION_TOKEN');
      expect(await count(s, 'outbox')).toBe(1);
    });
  });

  describe('dispatcher', () => {
    it('answers unknown text and the English alias with the help card, and the menu like the command', async () => {
      s = await startStack(dialect);
      await s.send(textMessage(s.id, demo.unitHead, '今天天气怎么样'));
      await s.send(textMessage(s.id, demo.unitHead, '/WHOAMI'));
      await s.send(menuClick(s.id, demo.unitHead, 'menu_whoami'));
      await flush(s);
      const cards = s.fake.messages.map((m) => cardText(m.card));
      expect(cards).toHaveLength(3);
      expect(cards[0]).toContain('绩效管理助手');
      expect(cards[1]).toContain('单位负责人（杭州第一中学）');
      expect(cards[2]).toContain('单位负责人（杭州第一中学）');
      expect(s.fake.messages[2]!.receiveId).toBe(demo.unitHead);
    });

    it('tells a user unknown to the organisation whom to ask', async () => {
      s = await startStack(dialect);
      await s.send(textMessage(s.id, demo.stranger, '帮助'));
      await flush(s);
      const text = cardText(s.fake.messages[0]!.card);
      expect(text).toContain('您还未加入绩效管理名单');
      expect(text).toContain(`<at id=${demo.admin}></at>`);
    });

    it('answers in groups only when mentioned', async () => {
      s = await startStack(dialect);
      await s.send(textMessage(s.id, demo.filler, '帮助', { chatType: 'group' }));
      await s.send(textMessage(s.id, demo.filler, '我的信息', { chatType: 'group', mentionBot: true }));
      await flush(s);
      expect(s.fake.messages).toHaveLength(1);
      expect(s.fake.messages[0]!.receiveIdType).toBe('chat_id');
      expect(cardText(s.fake.messages[0]!.card)).toContain('我的信息');
    });

    it('routes card buttons by their action key and answers with a toast', async () => {
      s = await startStack(dialect);
      const res = await s.send(
        cardAction(s.id, demo.filler, 'om_help_card', { value: { action: 'command', command: 'whoami' } }),
      );
      expect(res).toEqual({ status: 200, body: { toast: { type: 'info', content: '已为您打开「我的信息」' } } });
      const stale = await s.send(
        cardAction(s.id, demo.filler, 'om_help_card', { value: { action: 'no_such_action' } }),
      );
      expect((stale.body as { toast: { type: string } }).toast.type).toBe('warning');
      await flush(s);
      expect(s.fake.messagesTo(demo.filler)).toHaveLength(1);
    });

    it('turns a handler failure into a friendly card with a reference id that is in the log', async () => {
      s = await startStack(dialect);
      await s.service.deps.db.schema.dropTable('role_assignments');
      const res = await s.send(
        cardAction(s.id, demo.filler, 'om_x', { value: { action: 'command', command: 'whoami' } }),
      );
      const toast = (res.body as { toast: { type: string; content: string } }).toast;
      expect(toast.type).toBe('error');
      const reference = /参考编号 ([0-9A-F]{8})/.exec(toast.content)![1]!;
      await flush(s);
      expect(cardText(s.fake.messagesTo(demo.filler)[0]!.card)).toContain(reference);
      const line = s.logs.find((l) => l.includes(`reference ${reference}`))!;
      expect(line).toContain('role_assignments');
      expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
    });
  });
});
