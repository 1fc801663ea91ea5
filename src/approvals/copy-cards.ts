import type { BotContext } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import type { FillState } from '../forms/index.ts';
import { peopleIn } from '../org/index.ts';
import { type InstanceRow, recordCard } from './approval-repository.ts';
import { chainLines, submissionContent } from './approval-view.ts';
import type { ChainState } from './chain.ts';

/*
 * 抄送: the people of a cc step get a read-only card with the whole submission once the chain reaches the step, and
 * every copy follows the chain to its end (updated in place, like the submitter's card).
 */

const statusLines: Record<ChainState['status'], string> = {
  pending: '审批中',
  approved: '审批通过',
  rejected: '已驳回',
  returned: '已退回修改',
  withdrawn: '已撤回',
};
const colors = { pending: 'blue', approved: 'green', rejected: 'red', returned: 'orange', withdrawn: 'grey' } as const;

function renderCopy(ctx: BotContext, s: FillState, inst: InstanceRow, names: Map<number, string>): Card {
  return ctx.cards.render('approval-copy', {
    formTitle: s.form.def.title,
    subject: s.subject.label,
    submitter: names.get(inst.submitterId) ?? '',
    revision: inst.revision,
    submittedAt: s.revision.submittedAt,
    status: statusLines[inst.state.status],
    color: colors[inst.state.status],
    ...submissionContent(s),
    chain: chainLines(inst, names, ctx.now),
  });
}

/** Sends the copies of the cc steps the change passed (`before` is the state before it), and updates those sent. */
export async function syncCopies(
  ctx: BotContext,
  s: FillState,
  before: ChainState | undefined,
  inst: InstanceRow,
  names: Map<number, string>,
): Promise<void> {
  const reached = inst.state.steps.flatMap((st, i) =>
    st.status === 'notified' && before?.steps[i]?.status !== 'notified' ? [{ i, people: st.approvers }] : [],
  );
  const sent = (inst.cards ?? []).filter((c) => c.ref.startsWith('cc:'));
  if (!reached.length && !sent.length) return;
  const card = renderCopy(ctx, s, inst, names);
  for (const c of sent) await ctx.queue({ kind: 'patch', targetRef: c.ref, card });
  const contacts = await peopleIn(
    ctx.reads,
    ctx.tx,
    reached.flatMap((r) => r.people),
  );
  for (const { i, people } of reached)
    for (const userId of people) {
      const openId = contacts.get(userId)?.openId;
      if (!openId) continue;
      const ref = `cc:${inst.id}:${i}:${userId}`;
      await ctx.sendTo(openId, card, { ref });
      await recordCard(ctx.tx, { instanceId: inst.id, step: i, userId, ref });
    }
}
