import Koa from 'koa';
import Router from '@koa/router';
import type { AppDeps } from './app-deps.ts';
import { rawBody } from './http/raw-body.ts';
import { requestContext } from './http/request-context.ts';
import { type HealthProbe, registerHealthRoutes } from './http/health-routes.ts';
import { createBot, type Bot } from './bot/bot.ts';
import { registerLarkIntake } from './lark/intake.ts';

/** Builds the Koa app; never listens, so tests drive it directly. */
export interface AppExtras {
  /** Middleware that must see the raw request before body parsing (the sandbox's fake Lark). */
  mounts?: Koa.Middleware[];
  routes?: (router: Router) => void;
  /** Parts whose state /healthz reports; the list may grow after the app is built (the long connection). */
  probes?: HealthProbe[];
}

export function createApp(deps: AppDeps, bot: Bot = createBot(deps), extras: AppExtras = {}): Koa {
  const app = new Koa();
  app.proxy = true;
  // Errors are answered by the boundary in requestContext; Koa's default handler would print them again.
  app.silent = true;
  const router = new Router();
  registerHealthRoutes(router, deps, extras.probes);
  registerLarkIntake(router, deps, bot.dispatcher);
  extras.routes?.(router);
  app.use(requestContext(deps.logger, deps.metrics));
  for (const m of extras.mounts ?? []) app.use(m);
  app.use(rawBody());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
