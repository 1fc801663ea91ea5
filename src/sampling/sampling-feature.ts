import type { BotRegistry } from '../bot/bot-types.ts';
import type { FormStore } from '../forms/index.ts';
import { drawAction, samplingCommand, showAction } from './sampling-card.ts';
import type { SamplingRules } from './sampling-rules.ts';

/** 抽评 for the bureau: the campaigns to draw from, the draw, and its progress. */
export function registerSampling(registry: BotRegistry, store: FormStore, rules: SamplingRules): void {
  registry.command(samplingCommand(store, rules));
  registry.action(drawAction(store, rules));
  registry.action(showAction(store, rules));
}
