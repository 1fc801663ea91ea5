import { loadConfig, type Config } from '../../src/config/config';

/** A config for tests: silent logs, the given database, Lark settings overridable. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, SANDBOX: 'off', ...env });
}
