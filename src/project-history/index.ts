/*
 * The project-history feature's public module: one project's story across the year's forms, approvals and results
 * (`项目 CODE`, `projects show`). It owns no table; it reads through the other features' public modules.
 */
import type { BotRegistry } from '../bot/bot-types';
import type { FormStore } from '../forms';
import type { ResultsRules } from '../results';
import { historyAction, historyExportAction, historyFormAction } from './history-card';
import { historyCommand } from './history-command';

export { historyText, projectHistory } from './project-history';

export function registerProjectHistory(registry: BotRegistry, store: FormStore, rules: ResultsRules): void {
  registry.command(historyCommand(store));
  registry.action(historyAction(store));
  registry.action(historyFormAction(store));
  registry.action(historyExportAction(store, rules));
}
