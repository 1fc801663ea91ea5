import type { DepartmentKind } from './org-plan.ts';
import type { Role } from './roles.ts';
import type { SyncMapping } from './sync-mapping.ts';

/** The tenant's organisation as Lark's contact API shows it to this app. */
export interface LarkDirectory {
  departments: { id: string; name: string; parentId: string; leaderOpenId?: string }[];
  users: {
    openId: string;
    name: string;
    mobile?: string;
    email?: string;
    departmentIds: string[];
    resigned: boolean;
  }[];
}

/** The org as stored, as far as sync compares it. */
export interface StoredOrg {
  departments: { code: string; name: string; kind: DepartmentKind; parentCode: string | null }[];
  users: {
    id: number;
    name: string;
    openId: string | null;
    mobile: string | null;
    email: string | null;
    departmentCode: string;
    active: boolean;
    synced: boolean;
  }[];
  /** Roles scoped to a department: who holds which for which department, and who gave it. */
  roles: { userId: number; role: Role; departmentCode: string; source: string }[];
}

export interface Person {
  openId: string;
  name: string;
  mobile?: string;
  email?: string;
}

/** What sync would change: shown as the dry-run diff and applied as is. */
export interface SyncPlan {
  departments: {
    added: { code: string; name: string; kind: DepartmentKind; parentCode: string | null }[];
    renamed: { code: string; from: string; to: string }[];
    /** A new parent; `kind` is the level it now sits at (a supervising department moved under another is a unit). */
    moved: { code: string; name: string; from: string | null; to: string | null; kind: DepartmentKind }[];
    /** Departments the directory no longer shows: kept (history), listed for the bureau to look at. */
    notInLark: { code: string; name: string }[];
  };
  users: {
    added: (Person & { department: string })[];
    /** `kept`: roles still scoped to the old department (sync does not move them: the 管理员 card does). */
    moved: { id: number; name: string; from: string; to: string; kept: Role[] }[];
    /** Name, mobile, email or open_id changed (or filled in for someone imported from a file). */
    updated: (Person & { id: number })[];
    returned: { id: number; name: string; department: string }[];
    left: { id: number; name: string; department: string }[];
    /** Seen for the first time by sync (matched by open_id, mobile or email): managed from now on. */
    adopted: number[];
  };
  leaders: {
    grant: { openId: string; name: string; department: string }[];
    revoke: { userId: number; name: string; department: string }[];
  };
  problems: string[];
}

interface Placed {
  code: string;
  name: string;
  kind: DepartmentKind;
  parentCode: string | null;
  /** The Lark department whose leader is this department's head (depth 1 and 2 only). */
  leaderOpenId?: string;
}

/**
 * Maps Lark's tree onto the bureau's three levels: the bureau (named in the mapping), the other top-level departments
 * as supervising departments under it, their children as budget units. Deeper departments (sections inside a unit,
 * or inside the bureau) fold into the unit or bureau above them: their people belong there.
 */
export function placeDepartments(dir: LarkDirectory, mapping: SyncMapping, problems: string[]): Map<string, Placed> {
  const byId = new Map(dir.departments.map((d) => [d.id, d]));
  const codeOf = (id: string) => mapping.codes[id] ?? id;
  const chainOf = (id: string): string[] => {
    const chain: string[] = [];
    for (let at = byId.get(id); at && chain.length < 50; at = byId.get(at.parentId)) chain.unshift(at.id);
    return chain;
  };
  if (!byId.has(mapping.bureau)) problems.push(`飞书通讯录中没有映射文件指定的财政局部门 ${mapping.bureau}`);
  const levels = new Map<string, Placed>(); // the bureau, supervising departments and units, by Lark id
  const level = (id: string, chain: string[]): Placed => {
    let p = levels.get(id);
    if (p) return p;
    const d = byId.get(id)!;
    const leader = d.leaderOpenId;
    if (id === mapping.bureau) p = { code: codeOf(id), name: d.name, kind: 'bureau', parentCode: null };
    else if (chain.length === 1)
      p = {
        code: codeOf(id),
        name: d.name,
        kind: 'supervising',
        parentCode: codeOf(mapping.bureau),
        leaderOpenId: leader,
      };
    else p = { code: codeOf(id), name: d.name, kind: 'unit', parentCode: codeOf(chain[0]!), leaderOpenId: leader };
    levels.set(id, p);
    return p;
  };
  const placed = new Map<string, Placed>();
  for (const d of dir.departments) {
    const chain = chainOf(d.id);
    const [top] = chain;
    if (!top || chain.some((id) => mapping.ignore.includes(id))) continue;
    const home = top === mapping.bureau ? top : chain[Math.min(chain.length, 2) - 1]!;
    placed.set(d.id, level(home, chainOf(home)));
  }
  return placed;
}

/** Compares the directory with the stored org. Pure: the same inputs give the same plan. */
export function planSync(dir: LarkDirectory, mapping: SyncMapping, stored: StoredOrg): SyncPlan {
  const problems: string[] = [];
  const placed = placeDepartments(dir, mapping, problems);
  const departments = planDepartments(placed, stored);
  const { users, seen } = planUsers(dir, placed, stored);
  const leaders = planLeaders(
    placed,
    dir,
    stored,
    seen,
    users.left.map((l) => l.id),
  );
  return { departments, users, leaders, problems };
}

function planDepartments(placed: Map<string, Placed>, stored: StoredOrg): SyncPlan['departments'] {
  const out: SyncPlan['departments'] = { added: [], renamed: [], moved: [], notInLark: [] };
  const have = new Map(stored.departments.map((d) => [d.code, d]));
  const wanted = new Map([...placed.values()].map((p) => [p.code, p]));
  for (const p of wanted.values()) {
    const d = have.get(p.code);
    if (!d) out.added.push({ code: p.code, name: p.name, kind: p.kind, parentCode: p.parentCode });
    else {
      if (d.name !== p.name) out.renamed.push({ code: p.code, from: d.name, to: p.name });
      if (d.parentCode !== p.parentCode || d.kind !== p.kind)
        out.moved.push({ code: p.code, name: p.name, from: d.parentCode, to: p.parentCode, kind: p.kind });
    }
  }
  for (const d of stored.departments) if (!wanted.has(d.code)) out.notInLark.push({ code: d.code, name: d.name });
  return out;
}

function planUsers(dir: LarkDirectory, placed: Map<string, Placed>, stored: StoredOrg) {
  const users: SyncPlan['users'] = { added: [], moved: [], updated: [], returned: [], left: [], adopted: [] };
  const byOpenId = new Map(stored.users.filter((u) => u.openId).map((u) => [u.openId!, u]));
  const byMobile = new Map(stored.users.filter((u) => u.mobile).map((u) => [u.mobile!, u]));
  const byEmail = new Map(stored.users.filter((u) => u.email).map((u) => [u.email!, u]));
  const seen = new Map<string, number | undefined>(); // open_id → stored id (undefined: added by this sync)
  for (const u of dir.users) {
    const home = u.departmentIds.map((id) => placed.get(id)).find(Boolean);
    if (u.resigned || !home) continue;
    const s =
      byOpenId.get(u.openId) ??
      (u.mobile ? byMobile.get(u.mobile) : undefined) ??
      (u.email ? byEmail.get(u.email) : undefined);
    const person: Person = { openId: u.openId, name: u.name, mobile: u.mobile, email: u.email };
    seen.set(u.openId, s?.id);
    if (!s) {
      users.added.push({ ...person, department: home.code });
      continue;
    }
    if (!s.synced) users.adopted.push(s.id);
    if (!s.active) users.returned.push({ id: s.id, name: u.name, department: home.code });
    if (s.departmentCode !== home.code) {
      const kept = stored.roles.filter((r) => r.userId === s.id && r.departmentCode === s.departmentCode);
      users.moved.push({
        id: s.id,
        name: u.name,
        from: s.departmentCode,
        to: home.code,
        kept: kept.map((r) => r.role),
      });
    }
    const same =
      s.name === u.name &&
      s.openId === u.openId &&
      s.mobile === (u.mobile ?? s.mobile) &&
      s.email === (u.email ?? s.email);
    if (!same) users.updated.push({ id: s.id, ...person });
  }
  const present = new Set([...seen.values()].filter((id): id is number => id !== undefined));
  for (const s of stored.users)
    if (s.synced && s.active && !present.has(s.id))
      users.left.push({ id: s.id, name: s.name, department: s.departmentCode });
  return { users, seen };
}

function planLeaders(
  placed: Map<string, Placed>,
  dir: LarkDirectory,
  stored: StoredOrg,
  seen: Map<string, number | undefined>,
  leaving: number[],
): SyncPlan['leaders'] {
  const names = new Map(dir.users.map((u) => [u.openId, u.name]));
  const storedName = new Map(stored.users.map((u) => [u.id, u.name]));
  const unitHeads = stored.roles.filter((r) => r.role === 'unit_head');
  const wanted = new Map<string, { openId: string; department: string }>(); // `${openId}@${code}`
  for (const p of new Set(placed.values())) {
    // Sections folded into a unit share its entry, so each level is visited once.
    if (p.kind === 'bureau' || !p.leaderOpenId || !seen.has(p.leaderOpenId)) continue;
    wanted.set(`${p.leaderOpenId}@${p.code}`, { openId: p.leaderOpenId, department: p.code });
  }
  const heldBy = (userId: number | undefined, code: string) =>
    userId !== undefined && unitHeads.some((h) => h.userId === userId && h.departmentCode === code);
  const grant = [...wanted.values()]
    .filter((w) => !heldBy(seen.get(w.openId), w.department))
    .map((w) => ({ ...w, name: names.get(w.openId) ?? w.openId }));
  const openIdOf = new Map([...seen].flatMap(([openId, id]) => (id === undefined ? [] : [[id, openId] as const])));
  const revoke = unitHeads
    .filter((h) => h.source === 'sync')
    .filter((h) => leaving.includes(h.userId) || !wanted.has(`${openIdOf.get(h.userId)}@${h.departmentCode}`))
    .map((h) => ({
      userId: h.userId,
      name: storedName.get(h.userId) ?? String(h.userId),
      department: h.departmentCode,
    }));
  return { grant, revoke };
}

/** True when applying the plan would change nothing (departments missing from Lark are only reported). */
export function isEmptyPlan(p: SyncPlan): boolean {
  const { notInLark: _reported, ...departments } = p.departments;
  const lists = [...Object.values(departments), ...Object.values(p.users), ...Object.values(p.leaders)];
  return lists.every((l) => l.length === 0);
}
