import type { Logger } from '../observability/logger.ts';

/** A loop that runs beside HTTP (outbox worker, scheduler): started after listen, stopped before the DB closes. */
export interface Background {
  start(): void;
  stop(): Promise<void>;
}

/** Runs batches back to back while there is work; with none, waits `pollMs` or until woken (by `stop`). */
export async function pollLoop(
  name: string,
  runOnce: () => Promise<number>,
  signal: { stopped: boolean },
  pollMs: number,
  logger: Logger,
  onWait: (wake: () => void) => void,
): Promise<void> {
  while (!signal.stopped) {
    let handled = 0;
    try {
      handled = await runOnce();
    } catch (err) {
      logger.error({ err }, `${name} batch failed`);
    }
    if (handled || signal.stopped) continue;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      onWait(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Runs `step` every `everyMs`, never two at once (a slow step skips the ticks it overlaps); a failure is logged and
 * the next tick tries again. `stop` waits for a step in progress.
 */
export function everyInterval(what: string, everyMs: number, step: () => Promise<unknown>, logger: Logger): Background {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start() {
      timer = setInterval(() => {
        running ??= step()
          .catch((err) => logger.error({ err }, `${what} failed`))
          .finally(() => (running = undefined));
      }, everyMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
