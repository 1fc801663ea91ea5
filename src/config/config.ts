import { z } from 'zod';
import { AppError } from '../shared/errors.ts';

/** Empty strings count as unset: `.env` files and CI systems often export `VAR=`. */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const withDefault = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v));

const envSchema = z
  .object({
    PORT: withDefault('3000')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, '应为 1–65535 的整数')
      .transform(Number),
    // Unset: loopback when the sandbox runs (it lets anyone act as anyone), every interface otherwise.
    HOST: z
      .string()
      .optional()
      .transform((v) => (v === '' ? undefined : v))
      .refine((v) => v === undefined || /^[\w.:-]+$/.test(v), '应为 IP 地址或主机名，如 127.0.0.1 或 0.0.0.0'),
    DATABASE_URL: withDefault('sqlite:./data/jixiao.sqlite').refine(
      (v) => /^sqlite:.+/.test(v) || /^mysql:\/\/[^/]+\/[^/?]+/.test(v),
      '应为 sqlite:<文件路径> 或 mysql://用户:密码@主机:端口/库名',
    ),
    FILES_DIR: withDefault('./data/files'),
    LOG_LEVEL: withDefault('info').pipe(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: '应为 fatal、error、warn、info、debug、trace 或 silent',
      }),
    ),
    LARK_APP_ID: optionalText.refine(
      (v) => v === undefined || /^cli_[0-9a-zA-Z]+$/.test(v),
      '应以 cli_ 开头（开发者后台 → 凭证与基础信息）',
    ),
    LARK_APP_SECRET: optionalText,
    LARK_ENCRYPT_KEY: optionalText,
    LARK_VERIFICATION_TOKEN: optionalText,
    LARK_DOMAIN: withDefault('feishu')
      .refine(
        (v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^\s]+$/.test(v),
        '应为 feishu、lark 或以 http(s):// 开头的地址',
      )
      // The SDK builds `${domain}/open-apis/...` and does not normalise a trailing slash.
      .transform((v) => v.replace(/\/+$/, '')),
    LARK_EVENT_MODE: withDefault('webhook').pipe(
      z.enum(['webhook', 'websocket'], { error: '应为 webhook 或 websocket' }),
    ),
    LARK_REPLAY_WINDOW_S: withDefault('28800')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 60 && Number(v) <= 86_400, '应为 60–86400 的整数（秒）')
      .transform(Number),
    LARK_RATE_PER_SECOND: withDefault('50')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000, '应为 1–1000 的整数（每秒调用次数）')
      .transform(Number),
    LARK_RATE_PER_MINUTE: withDefault('1000')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 60_000, '应为 1–60000 的整数（每分钟调用次数）')
      .transform(Number),
    LARK_RATE_HEADROOM: withDefault('10')
      .refine((v) => /^\d+$/.test(v) && Number(v) <= 50, '应为 0–50 的整数（百分比）')
      .transform(Number),
    SENDER_LEASE_SECONDS: withDefault('15')
      .refine((v) => /^\d+$/.test(v) && Number(v) >= 2 && Number(v) <= 300, '应为 2–300 的整数（秒）')
      .transform(Number),
    ORG_CACHE_CHECK_MS: withDefault('1000')
      .refine((v) => /^\d+$/.test(v) && Number(v) <= 60_000, '应为 0–60000 的整数（毫秒，0 表示不缓存）')
      .transform(Number),
    ORG_SYNC: withDefault('off').pipe(z.enum(['off', 'daily'], { error: '应为 off 或 daily' })),
    ORG_SYNC_MAPPING: withDefault('forms/rules/org-sync.yaml'),
    SANDBOX: withDefault('auto').pipe(z.enum(['auto', 'on', 'off'], { error: '应为 auto、on 或 off' })),
  })
  .superRefine((env, ctx) => {
    if (env.LARK_APP_ID && !env.LARK_APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_SECRET'], message: '设置了 LARK_APP_ID 时必须同时设置' });
    }
    if (env.LARK_APP_SECRET && !env.LARK_APP_ID) {
      ctx.addIssue({ code: 'custom', path: ['LARK_APP_ID'], message: '设置了 LARK_APP_SECRET 时必须同时设置' });
    }
    if (env.LARK_APP_ID && env.LARK_EVENT_MODE === 'webhook' && !env.LARK_ENCRYPT_KEY && !env.LARK_VERIFICATION_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_ENCRYPT_KEY'],
        message: 'webhook 模式下必须设置 LARK_ENCRYPT_KEY 或 LARK_VERIFICATION_TOKEN，否则无法验证事件来源',
      });
    }
    if (env.LARK_EVENT_MODE === 'websocket' && env.LARK_APP_ID && !/^cli_[0-9a-f]{16}$/i.test(env.LARK_APP_ID)) {
      // The SDK's long connection silently refuses any other shape and never connects.
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_APP_ID'],
        message: '长连接模式下应为 cli_ 加 16 位十六进制字符（开发者后台 → 凭证与基础信息）',
      });
    }
    if (env.ORG_SYNC === 'daily' && !env.LARK_APP_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['ORG_SYNC'],
        message: 'daily 需要配置飞书应用（LARK_APP_ID、LARK_APP_SECRET）',
      });
    }
    if (env.LARK_EVENT_MODE === 'websocket' && !env.LARK_APP_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_EVENT_MODE'],
        message: 'websocket 模式需要 LARK_APP_ID 和 LARK_APP_SECRET',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  /** The address to bind: HOST, else 127.0.0.1 for the sandbox and 0.0.0.0 for a Lark app. */
  host: string;
  databaseUrl: string;
  /** Exported workbooks waiting to be sent and evidence files (佐证材料), on disk. */
  filesDir: string;
  logLevel: Env['LOG_LEVEL'];
  lark: {
    appId?: string;
    appSecret?: string;
    encryptKey?: string;
    verificationToken?: string;
    /** `feishu`, `lark` or a base URL without trailing slash. */
    domain: string;
    eventMode: Env['LARK_EVENT_MODE'];
    /** Oldest signed event accepted, in seconds; dedupe keys are kept longer than this. */
    replayWindowS: number;
    /** Lark's per-app limits for message calls, and how far under them the outbox stays (percent). */
    rate: { perSecond: number; perMinute: number; headroomPercent: number };
    /** How long the elected sender's lease lasts: a dead sender is replaced within this (plus a poll). */
    senderLeaseS: number;
  };
  /**
   * How often (ms) an instance reads the shared org version to notice another process's org writes; its own are seen
   * at once. 0 turns the cache of event senders off.
   */
  orgCacheCheckMs: number;
  /** Org sync from Lark's contacts: `daily` runs it once a day (after 02:00 Beijing time) across instances. */
  orgSync: { mode: Env['ORG_SYNC']; mappingFile: string };
  /** The local Lark at /sandbox: on by default when no Lark app is configured, never otherwise unless asked. */
  sandbox: boolean;
}

/** The only reader of the environment. Throws AppError('config_invalid') whose message is one line per bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(pickKnown(source));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      const raw = source[name];
      return { where: name, message: raw === undefined || raw === '' ? i.message : `${i.message}（当前值 "${raw}"）` };
    });
    const first = issues[0]!;
    throw new AppError('config_invalid', `环境变量 ${first.where} 无效: ${first.message}`, { issues });
  }
  const env = parsed.data;
  const sandbox = env.SANDBOX === 'on' || (env.SANDBOX === 'auto' && !env.LARK_APP_ID);
  return {
    port: env.PORT,
    host: env.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: env.DATABASE_URL,
    filesDir: env.FILES_DIR,
    logLevel: env.LOG_LEVEL,
    lark: {
      appId: env.LARK_APP_ID,
      appSecret: env.LARK_APP_SECRET,
      encryptKey: env.LARK_ENCRYPT_KEY,
      verificationToken: env.LARK_VERIFICATION_TOKEN,
      domain: env.LARK_DOMAIN,
      eventMode: env.LARK_EVENT_MODE,
      replayWindowS: env.LARK_REPLAY_WINDOW_S,
      rate: {
        perSecond: env.LARK_RATE_PER_SECOND,
        perMinute: env.LARK_RATE_PER_MINUTE,
        headroomPercent: env.LARK_RATE_HEADROOM,
      },
      senderLeaseS: env.SENDER_LEASE_SECONDS,
    },
    orgCacheCheckMs: env.ORG_CACHE_CHECK_MS,
    orgSync: { mode: env.ORG_SYNC, mappingFile: env.ORG_SYNC_MAPPING },
    sandbox,
  };
}

export const configVariables = Object.keys(envSchema.shape) as (keyof Env)[];

function pickKnown(source: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(configVariables.map((k) => [k, source[k]]));
}
