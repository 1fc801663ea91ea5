import { z } from 'zod';

/*
 * The shapes we accept from Lark (schema 2.0 envelope), validated with zod and flattened into one BotEvent union.
 * Anything we do not handle becomes `other` and is acknowledged, so Lark does not keep redelivering it.
 */
const header = z.object({
  event_id: z.string().min(1),
  event_type: z.string(),
  token: z.string().optional(),
  create_time: z.string().optional(),
});

const messageEvent = z.object({
  sender: z.object({ sender_id: z.object({ open_id: z.string() }), sender_type: z.string().optional() }),
  message: z.object({
    message_id: z.string(),
    chat_id: z.string(),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(z.object({ key: z.string(), name: z.string().optional() })).optional(),
  }),
});

const menuEvent = z.object({
  operator: z.object({ operator_id: z.object({ open_id: z.string() }) }),
  event_key: z.string(),
});

const cardActionEvent = z.object({
  operator: z.object({ open_id: z.string() }),
  token: z.string().optional(),
  action: z.object({
    value: z.record(z.string(), z.unknown()).optional(),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    input_value: z.string().optional(),
    option: z.string().optional(),
    options: z.array(z.string()).optional(),
    checked: z.boolean().optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});

export type BotEvent =
  | {
      kind: 'message';
      eventId: string;
      openId: string;
      messageId: string;
      chatId: string;
      chatType: string;
      text: string;
      mentioned: boolean;
      messageType: string;
      /** A file or image message: what the message resource API downloads. */
      file?: SentFile;
    }
  | { kind: 'menu'; eventId: string; openId: string; eventKey: string }
  | {
      kind: 'card_action';
      eventId: string;
      openId: string;
      messageId?: string;
      chatId?: string;
      updateToken?: string;
      value: Record<string, unknown>;
      name?: string;
      formValue?: Record<string, unknown>;
      option?: string;
      inputValue?: string;
    }
  | { kind: 'other'; eventId: string; eventType: string };

export interface SentFile {
  kind: 'file' | 'image';
  key: string;
  /** The file's name; images have none (`图片`). */
  name: string;
}

export const envelopeSchema = z.object({ schema: z.literal('2.0'), header, event: z.unknown() });
export type Envelope = z.infer<typeof envelopeSchema>;

/** Returns the normalised event, or a reason in English for the log when the payload does not fit its type. */
export function normaliseEvent(envelope: Envelope): BotEvent | { invalid: string } {
  const { event_id: eventId, event_type: type } = envelope.header;
  const fail = (e: z.ZodError) => ({
    invalid: `${type}: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  });
  switch (type) {
    case 'im.message.receive_v1': {
      const r = messageEvent.safeParse(envelope.event);
      if (!r.success) return fail(r.error);
      const m = r.data.message;
      return {
        kind: 'message',
        eventId,
        openId: r.data.sender.sender_id.open_id,
        messageId: m.message_id,
        chatId: m.chat_id,
        chatType: m.chat_type,
        messageType: m.message_type,
        text: messageText(m.message_type, m.content, m.mentions ?? []),
        mentioned: (m.mentions ?? []).length > 0,
        ...sentFile(m.message_type, m.content),
      };
    }
    case 'application.bot.menu_v6': {
      const r = menuEvent.safeParse(envelope.event);
      if (!r.success) return fail(r.error);
      return { kind: 'menu', eventId, openId: r.data.operator.operator_id.open_id, eventKey: r.data.event_key };
    }
    case 'card.action.trigger': {
      const r = cardActionEvent.safeParse(envelope.event);
      if (!r.success) return fail(r.error);
      const a = r.data.action;
      return {
        kind: 'card_action',
        eventId,
        openId: r.data.operator.open_id,
        messageId: r.data.context?.open_message_id,
        chatId: r.data.context?.open_chat_id,
        updateToken: r.data.token,
        value: a.value ?? {},
        name: a.name,
        formValue: a.form_value,
        option: a.option,
        inputValue: a.input_value,
      };
    }
    default:
      return { kind: 'other', eventId, eventType: type };
  }
}

/** The file a file or image message carries (content `{"file_key","file_name"}` or `{"image_key"}`). */
function sentFile(type: string, content: string): { file?: SentFile } {
  if (type !== 'file' && type !== 'image') return {};
  let c: { file_key?: unknown; file_name?: unknown; image_key?: unknown };
  try {
    c = JSON.parse(content) as typeof c;
  } catch {
    return {};
  }
  const key = String((type === 'file' ? c.file_key : c.image_key) ?? '');
  if (!key) return {};
  return { file: { kind: type, key, name: type === 'file' ? String(c.file_name ?? '') || '文件' : '图片' } };
}

/** Text of a text message with @-mention placeholders (`@_user_1`) removed. Non-text messages yield ''. */
function messageText(type: string, content: string, mentions: { key: string }[]): string {
  if (type !== 'text') return '';
  let text = '';
  try {
    text = String((JSON.parse(content) as { text?: unknown }).text ?? '');
  } catch {
    return '';
  }
  for (const m of mentions) text = text.split(m.key).join(' ');
  return text.replace(/\s+/g, ' ').trim();
}
