import type { BotRegistry, CardAction, Command } from './bot-types.ts';

export function createRegistry(): BotRegistry {
  const commands: Command[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see BotRegistry.actions
  const actions = new Map<string, CardAction<any, any>>();
  const registry: BotRegistry = {
    commands,
    actions,
    receiveFiles(receiver) {
      if (registry.fileReceiver) throw new Error('a file receiver is registered twice');
      registry.fileReceiver = receiver;
    },
    command(c) {
      commands.push(c);
    },
    action(a) {
      if (actions.has(a.key)) throw new Error(`card action ${a.key} registered twice`);
      if (typeof a.guard !== 'function') throw new Error(`card action ${a.key} has no guard`);
      actions.set(a.key, a);
    },
  };
  return registry;
}

/**
 * Finds the command for a message: the first word (or the whole text) against every alias; arguments keep their case.
 */
export function matchCommand(commands: Command[], text: string): { command: Command; args: string } | undefined {
  const t = text.trim().replace(/^[/／]/, '');
  const lower = t.toLowerCase();
  if (!t) return undefined;
  for (const c of commands) {
    for (const alias of c.aliases) {
      const a = alias.toLowerCase();
      if (lower === a) return { command: c, args: '' };
      if (lower.startsWith(`${a} `)) return { command: c, args: t.slice(a.length + 1).trim() };
    }
  }
  return undefined;
}
