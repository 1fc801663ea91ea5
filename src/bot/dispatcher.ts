import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { AppDeps } from '../app-deps';
import { appendAudit } from '../audit/audit-log';
import type { CardRenderer } from '../cards/renderer';
import type { Tx } from '../db/database';
import { claimOnce } from '../lark/dedupe-repository';
import type { BotEvent } from '../lark/events';
import { enqueue } from '../lark/outbox-repository';
import type { Logger } from '../observability/logger';
import { findUserByOpenId, usersWithRole } from '../org';
import { isDeadlock, isInfrastructureError } from '../db/errors';
import { getFailed, markReplayed, recordFailure } from '../lark/failed-events';
import { AppError, isAppError } from '../shared/errors';
import { createContext } from './bot-context';
import type { ActionContext, BotContext, BotRegistry, CardResponse } from './bot-types';
import { noForm } from './guards';
import { matchCommand } from './registry';

export interface Dispatcher {
  /** Handles one verified event exactly once; resolves with what the HTTP (or long-connection) reply should carry. */
  handle(event: BotEvent, log?: Logger): Promise<CardResponse>;
  /** Runs a failed event again (after a fix): marks it replayed on success, counts the attempt on failure. */
  replay(failedEventId: number, log?: Logger): Promise<CardResponse>;
}

/**
 * Routes events to features. One transaction per event: the dedupe key, the feature's state changes, its audit rows
 * and its outgoing messages commit together or not at all. Failures by kind:
 * - the user's (no permission, stale card, bad input): a toast or a card, answered 200;
 * - the infrastructure's (database unreachable, lock timeout): rethrown as `unavailable`, so intake answers 503 and
 *   Lark redelivers; the dedupe key rolled back with everything else;
 * - a bug (fails the same on every delivery): kept in failed_events for replay, the person told once, answered 200.
 */
export function createDispatcher(deps: AppDeps, registry: BotRegistry, cards: CardRenderer): Dispatcher {
  const dedupeKeys = (e: BotEvent) =>
    e.kind === 'message' ? [`event:${e.eventId}`, `message:${e.messageId}`] : [`event:${e.eventId}`];

  const run = async (
    tx: Tx,
    event: Exclude<BotEvent, { kind: 'other' }>,
    now: number,
    log: Logger,
  ): Promise<CardResponse> => {
    const user = await findUserByOpenId(tx, event.openId);
    const { ctx, flush } = createContext(deps, cards, tx, event, now, log, user);
    const answer = await dispatch(ctx, event, log);
    await flush();
    return answer;
  };

  /** The unknown-user card, the command, or the card action the event asks for. */
  const dispatch = async (
    ctx: BotContext,
    event: Exclude<BotEvent, { kind: 'other' }>,
    log: Logger,
  ): Promise<CardResponse> => {
    const user = ctx.user;
    if (!user) {
      const admins = await usersWithRole(ctx.tx, 'admin');
      await ctx.respond(
        cards.render('unknown-user', {
          contacts: admins.flatMap((a) => (a.openId ? [{ openId: a.openId, name: a.name }] : [])),
        }),
      );
      return event.kind === 'card_action' ? { toast: { type: 'warning', content: '您还未加入绩效管理名单' } } : {};
    }
    const help = registry.commands.find((c) => c.name === 'help')!;
    const allowed = (c: (typeof registry.commands)[number]) =>
      !c.roles || user.roles.some((g) => c.roles!.includes(g.role));
    if (event.kind === 'message') {
      const match = matchCommand(registry.commands, event.text);
      const command = match && allowed(match.command) ? match.command : help;
      await command.run(ctx, match?.args ?? '');
      return {};
    }
    if (event.kind === 'menu') {
      const command = registry.commands.find((c) => c.menuKey === event.eventKey && allowed(c)) ?? help;
      await command.run(ctx, '');
      return {};
    }
    return runAction(ctx as ActionContext, event, log);
  };

  /** Parse, guard, run: a refusal answers a toast that says why and changes nothing. */
  const runAction = async (
    ctx: ActionContext,
    event: Extract<BotEvent, { kind: 'card_action' }>,
    log: Logger,
  ): Promise<CardResponse> => {
    const key = String(event.value.action ?? '');
    const action = registry.actions.get(key);
    const refuse = (reason: string, content: string): CardResponse => {
      deps.metrics.larkEvents.inc({ outcome: 'refused_action' });
      log.info({ eventId: event.eventId, action: key, userId: ctx.user.id, reason }, `card action refused: ${reason}`);
      return { toast: { type: 'warning', content } };
    };
    if (!action) return refuse('unknown action', '该按钮已失效，请发送“帮助”获取最新菜单');
    const value = action.value.safeParse(event.value);
    if (!value.success) return refuse(`bad value: ${issueText(value.error)}`, '该按钮已失效，请发送“帮助”获取最新菜单');
    const form = (action.form ?? noForm).safeParse(event.formValue ?? {});
    if (!form.success) return refuse(`bad form: ${issueText(form.error)}`, '提交的内容格式不正确，请检查后重试');
    const input = { value: value.data, form: form.data };
    const verdict = await action.guard(ctx, input);
    if (verdict !== true) {
      // Who tried to act on what they may not is part of the record, like an approval refused at a stale step.
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'action.refused',
        entityType: 'card_action',
        entityId: key,
        source: event.messageId ? `card:${event.messageId}` : 'bot',
        detail: { reason: verdict, value: value.data },
      });
      return refuse(`guard: ${verdict}`, verdict);
    }
    return action.run(ctx, input);
  };

  /** A refusal the user can act on (no permission, gone, stale): say so plainly, no reference id needed. */
  const explain = async (
    event: Exclude<BotEvent, { kind: 'other' }>,
    message: string,
    now: number,
    log: Logger,
  ): Promise<CardResponse> => {
    log.info({ eventId: event.eventId, kind: event.kind }, `refused: ${message}`);
    if (event.kind === 'card_action') return { toast: { type: 'warning', content: message } };
    await deps.db.transaction((tx) =>
      enqueue(
        tx,
        {
          kind: 'send',
          receiveIdType: 'open_id',
          receiveId: event.openId,
          card: cards.render('notice', { title: '无法办理', color: 'orange', lines: [message] }),
        },
        now,
      ),
    );
    return {};
  };

  /** One event in one transaction; throws what the handler threw, with everything rolled back. */
  const handleOnce = (event: BotEvent, now: number, log: Logger): Promise<CardResponse> =>
    deps.db.transaction(async (tx) => {
      if (!(await claimOnce(tx, dedupeKeys(event), now))) {
        deps.metrics.larkEvents.inc({ outcome: 'duplicate' });
        log.info({ eventId: event.eventId }, 'duplicate event dropped');
        return {};
      }
      deps.metrics.larkEvents.inc({ outcome: event.kind });
      if (event.kind === 'other') return {};
      if (event.kind === 'message' && event.chatType !== 'p2p' && !event.mentioned) return {};
      return run(tx, event, now, log);
    });

  /** A deadlock victim was rolled back whole: run it again before it counts as a failure (clicks get no redelivery). */
  const handleRetryingDeadlocks = async (event: BotEvent, now: number, log: Logger): Promise<CardResponse> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await handleOnce(event, now, log);
      } catch (err) {
        if (!isDeadlock(err) || attempt >= 3) throw err;
        log.info({ eventId: event.eventId, attempt }, 'deadlock: running the event again');
      }
    }
  };

  /**
   * A handler that fails on every delivery (a bug): the event is kept for replay and the person is told once, with a
   * reference id; later deliveries of the same event only count the attempt. Answering normally stops Lark's retries.
   */
  const failed = async (event: BotEvent, err: unknown, now: number, log: Logger): Promise<CardResponse> => {
    const reference = randomBytes(4).toString('hex').toUpperCase();
    deps.metrics.larkEvents.inc({ outcome: 'error' });
    log.error({ err, reference, eventId: event.eventId, kind: event.kind }, `handler failed, reference ${reference}`);
    const message = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
    const first = await deps.db.transaction(async (tx) => {
      const isFirst = await recordFailure(tx, event, message, reference, now);
      if (isFirst && event.kind !== 'other') {
        await enqueue(
          tx,
          {
            kind: 'send',
            receiveIdType: 'open_id',
            receiveId: event.openId,
            card: cards.render('error', { reference }),
          },
          now,
        );
      }
      return isFirst;
    });
    if (event.kind !== 'card_action') return {};
    return {
      toast: {
        type: 'error',
        content: first
          ? `操作未完成，已记录（参考编号 ${reference}），请把编号告诉管理员`
          : '操作未完成，已记录，请勿重复点击',
      },
    };
  };

  return {
    async handle(event, log = deps.logger) {
      const now = deps.clock();
      try {
        return await handleRetryingDeadlocks(event, now, log);
      } catch (err) {
        if (isAppError(err) && err.status < 500 && event.kind !== 'other') return explain(event, err.message, now, log);
        if (isInfrastructureError(err)) {
          // Not the user's fault and not a bug: answer 5xx so Lark delivers the event again; nothing was kept.
          deps.metrics.larkEvents.inc({ outcome: 'unavailable' });
          log.warn(
            { err, eventId: event.eventId, kind: event.kind },
            'database unavailable: event refused for redelivery',
          );
          throw new AppError('unavailable', '服务暂时不可用，请稍后再试', {
            cause: err,
            hint: 'database unreachable or busy',
          });
        }
        try {
          return await failed(event, err, now, log);
        } catch (e) {
          // Recording the failure failed too: let Lark deliver it again rather than lose it.
          throw new AppError('unavailable', '服务暂时不可用，请稍后再试', { cause: e });
        }
      }
    },

    async replay(id, log = deps.logger) {
      const f = await getFailed(deps.db, id);
      if (!f) throw new AppError('not_found', `失败事件 ${id} 不存在`);
      if (f.status === 'replayed') throw new AppError('conflict', `失败事件 ${id} 已重放过`);
      const now = deps.clock();
      try {
        const response = await handleOnce(f.event, now, log);
        await markReplayed(deps.db, id, now);
        return response;
      } catch (err) {
        if (!isInfrastructureError(err))
          await recordFailure(
            deps.db,
            f.event,
            err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err),
            f.reference,
            now,
          );
        throw err;
      }
    },
  };
}

const issueText = (e: z.ZodError) =>
  e.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`)
    .join('; ');
