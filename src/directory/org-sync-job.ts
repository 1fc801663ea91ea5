import { hostname } from 'node:os';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { AppDeps } from '../app-deps.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { SyncMapping } from '../org/index.ts';
import { type Background, everyInterval } from '../shared/background.ts';
import { beijingDate, beijingHour } from '../shared/clock.ts';
import { claimRun, releaseRun } from '../shared/run-once.ts';
import { type SyncReport, syncOrg } from './org-sync.ts';

export interface OrgSyncJob extends Background {
  /** One check at `now`: syncs when today's run is due and no instance has claimed it. */
  tick(now: number): Promise<SyncReport | 'not-due' | 'done'>;
}

/** The hour (Beijing time) from which the day's sync runs: before the working day, after Lark's overnight changes. */
const FROM_HOUR = 2;

/**
 * ORG_SYNC=daily: once a day across all instances (the first to claim `org-sync:<date>`), the org is synced from Lark's
 * contacts and applied. A failed run (Lark unreachable, a problem in the directory) gives its claim back and is tried
 * again at the next check, every ten minutes.
 */
export function createOrgSyncJob(
  deps: AppDeps,
  /** Read when a sync runs: the SDK is loaded on first use. */
  lark: { readonly client: lark.Client },
  cards: CardRenderer,
  mapping: SyncMapping,
  everyMs = 600_000,
): OrgSyncJob {
  const instance = `${hostname()}:${process.pid}`;
  const tick = async (now: number) => {
    if (beijingHour(now) < FROM_HOUR) return 'not-due' as const;
    const key = `org-sync:${beijingDate(now)}`;
    if (!(await claimRun(deps.db, key, instance, now))) return 'done' as const;
    try {
      const report = await syncOrg(deps.db, lark.client, { mapping, dryRun: false, now, source: 'scheduler', cards });
      deps.logger.info({ applied: report.applied, seen: report.seen }, 'org sync ran');
      return report;
    } catch (err) {
      await releaseRun(deps.db, key);
      throw err;
    }
  };
  return { tick, ...everyInterval('org sync', everyMs, () => tick(deps.clock()), deps.logger) };
}
