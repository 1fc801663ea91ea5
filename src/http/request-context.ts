import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { isAppError } from '../shared/errors.ts';

declare module 'koa' {
  interface DefaultState {
    requestId: string;
    log: Logger;
  }
}

/** Request id + per-request logger + the one HTTP error boundary + request metrics. */
export function requestContext(logger: Logger, metrics: Metrics) {
  return async (ctx: Context, next: Next) => {
    const started = process.hrtime.bigint();
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('x-request-id', requestId);
    try {
      await next();
    } catch (err) {
      if (isAppError(err) && err.status < 500) {
        ctx.status = err.status;
        ctx.body = {
          error: { code: err.code, message: err.message, issues: err.issues.length ? err.issues : undefined },
        };
        ctx.state.log.warn({ code: err.code, hint: err.hint, path: ctx.path }, err.message);
      } else {
        ctx.status = isAppError(err) ? err.status : 500;
        ctx.body = { error: { code: isAppError(err) ? err.code : 'internal', message: '服务内部错误', requestId } };
        ctx.state.log.error({ err, path: ctx.path }, 'request failed');
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as Context & { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.httpDuration.observe({ route: String(route), status: String(ctx.status) }, seconds);
      ctx.state.log.debug(
        { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000) },
        'request',
      );
    }
  };
}
