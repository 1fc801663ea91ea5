import type { BotContext } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import { renderSubmitted } from './fill-cards.ts';
import { loadState } from './fill-state.ts';
import type { FormStore } from './form-store.ts';
import { getRevision } from './submission-repository.ts';

/**
 * One submitted revision, read-only (no withdraw or revise buttons): what an approver's 查看完整内容 and the project
 * history's 查看 send. The caller has applied the read rule; `revision` defaults to the current one.
 */
export async function submittedCard(
  ctx: BotContext,
  store: FormStore,
  submissionId: number,
  revisionNo?: number,
): Promise<Card> {
  const s = await loadState(ctx, store, submissionId, undefined, 'read');
  const revision =
    revisionNo === undefined || revisionNo === s.revision.revision
      ? s.revision
      : await getRevision(ctx.tx, submissionId, revisionNo);
  if (!revision) return renderSubmitted(ctx, s, undefined, true);
  return renderSubmitted(ctx, { ...s, revision }, undefined, true);
}
