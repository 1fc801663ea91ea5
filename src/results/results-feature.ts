import type { BotRegistry } from '../bot/bot-types.ts';
import type { FormStore } from '../forms/index.ts';
import {
  confirmResultsAction,
  exportResultsAction,
  overrideResultsAction,
  resultsCommand,
  showResultsAction,
} from './results-card.ts';
import type { ResultsRules } from './results-rules.ts';
import { publishRatingsAction, rateAction, ratingsCommand } from './ratings-card.ts';
import { disclosureCommand } from './disclosure-card.ts';

/** 结果应用 and 评优 for the bureau: the year's suggestions confirmed or overridden; third-party reports rated. */
export function registerResults(registry: BotRegistry, store: FormStore, rules: ResultsRules): void {
  registry.command(resultsCommand(store, rules));
  registry.action(showResultsAction(store, rules));
  registry.action(confirmResultsAction(store, rules));
  registry.action(overrideResultsAction(store, rules));
  registry.action(exportResultsAction(store, rules));
  registry.command(ratingsCommand(store));
  registry.command(disclosureCommand(store, rules));
  registry.action(rateAction(store));
  registry.action(publishRatingsAction(store));
}
