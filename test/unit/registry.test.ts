import { describe, expect, it } from 'vitest';
import type { Command } from '../../src/bot/bot-types';
import { matchCommand } from '../../src/bot/registry';

const cmd = (name: string, aliases: string[]): Command => ({
  name,
  title: name,
  description: '',
  aliases,
  run: async () => undefined,
});
const commands = [cmd('help', ['帮助', 'help']), cmd('todo', ['待办', 'todo']), cmd('fill', ['填报', 'fill'])];

describe('matchCommand', () => {
  it('matches Chinese and English aliases, with or without a slash, in any case', () => {
    expect(matchCommand(commands, '帮助')?.command.name).toBe('help');
    expect(matchCommand(commands, '/TODO')?.command.name).toBe('todo');
    expect(matchCommand(commands, '／待办')?.command.name).toBe('todo');
  });
  it('passes the rest of the text as arguments', () => {
    expect(matchCommand(commands, '填报  2026-JYJ01-005 ')).toMatchObject({ args: '2026-JYJ01-005' });
  });
  it('does not match a prefix of another word or unknown text', () => {
    expect(matchCommand(commands, 'helper')).toBeUndefined();
    expect(matchCommand(commands, '你好')).toBeUndefined();
    expect(matchCommand(commands, '')).toBeUndefined();
  });
});
