import type { BotRegistry } from '../bot/bot-types';
import type { FormStore } from '../forms';
import { launchAction, launchCommand } from './launch-action';
import { deptAction, progressCommand } from './progress-card';
import { todoCommand } from './todo-card';

/** Filing campaigns: launching them, following their progress, and each person's 待办. */
export function registerCampaigns(registry: BotRegistry, store: FormStore): void {
  registry.command(launchCommand(store));
  registry.action(launchAction(store));
  registry.command(progressCommand);
  registry.action(deptAction);
  registry.command(todoCommand);
}
