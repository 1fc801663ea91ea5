import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../app-deps.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { BotEvent } from '../lark/events.ts';
import { recordFailure } from '../lark/failed-events.ts';
import { enqueue } from '../lark/outbox-repository.ts';
import type { Logger } from '../observability/logger.ts';
import { isInfrastructureError } from '../db/errors.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { CardResponse } from './bot-types.ts';

/** A refusal the user can act on (no permission, gone, stale): say so plainly, no reference id needed. */
async function explain(
  deps: AppDeps,
  cards: CardRenderer,
  event: Exclude<BotEvent, { kind: 'other' }>,
  message: string,
  now: number,
  log: Logger,
): Promise<CardResponse> {
  log.info({ eventId: event.eventId, kind: event.kind }, `refused: ${message}`);
  if (event.kind === 'card_action') return { toast: { type: 'warning', content: message } };
  const card = cards.render('notice', { title: '无法办理', color: 'orange', lines: [message] });
  await deps.db.transaction((tx) =>
    enqueue(tx, { kind: 'send', receiveIdType: 'open_id', receiveId: event.openId, card }, now),
  );
  return {};
}

export const errorText = (err: unknown) =>
  err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);

/**
 * A handler that fails on every delivery (a bug): the event is kept for replay and the person is told once, with a
 * reference id; later deliveries of the same event only count the attempt. Answering normally stops Lark's retries.
 */
async function keepFailed(
  deps: AppDeps,
  cards: CardRenderer,
  event: BotEvent,
  err: unknown,
  now: number,
  log: Logger,
): Promise<CardResponse> {
  const reference = randomBytes(4).toString('hex').toUpperCase();
  deps.metrics.larkEvents.inc({ outcome: 'error' });
  log.error({ err, reference, eventId: event.eventId, kind: event.kind }, `handler failed, reference ${reference}`);
  const first = await deps.db.transaction(async (tx) => {
    const isFirst = await recordFailure(tx, event, errorText(err), reference, now);
    if (isFirst && event.kind !== 'other') {
      const card = cards.render('error', { reference });
      await enqueue(tx, { kind: 'send', receiveIdType: 'open_id', receiveId: event.openId, card }, now);
    }
    return isFirst;
  });
  if (event.kind !== 'card_action') return {};
  const content = first
    ? `操作未完成，已记录（参考编号 ${reference}），请把编号告诉管理员`
    : '操作未完成，已记录，请勿重复点击';
  return { toast: { type: 'error', content } };
}

/**
 * What an event that threw answers: the user's own refusal plainly; an infrastructure failure as `unavailable` (5xx:
 * Lark delivers it again, nothing was kept); a bug kept for replay, told once.
 */
export async function answerFailure(
  deps: AppDeps,
  cards: CardRenderer,
  event: BotEvent,
  err: unknown,
  now: number,
  log: Logger,
): Promise<CardResponse> {
  if (isAppError(err) && err.status < 500 && event.kind !== 'other')
    return explain(deps, cards, event, err.message, now, log);
  if (isInfrastructureError(err)) {
    deps.metrics.larkEvents.inc({ outcome: 'unavailable' });
    log.warn({ err, eventId: event.eventId, kind: event.kind }, 'database unavailable: event refused for redelivery');
    throw new AppError('unavailable', '服务暂时不可用，请稍后再试', {
      cause: err,
      hint: 'database unreachable or busy',
    });
  }
  try {
    return await keepFailed(deps, cards, event, err, now, log);
  } catch (e) {
    // Recording the failure failed too: let Lark deliver it again rather than lose it.
    throw new AppError('unavailable', '服务暂时不可用，请稍后再试', { cause: e });
  }
}
