import type { BotContext, CardResponse } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import type { FormStore } from '../forms/index.ts';
import { activeUserByOpenId } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { adjustScore } from './adjust-score.ts';
import { recordStepReview } from './review-step.ts';
import { afterChange } from './approval-effects.ts';
import { type Acting, audit, refuse } from './decide-support.ts';
import { holdersFor, instanceOf, latestOf, namesIn, openIdIn, read, rereadInstance } from './approval-reads.ts';
import { type InstanceRow, delegatorsOf, saveInstance } from './approval-repository.ts';
import { rememberInstance } from './approval-reads.ts';
import { actorName, describeDecision, renderOutcome, stateNames } from './approval-view.ts';
import {
  type ChainState,
  type Decision,
  type DecisionRecord,
  decide,
  excludedFrom,
  pendingApprovers,
  transfer,
} from './chain.ts';
import { transferCandidates } from './resolve-approvers.ts';

export interface DecisionInput {
  iid: number;
  /** The revision and step the clicked card showed; undefined when deciding from a list. */
  rev?: number;
  step?: number;
  decision: string;
  comment: string;
  fields?: string[];
  transferTo?: unknown;
  /** 调整得分: the row (its index) and the new score. */
  adjustRow?: string;
  adjustScore?: string;
  /** A review step's entries, by field id. */
  review?: Record<string, unknown>;
}

/** One decision on one approval, as a card click or one item of a batch: refusals come back as warnings. */
export async function decideOne(ctx: BotContext, store: FormStore, d: DecisionInput): Promise<CardResponse> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // After a lost optimistic write, someone decided in between: read the instance again.
    const inst = attempt === 0 ? await instanceOf(ctx, d.iid) : await rereadInstance(ctx, d.iid);
    if (!inst) return { toast: { type: 'error', content: '该审批已不存在' } };
    const checked = await checkDecider(ctx, inst, d);
    if ('response' in checked) return checked.response;
    const { who, names } = checked;
    if (d.decision === 'comment') return addComment(ctx, store, inst, who, d.comment);
    if (d.decision === 'transfer') return doTransfer(ctx, store, inst, who, d.transferTo, d.comment);
    if (d.decision === 'adjust') return adjustScore(ctx, store, inst, who, d);
    if (!['approve', 'reject', 'return'].includes(d.decision))
      return { toast: { type: 'error', content: '未知的操作' } };
    const reviewed =
      d.decision === 'approve' ? await recordStepReview(ctx, store, inst, who, d.review ?? {}, d.comment) : {};
    if ('stop' in reviewed) return reviewed.stop;
    const outcome = await applyDecision(ctx, store, inst, who, names, { ...d, ...reviewed.verdict });
    if (outcome !== 'lost') return outcome;
  }
  throw new AppError('conflict', '审批繁忙，请稍后再试');
}

/** Refuses a stale card, a closed instance or someone who is not an approver of the current step now. */
async function checkDecider(
  ctx: BotContext,
  inst: InstanceRow,
  d: DecisionInput,
): Promise<{ who: Acting; names: Map<number, string> } | { response: CardResponse }> {
  if (d.rev !== undefined) {
    // A card of an older revision (resubmitted since) is refused, whatever that revision's outcome was.
    const latest = inst.latestRevision ?? (await latestOf(ctx, inst.submissionId))?.revision;
    if (latest !== undefined && latest !== d.rev) {
      const msg = `该卡片是第 ${d.rev} 版，当前为第 ${latest} 版，请处理最新的审批卡片`;
      return { response: await refuse(ctx, inst, 'stale_revision', msg) };
    }
  }
  const names = await namesIn(ctx, stateNames(inst.state, [ctx.user!.id, inst.submitterId]));
  if (inst.status !== 'pending') {
    const last = inst.state.steps.flatMap((st) => st.decisions).sort((a, b) => b.at - a.at)[0];
    const msg =
      inst.status === 'withdrawn'
        ? '提交人已撤回，无需审批'
        : last
          ? `已由 ${describeDecision(names, last)}`
          : '该审批已结束';
    return { response: await refuse(ctx, inst, 'closed', msg) };
  }
  const who = await actingAs(ctx, inst.state);
  if (who) return { who, names };
  const me = ctx.user!.id;
  const step = inst.state.steps[inst.state.current]!;
  const mine = step.decisions.find((x) => (x.onBehalfOf ?? x.userId) === me || x.userId === me);
  const response = mine
    ? await refuse(ctx, inst, 'already_decided', `您已${describeDecision(names, mine).split(' ').slice(1).join(' ')}`)
    : await refuse(ctx, inst, 'not_approver', '您不是当前环节的审批人，不能操作此卡片');
  return { response };
}

/** 同意 / 驳回 / 退回修改: the chain decides; 'lost' when a concurrent decision won the write. */
async function applyDecision(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  names: Map<number, string>,
  d: DecisionInput,
): Promise<CardResponse | 'lost'> {
  const decision = d.decision as Decision;
  const record: DecisionRecord = {
    userId: who.userId,
    onBehalfOf: who.onBehalfOf,
    decision,
    comment: d.comment || undefined,
    at: ctx.now,
    fields: decision === 'return' ? d.fields : undefined,
  };
  const s = await read(ctx, store, inst.submissionId);
  const r = decide(inst.state, record, inst.submitterId, s.form.def.approval?.skip_repeat_approvers ?? true);
  if ('refused' in r) {
    if (r.refused === 'separation_of_duties')
      return refuse(ctx, inst, r.refused, '您是该事项的提交人或填报人，不能审批');
    if (r.refused === 'needs_comment')
      return {
        toast: { type: 'warning', content: decision === 'return' ? '退回修改时请填写意见' : '驳回时请填写理由' },
      };
    return refuse(ctx, inst, r.refused, r.decidedBy ? `已由 ${describeDecision(names, r.decidedBy)}` : '该环节已处理');
  }
  if (!(await save(ctx, inst, r.state))) return 'lost';
  const step = inst.state.steps[inst.state.current]!;
  await audit(ctx, inst, who, `approval.${decision}`, {
    step: step.id,
    comment: record.comment,
    fields: record.fields,
  });
  const outcomeText = `${step.title}：${describeDecision(names, record)}`;
  await afterChange(ctx, store, inst, r.state, {
    decidedStep: inst.state.current,
    actorIds: [who.userId, ...(who.onBehalfOf ? [who.onBehalfOf] : [])],
    outcomeText,
    fill: s,
  });
  const newNames = await namesIn(ctx, stateNames(r.state));
  const stillOpen = r.state.status === 'pending' && r.state.current === inst.state.current;
  const shown = stillOpen ? `您已${decision === 'approve' ? '同意' : '处理'}，等待其他审批人` : outcomeText;
  const actor = actorName(names, record);
  const verb = { approve: '同意', reject: '驳回', return: '退回修改' }[decision as 'approve' | 'reject' | 'return'];
  return cardResponse(renderOutcome(ctx, s, r.state, inst.state.current, newNames, shown), {
    type: 'success',
    content: `已${verb}${actor !== names.get(ctx.user!.id) ? `（${actor}）` : ''}`,
  });
}

/** Who the clicking user acts as on this step: themselves, or an approver who delegated to them today. */
export async function actingAs(ctx: BotContext, state: ChainState): Promise<Acting | undefined> {
  const me = ctx.user!.id;
  const pending = pendingApprovers(state);
  const step = state.steps[state.current];
  if (step?.approvers.includes(me)) return { userId: me };
  const delegators = await delegatorsOf(ctx.tx, me, beijingDate(ctx.now));
  const forWhom = delegators.find((d) => pending.includes(d));
  return forWhom ? { userId: me, onBehalfOf: forWhom } : undefined;
}

/** Optimistic write of the new state; remembered for the rest of the event when it wins. */
export async function save(ctx: BotContext, inst: InstanceRow, state: ChainState): Promise<boolean> {
  if (!(await saveInstance(ctx.tx, inst, state, ctx.now))) return false;
  rememberInstance(ctx, { ...inst, state, status: state.status, version: inst.version + 1, updatedAt: ctx.now });
  return true;
}

async function addComment(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  comment: string,
): Promise<CardResponse> {
  if (!comment) return { toast: { type: 'warning', content: '请填写评论内容' } };
  await audit(ctx, inst, who, 'approval.comment', { comment });
  const s = await read(ctx, store, inst.submissionId);
  const submitter = await openIdIn(ctx, inst.submitterId);
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

/** 转交: only to someone who could hold the step, never the submitter or a filler, never to oneself. */
async function doTransfer(
  ctx: BotContext,
  store: FormStore,
  inst: InstanceRow,
  who: Acting,
  to: unknown,
  comment: string,
): Promise<CardResponse> {
  if (typeof to !== 'string' || !to) return { toast: { type: 'warning', content: '请先选择转交给谁' } };
  const target = await activeUserByOpenId(ctx.tx, to);
  if (!target) return { toast: { type: 'warning', content: '所选人员不在绩效管理名单中' } };
  const targetId = Number(target.id);
  const s = await read(ctx, store, inst.submissionId);
  const step = inst.state.steps[inst.state.current]!;
  const from = who.onBehalfOf ?? who.userId;
  if (targetId === from || targetId === who.userId) return { toast: { type: 'warning', content: '不能转交给自己' } };
  const excluded = excludedFrom(inst.state, inst.submitterId);
  const allowed = await transferCandidates(ctx.tx, await holdersFor(ctx, s), s.form.def.approval!, step, excluded);
  if (!allowed.includes(targetId)) {
    const why = `不能转交给 ${target.name}：只能转交给可以办理“${step.title}”的人员，且不能是提交人或填报人`;
    return refuse(ctx, inst, 'transfer_not_eligible', why);
  }
  const r = transfer(inst.state, from, targetId, inst.submitterId);
  if ('refused' in r) return refuse(ctx, inst, r.refused, '当前无法转交');
  if (!(await save(ctx, inst, r))) return { toast: { type: 'warning', content: '审批状态刚刚发生变化，请重试' } };
  await audit(ctx, inst, who, 'approval.transfer', { to: targetId, comment });
  await afterChange(ctx, store, inst, r, { actorIds: [from], fill: s });
  const names = await namesIn(ctx, stateNames(r, [targetId]));
  return cardResponse(renderOutcome(ctx, s, r, r.current, names, `已转交给 ${target.name}`), {
    type: 'success',
    content: `已转交给 ${target.name}`,
  });
}
