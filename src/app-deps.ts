import type { Config } from './config/config.ts';
import type { Db } from './db/database.ts';
import type { FileStore } from './files/index.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import type { Clock } from './shared/clock.ts';

/** What every feature receives. Built once by the service (or a test) and passed down; no module-level singletons. */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  files: FileStore;
}
