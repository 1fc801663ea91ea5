import { hostname } from 'node:os';
import type { AppDeps } from '../app-deps.ts';
import { type Background, everyInterval } from '../shared/background.ts';
import { claimRun, pruneRuns } from '../shared/run-once.ts';
import { dedupeRetentionMs, pruneDedupe } from './dedupe-repository.ts';
import { pruneExports } from '../files/index.ts';

/**
 * Hourly, on one instance (the first to claim the hour): drops dedupe keys older than Lark's redelivery window and the
 * replay window, exported workbooks a week after they were written (their file messages went out long before), and
 * its own hourly claims after a week.
 */
export function createPruner(deps: AppDeps, everyMs = 3600_000): Background {
  const instance = `${hostname()}:${process.pid}`;
  const prune = async () => {
    const now = deps.clock();
    if (!(await claimRun(deps.db, `prune:${new Date(now).toISOString().slice(0, 13)}`, instance, now))) return;
    await Promise.all([
      pruneDedupe(deps.db, now, dedupeRetentionMs(deps.config.lark.replayWindowS)).then(
        (n) => n && deps.logger.info({ pruned: n }, 'dedupe keys pruned'),
        (err) => deps.logger.warn({ err }, 'dedupe prune failed'),
      ),
      pruneExports(deps.files, now).then(
        (n) => n && deps.logger.info({ pruned: n }, 'old exports removed'),
        (err) => deps.logger.warn({ err }, 'export prune failed'),
      ),
      pruneRuns(deps.db, 'prune:', now - 7 * 86_400_000),
    ]);
  };
  return everyInterval('prune', everyMs, prune, deps.logger);
}
