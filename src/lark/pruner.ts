import type { AppDeps } from '../app-deps';
import type { Background } from '../shared/background';
import { dedupeRetentionMs, pruneDedupe } from './dedupe-repository';

/** Drops dedupe keys older than Lark's redelivery window and the replay window, hourly. */
export function createPruner(deps: AppDeps, everyMs = 3600_000): Background {
  let timer: NodeJS.Timeout | undefined;
  const prune = () =>
    pruneDedupe(deps.db, deps.clock(), dedupeRetentionMs(deps.config.lark.replayWindowS)).then(
      (n) => n && deps.logger.info({ pruned: n }, 'dedupe keys pruned'),
      (err) => deps.logger.warn({ err }, 'dedupe prune failed'),
    );
  return {
    start() {
      timer = setInterval(prune, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
