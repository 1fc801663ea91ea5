import { loadConfig } from './config/config';
import { startService } from './service';
import { isAppError } from './shared/errors';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (isAppError(err)) {
      // One line, naming the variable: this is what an operator sees when start-up refuses.
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const service = await startService(config);
  service.deps.logger.info({ url: service.url }, `jixiao listening on ${service.url}`);

  const shutdown = (signal: string) => {
    service.deps.logger.info({ signal }, 'shutdown requested');
    service.stop().then(
      () => process.exit(0),
      (err) => {
        service.deps.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
