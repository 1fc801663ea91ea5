import type Koa from 'koa';

/*
 * The contact API (contact v3) as org sync reads it: departments with their leaders, and each department's direct
 * members, both paged like Lark (page_size ≤ 50, has_more and page_token).
 */
export interface FakeDepartment {
  /** The custom department id (department_id_type=department_id), "0" being the tenant's root. */
  department_id: string;
  open_department_id?: string;
  name: string;
  parent_department_id: string;
  leader_user_id?: string;
}

export interface FakeContact {
  open_id: string;
  name: string;
  mobile?: string;
  email?: string;
  /** Custom department ids, the first being the main department. */
  department_ids: string[];
  status?: { is_resigned?: boolean; is_activated?: boolean };
}

const ok = (data: unknown) => ({ code: 0, msg: 'success', data });

export class FakeContacts {
  departments: FakeDepartment[] = [];
  users: FakeContact[] = [];
  /** Lark's largest page is 50; tests lower it to make every list take several pages. */
  maxPageSize = 50;

  /** Answers a contact request; false when the path is not one of these. */
  route(ctx: Koa.Context, path: string): boolean {
    let m: RegExpExecArray | null;
    if (ctx.method === 'GET' && (m = /^\/contact\/v3\/departments\/([^/]+)\/children$/.exec(path))) {
      if (ctx.query.department_id_type !== 'department_id' || ctx.query.user_id_type !== 'open_id') {
        ctx.body = { code: 99992402, msg: 'field validation failed: department_id_type and user_id_type expected' };
        return true;
      }
      const parent = decodeURIComponent(m[1]!);
      const items = ctx.query.fetch_child === 'true' ? this.descendants(parent) : this.childrenOf(parent);
      ctx.body = ok(this.page(ctx, items));
      return true;
    }
    if (ctx.method === 'GET' && path === '/contact/v3/users/find_by_department') {
      const dept = String(ctx.query.department_id ?? '');
      ctx.body = ok(
        this.page(
          ctx,
          this.users.filter((u) => u.department_ids.includes(dept)),
        ),
      );
      return true;
    }
    return false;
  }

  private childrenOf(id: string): FakeDepartment[] {
    return this.departments.filter((d) => d.parent_department_id === id);
  }

  private descendants(id: string): FakeDepartment[] {
    return this.childrenOf(id).flatMap((d) => [d, ...this.descendants(d.department_id)]);
  }

  private page<T>(ctx: Koa.Context, all: T[]): { items: T[]; has_more: boolean; page_token?: string } {
    const size = Math.min(this.maxPageSize, Number(ctx.query.page_size ?? 10) || 10);
    const from = Number(ctx.query.page_token ?? 0) || 0;
    const items = all.slice(from, from + size);
    const more = from + size < all.length;
    return { items, has_more: more, ...(more ? { page_token: String(from + size) } : {}) };
  }
}
