/*
 * The project-history feature's public module: one project's story across the year's forms, approvals and results
 * (`项目 CODE`, `projects show`). It owns no table; it reads through the other features' public modules.
 */
import type { BotRegistry } from '../bot/bot-types.ts';
import type { FormStore } from '../forms/index.ts';
import type { ResultsRules } from '../results/index.ts';
import { historyAction, historyExportAction, historyFormAction } from './history-card.ts';
import { historyCommand } from './history-command.ts';

export { historyText, projectHistory } from './project-history.ts';

export function registerProjectHistory(registry: BotRegistry, store: FormStore, rules: ResultsRules): void {
  registry.command(historyCommand(store));
  registry.action(historyAction(store));
  registry.action(historyFormAction(store));
  registry.action(historyExportAction(store, rules));
}
