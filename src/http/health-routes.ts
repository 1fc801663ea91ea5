import type Router from '@koa/router';
import { isDbReachable } from '../db/database.ts';
import type { AppDeps } from '../app-deps.ts';
import { deadLetterCount } from '../lark/outbox-repository.ts';

/** A part of the service that can be down while the process runs (the long connection). */
export interface HealthProbe {
  name: string;
  check(): { ok: boolean; state: string; reason?: string };
}

/**
 * /healthz: 503 with the reason while the database or any probe is down; otherwise 200. Dead letters (messages Lark
 * refused for good) are reported, not failed on: they need an operator, not a restart.
 */
export function registerHealthRoutes(router: Router, deps: AppDeps, probes: HealthProbe[] = []): void {
  router.get('/healthz', async (ctx) => {
    const dbOk = await isDbReachable(deps.db);
    const checks: Record<string, unknown> = { database: dbOk ? 'ok' : 'unreachable' };
    const reasons = dbOk ? [] : ['数据库不可达'];
    for (const p of probes) {
      const r = p.check();
      checks[p.name] = r.reason ? { state: r.state, reason: r.reason } : { state: r.state };
      if (!r.ok) reasons.push(`${p.name}: ${r.reason ?? r.state}`);
    }
    if (dbOk) {
      checks.deadLetters = await deadLetterCount(deps.db).catch(() => undefined);
    }
    ctx.status = reasons.length ? 503 : 200;
    ctx.body = reasons.length
      ? { status: 'unavailable', reason: reasons.join('；'), checks }
      : { status: 'ok', checks };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
}
