import type { BotContext } from '../bot/bot-types.ts';
import { type Decoration, type FillState, renderSubmitted } from '../forms/index.ts';
import { openIdIn } from './approval-reads.ts';
import type { InstanceRow } from './approval-repository.ts';
import { actorName, chainLines } from './approval-view.ts';
import { type ChainState, pendingApprovers } from './chain.ts';

/*
 * The submitter's one card per submission: the card they submitted from, updated in place at every step, so it always
 * says where the chain stands and offers only what still applies (撤回 and 催办 while pending, 修改并重新提交 after a
 * return, nothing once decided).
 */

const closedStatus: Record<ChainState['status'], string> = {
  approved: '审批通过',
  rejected: '已驳回',
  returned: '已退回修改',
  withdrawn: '已撤回',
  pending: '',
};
const tones = { pending: 'blue', approved: 'green', rejected: 'red', returned: 'orange', withdrawn: 'grey' } as const;

/** What the chain adds to a submission's cards: where it stands, its buttons, the reviewer's comments on the redo. */
export function submissionDecoration(
  s: Omit<FillState, 'decoration'>,
  inst: InstanceRow,
  names: Map<number, string>,
  now: number,
): Decoration {
  const d: Decoration = {};
  if (inst.revision === s.revision.revision) {
    const step = inst.state.steps[inst.state.current];
    const who = pendingApprovers(inst.state).map((u) => names.get(u));
    d.status =
      inst.status === 'pending' ? `审批中：${step?.title ?? ''}（${who.join('、')}）` : closedStatus[inst.status];
    d.chain = chainLines(inst, names, now);
    d.tone = tones[inst.status];
    if (inst.status === 'pending') {
      d.withdraw = { action: 'appr.withdraw', iid: inst.id };
      d.urge = { action: 'appr.urge', sid: inst.submissionId };
    }
    if (inst.status === 'returned' || inst.status === 'withdrawn')
      d.reopen = { action: 'form.open', form: s.form.def.id, type: s.subject.type, id: s.subject.id };
  }
  // The draft that follows a return shows the reviewer's comments beside the fields concerned.
  if (inst.status === 'returned' && s.revision.revision === inst.revision + 1 && s.revision.status === 'draft') {
    const ret = inst.state.steps.flatMap((st) => st.decisions).find((x) => x.decision === 'return');
    if (ret) {
      const who = actorName(names, ret);
      d.comments = Object.fromEntries((ret.fields ?? []).map((f) => [f, `${who}：${ret.comment ?? ''}`]));
      d.note = `${who} 退回修改：${ret.comment ?? ''}`;
    }
  }
  return d;
}

const submissionStatus = {
  pending: 'in_approval',
  approved: 'approved',
  rejected: 'rejected',
  returned: 'returned',
  withdrawn: 'draft',
} as const;

/** The status a submission takes from its chain. */
export const statusOfChain = (state: ChainState) => submissionStatus[state.status];

/**
 * Updates the submitter's card to the instance's state, and buzzes it when the submission comes back to them. A click
 * on that very card gets its new state as the answer (the withdrawal's reopened draft), so it is not patched as well.
 */
export async function updateSubmitterCard(
  ctx: BotContext,
  s: FillState,
  inst: InstanceRow,
  names: Map<number, string>,
): Promise<void> {
  const messageId = inst.submitterMessageId;
  if (!messageId || (ctx.event.kind === 'card_action' && ctx.event.messageId === messageId)) return;
  const now: FillState = {
    ...s,
    submission: { ...s.submission, status: statusOfChain(inst.state) },
    decoration: submissionDecoration(s, inst, names, ctx.now),
  };
  await ctx.queue({ kind: 'patch', messageId, card: renderSubmitted(ctx, now) });
  // A return asks the submitter to act: the updated card alone would not reach them, so it is buzzed (加急) once.
  const openId = inst.state.status === 'returned' ? await openIdIn(ctx, inst.submitterId) : undefined;
  if (openId) await ctx.queue({ kind: 'buzz', messageId, openIds: [openId] });
}

/** The card of an earlier submission, once the next one is submitted from another card: it says so, no buttons. */
export async function retireSubmitterCard(ctx: BotContext, s: FillState, prev: InstanceRow): Promise<void> {
  const messageId = prev.submitterMessageId;
  if (!messageId || (ctx.event.kind === 'card_action' && ctx.event.messageId === messageId)) return;
  const card = ctx.cards.render('notice', {
    title: `${s.form.def.title}（第 ${prev.revision} 版）`,
    color: 'grey',
    lines: [
      s.subject.label,
      `第 ${prev.revision} 版${closedStatus[prev.status]}；第 ${s.revision.revision} 版已重新提交，请以新的卡片为准。`,
    ],
    buttons: [],
  });
  await ctx.queue({ kind: 'patch', messageId, card });
}
