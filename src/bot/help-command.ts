import { z } from 'zod';
import { roleLabels } from '../org/index.ts';
import type { BotRegistry, Command } from './bot-types.ts';

/** `帮助`: a card of what this user can do, given their roles; also the answer to anything not understood. */
export function registerHelp(registry: BotRegistry): void {
  const help: Command = {
    name: 'help',
    title: '帮助',
    description: '查看我能为您做什么',
    aliases: ['帮助', 'help', '菜单', 'menu', '?', '？'],
    menuKey: 'menu_help',
    readOnly: true,
    async run(ctx) {
      const user = ctx.user!;
      const commands = registry.commands.filter(
        (c) => c.name !== 'help' && (!c.roles || user.roles.some((g) => c.roles!.includes(g.role))),
      );
      await ctx.respond(
        ctx.cards.render('help', {
          name: user.name,
          department: user.departmentName,
          roles: [...new Set(user.roles.map((g) => roleLabels[g.role]))],
          commands: commands.map((c) => ({
            title: c.title,
            // What a Chinese-speaking user types: the English aliases still work but are not advertised.
            aliases: c.aliases
              .filter((a) => /[^\x00-\x7f]/.test(a) && a !== c.title)
              .slice(0, 2)
              .join(' / '),
            description: c.description,
            value: { action: 'command', command: c.name },
          })),
        }),
      );
    },
  };
  registry.command(help);
  registry.action({
    key: 'command',
    value: z.object({ command: z.string() }),
    readOnly: (value) => registry.commands.find((c) => c.name === value.command)?.readOnly === true,
    // A button that opens a command is allowed exactly when typing the command would be.
    guard: (ctx, { value }) => {
      const command = registry.commands.find((c) => c.name === value.command);
      return (
        (command && (!command.roles || ctx.user.roles.some((g) => command.roles!.includes(g.role)))) ||
        '您没有使用该功能的权限'
      );
    },
    async run(ctx, { value }) {
      const command = registry.commands.find((c) => c.name === value.command)!;
      await command.run(ctx, '');
      return { toast: { type: 'info', content: `已为您打开「${command.title}」` } };
    },
  });
}
