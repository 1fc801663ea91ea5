import { describe, expect, it } from 'vitest';
import { configVariables, loadConfig } from '../../src/config/config';
import { AppError } from '../../src/shared/errors';

function errorOf(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('loadConfig', () => {
  it('runs with no environment at all on the embedded defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe('sqlite:./data/jixiao.sqlite');
    expect(c.logLevel).toBe('info');
    expect(c.lark).toEqual({
      domain: 'feishu',
      eventMode: 'webhook',
      appId: undefined,
      appSecret: undefined,
      encryptKey: undefined,
      verificationToken: undefined,
      replayWindowS: 28_800,
      rate: { perSecond: 50, perMinute: 1000, headroomPercent: 10 },
      senderLeaseS: 15,
    });
    expect(c.orgSync).toEqual({ mode: 'off', mappingFile: 'forms/rules/org-sync.yaml' });
    expect(c.sandbox).toBe(true);
    expect(c.filesDir).toBe('./data/files');
    expect(() => loadConfig({ LARK_RATE_HEADROOM: '80' })).toThrow('环境变量 LARK_RATE_HEADROOM 无效');
    expect(() => loadConfig({ SENDER_LEASE_SECONDS: '1' })).toThrow('环境变量 SENDER_LEASE_SECONDS 无效');
    expect(() => loadConfig({ ORG_SYNC: 'daily' })).toThrow('环境变量 ORG_SYNC 无效: daily 需要配置飞书应用');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', LARK_APP_ID: '', LARK_DOMAIN: '' }).port).toBe(3000);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['PORT', { PORT: 'abc' }, /PORT.*1–65535.*abc/],
    ['PORT', { PORT: '70000' }, /PORT.*70000/],
    ['PORT', { PORT: '0' }, /PORT/],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://x/y' }, /DATABASE_URL.*sqlite:.*mysql:\/\//],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL.*loud/],
    ['LARK_APP_ID', { LARK_APP_ID: 'app123', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k' }, /LARK_APP_ID.*cli_/],
    ['LARK_APP_SECRET', { LARK_APP_ID: 'cli_a1b2c3', LARK_ENCRYPT_KEY: 'k' }, /LARK_APP_SECRET/],
    ['LARK_APP_ID', { LARK_APP_SECRET: 'secret' }, /LARK_APP_ID/],
    [
      'LARK_ENCRYPT_KEY',
      { LARK_APP_ID: 'cli_a1b2c3', LARK_APP_SECRET: 's' },
      /LARK_ENCRYPT_KEY.*LARK_VERIFICATION_TOKEN/,
    ],
    ['LARK_DOMAIN', { LARK_DOMAIN: 'ftp://open.feishu.cn' }, /LARK_DOMAIN.*feishu、lark/],
    ['LARK_EVENT_MODE', { LARK_EVENT_MODE: 'polling' }, /LARK_EVENT_MODE.*webhook 或 websocket/],
    ['LARK_EVENT_MODE', { LARK_EVENT_MODE: 'websocket' }, /LARK_EVENT_MODE.*LARK_APP_ID/],
    ['SANDBOX', { SANDBOX: 'maybe' }, /SANDBOX.*auto、on 或 off/],
  ];
  it.each(bad)('names %s in a one-line message', (variable, env, pattern) => {
    const e = errorOf(env);
    expect(e.code).toBe('config_invalid');
    expect(e.message).toContain(variable);
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
  });

  it('never echoes a secret back', () => {
    expect(errorOf({ LARK_APP_ID: 'cli_a1b2c3', LARK_APP_SECRET: 'top-secret' }).message).not.toContain('top-secret');
  });

  it('accepts a URL domain and drops its trailing slash (the SDK would build //open-apis)', () => {
    expect(loadConfig({ LARK_DOMAIN: 'http://127.0.0.1:9999/' }).lark.domain).toBe('http://127.0.0.1:9999');
  });

  it('accepts a complete production configuration', () => {
    const c = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'mysql://app:pw@db:3306/jixiao',
      LOG_LEVEL: 'warn',
      LARK_APP_ID: 'cli_a1b2c3d4e5f60718',
      LARK_APP_SECRET: 's',
      LARK_ENCRYPT_KEY: 'k',
      LARK_VERIFICATION_TOKEN: 't',
      LARK_DOMAIN: 'lark',
      LARK_EVENT_MODE: 'websocket',
    });
    expect(c).toMatchObject({
      port: 8080,
      logLevel: 'warn',
      sandbox: false,
      lark: { appId: 'cli_a1b2c3d4e5f60718', domain: 'lark', eventMode: 'websocket' },
    });
    expect(() => loadConfig({ LARK_APP_ID: 'cli_a1b2', LARK_APP_SECRET: 's', LARK_EVENT_MODE: 'websocket' })).toThrow(
      '环境变量 LARK_APP_ID 无效: 长连接模式下应为 cli_ 加 16 位十六进制字符',
    );
    expect(
      loadConfig({ LARK_APP_ID: 'cli_a1', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k', SANDBOX: 'on' }).sandbox,
    ).toBe(true);
    expect(c.lark.replayWindowS).toBe(28_800);
    expect(loadConfig({ LARK_REPLAY_WINDOW_S: '300' }).lark.replayWindowS).toBe(300);
    expect(() => loadConfig({ LARK_REPLAY_WINDOW_S: '5' })).toThrow(
      '环境变量 LARK_REPLAY_WINDOW_S 无效: 应为 60–86400 的整数（秒）（当前值 "5"）',
    );
  });

  it('binds loopback for the sandbox and every interface for a Lark app, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_ENCRYPT_KEY: 'k' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(() => loadConfig({ HOST: 'a b' })).toThrow('环境变量 HOST 无效');
  });

  it('reads exactly the documented variables', () => {
    expect(configVariables.sort()).toEqual([
      'DATABASE_URL',
      'FILES_DIR',
      'HOST',
      'LARK_APP_ID',
      'LARK_APP_SECRET',
      'LARK_DOMAIN',
      'LARK_ENCRYPT_KEY',
      'LARK_EVENT_MODE',
      'LARK_RATE_HEADROOM',
      'LARK_RATE_PER_MINUTE',
      'LARK_RATE_PER_SECOND',
      'LARK_REPLAY_WINDOW_S',
      'LARK_VERIFICATION_TOKEN',
      'LOG_LEVEL',
      'ORG_CACHE_CHECK_MS',
      'ORG_SYNC',
      'ORG_SYNC_MAPPING',
      'PORT',
      'SANDBOX',
      'SENDER_LEASE_SECONDS',
    ]);
  });
});
