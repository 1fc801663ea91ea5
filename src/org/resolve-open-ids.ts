import type * as lark from '@larksuiteoapi/node-sdk';
import { appendAudit } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';
import { orgChanged } from './org-cache.ts';

export interface ResolveResult {
  resolved: number;
  /** People Lark does not know (or cannot show this app) by their mobile or email. */
  unknown: { name: string; key: string }[];
}

/**
 * Bureau staff lists carry mobiles and emails, not Lark open_ids. This asks Lark's contact API
 * (batch_get_id, 50 mobiles and 50 emails per call) for the open_id of every person imported without one.
 */
export async function resolveOpenIds(db: Db, client: lark.Client, now: number): Promise<ResolveResult> {
  const people: { id: number; name: string; mobile: string | null; email: string | null }[] = await db('users')
    .whereNull('open_id')
    .where({ active: true })
    .select('id', 'name', 'mobile', 'email');
  const byMobile = new Map(people.filter((p) => p.mobile).map((p) => [p.mobile!, p]));
  const byEmail = new Map(people.filter((p) => !p.mobile && p.email).map((p) => [p.email!, p]));
  const found = new Map<number, string>();
  const mobiles = [...byMobile.keys()];
  const emails = [...byEmail.keys()];
  for (let i = 0; i < Math.max(mobiles.length, emails.length); i += 50) {
    const res = await client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: mobiles.slice(i, i + 50), emails: emails.slice(i, i + 50), include_resigned: false },
    });
    if (res.code !== 0)
      throw new AppError(
        'unavailable',
        `飞书通讯录查询失败（${res.code} ${res.msg ?? ''}），请检查应用是否有 contact:user.id:readonly 权限`,
      );
    for (const u of res.data?.user_list ?? []) {
      const person = (u.mobile && byMobile.get(u.mobile)) || (u.email && byEmail.get(u.email));
      if (person && u.user_id) found.set(person.id, u.user_id);
    }
  }
  await db.transaction(async (tx) => {
    await orgChanged(tx);
    for (const [id, openId] of found)
      await tx('users').where({ id }).whereNull('open_id').update({ open_id: openId, updated_at: now });
    await appendAudit(tx, {
      at: now,
      action: 'org.resolve_open_ids',
      entityType: 'org',
      entityId: 'users',
      source: 'cli',
      detail: { resolved: found.size, asked: people.length },
    });
  });
  return {
    resolved: found.size,
    unknown: people.filter((p) => !found.has(p.id)).map((p) => ({ name: p.name, key: p.mobile ?? p.email ?? '' })),
  };
}
