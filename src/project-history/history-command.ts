import type { Command } from '../bot/bot-types.ts';
import { rolesCover } from '../approvals/index.ts';
import type { FormStore } from '../forms/index.ts';
import { AppError } from '../shared/errors.ts';
import { historyCard } from './history-card.ts';
import { projectHistory } from './project-history.ts';

/** `项目 CODE`: one project's story, for whoever the read rule lets see its unit's work. */
export function historyCommand(store: FormStore): Command {
  return {
    name: 'project',
    title: '项目档案',
    description: '查看一个项目的全过程：目标、监控、自评、审批记录和结果应用',
    aliases: ['项目', 'project'],
    async run(ctx, args) {
      const code = args.trim();
      if (!code) throw new AppError('bad_request', '请发送“项目 项目编码”，如：项目 2026-JYJ01-005');
      const h = await projectHistory(ctx.tx, store, code);
      if (!h) throw new AppError('not_found', `没有找到项目 ${code}`);
      if (!rolesCover(ctx.user!, h.departmentId, h.parentId))
        throw new AppError('forbidden', `您无权查看项目 ${code}：只有其单位、主管部门、财政业务处室和绩效处可以查看`);
      await ctx.respond(historyCard(ctx, h));
    },
  };
}
