import { appendAudit } from '../audit/audit-log';
import type { BotContext } from '../bot/bot-types';
import { eventSource } from '../bot/event-source';
import type { Decoration, FillState, FormHooks, FormStore } from '../forms';
import { afterChange } from './approval-effects';
import { holdersFor, latestOf, namesIn, rememberInstance } from './approval-reads';
import { insertInstance, type InstanceRow } from './approval-repository';
import { actorName, stateNames } from './approval-view';
import { type ChainState, activate, pendingApprovers, restartAfterReturn } from './chain';
import { buildSteps } from './resolve-approvers';

/** How approvals plug into filling: a submit starts the form's chain; a submission's cards show where it stands. */
export function approvalHooks(store: FormStore): FormHooks {
  return {
    afterSubmit: [(ctx, s) => startApproval(ctx, store, s)],
    describe: async (ctx, s) => {
      const inst = await latestOf(ctx, s.submission.id);
      return inst ? decoration(s, inst, await namesIn(ctx, stateNames(inst.state))) : {};
    },
  };
}

const closedStatus = {
  approved: '审批通过',
  rejected: '已驳回',
  returned: '已退回修改',
  withdrawn: '已撤回',
  pending: '',
};

function decoration(s: Omit<FillState, 'decoration'>, inst: InstanceRow, names: Map<number, string>): Decoration {
  const d: Decoration = {};
  if (inst.revision === s.revision.revision && inst.status === 'pending') {
    const step = inst.state.steps[inst.state.current]!;
    const who = pendingApprovers(inst.state).map((u) => names.get(u));
    d.status = `审批中：${step.title}（${who.join('、')}）`;
    d.withdraw = { action: 'appr.withdraw', iid: inst.id };
  } else if (inst.revision === s.revision.revision) {
    d.status = closedStatus[inst.status];
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
  const inst = await insertInstance(
    ctx.tx,
    { submissionId: s.submission.id, revision: s.revision.revision, state, submitterId: submitter },
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
