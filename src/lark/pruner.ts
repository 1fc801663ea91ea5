import type { AppDeps } from '../app-deps';
import type { Background } from '../shared/background';
import { dedupeRetentionMs, pruneDedupe } from './dedupe-repository';
import { pruneExports } from '../files';

/**
 * Hourly: drops dedupe keys older than Lark's redelivery window and the replay window, and exported workbooks a week
 * after they were written (their file messages went out long before).
 */
export function createPruner(deps: AppDeps, everyMs = 3600_000): Background {
  let timer: NodeJS.Timeout | undefined;
  const prune = () =>
    Promise.all([
      pruneDedupe(deps.db, deps.clock(), dedupeRetentionMs(deps.config.lark.replayWindowS)).then(
        (n) => n && deps.logger.info({ pruned: n }, 'dedupe keys pruned'),
        (err) => deps.logger.warn({ err }, 'dedupe prune failed'),
      ),
      pruneExports(deps.files, deps.clock()).then(
        (n) => n && deps.logger.info({ pruned: n }, 'old exports removed'),
        (err) => deps.logger.warn({ err }, 'export prune failed'),
      ),
    ]);
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
