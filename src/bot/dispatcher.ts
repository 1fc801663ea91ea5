import type { AppDeps } from '../app-deps.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Tx } from '../db/database.ts';
import { isDeadlock, isInfrastructureError } from '../db/errors.ts';
import { groupCommit, readOnlyRunner } from '../db/group-commit.ts';
import { claimOnce } from '../lark/dedupe-repository.ts';
import type { BotEvent } from '../lark/events.ts';
import { getFailed, markReplayed, recordFailure } from '../lark/failed-events.ts';
import type { Logger } from '../observability/logger.ts';
import { createOrgCache } from '../org/index.ts';
import { AppError } from '../shared/errors.ts';
import { createContext } from './bot-context.ts';
import type { BotRegistry, CardResponse } from './bot-types.ts';
import { answerFailure, errorText } from './failure-answers.ts';
import { type Routing, readsOnly, route } from './routing.ts';

export interface Dispatcher {
  /** Handles one verified event exactly once; resolves with what the HTTP (or long-connection) reply should carry. */
  handle(event: BotEvent, log?: Logger): Promise<CardResponse>;
  /** Runs a failed event again (after a fix): marks it replayed on success, counts the attempt on failure. */
  replay(failedEventId: number, log?: Logger): Promise<CardResponse>;
}

/**
 * Routes events to features. One transaction per event (on SQLite, a savepoint of a group commit): the dedupe key,
 * the feature's state changes, its audit rows and its outgoing messages commit together or not at all. An event that
 * only reads and answers (`readsOnly`: 帮助, 待办, 填报…) needs none of that: its one write is its answer, keyed by
 * the event, so it goes without a dedupe key and, on MySQL, without a transaction. Failures by kind:
 * - the user's (no permission, stale card, bad input): a toast or a card, answered 200;
 * - the infrastructure's (database unreachable, lock timeout): rethrown as `unavailable`, so intake answers 503 and
 *   Lark redelivers; the dedupe key rolled back with everything else;
 * - a bug (fails the same on every delivery): kept in failed_events for replay, the person told once, answered 200.
 */
export function createDispatcher(deps: AppDeps, registry: BotRegistry, cards: CardRenderer): Dispatcher {
  const routing: Routing = { deps, registry, cards };
  const org = createOrgCache({ checkEveryMs: deps.config.orgCacheCheckMs });
  const transaction = groupCommit(deps.db);
  const readOnly = readOnlyRunner(deps.db, transaction);

  /**
   * One event in one transaction (or one savepoint of a group commit; a read-only one as `readOnlyRunner` says);
   * throws what the handler threw, with everything rolled back. An infrastructure failure may have rolled back a group
   * whose later events read an earlier one's organisation writes: the sender cache forgets what it read.
   */
  const handleOnce = (event: BotEvent, now: number, log: Logger): Promise<CardResponse> => {
    const reads = readsOnly(registry, event);
    return (reads ? readOnly : transaction)(async (tx) => {
      if (!reads && !(await firstDelivery(deps, tx, event, now, log))) return {};
      deps.metrics.larkEvents.inc({ outcome: event.kind });
      if (event.kind === 'other') return {};
      if (event.kind === 'message' && event.chatType !== 'p2p' && !event.mentioned) return {};
      const user = await org.user(tx, event.openId);
      const { ctx, flush } = createContext(deps, cards, tx, event, now, log, user, reads);
      const answer = await route(routing, ctx, event, log);
      await flush();
      return answer;
    }).catch((err: unknown) => {
      if (isInfrastructureError(err)) org.forget();
      throw err;
    });
  };

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

  return {
    async handle(event, log = deps.logger) {
      const now = deps.clock();
      try {
        return await handleRetryingDeadlocks(event, now, log);
      } catch (err) {
        return answerFailure(deps, cards, event, err, now, log);
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
        if (!isInfrastructureError(err)) await recordFailure(deps.db, f.event, errorText(err), f.reference, now);
        throw err;
      }
    },
  };
}

/** Claims the event's dedupe keys in its transaction: false (counted and logged) for a duplicate. */
async function firstDelivery(deps: AppDeps, tx: Tx, event: BotEvent, now: number, log: Logger): Promise<boolean> {
  if (await claimOnce(tx, dedupeKeys(event), now)) return true;
  deps.metrics.larkEvents.inc({ outcome: 'duplicate' });
  log.info({ eventId: event.eventId }, 'duplicate event dropped');
  return false;
}

const dedupeKeys = (e: BotEvent) =>
  e.kind === 'message' ? [`event:${e.eventId}`, `message:${e.messageId}`] : [`event:${e.eventId}`];
