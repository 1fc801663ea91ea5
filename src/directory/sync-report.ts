import { isEmptyPlan, roleLabels } from '../org/index.ts';
import type { SyncReport } from './org-sync.ts';

const kindLabels = { bureau: '财政局', supervising: '主管部门', unit: '单位' } as const;

/** The diff as the bureau reads it: counts first, then one line per change. */
export function formatSyncReport(r: SyncReport): string {
  const { departments: d, users: u, leaders } = r.plan;
  const lines = [`飞书通讯录：部门 ${r.seen.departments} 个，人员 ${r.seen.users} 人`];
  lines.push(
    `部门：新增 ${d.added.length}，改名 ${d.renamed.length}，调整上级 ${d.moved.length}` +
      (d.notInLark.length ? `（飞书中已无 ${d.notInLark.length} 个，保留不删）` : ''),
  );
  for (const x of d.added)
    lines.push(`  + ${x.code} ${x.name}（${kindLabels[x.kind]}${x.parentCode ? `，上级 ${x.parentCode}` : ''}）`);
  for (const x of d.renamed) lines.push(`  ~ ${x.code} 改名：${x.from} → ${x.to}`);
  for (const x of d.moved)
    lines.push(`  ↷ ${x.code} ${x.name} 上级：${x.from ?? '无'} → ${x.to ?? '无'}（${kindLabels[x.kind]}）`);
  for (const x of d.notInLark) lines.push(`  ? ${x.code} ${x.name} 飞书中已无`);
  lines.push(
    `人员：新增 ${u.added.length}，调动 ${u.moved.length}，离开 ${u.left.length}，重新启用 ${u.returned.length}，信息更新 ${u.updated.length}`,
  );
  for (const x of u.added) lines.push(`  + ${x.name}（${x.department}）`);
  for (const x of u.moved) {
    const kept = x.kept.length
      ? `（仍有 ${x.from} 的角色：${x.kept.map((r) => roleLabels[r]).join('、')}，请在 管理员 卡片调整）`
      : '';
    lines.push(`  ↷ ${x.name}：${x.from} → ${x.to}${kept}`);
  }
  for (const x of u.returned) lines.push(`  ↺ ${x.name}（${x.department}）重新启用`);
  for (const x of u.left) {
    const h = r.handOvers.find((h) => h.leaver === x.name && h.department === x.department);
    const to = h?.heir ? `，${h.approvals} 项待审批转给 ${h.heir}` : '，无人接手其待审批（请指定单位负责人）';
    const filler = h?.lastFiller ? `；${x.department} 已无填报人，请指定` : '';
    lines.push(`  - ${x.name}（${x.department}）离开：停用，记录保留${to}${filler}`);
  }
  lines.push(`${roleLabels.unit_head}（飞书部门负责人）：授予 ${leaders.grant.length}，撤销 ${leaders.revoke.length}`);
  for (const x of leaders.grant) lines.push(`  + ${x.name} @${x.department}`);
  for (const x of leaders.revoke) lines.push(`  - ${x.name} @${x.department}`);
  lines.push(
    r.applied ? '已应用。' : isEmptyPlan(r.plan) ? '没有变化。' : '试运行：以上变化尚未应用（去掉 --dry-run 即应用）。',
  );
  return lines.join('\n');
}
