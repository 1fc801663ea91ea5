import type { Config } from './config/config';
import type { Db } from './db/database';
import type { FileStore } from './files';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import type { Clock } from './shared/clock';

/** What every feature receives. Built once by the service (or a test) and passed down; no module-level singletons. */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  files: FileStore;
}
