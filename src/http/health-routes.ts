import type Router from '@koa/router';
import { isDbReachable } from '../db/database';
import type { AppDeps } from '../app-deps';

export function registerHealthRoutes(router: Router, deps: AppDeps): void {
  router.get('/healthz', async (ctx) => {
    const ok = await isDbReachable(deps.db);
    ctx.status = ok ? 200 : 503;
    ctx.body = ok ? { status: 'ok' } : { status: 'unavailable', reason: '数据库不可达' };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
}
