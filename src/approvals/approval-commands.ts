import type { BotRegistry } from '../bot/bot-types.ts';
import type { FormStore } from '../forms/index.ts';
import { approvalsCommand, batchAction, openAction } from './approval-list.ts';
import { delegateAction, delegateCommand, undelegateAction } from './delegation-actions.ts';

/** `待审批` (list, open, batch approve) and `委托` (delegation). */
export function registerApprovalCommands(registry: BotRegistry, store: FormStore): void {
  registry.command(approvalsCommand(store));
  registry.action(openAction(store));
  registry.action(batchAction(store));
  registry.command(delegateCommand);
  registry.action(delegateAction);
  registry.action(undelegateAction);
}
