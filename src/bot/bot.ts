import type { AppDeps } from '../app-deps';
import { type CardRenderer, createCardRenderer } from '../cards/renderer';
import type { BotRegistry } from './bot-types';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { registerHelp } from './help-command';
import { createRegistry } from './registry';
import { registerWhoami } from './whoami-command';

export interface Bot {
  registry: BotRegistry;
  dispatcher: Dispatcher;
  cards: CardRenderer;
}

/** Feature registrations, in the order their commands appear on the help card. */
const features: ((registry: BotRegistry) => void)[] = [registerHelp, registerWhoami];

export function createBot(deps: AppDeps, cards: CardRenderer = createCardRenderer()): Bot {
  const registry = createRegistry();
  for (const register of features) register(registry);
  return { registry, cards, dispatcher: createDispatcher(deps, registry, cards) };
}
