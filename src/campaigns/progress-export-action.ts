import { z } from 'zod';
import type { CardAction } from '../bot/bot-types.ts';
import { idSchema } from '../bot/guards.ts';
import { sendWorkbook } from '../files/index.ts';
import { bureauRoles, hasRole } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { getCampaign } from './campaign-repository.ts';
import { progressExport } from './progress-workbook.ts';
import { visibleDepartments } from './visible-departments.ts';

const exportValue = z.object({ cid: idSchema });

/**
 * 导出 on the progress card: the campaign's tasks as a workbook, sent to whoever clicked as a file message. Scoped by
 * the same rule as the card: the bureau gets every unit, a unit head their own, a supervising reviewer their units.
 */
export const progressExportAction: CardAction<z.infer<typeof exportValue>> = {
  key: 'campaign.export',
  value: exportValue,
  guard: async (ctx) => (await visibleDepartments(ctx)).length > 0 || '您无权导出填报进度',
  async run(ctx, { value: v }) {
    const c = await getCampaign(ctx.tx, v.cid);
    if (!c) return { toast: { type: 'warning', content: '该填报任务不存在' } };
    const scope = hasRole(ctx.user, ...bureauRoles) ? undefined : await visibleDepartments(ctx);
    const today = beijingDate(ctx.now);
    const r = await progressExport(ctx.tx, c.id, today, scope);
    const unit = scope ? `（${ctx.user.departmentName}）` : '';
    return sendWorkbook(
      ctx,
      r.book,
      `${c.title}填报进度${unit}${today}`,
      `progress:${c.id}:${scope?.join(',') ?? 'all'}`,
    );
  },
};
