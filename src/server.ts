import type { AddressInfo } from 'node:net';
import { loadConfig } from './config/config.ts';
import { startService } from './service.ts';
import { isAppError } from './shared/errors.ts';

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
  // Signals that arrive while starting are honoured once the service is up (the default would kill it mid-migration).
  let pending: string | undefined;
  const onTerm = () => (pending = 'SIGTERM');
  const onInt = () => (pending = 'SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  const service = await startService(config);
  const bound = service.server.address() as AddressInfo;
  service.deps.logger.info(
    { url: service.url, host: bound.address, port: bound.port },
    `jixiao listening on ${bound.address}:${bound.port} (${service.url})`,
  );
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);

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
  if (pending) shutdown(pending);
}

main().catch((err) => {
  process.stderr.write(`启动失败: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
