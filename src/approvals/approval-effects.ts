import type { BotContext } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import {
  type FillState,
  type FormStore,
  diffRevisions,
  getRevision,
  reopenRevision,
  setSubmissionStatus,
  applyApprovedOutcome,
} from '../forms/index.ts';
import { peopleIn } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { holdersFor, namesIn, read } from './approval-reads.ts';
import { type InstanceRow, cardRefs, delegatesOf, recordCard, syncTasks } from './approval-repository.ts';
import { renderOutcome, renderRequest, stateNames } from './approval-view.ts';
import { type ChainState, excludedFrom } from './chain.ts';
import { syncCopies } from './copy-cards.ts';
import { transferCandidates } from './resolve-approvers.ts';
import { statusOfChain, updateSubmitterCard } from './submitter-card.ts';

export interface ChangeOpts {
  /** The revision approvers compare with, and what it was to them: a returned one, or the approved one adjusted. */
  changesFrom?: { revision: number; title: string };
  decidedStep?: number;
  actorIds?: number[];
  outcomeText?: string;
  /** The submission as the caller already read it, so it is not read again. */
  fill?: FillState;
  /** The instance was just created: it has no tasks or cards yet. */
  fresh?: boolean;
}

/**
 * Everything a new chain state implies, in the caller's transaction: submission status, tasks, cards to the new
 * approvers, every card of the decided step updated in place, the submitter's card and 抄送 copies too, follow-ups.
 */
export async function afterChange(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  state: ChainState,
  o: ChangeOpts,
): Promise<void> {
  const s = o.fill ?? (await read(ctx, store, inst.submissionId));
  const { opened } = await syncTasks(ctx.tx, inst, state, ctx.now, o.actorIds ?? [], o.fresh);
  const names = await namesIn(ctx, stateNames(state, [inst.submitterId]));
  const status = statusOfChain(state);
  if (s.submission.status !== status) {
    await setSubmissionStatus(ctx, inst.submissionId, status);
    if (status === 'approved') await applyApprovedOutcome(ctx, s);
  }
  const now: InstanceRow = { ...inst, state, status: state.status };
  if (o.decidedStep !== undefined) await updateDecidedCards(ctx, s, now, o.decidedStep, names, o.outcomeText ?? '');
  if (state.status === 'pending' && opened.length) await sendToApprovers(ctx, s, now, opened, names, o.changesFrom);
  await syncCopies(ctx, s, o.fresh ? undefined : inst.state, now, names);
  if (!o.fresh) await updateSubmitterCard(ctx, s, now, names);
  // The form reopens as a new revision; the returned one stays as it was.
  if (state.status === 'returned' || state.status === 'withdrawn') {
    const returns = state.steps.flatMap((st) => st.decisions).filter((d) => d.decision === 'return');
    const latest = returns.sort((a, b) => a.at - b.at).at(-1);
    const marked = state.status === 'returned' ? (latest?.fields ?? []) : [];
    await reopenRevision(ctx, s, inst.submitterId, state.status === 'returned' ? 'returned' : 'draft', marked);
  }
}

/**
 * Every approver of the step (and their delegates) sees its state on their own card: the request again while the
 * step is open (after an adjustment, say), else the outcome.
 */
export async function updateDecidedCards(
  ctx: BotContext,
  s: FillState,
  inst: InstanceRow,
  decidedStep: number,
  names: Map<number, string>,
  outcomeText: string,
): Promise<void> {
  const refs = await cardRefs(ctx.tx, inst, decidedStep);
  if (!refs.length) return;
  const stillOpen = inst.state.status === 'pending' && inst.state.current === decidedStep;
  const card = stillOpen
    ? renderRequest(ctx, { s, inst, names, changes: [], people: await transferPeople(ctx, s, inst) })
    : renderOutcome(ctx, s, inst.state, decidedStep, names, outcomeText);
  for (const ref of refs) await ctx.queue({ kind: 'patch', targetRef: ref, card });
}

/** The approval card to each new approver of the current step, and to whoever acts for them today. */
async function sendToApprovers(
  ctx: BotContext,
  s: FillState,
  inst: InstanceRow,
  opened: number[],
  names: Map<number, string>,
  changesFrom: ChangeOpts['changesFrom'],
): Promise<void> {
  const before = changesFrom ? await getRevision(ctx.tx, inst.submissionId, changesFrom.revision) : undefined;
  const changes = before ? diffRevisions(s.form, before.data, s.revision.data, s.subject.ctx) : [];
  const changesTitle = changesFrom?.title;
  const people = await transferPeople(ctx, s, inst);
  const delegates = await delegatesOf(ctx.tx, opened, beijingDate(ctx.now));
  const contacts = await peopleIn(ctx.reads, ctx.tx, [...opened, ...delegates.values()]);
  const at = (userId: number) => ({ iid: inst.id, step: inst.state.current, userId });
  for (const userId of opened) {
    const openId = contacts.get(userId)?.openId;
    if (openId)
      await sendApprovalCard(
        ctx,
        openId,
        renderRequest(ctx, { s, inst, names, changes, changesTitle, people }),
        at(userId),
      );
    const delegate = delegates.get(userId);
    const delegateOpenId = delegate ? contacts.get(delegate)?.openId : undefined;
    if (!delegate || !delegateOpenId) continue;
    const actingFor = contacts.get(userId)?.name;
    const withDelegate = new Map([...names, [delegate, contacts.get(delegate)!.name]]);
    const card = renderRequest(ctx, { s, inst, names: withDelegate, changes, changesTitle, people, actingFor });
    await sendApprovalCard(ctx, delegateOpenId, card, at(delegate));
  }
}

/** Queues an approval card for one approver (or delegate) of a step and records it, to update when decided. */
export async function sendApprovalCard(
  ctx: BotContext,
  openId: string,
  card: Card,
  at: { iid: number; step: number; userId: number },
) {
  const ref = `appr:${at.iid}:${at.step}:${at.userId}`;
  await ctx.sendTo(openId, card, { ref });
  await recordCard(ctx.tx, { instanceId: at.iid, step: at.step, userId: at.userId, ref });
}

/** Open ids for the 转交 picker of the instance's current step: who could hold it, never the submitter or a filler. */
export async function transferPeople(ctx: BotContext, s: FillState, inst: InstanceRow): Promise<{ value: string }[]> {
  const step = inst.state.steps[inst.state.current];
  const spec = s.form.def.approval;
  if (!step || inst.state.status !== 'pending' || !spec) return [];
  const excluded = excludedFrom(inst.state, inst.submitterId);
  const candidates = await transferCandidates(ctx.tx, await holdersFor(ctx, s), spec, step, excluded);
  const ids = candidates.filter((id) => !step.approvers.includes(id)).slice(0, 50);
  const people = await peopleIn(ctx.reads, ctx.tx, ids);
  return ids.flatMap((id) => (people.get(id)?.openId ? [{ value: people.get(id)!.openId! }] : []));
}
