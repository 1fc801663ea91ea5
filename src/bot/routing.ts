import type { z } from 'zod';
import type { AppDeps } from '../app-deps.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { BotEvent, SentFile } from '../lark/events.ts';
import type { Logger } from '../observability/logger.ts';
import { roleLabels, usersWithRole } from '../org/index.ts';
import type { ActionContext, BotContext, BotRegistry, CardResponse, Command, FileReceiver } from './bot-types.ts';
import { eventSource } from './event-source.ts';
import { noForm } from './guards.ts';
import { matchCommand } from './registry.ts';

/** What routing needs: the registry, and the metrics and cards of the app. */
export interface Routing {
  deps: AppDeps;
  registry: BotRegistry;
  cards: CardRenderer;
}

type Routed = Exclude<BotEvent, { kind: 'other' }>;

/** The unknown-user card, the command a message or menu asks for (help when none), or the card action. */
export async function route(r: Routing, ctx: BotContext, event: Routed, log: Logger): Promise<CardResponse> {
  const user = ctx.user;
  if (!user) {
    const admins = await usersWithRole(ctx.tx, 'admin');
    const contacts = admins.flatMap((a) => (a.openId ? [{ openId: a.openId, name: a.name }] : []));
    await ctx.respond(r.cards.render('unknown-user', { contacts }));
    return event.kind === 'card_action' ? { toast: { type: 'warning', content: '您还未加入绩效管理名单' } } : {};
  }
  const allowed = (c: Command) => !c.roles || user.roles.some((g) => c.roles!.includes(g.role));
  if (event.kind === 'card_action') return runAction(r, ctx as ActionContext, event, log);
  const asked = commandAsked(r.registry, event);
  if ('file' in asked) {
    await asked.receiver(ctx, asked.messageId, asked.file);
    return {};
  }
  // A typed command the person may not use says whom it is for; a menu entry not for them opens help instead.
  if (!allowed(asked.command) && event.kind === 'message') return notAllowed(r, ctx, asked.command);
  const command = allowed(asked.command) ? asked.command : helpOf(r.registry);
  await command.run(ctx, asked.args);
  return {};
}

const helpOf = (registry: BotRegistry) => registry.commands.find((c) => c.name === 'help')!;

type Asked = { command: Command; args: string } | { receiver: FileReceiver; messageId: string; file: SentFile };

/** The command a message or menu click asks for (help when none matches), or the receiver of a file sent. */
function commandAsked(registry: BotRegistry, event: Exclude<Routed, { kind: 'card_action' }>): Asked {
  if (event.kind === 'menu') {
    const command = registry.commands.find((c) => c.menuKey === event.eventKey);
    return { command: command ?? helpOf(registry), args: '' };
  }
  if (event.file && registry.fileReceiver)
    return { receiver: registry.fileReceiver, messageId: event.messageId, file: event.file };
  return matchCommand(registry.commands, event.text) ?? { command: helpOf(registry), args: '' };
}

/**
 * Whether handling the event only reads and answers: a message or menu click for a read-only command, or a click its
 * action declares read-only. Decided from the event and the registry alone, so a redelivery takes the same path.
 */
export function readsOnly(registry: BotRegistry, event: BotEvent): boolean {
  if (event.kind === 'other') return false;
  if (event.kind === 'card_action') {
    const action = registry.actions.get(String(event.value.action ?? ''));
    return action?.readOnly?.(event.value) === true;
  }
  const asked = commandAsked(registry, event);
  return 'command' in asked && asked.command.readOnly === true;
}

/** A command the person's roles do not allow: one line on whom it is for, rather than the help card unexplained. */
async function notAllowed(
  r: Routing,
  ctx: BotContext,
  command: BotRegistry['commands'][number],
): Promise<CardResponse> {
  const needed = (command.roles ?? []).map((role) => roleLabels[role]).join('、');
  const mine = [...new Set(ctx.user!.roles.map((g) => roleLabels[g.role]))].join('、') || '无';
  await ctx.respond(
    r.cards.render('notice', {
      title: `「${command.title}」需要${needed}角色`,
      color: 'orange',
      lines: [`您当前的角色：${mine}。如需开通，请联系管理员；发送“帮助”查看您可用的命令。`],
    }),
  );
  return {};
}

const stale = '该按钮已失效，请发送“帮助”获取最新菜单';

/** Parse, guard, run: a refusal answers a toast that says why and changes nothing. */
async function runAction(
  r: Routing,
  ctx: ActionContext,
  event: Extract<BotEvent, { kind: 'card_action' }>,
  log: Logger,
): Promise<CardResponse> {
  const key = String(event.value.action ?? '');
  const action = r.registry.actions.get(key);
  const refuse = (reason: string, content: string): CardResponse => {
    r.deps.metrics.larkEvents.inc({ outcome: 'refused_action' });
    log.info({ eventId: event.eventId, action: key, userId: ctx.user.id, reason }, `card action refused: ${reason}`);
    return { toast: { type: 'warning', content } };
  };
  if (!action) return refuse('unknown action', stale);
  const value = action.value.safeParse(event.value);
  if (!value.success) return refuse(`bad value: ${issueText(value.error)}`, stale);
  const form = (action.form ?? noForm).safeParse(event.formValue ?? {});
  if (!form.success) return refuse(`bad form: ${issueText(form.error)}`, '提交的内容格式不正确，请检查后重试');
  const input = { value: value.data, form: form.data };
  const verdict = await action.guard(ctx, input);
  if (verdict === true) return action.run(ctx, input);
  // Who tried to act on what they may not is part of the record, like an approval refused at a stale step.
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user.id,
    action: 'action.refused',
    entityType: 'card_action',
    entityId: key,
    source: eventSource(ctx),
    detail: { reason: verdict, value: value.data },
  });
  return refuse(`guard: ${verdict}`, verdict);
}

const issueText = (e: z.ZodError) =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
