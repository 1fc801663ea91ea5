import type { Logger } from '../observability/logger.ts';
import { AppError } from '../shared/errors.ts';
import type { LarkCredentials } from './lark-api.ts';

/** Lark's open platform hosts, as the SDK knows them; any other LARK_DOMAIN is a base URL (the fake Lark). */
const hosts: Record<string, string> = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' };

/**
 * Start-up check: asks Lark for a tenant token. A refusal names the setting to fix and stops start-up (a wrong secret
 * would otherwise look healthy and never receive an event); Lark being unreachable is only a warning.
 *
 * One documented request by `fetch`, not through the SDK: loading the SDK costs ~0.4 s of start-up and the process
 * needs it only once it sends, which the outbox worker does when there is something to send.
 */
export async function verifyCredentials(creds: LarkCredentials, logger: Logger): Promise<void> {
  const url = `${hosts[creds.domain] ?? creds.domain}/open-apis/auth/v3/tenant_access_token/internal`;
  let res: { code?: unknown; msg?: unknown };
  try {
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ app_id: creds.appId, app_secret: creds.appSecret }),
      signal: AbortSignal.timeout(10_000),
    });
    // Lark answers a refusal with a JSON body carrying the code, whatever the HTTP status.
    res = (await reply.json()) as typeof res;
    if (typeof res?.code !== 'number') throw new Error(`HTTP ${reply.status} without a Lark code`);
  } catch (err) {
    logger.warn(
      { err: (err as Error).message },
      'could not reach Lark to check LARK_APP_ID and LARK_APP_SECRET; continuing',
    );
    return;
  }
  if (res.code !== 0) {
    const setting = res.code === 10003 ? 'LARK_APP_ID' : 'LARK_APP_SECRET';
    throw new AppError(
      'config_invalid',
      `飞书应用凭证被拒绝（${res.code} ${typeof res.msg === 'string' ? res.msg : ''}）：请检查 ${setting}（以及 LARK_DOMAIN）`,
      { hint: `tenant token refused: check ${setting}` },
    );
  }
  logger.info('Lark app credentials accepted');
}
