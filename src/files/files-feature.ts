import type { BotRegistry } from '../bot/bot-types.ts';
import { receiveFile } from './receive-file.ts';

/** Files people send the bot become evidence they can attach to a form's `file` field. */
export function registerFiles(registry: BotRegistry): void {
  registry.receiveFiles(receiveFile);
}
