import type { AppDeps } from '../app-deps.ts';
import { type CardRenderer, createCardRenderer } from '../cards/renderer.ts';
import { registerApprovalCommands, approvalHooks, registerApprovals } from '../approvals/index.ts';
import { campaignOf, registerCampaigns } from '../campaigns/index.ts';
import { FormStore, registerForms, loadForms } from '../forms/index.ts';
import { recordOnSubmit, registerMonitoring } from '../monitoring/index.ts';
import { type Bank, loadBanks, registerQuizzes } from '../quizzes/index.ts';
import { loadSamplingRules, registerSampling, reviewHook } from '../sampling/index.ts';
import { loadResultsRules, registerResults } from '../results/index.ts';
import { registerProjectHistory } from '../project-history/index.ts';
import { registerFiles } from '../files/index.ts';
import { registerDirectory } from '../directory/index.ts';
import type { BotRegistry } from './bot-types.ts';
import { createDispatcher, type Dispatcher } from './dispatcher.ts';
import { registerHelp } from './help-command.ts';
import { createRegistry } from './registry.ts';
import { registerWhoami } from './whoami-command.ts';

export interface Bot {
  registry: BotRegistry;
  dispatcher: Dispatcher;
  cards: CardRenderer;
  forms: FormStore;
  quizBanks: Map<string, Bank>;
}

export interface BotOptions {
  cards?: CardRenderer;
  formsDir?: string;
  /** The 抽评 rules file (default forms/rules/sampling.yaml). */
  samplingRules?: string;
  /** The 结果应用 rules file (default forms/rules/results.yaml). */
  resultsRules?: string;
}

/**
 * Loads the data files (cards, forms) and registers every feature, in the order their commands appear on the
 * help card. A broken form file is logged and left out; the rest of the bot runs.
 */
export function createBot(deps: AppDeps, opts: BotOptions = {}): Bot {
  const cards = opts.cards ?? createCardRenderer();
  const loaded = loadForms(opts.formsDir);
  for (const e of loaded.errors) deps.logger.error({ form: e.split(':')[0] }, `form not loaded: ${e}`);
  const forms = new FormStore(loaded.forms);
  const quizzes = loadBanks(opts.formsDir ? `${opts.formsDir}/quizzes` : undefined);
  for (const e of quizzes.errors) deps.logger.error(`quiz bank not loaded: ${e}`);
  const registry = createRegistry();
  registerHelp(registry);
  const approval = approvalHooks(forms);
  const sampling = loadSamplingRules(opts.samplingRules);
  registerForms(registry, forms, {
    ...approval,
    afterSubmit: [...(approval.afterSubmit ?? []), recordOnSubmit, reviewHook(forms, sampling)],
    campaignOf,
  });
  registerApprovals(registry, forms);
  registerApprovalCommands(registry, forms);
  registerCampaigns(registry, forms);
  registerMonitoring(registry);
  registerSampling(registry, forms, sampling);
  const resultsRules = loadResultsRules(opts.resultsRules);
  registerResults(registry, forms, resultsRules);
  registerProjectHistory(registry, forms, resultsRules);
  registerQuizzes(registry, quizzes.banks);
  registerWhoami(registry);
  registerFiles(registry);
  registerDirectory(registry);
  return { registry, cards, forms, quizBanks: quizzes.banks, dispatcher: createDispatcher(deps, registry, cards) };
}
