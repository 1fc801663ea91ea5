import type * as lark from '@larksuiteoapi/node-sdk';
import { handOverApprovals } from '../approvals/index.ts';
import { appendAudit } from '../audit/audit-log.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Db, Executor } from '../db/database.ts';
import { enqueue } from '../lark/outbox-repository.ts';
import {
  type SyncMapping,
  type SyncPlan,
  applySyncPlan,
  contactsOf,
  departmentIdsByCode,
  isEmptyPlan,
  loadStoredOrg,
  planSync,
  roleHoldersIn,
  roleScopeKey,
  rolesHeld,
} from '../org/index.ts';
import { AppError } from '../shared/errors.ts';
import { beijingDate } from '../shared/working-days.ts';
import { readLarkDirectory } from './lark-directory.ts';

export interface HandOver {
  leaver: string;
  department: string;
  /** Who takes the leaver's approvals: the unit head, else an admin; absent when there is neither. */
  heir?: string;
  approvals: number;
  /** The leaver was their unit's last 填报人: its tasks reach nobody until someone is named. */
  lastFiller?: boolean;
}

export interface SyncReport {
  seen: { departments: number; users: number };
  plan: SyncPlan;
  handOvers: HandOver[];
  applied: boolean;
}

/** Thrown inside the transaction of a dry run, so it computes exactly what applying would do and keeps none of it. */
class DryRun extends Error {
  constructor(readonly report: SyncReport) {
    super('dry run');
  }
}

/**
 * Reads Lark's contacts, plans the changes and applies them in one transaction (or, with `dryRun`, rolls them back:
 * the dry-run diff is what applying would do, hand-overs included). A plan with problems applies nothing.
 */
export async function syncOrg(
  db: Db,
  client: lark.Client,
  o: { mapping: SyncMapping; dryRun: boolean; now: number; source: string; cards: CardRenderer },
): Promise<SyncReport> {
  const dir = await readLarkDirectory(client);
  const seen = { departments: dir.departments.length, users: dir.users.length };
  try {
    return await db.transaction(async (tx) => {
      const plan = planSync(dir, o.mapping, await loadStoredOrg(tx));
      if (plan.problems.length)
        throw new AppError('validation_failed', `组织架构同步未执行：${plan.problems.join('；')}`, {
          issues: plan.problems.map((message) => ({ where: '飞书通讯录', message })),
        });
      await applySyncPlan(tx, plan, o.now);
      const handOvers = await handOver(tx, plan, o.cards, o.now);
      const report: SyncReport = { seen, plan, handOvers, applied: !o.dryRun && !isEmptyPlan(plan) };
      if (o.dryRun) throw new DryRun(report);
      if (report.applied) await audit(tx, report, o);
      return report;
    });
  } catch (err) {
    if (err instanceof DryRun) return { ...err.report, applied: false };
    throw err;
  }
}

/**
 * Each leaver's approvals go to their unit's head (after this sync's leader changes), else to an admin, who is told
 * when approvals were waiting or the leaver was the unit's last filler (later approvals reach the heir with their own
 * cards).
 */
async function handOver(tx: Executor, plan: SyncPlan, cards: CardRenderer, now: number): Promise<HandOver[]> {
  if (!plan.users.left.length) return [];
  const ids = await departmentIdsByCode(tx);
  const out: HandOver[] = [];
  for (const l of plan.users.left) {
    const scope = ids.get(l.department);
    const wanted = [
      { role: 'unit_head' as const, scope },
      { role: 'admin' as const },
      { role: 'filler' as const, scope },
    ];
    const holders = await roleHoldersIn(tx, wanted);
    const [heads, admins, fillers] = wanted.map((w) => holders.get(roleScopeKey(w))!);
    // The leaver is inactive by now, so a unit whose fillers all left has none here.
    const lastFiller = !fillers!.length && (await rolesHeld(tx, l.id)).some((r) => r.role === 'filler');
    const heirId = [...heads!, ...admins!].find((id) => id !== l.id);
    const base = { leaver: l.name, department: l.department, approvals: 0, ...(lastFiller ? { lastFiller } : {}) };
    if (heirId === undefined) {
      out.push(base);
      continue;
    }
    const approvals = await handOverApprovals(tx, l.id, heirId, beijingDate(now), now);
    const heir = (await contactsOf(tx, [heirId])).get(heirId);
    out.push({ ...base, heir: heir?.name, approvals });
    const lines = [
      ...(approvals
        ? [`${l.name} 已离开（飞书通讯录同步），其 ${approvals} 项待审批转由您处理。发送“待审批”查看。`]
        : []),
      ...(lastFiller ? [`${l.name} 是 ${l.department} 最后一位填报人：请联系管理员为本单位指定填报人。`] : []),
    ];
    if (heir && lines.length) {
      const card = cards.render('notice', { title: '人员离开', color: 'violet', lines });
      const message = { kind: 'send' as const, receiveIdType: 'open_id' as const, receiveId: heir.openId, card };
      await enqueue(tx, message, now, { uuid: `handover:${l.id}:${heirId}` });
    }
  }
  return out;
}

async function audit(tx: Executor, r: SyncReport, o: { now: number; source: string }): Promise<void> {
  const { departments: d, users: u, leaders } = r.plan;
  await appendAudit(tx, {
    at: o.now,
    action: 'org.sync',
    entityType: 'org',
    entityId: 'lark',
    source: o.source,
    detail: {
      departments: { added: d.added.length, renamed: d.renamed.length, moved: d.moved.length },
      users: { added: u.added.length, moved: u.moved.length, left: u.left.length, returned: u.returned.length },
      leaders: { granted: leaders.grant.length, revoked: leaders.revoke.length },
      handOvers: r.handOvers,
    },
  });
}
