import { departmentNames, roleLabels } from '../org/index.ts';
import type { BotRegistry } from './bot-types.ts';

/** `我的信息`: who the system thinks you are, so a misconfigured role is spotted by the person it affects. */
export function registerWhoami(registry: BotRegistry): void {
  registry.command({
    name: 'whoami',
    title: '我的信息',
    description: '查看我的单位和角色',
    aliases: ['我的信息', 'whoami', '我是谁'],
    menuKey: 'menu_whoami',
    readOnly: true,
    async run(ctx) {
      const user = ctx.user!;
      const scopeIds = user.roles.map((g) => g.scopeDepartmentId).filter((id): id is number => id !== null);
      const names = await departmentNames(ctx.tx, scopeIds);
      await ctx.respond(
        ctx.cards.render('notice', {
          title: '我的信息',
          lines: [
            `姓名：${user.name}`,
            `单位：${user.departmentName}`,
            ...user.roles.map(
              (g) =>
                `角色：${roleLabels[g.role]}（${g.scopeDepartmentId === null ? '全市' : (names.get(g.scopeDepartmentId) ?? '—')}）`,
            ),
          ],
        }),
      );
    },
  });
}
