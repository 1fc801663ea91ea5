import type { BotRegistry } from '../bot/bot-types.ts';
import type { CampaignOf, FormStore } from '../forms/index.ts';
import { campaignOfSubject } from './campaign-repository.ts';
import { launchAction, launchCommand } from './launch-action.ts';
import { closeAction, extendAction, manageAction, previewAction } from './manage-actions.ts';
import { deptAction, progressCommand } from './progress-card.ts';
import { progressExportAction } from './progress-export-action.ts';
import { todoCommand } from './todo-card.ts';

/** Filing campaigns: launching them, following their progress, and each person's 待办. */
export function registerCampaigns(registry: BotRegistry, store: FormStore): void {
  registry.command(launchCommand(store));
  registry.action(launchAction(store));
  registry.command(progressCommand);
  registry.action(deptAction);
  registry.action(progressExportAction);
  registry.action(manageAction(store));
  registry.action(closeAction(store));
  registry.action(extendAction(store));
  registry.action(previewAction(store));
  registry.command(todoCommand);
}

/** What a new draft's defaults know of the campaign it is started for (its as-of date, deadline and title). */
export const campaignOf: CampaignOf = async (ctx, formId, subject) => {
  const c = await campaignOfSubject(ctx.tx, formId, subject);
  return c && { title: c.title, deadline: c.deadline, as_of: c.asOf };
};
