import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config/config';

/** Files written by tests go to a temporary directory, one per test process. */
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-files-'));

/** A config for tests: silent logs, the given database, Lark settings overridable. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, SANDBOX: 'off', FILES_DIR: filesDir, ...env });
}
