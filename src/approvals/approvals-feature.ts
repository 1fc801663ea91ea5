import { z } from 'zod';
import { appendAudit } from '../audit/audit-log';
import { idSchema, optionalText } from '../bot/guards';
import { approverOfInstance, fillerOfInstance, readerOfInstance } from './approval-guards';
import type { BotContext, BotRegistry, CardResponse } from '../bot/bot-types';
import { cardResponse } from '../bot/card-response';
import {
  type FillState,
  type Decoration,
  loadState,
  renderSubmitted,
  type FormStore,
  type FormHooks,
  diffRevisions,
  getRevision,
  openRevision,
  setSubmissionStatus,
} from '../forms';
import { enqueue } from '../lark/outbox-repository';
import { beijingDate } from '../shared/clock';
import { AppError } from '../shared/errors';
import { activeUserByOpenId, openIdOf, openIdsOf } from '../org';
import {
  type InstanceRow,
  delegateOf,
  delegatorsOf,
  getInstance,
  insertInstance,
  latestInstance,
  saveInstance,
  syncTasks,
  cardRefs,
  recordCard,
} from './approval-repository';
import type { Card } from '../cards/renderer';
import {
  actorName,
  describeDecision,
  historyLines,
  namesOf,
  renderOutcome,
  renderRequest,
  stateNames,
} from './approval-view';
import {
  type ChainState,
  type Decision,
  type DecisionRecord,
  activate,
  decide,
  excludedFrom,
  pendingApprovers,
  restartAfterReturn,
  transfer,
  withdraw,
} from './chain';
import { buildSteps, transferCandidates } from './resolve-approvers';

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
export const source = (ctx: BotContext) =>
  ctx.event.kind === 'card_action' && ctx.event.messageId ? `card:${ctx.event.messageId}` : 'bot';

/** Approvers and notifications read a submission; only its fillers may change it. */
export const read = (ctx: BotContext, store: FormStore, id: number) => loadState(ctx, store, id, undefined, 'read');

/**
 * A locking read on MySQL: concurrent deciders queue on the row, and the second reads the first's committed decision
 * (a plain read would return its transaction's older snapshot). SQLite serialises transactions anyway.
 */
async function lockInstance(ctx: BotContext, id: number): Promise<InstanceRow | undefined> {
  return getInstance(ctx.tx, id, ctx.deps.db.client.config.client === 'mysql2');
}

export function approvalHooks(store: FormStore): FormHooks {
  return {
    afterSubmit: [(ctx, s) => startApproval(ctx, store, s)],
    describe: async (ctx, s) => {
      const inst = await latestInstance(ctx.tx, s.submission.id);
      if (!inst) return {};
      const names = await namesOf(ctx.tx, stateNames(inst.state));
      const d: Decoration = {};
      if (inst.revision === s.revision.revision && inst.status === 'pending') {
        const step = inst.state.steps[inst.state.current]!;
        d.status = `审批中：${step.title}（${pendingApprovers(inst.state)
          .map((u) => names.get(u))
          .join('、')}）`;
        d.withdraw = { action: 'appr.withdraw', iid: inst.id };
      } else if (inst.revision === s.revision.revision) {
        d.status = {
          approved: '审批通过',
          rejected: '已驳回',
          returned: '已退回修改',
          withdrawn: '已撤回',
          pending: '',
        }[inst.status];
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
    },
  };
}

async function startApproval(ctx: BotContext, store: FormStore, s: FillState): Promise<void> {
  const spec = s.form.def.approval;
  if (!spec) return;
  const submitter = ctx.user!.id;
  const excluded = [...new Set([submitter, ...s.revision.editors])];
  const prev = await latestInstance(ctx.tx, s.submission.id);
  let state: ChainState;
  let changesFrom: number | undefined;
  if (prev?.status === 'returned') {
    state = restartAfterReturn(
      { ...prev.state, excluded },
      spec.on_resubmit === 'resume',
      submitter,
      spec.skip_repeat_approvers,
    );
    changesFrom = prev.revision;
  } else {
    const built = await buildSteps(
      ctx.tx,
      s.form,
      spec,
      s.revision.data,
      s.subject.ctx,
      s.submission.departmentId,
      excluded,
    );
    for (const w of built.warnings)
      ctx.log.warn({ submissionId: s.submission.id }, `approval step without approver: ${w}`);
    state = activate(
      { status: 'pending', current: 0, steps: built.steps, excluded, fallback: built.fallback },
      0,
      submitter,
      spec.skip_repeat_approvers,
    );
  }
  const inst = await insertInstance(
    ctx.tx,
    { submissionId: s.submission.id, revision: s.revision.revision, state, submitterId: submitter },
    ctx.now,
  );
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: submitter,
    action: 'approval.start',
    entityType: 'submission',
    entityId: s.submission.id,
    revision: inst.revision,
    source: source(ctx),
    detail: {
      instance: inst.id,
      steps: state.steps.map((x) => ({ id: x.id, approvers: x.approvers, status: x.status, note: x.note })),
    },
  });
  await afterChange(ctx, store, inst, state, { changesFrom, fill: s });
}

interface ChangeOpts {
  changesFrom?: number;
  decidedStep?: number;
  actorIds?: number[];
  outcomeText?: string;
  /** False when the submitter is the one acting (a withdrawal): no card about their own click. */
  notifySubmitter?: boolean;
  /** The submission as the caller already read it, so it is not read again. */
  fill?: FillState;
}

/**
 * Everything a new chain state implies, in the caller's transaction: submission status, tasks, cards to the new
 * approvers, every card of the decided step updated in place, a card to the submitter, follow-ups.
 */
async function afterChange(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  state: ChainState,
  o: ChangeOpts,
): Promise<void> {
  const s = o.fill ?? (await read(ctx, store, inst.submissionId));
  const { opened } = await syncTasks(ctx.tx, inst, state, ctx.now, o.actorIds ?? []);
  const names = await namesOf(ctx.tx, stateNames(state, [inst.submitterId]));
  const status = {
    pending: 'in_approval',
    approved: 'approved',
    rejected: 'rejected',
    returned: 'returned',
    withdrawn: 'draft',
  }[state.status];
  await setSubmissionStatus(ctx.tx, inst.submissionId, status, ctx.now);
  const fresh: InstanceRow = { ...inst, state, status: state.status };

  if (o.decidedStep !== undefined) {
    // Every approver of the decided step (and their delegates) sees the outcome on their own card.
    const refs = await cardRefs(ctx.tx, inst.id, o.decidedStep);
    const stillOpen = state.status === 'pending' && state.current === o.decidedStep;
    const people = stillOpen ? await transferPeople(ctx, s, fresh) : [];
    for (const ref of refs) {
      const card = stillOpen
        ? renderRequest(ctx, { s, inst: fresh, names, changes: [], people })
        : renderOutcome(ctx, s, state, o.decidedStep, names, o.outcomeText ?? '');
      await enqueue(ctx.tx, { kind: 'patch', targetRef: ref, card }, ctx.now);
    }
  }

  if (state.status === 'pending' && opened.length) {
    const before = o.changesFrom ? await getRevision(ctx.tx, inst.submissionId, o.changesFrom) : undefined;
    const changes = before ? diffRevisions(s.form, before.data, s.revision.data, s.subject.ctx) : [];
    const people = await transferPeople(ctx, s, fresh);
    const today = beijingDate(ctx.now);
    for (const userId of opened) {
      const openId = await openIdOf(ctx.tx, userId);
      if (openId)
        await sendApprovalCard(ctx, openId, renderRequest(ctx, { s, inst: fresh, names, changes, people }), {
          iid: inst.id,
          step: state.current,
          userId,
        });
      const delegate = await delegateOf(ctx.tx, userId, today);
      const delegateOpenId = delegate ? await openIdOf(ctx.tx, delegate) : undefined;
      if (delegate && delegateOpenId) {
        const dn = await namesOf(ctx.tx, [delegate, userId]);
        await sendApprovalCard(
          ctx,
          delegateOpenId,
          renderRequest(ctx, {
            s,
            inst: fresh,
            names: new Map([...names, ...dn]),
            changes,
            people,
            actingFor: dn.get(userId),
          }),
          { iid: inst.id, step: state.current, userId: delegate },
        );
      }
    }
  }

  if (o.decidedStep !== undefined && o.outcomeText && o.notifySubmitter !== false) {
    const submitterOpenId = await openIdOf(ctx.tx, inst.submitterId);
    const buttons =
      state.status === 'returned'
        ? [
            {
              text: '修改并重新提交',
              primary: true,
              value: { action: 'form.open', form: s.form.def.id, type: s.subject.type, id: s.subject.id },
            },
          ]
        : [];
    const title = {
      pending: '审批进展',
      approved: '审批通过',
      rejected: '申报被驳回',
      returned: '申报被退回修改',
      withdrawn: '已撤回',
    }[state.status];
    const color = { pending: 'blue', approved: 'green', rejected: 'red', returned: 'orange', withdrawn: 'grey' }[
      state.status
    ];
    if (submitterOpenId) {
      await ctx.sendTo(
        submitterOpenId,
        ctx.cards.render('notice', {
          title: `${title}：${s.form.def.title}`,
          color,
          lines: [s.subject.label, o.outcomeText, ...historyLines(state, names).slice(-5)],
          buttons,
        }),
      );
    }
  }
  if (state.status === 'returned' || state.status === 'withdrawn') {
    // The form reopens as a new revision; the returned one stays as it was.
    await openRevision(
      ctx.tx,
      s.submission,
      s.revision,
      s.revision.formVersion,
      inst.submitterId,
      ctx.now,
      state.status === 'returned' ? 'returned' : 'draft',
    );
  }
}

/** Who the clicking user acts as on this step: themselves, or an approver who delegated to them today. */
export async function actingAs(
  ctx: BotContext,
  state: ChainState,
): Promise<{ userId: number; onBehalfOf?: number } | undefined> {
  const me = ctx.user!.id;
  const pending = pendingApprovers(state);
  const step = state.steps[state.current];
  if (step?.approvers.includes(me)) return { userId: me };
  const delegators = await delegatorsOf(ctx.tx, me, beijingDate(ctx.now));
  const forWhom = delegators.find((d) => pending.includes(d));
  return forWhom ? { userId: me, onBehalfOf: forWhom } : undefined;
}

async function refuse(ctx: BotContext, inst: InstanceRow, reason: string, message: string): Promise<CardResponse> {
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user!.id,
    action: 'approval.refused',
    entityType: 'submission',
    entityId: inst.submissionId,
    revision: inst.revision,
    source: source(ctx),
    detail: { instance: inst.id, reason },
  });
  return { toast: { type: 'warning', content: message } };
}

const decideValue = z.object({
  iid: idSchema,
  rev: idSchema,
  step: z.coerce.number().int().min(0),
  decision: z.enum(['approve', 'reject', 'return', 'transfer', 'comment']),
});
const decideForm = z.object({
  comment: optionalText,
  fields: z.array(z.string()).optional(),
  transfer_to: z.string().optional(),
});

export function registerApprovals(registry: BotRegistry, store: FormStore): void {
  registry.action({
    key: 'appr.decide',
    value: decideValue,
    form: decideForm,
    guard: approverOfInstance,
    run: (ctx, { value: v, form }) =>
      decideOne(ctx, store, {
        iid: v.iid,
        rev: v.rev,
        step: v.step,
        decision: v.decision,
        comment: form.comment,
        fields: form.fields,
        transferTo: form.transfer_to,
      }),
  });

  registry.action({
    key: 'appr.detail',
    value: z.object({ iid: idSchema }),
    guard: readerOfInstance,
    async run(ctx, { value: v }) {
      const inst = (await getInstance(ctx.tx, v.iid))!;
      const s = await read(ctx, store, inst.submissionId);
      // The revision under approval, read-only: no withdraw or revise buttons for the approver.
      const revision = (await getRevision(ctx.tx, inst.submissionId, inst.revision))!;
      await ctx.sendTo(ctx.openId, renderSubmitted(ctx, { ...s, revision }, undefined, true));
      return { toast: { type: 'info', content: '完整内容已发送给您' } };
    },
  });

  registry.action({
    key: 'appr.withdraw',
    value: z.object({ iid: idSchema }),
    guard: fillerOfInstance(store),
    async run(ctx, { value: v }) {
      const inst = await lockInstance(ctx, v.iid);
      if (!inst) return { toast: { type: 'error', content: '该审批已不存在' } };
      const s = await loadState(ctx, store, inst.submissionId);
      const r = withdraw(inst.state);
      if ('refused' in r) return refuse(ctx, inst, 'closed', '审批已结束，不能撤回');
      if (!(await saveInstance(ctx.tx, inst, r, ctx.now)))
        return { toast: { type: 'warning', content: '审批状态刚刚发生变化，请重试' } };
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user.id,
        action: 'approval.withdraw',
        entityType: 'submission',
        entityId: inst.submissionId,
        revision: inst.revision,
        source: source(ctx),
        detail: { instance: inst.id },
      });
      await afterChange(ctx, store, inst, r, {
        decidedStep: inst.state.current,
        outcomeText: `${ctx.user.name} 撤回了提交`,
        notifySubmitter: false,
        fill: s,
      });
      return cardResponse(
        renderSubmitted(ctx, await loadState(ctx, store, s.submission.id), '已撤回，可修改后重新提交。'),
        { type: 'success', content: '已撤回' },
      );
    },
  });
}

/** Open ids for the 转交 picker of the instance's current step: who could hold it, never the submitter or a filler. */
export async function transferPeople(ctx: BotContext, s: FillState, inst: InstanceRow): Promise<{ value: string }[]> {
  const step = inst.state.steps[inst.state.current];
  if (!step || inst.state.status !== 'pending') return [];
  const spec = s.form.def.approval;
  const ids = spec
    ? (
        await transferCandidates(
          ctx.tx,
          spec,
          step,
          s.submission.departmentId,
          excludedFrom(inst.state, inst.submitterId),
        )
      ).filter((id) => !step.approvers.includes(id))
    : [];
  if (!ids.length) return [];
  return (await openIdsOf(ctx.tx, ids.slice(0, 50))).map((value) => ({ value }));
}

async function addComment(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: { userId: number; onBehalfOf?: number },
  comment: string,
): Promise<CardResponse> {
  if (!comment) return { toast: { type: 'warning', content: '请填写评论内容' } };
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: who.userId,
    onBehalfOfUserId: who.onBehalfOf ?? null,
    action: 'approval.comment',
    entityType: 'submission',
    entityId: inst.submissionId,
    revision: inst.revision,
    source: source(ctx),
    detail: { instance: inst.id, comment },
  });
  const s = await read(ctx, store, inst.submissionId);
  const submitter = await openIdOf(ctx.tx, inst.submitterId);
  if (submitter)
    await ctx.sendTo(
      submitter,
      ctx.cards.render('notice', {
        title: `审批评论：${s.form.def.title}`,
        lines: [s.subject.label, `${ctx.user!.name}：${comment}`],
      }),
    );
  return { toast: { type: 'success', content: '评论已发送给提交人' } };
}

async function doTransfer(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: { userId: number; onBehalfOf?: number },
  to: unknown,
  comment: string,
): Promise<CardResponse> {
  if (typeof to !== 'string' || !to) return { toast: { type: 'warning', content: '请先选择转交给谁' } };
  const target = await activeUserByOpenId(ctx.tx, to);
  if (!target) return { toast: { type: 'warning', content: '所选人员不在绩效管理名单中' } };
  const s = await read(ctx, store, inst.submissionId);
  const step = inst.state.steps[inst.state.current]!;
  const from = who.onBehalfOf ?? who.userId;
  const allowed = await transferCandidates(
    ctx.tx,
    s.form.def.approval!,
    step,
    s.submission.departmentId,
    excludedFrom(inst.state, inst.submitterId),
  );
  if (Number(target.id) === from || Number(target.id) === who.userId)
    return { toast: { type: 'warning', content: '不能转交给自己' } };
  if (!allowed.includes(Number(target.id))) {
    return refuse(
      ctx,
      inst,
      'transfer_not_eligible',
      `不能转交给 ${target.name}：只能转交给可以办理“${step.title}”的人员，且不能是提交人或填报人`,
    );
  }
  const r = transfer(inst.state, from, Number(target.id), inst.submitterId);
  if ('refused' in r) return refuse(ctx, inst, r.refused, '当前无法转交');
  if (!(await saveInstance(ctx.tx, inst, r, ctx.now)))
    return { toast: { type: 'warning', content: '审批状态刚刚发生变化，请重试' } };
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: who.userId,
    onBehalfOfUserId: who.onBehalfOf ?? null,
    action: 'approval.transfer',
    entityType: 'submission',
    entityId: inst.submissionId,
    revision: inst.revision,
    source: source(ctx),
    detail: { instance: inst.id, to: Number(target.id), comment },
  });
  await afterChange(ctx, store, inst, r, { actorIds: [from], fill: s });
  const names = await namesOf(ctx.tx, stateNames(r, [Number(target.id)]));
  return cardResponse(renderOutcome(ctx, s, r, r.current, names, `已转交给 ${target.name}`), {
    type: 'success',
    content: `已转交给 ${target.name}`,
  });
}

export interface DecisionInput {
  iid: number;
  /** The revision and step the clicked card showed; undefined when deciding from a list. */
  rev?: number;
  step?: number;
  decision: string;
  comment: string;
  fields?: string[];
  transferTo?: unknown;
}

/** One decision on one approval, as a card click or one item of a batch: refusals come back as warnings. */
export async function decideOne(ctx: BotContext, store: FormStore, d: DecisionInput): Promise<CardResponse> {
  const { decision, comment } = d;
  for (let attempt = 0; attempt < 3; attempt++) {
    const inst = await lockInstance(ctx, d.iid);
    if (!inst) return { toast: { type: 'error', content: '该审批已不存在' } };
    if (d.rev !== undefined) {
      // A card of an older revision (resubmitted since) is refused, whatever that revision's outcome was.
      const latest = await latestInstance(ctx.tx, inst.submissionId);
      if (latest && latest.revision !== d.rev)
        return refuse(
          ctx,
          inst,
          'stale_revision',
          `该卡片是第 ${d.rev} 版，当前为第 ${latest.revision} 版，请处理最新的审批卡片`,
        );
    }
    const names = await namesOf(ctx.tx, stateNames(inst.state, [ctx.user!.id]));
    const who = await actingAs(ctx, inst.state);
    if (inst.status !== 'pending') {
      const last = inst.state.steps.flatMap((st) => st.decisions).sort((a, b) => b.at - a.at)[0];
      const msg =
        inst.status === 'withdrawn'
          ? '提交人已撤回，无需审批'
          : last
            ? `已由 ${describeDecision(names, last)}`
            : '该审批已结束';
      return refuse(ctx, inst, 'closed', msg);
    }
    if (!who) {
      const step = inst.state.steps[inst.state.current]!;
      const mine = step.decisions.find((d) => (d.onBehalfOf ?? d.userId) === ctx.user!.id || d.userId === ctx.user!.id);
      return refuse(
        ctx,
        inst,
        mine ? 'already_decided' : 'not_approver',
        mine
          ? `您已${describeDecision(names, mine).split(' ').slice(1).join(' ')}`
          : '您不是当前环节的审批人，不能操作此卡片',
      );
    }
    if (decision === 'comment') return addComment(ctx, store, inst, who, comment);
    if (decision === 'transfer') return doTransfer(ctx, store, inst, who, d.transferTo, comment);
    if (!['approve', 'reject', 'return'].includes(decision)) return { toast: { type: 'error', content: '未知的操作' } };
    const record: DecisionRecord = {
      userId: who.userId,
      onBehalfOf: who.onBehalfOf,
      decision: decision as Decision,
      comment: comment || undefined,
      at: ctx.now,
      fields: decision === 'return' ? d.fields : undefined,
    };
    const s = await read(ctx, store, inst.submissionId);
    const spec = s.form.def.approval!;
    const r = decide(inst.state, record, inst.submitterId, spec?.skip_repeat_approvers ?? true);
    if ('refused' in r) {
      if (r.refused === 'separation_of_duties')
        return refuse(ctx, inst, r.refused, '您是该事项的提交人或填报人，不能审批');
      if (r.refused === 'needs_comment')
        return {
          toast: { type: 'warning', content: decision === 'return' ? '退回修改时请填写意见' : '驳回时请填写理由' },
        };
      const msg = r.decidedBy ? `已由 ${describeDecision(names, r.decidedBy)}` : '该环节已处理';
      return refuse(ctx, inst, r.refused, msg);
    }
    if (!(await saveInstance(ctx.tx, inst, r.state, ctx.now))) continue; // someone decided in between: read again
    const step = inst.state.steps[inst.state.current]!;
    const actor = actorName(names, record);
    await appendAudit(ctx.tx, {
      at: ctx.now,
      actorUserId: who.userId,
      onBehalfOfUserId: who.onBehalfOf ?? null,
      action: `approval.${decision}`,
      entityType: 'submission',
      entityId: inst.submissionId,
      revision: inst.revision,
      source: source(ctx),
      detail: { instance: inst.id, step: step.id, comment: record.comment, fields: record.fields },
    });
    const outcomeText = `${step.title}：${describeDecision(names, record)}`;
    await afterChange(ctx, store, inst, r.state, {
      decidedStep: inst.state.current,
      actorIds: [who.userId, ...(who.onBehalfOf ? [who.onBehalfOf] : [])],
      outcomeText,
      fill: s,
    });
    const newNames = await namesOf(ctx.tx, stateNames(r.state));
    const stillOpen = r.state.status === 'pending' && r.state.current === inst.state.current;
    const card = stillOpen
      ? renderOutcome(
          ctx,
          s,
          r.state,
          inst.state.current,
          newNames,
          `您已${decision === 'approve' ? '同意' : '处理'}，等待其他审批人`,
        )
      : renderOutcome(ctx, s, r.state, inst.state.current, newNames, outcomeText);
    return cardResponse(card, {
      type: 'success',
      content: `已${{ approve: '同意', reject: '驳回', return: '退回修改' }[decision as Decision]}${actor !== names.get(ctx.user!.id) ? `（${actor}）` : ''}`,
    });
  }
  throw new AppError('conflict', '审批繁忙，请稍后再试');
}
