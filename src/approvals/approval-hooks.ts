import { appendAudit } from '../audit/audit-log.ts';
import type { BotContext } from '../bot/bot-types.ts';
import { eventSource } from '../bot/event-source.ts';
import type { FillState, FormHooks, FormStore } from '../forms/index.ts';
import { afterChange } from './approval-effects.ts';
import { holdersFor, latestOf, namesIn, rememberInstance } from './approval-reads.ts';
import { insertInstance } from './approval-repository.ts';
import { stateNames } from './approval-view.ts';
import { type ChainState, activate, restartAfterReturn } from './chain.ts';
import { retireSubmitterCard, submissionDecoration } from './submitter-card.ts';
import { buildSteps } from './resolve-approvers.ts';

/** How approvals plug into filling: a submit starts the form's chain; a submission's cards show where it stands. */
export function approvalHooks(store: FormStore): FormHooks {
  return {
    afterSubmit: [(ctx, s) => startApproval(ctx, store, s)],
    describe: async (ctx, s) => {
      // A chain starts when a revision is submitted, and a submitted revision is never a draft again (a return or a
      // withdrawal opens the next one): a first revision still in draft has none to read.
      if (s.revision.revision === 1 && s.revision.status === 'draft') return {};
      const inst = await latestOf(ctx, s.submission.id);
      return inst ? submissionDecoration(s, inst, await namesIn(ctx, stateNames(inst.state)), ctx.now) : {};
    },
  };
}

/**
 * A submitted revision starts the form's chain: after a return it resumes (or restarts) the returned chain, else a
 * new one is built for the submission's department. The submitter and the revision's fillers are excluded.
 */
async function startApproval(ctx: BotContext, store: FormStore, s: FillState): Promise<void> {
  const spec = s.form.def.approval;
  if (!spec) return;
  const submitter = ctx.user!.id;
  const excluded = [...new Set([submitter, ...s.revision.editors])];
  const prev = await latestOf(ctx, s.submission.id);
  const state: ChainState =
    prev?.status === 'returned'
      ? restartAfterReturn(
          { ...prev.state, excluded },
          spec.on_resubmit === 'resume',
          submitter,
          spec.skip_repeat_approvers,
        )
      : await newChain(ctx, s, submitter, excluded);
  // The card submitted from becomes the submitter's card for this submission, updated at every step.
  const submitterMessageId = ctx.event.kind === 'card_action' ? ctx.event.messageId : undefined;
  const inst = await insertInstance(
    ctx.tx,
    { submissionId: s.submission.id, revision: s.revision.revision, state, submitterId: submitter, submitterMessageId },
    ctx.now,
  );
  rememberInstance(ctx, inst, true);
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: submitter,
    action: 'approval.start',
    entityType: 'submission',
    entityId: s.submission.id,
    revision: inst.revision,
    source: eventSource(ctx),
    detail: {
      instance: inst.id,
      steps: state.steps.map((x) => ({ id: x.id, approvers: x.approvers, status: x.status, note: x.note })),
    },
  });
  // After a return, or for an adjustment of an approved revision (目标调整): the approvers see what changed.
  const changesFrom =
    prev?.status === 'returned'
      ? { revision: prev.revision, title: '与退回版本相比的修改' }
      : prev?.status === 'approved'
        ? { revision: prev.revision, title: `与已批复的第 ${prev.revision} 版相比的调整` }
        : undefined;
  await afterChange(ctx, store, inst, state, { changesFrom, fill: s, fresh: true });
  if (prev) await retireSubmitterCard(ctx, s, prev);
}

async function newChain(ctx: BotContext, s: FillState, submitter: number, excluded: number[]): Promise<ChainState> {
  const spec = s.form.def.approval!;
  const holders = await holdersFor(ctx, s);
  const built = await buildSteps(holders, s.form, spec, s.revision.data, s.subject.ctx, excluded);
  for (const w of built.warnings)
    ctx.log.warn({ submissionId: s.submission.id }, `approval step without approver: ${w}`);
  const initial: ChainState = { status: 'pending', current: 0, steps: built.steps, excluded, fallback: built.fallback };
  return activate(initial, 0, submitter, spec.skip_repeat_approvers);
}
