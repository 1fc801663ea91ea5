import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import type { Db } from '../../src/db/database';
import { decrypt, signature, signatureMatches } from '../../src/lark/crypto';

/**
 * The baseline intake is compared with: only what intake must do — read the raw body, check Lark's signature, decrypt,
 * and in one knex transaction insert the dedupe key and an outbox row — on the same database. No org look-up, no
 * routing, no card.
 */
export async function minimalPipeline(db: Db, encryptKey: string): Promise<{ url: string; close(): void }> {
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req as AsyncIterable<Buffer>) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const ts = ctx.get('x-lark-request-timestamp');
    const nonce = ctx.get('x-lark-request-nonce');
    if (!signatureMatches(signature(ts, nonce, encryptKey, raw), ctx.get('x-lark-signature'))) {
      ctx.status = 401;
      return;
    }
    const event = JSON.parse(decrypt((JSON.parse(raw.toString('utf8')) as { encrypt: string }).encrypt, encryptKey));
    const now = Date.now();
    await db.transaction(async (tx) => {
      await tx('lark_dedupe').insert({ key: `event:${event.header.event_id}`, seen_at: now });
      await tx('outbox').insert({
        ...{ kind: 'send', recipient: 'ou_x', uuid: randomUUID(), payload: '{"kind":"send"}', ref: null },
        ...{ status: 'pending', attempts: 0, available_at: now, created_at: now },
      });
    });
    ctx.body = {};
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}
