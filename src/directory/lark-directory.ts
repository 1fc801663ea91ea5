import type * as lark from '@larksuiteoapi/node-sdk';
import type { LarkDirectory } from '../org/index.ts';
import { readWithRetries } from '../lark/read-with-retries.ts';
import { AppError } from '../shared/errors.ts';

const PAGE = 50;

/**
 * Reads every department under the root (one paged call with fetch_child) and each department's direct members
 * (find_by_department, paged). Needs the scopes listed in the README ("Org sync") and a contact range that covers
 * the departments; anything outside the range is simply not seen.
 */
export async function readLarkDirectory(client: lark.Client): Promise<LarkDirectory> {
  const departments: LarkDirectory['departments'] = [];
  for await (const d of pages((page_token) =>
    client.contact.department.children({
      path: { department_id: '0' },
      params: {
        department_id_type: 'department_id',
        user_id_type: 'open_id',
        fetch_child: true,
        page_size: PAGE,
        page_token,
      },
    }),
  )) {
    if (d.status?.is_deleted || !d.department_id) continue;
    departments.push({
      id: d.department_id,
      name: d.name,
      parentId: d.parent_department_id,
      leaderOpenId: d.leader_user_id || undefined,
    });
  }
  const users = new Map<string, LarkDirectory['users'][number]>();
  for (const dept of departments) {
    for await (const u of pages((page_token) =>
      client.contact.user.findByDepartment({
        params: {
          department_id: dept.id,
          department_id_type: 'department_id',
          user_id_type: 'open_id',
          page_size: PAGE,
          page_token,
        },
      }),
    )) {
      if (!u.open_id || users.has(u.open_id)) continue;
      users.set(u.open_id, {
        openId: u.open_id,
        name: u.name,
        mobile: u.mobile?.replace(/^\+86/, '') || undefined,
        email: u.email || undefined,
        departmentIds: u.department_ids ?? [dept.id],
        resigned: Boolean(u.status?.is_resigned),
      });
    }
  }
  return { departments, users: [...users.values()] };
}

type Page<T> = { code?: number; msg?: string; data?: { items?: T[]; has_more?: boolean; page_token?: string } };

/**
 * Follows page tokens. Throttling and server errors are retried page by page (a city's directory is hundreds of calls,
 * near the contact API's 1,000 a minute); a refusal stops the read with what Lark said, so no half-read org is applied.
 */
async function* pages<T>(call: (token: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const res = await readWithRetries(
      () => call(token),
      (detail) =>
        new AppError('unavailable', `读取飞书通讯录失败（${detail}），请检查应用的通讯录权限和通讯录权限范围`),
    );
    yield* res.data?.items ?? [];
    token = res.data?.has_more ? res.data.page_token : undefined;
  } while (token);
}
