import type { Stack } from './stack';
import { flush } from './stack';

const control = /^(begin|commit|rollback|savepoint|release|start transaction)\b/i;

/**
 * The SQL statements the service runs while `act` runs, with the background loops (outbox, file fetcher, scheduler)
 * paused so that only
 * the event's own work is counted. Transaction control (BEGIN, COMMIT, savepoints) is not counted.
 */
export async function statementsDuring(s: Stack, act: () => Promise<unknown>): Promise<string[]> {
  await flush(s);
  await s.service.outbox!.stop();
  await s.service.fetcher!.stop();
  await s.service.scheduler.stop();
  const seen: string[] = [];
  const listen = (q: { sql: string }) => void (control.test(q.sql.trim()) || seen.push(q.sql));
  s.service.deps.db.on('query', listen);
  try {
    await act();
  } finally {
    s.service.deps.db.off('query', listen);
    s.service.outbox!.start();
    s.service.fetcher!.start();
    s.service.scheduler.start();
  }
  return seen;
}
