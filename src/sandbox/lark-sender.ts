import { randomBytes, randomUUID } from 'node:crypto';
import { encrypt, signature } from '../lark/crypto.ts';

/*
 * Builds and delivers events exactly as Lark does: schema 2.0 envelopes, encrypted with the Encrypt Key and signed
 * over the raw body (or plain with the Verification Token). The sandbox messenger uses it for every click, and the
 * tests use it to act as Lark.
 */
export interface LarkIdentity {
  appId: string;
  encryptKey?: string;
  verificationToken?: string;
}

const hex = (n: number) => randomBytes(n).toString('hex');

function envelope(id: LarkIdentity, eventType: string, event: unknown, eventId = hex(16)) {
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      create_time: String(Date.now()),
      token: id.verificationToken ?? '',
      app_id: id.appId,
      tenant_key: 'sandbox_tenant',
    },
    event,
  };
}

export function textMessage(
  id: LarkIdentity,
  openId: string,
  text: string,
  opts: { messageId?: string; eventId?: string; chatType?: 'p2p' | 'group'; mentionBot?: boolean } = {},
) {
  const mentions = opts.mentionBot
    ? [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: '绩效助手', tenant_key: 'sandbox_tenant' }]
    : undefined;
  const content = JSON.stringify({ text: opts.mentionBot ? `@_user_1 ${text}` : text });
  return userMessage(id, openId, { type: 'text', content, mentions }, opts);
}

/** A file (or image) a person sends the bot: the message carries only its key and name, as Lark's does. */
export function fileMessage(
  id: LarkIdentity,
  openId: string,
  file: { messageId: string; fileKey: string; name?: string; image?: boolean },
  opts: { eventId?: string } = {},
) {
  const content = JSON.stringify(
    file.image ? { image_key: file.fileKey } : { file_key: file.fileKey, file_name: file.name ?? '' },
  );
  const type = file.image ? 'image' : 'file';
  return userMessage(id, openId, { type, content }, { ...opts, messageId: file.messageId });
}

function userMessage(
  id: LarkIdentity,
  openId: string,
  m: { type: string; content: string; mentions?: unknown[] },
  opts: { messageId?: string; eventId?: string; chatType?: 'p2p' | 'group' },
) {
  return envelope(
    id,
    'im.message.receive_v1',
    {
      sender: {
        sender_id: { open_id: openId, union_id: `on_${openId.slice(3)}` },
        sender_type: 'user',
        tenant_key: 'sandbox_tenant',
      },
      message: {
        message_id: opts.messageId ?? `om_${hex(16)}`,
        create_time: String(Date.now()),
        chat_id: `oc_${openId.slice(3)}`,
        chat_type: opts.chatType ?? 'p2p',
        message_type: m.type,
        content: m.content,
        mentions: m.mentions,
      },
    },
    opts.eventId,
  );
}

export function menuClick(id: LarkIdentity, openId: string, eventKey: string) {
  return envelope(id, 'application.bot.menu_v6', {
    operator: { operator_name: '', operator_id: { open_id: openId } },
    event_key: eventKey,
    timestamp: Math.floor(Date.now() / 1000),
  });
}

export function cardAction(
  id: LarkIdentity,
  openId: string,
  messageId: string,
  action: {
    value: Record<string, unknown>;
    tag?: string;
    name?: string;
    form_value?: Record<string, unknown>;
    option?: string;
  },
) {
  return envelope(id, 'card.action.trigger', {
    operator: { tenant_key: 'sandbox_tenant', open_id: openId, union_id: `on_${openId.slice(3)}` },
    token: `c-${hex(19)}`,
    action: { tag: 'button', timezone: 'Asia/Shanghai', ...action },
    host: 'im_message',
    context: { open_message_id: messageId, open_chat_id: `oc_${openId.slice(3)}` },
  });
}

export function challenge(id: LarkIdentity) {
  return { challenge: randomUUID(), token: id.verificationToken ?? '', type: 'url_verification' };
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

/** The wire form: encrypted and signed when an Encrypt Key is set, plain JSON otherwise. */
export function toRequest(id: LarkIdentity, payload: unknown, signedAtMs = Date.now()): SignedRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (!id.encryptKey) return { body: JSON.stringify(payload), headers };
  const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), id.encryptKey) });
  const timestamp = String(Math.floor(signedAtMs / 1000));
  const nonce = hex(8);
  return {
    body,
    headers: {
      ...headers,
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature(timestamp, nonce, id.encryptKey, body),
    },
  };
}

/** `signedAtMs`: the request's signed timestamp (tests send old ones to check the replay window). */
export async function deliver(
  url: string,
  id: LarkIdentity,
  payload: unknown,
  signedAtMs?: number,
): Promise<{ status: number; body: unknown }> {
  const req = toRequest(id, payload, signedAtMs);
  const res = await fetch(url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}
