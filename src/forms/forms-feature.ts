import type { BotRegistry } from '../bot/bot-types.ts';
import { assignedCommand } from './assigned-command.ts';
import { fillCommand } from './fill-command.ts';
import { amendAction } from './form-amend-action.ts';
import { type FormHooks, filling } from './fill-state.ts';
import { openAction } from './form-open-action.ts';
import { formPageAction } from './form-page-action.ts';
import { rowCancelAction, rowDeleteAction, rowEditAction, rowSaveAction } from './form-row-actions.ts';
import { reviseAction, submitAction } from './form-submit-actions.ts';
import type { FormStore } from './form-store.ts';

/** The forms feature: the 填报 command and every click on a form card. */
export function registerForms(registry: BotRegistry, store: FormStore, hooks: FormHooks = {}): void {
  const f = filling(store, hooks);
  registry.command(fillCommand(store));
  registry.command(assignedCommand(store));
  registry.action(openAction(f));
  registry.action(formPageAction(f));
  registry.action(rowEditAction(f));
  registry.action(rowCancelAction(f));
  registry.action(rowSaveAction(f));
  registry.action(rowDeleteAction(f));
  registry.action(submitAction(f));
  registry.action(reviseAction(f));
  registry.action(amendAction(f));
}
