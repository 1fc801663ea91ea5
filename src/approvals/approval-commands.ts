import type { BotRegistry } from '../bot/bot-types';
import type { FormStore } from '../forms';
import { approvalsCommand, batchAction, openAction } from './approval-list';
import { delegateAction, delegateCommand, undelegateAction } from './delegation-actions';

/** `待审批` (list, open, batch approve) and `委托` (delegation). */
export function registerApprovalCommands(registry: BotRegistry, store: FormStore): void {
  registry.command(approvalsCommand(store));
  registry.action(openAction(store));
  registry.action(batchAction(store));
  registry.command(delegateCommand);
  registry.action(delegateAction);
  registry.action(undelegateAction);
}
