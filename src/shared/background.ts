import type { Logger } from '../observability/logger';

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
