import type { BotRegistry } from '../bot/bot-types.ts';
import { correctiveDoneAction } from './corrective-action.ts';

/** 双监控 follow-up: the unit confirms its corrective actions from 待办. */
export function registerMonitoring(registry: BotRegistry): void {
  registry.action(correctiveDoneAction);
}
