import type { BotContext } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import { attachmentText, attachmentsIn } from '../files/index.ts';
import { beijingDate, chineseDateTime } from '../shared/clock.ts';
import { workingDaysUntil } from '../shared/working-days.ts';
import { adjustableRows } from './adjustable-rows.ts';
import {
  computeAll,
  summaryResults,
  summarySections,
  summaryTables,
  type FillState,
  type FormData,
  type Change,
  allFields,
  displayValue,
  type LeafField,
  optionsOf,
  validateAll,
} from '../forms/index.ts';
import { reviewFieldsOf } from './review-step.ts';
import { type ChainState, type DecisionRecord, type StepState, pendingApprovers } from './chain.ts';
import type { InstanceRow } from './approval-repository.ts';

const verbs: Record<DecisionRecord['decision'], string> = { approve: '同意', reject: '驳回', return: '退回修改' };

/** "张伟 代 李华" when acting for someone, else the name. */
export const actorName = (names: Map<number, string>, d: Pick<DecisionRecord, 'userId' | 'onBehalfOf'>) =>
  d.onBehalfOf && d.onBehalfOf !== d.userId
    ? `${names.get(d.userId) ?? '?'} 代 ${names.get(d.onBehalfOf) ?? '?'}`
    : (names.get(d.userId) ?? '?');

export function describeDecision(names: Map<number, string>, d: DecisionRecord): string {
  return `${actorName(names, d)} ${verbs[d.decision]}（${chineseDateTime(d.at)}）${d.comment ? `：${d.comment}` : ''}`;
}

/** The record so far, one line per decision or skip, step by step. */
export function historyLines(state: ChainState, names: Map<number, string>): string[] {
  return state.steps.flatMap((s) => [
    ...(s.status === 'skipped' ? [`${s.title}：已跳过（${s.note ?? ''}）`] : []),
    ...s.decisions.map((d) => `${s.title}：${describeDecision(names, d)}`),
  ]);
}

/** Where each step stands, in words a reader of the card takes in at a glance (and any font shows). */
const stepMarks: Record<StepState['status'], string> = {
  waiting: '【待审】',
  active: '【审批中】',
  approved: '【已通过】',
  rejected: '【已驳回】',
  returned: '【已退回】',
  skipped: '【已跳过】',
  notified: '【已抄送】',
};

/** When the current step became active: the last decision of an earlier step, else when the chain started. */
function currentStepSince(inst: Pick<InstanceRow, 'state' | 'createdAt'>): number {
  const earlier = inst.state.steps.slice(0, inst.state.current).flatMap((s) => s.decisions.map((d) => d.at));
  return Math.max(inst.createdAt, ...earlier);
}

/**
 * The chain as everyone reads it, one line a step: who decided what and when, who it waits on now and for how many
 * working days, and who comes next.
 */
export function chainLines(inst: Pick<InstanceRow, 'state' | 'createdAt'>, names: Map<number, string>, now: number) {
  const { state } = inst;
  const who = (ids: number[]) => ids.map((u) => names.get(u) ?? '?').join('、') || '待定';
  return state.steps.map((step, i) => {
    const mark = stepMarks[step.status];
    if (step.status === 'skipped') return `${mark}${step.title}`;
    if (step.status === 'notified') return `${mark}${step.title}：${who(step.approvers)}`;
    if (step.mode === 'cc') return `【待抄送】${step.title}：${who(step.approvers)}`;
    const decided = step.decisions.map((d) => describeDecision(names, d)).join('；');
    if (state.status === 'pending' && i === state.current) {
      const waited = workingDaysUntil(beijingDate(currentStepSince(inst)), beijingDate(now));
      const waiting = `待 ${who(pendingApprovers(state))} 审批（已等待 ${waited} 个工作日）`;
      return `${mark}${step.title}：${decided ? `${decided}；` : ''}${waiting}`;
    }
    if (step.status === 'waiting' || step.status === 'active')
      return `${stepMarks.waiting}${step.title}：${who(step.approvers)}`;
    return `${mark}${step.title}：${decided}`;
  });
}

export function stateNames(state: ChainState, extra: number[] = []): number[] {
  return [
    ...state.steps.flatMap((s) => [
      ...s.approvers,
      ...s.decisions.flatMap((d) => [d.userId, d.onBehalfOf ?? d.userId]),
    ]),
    ...extra,
  ];
}

export interface RequestView {
  s: FillState;
  inst: InstanceRow;
  names: Map<number, string>;
  changes: Change[];
  /** What the changes are measured from: 与退回版本相比的修改 / 与已批复的第 N 版相比的调整. */
  changesTitle?: string;
  people: { value: string }[];
  actingFor?: string;
}

/**
 * Everything an approver decides on, on the card they decide from (and on a 抄送 copy): the headline figures, the
 * filled fields by section, each table as a grid.
 */
export function submissionContent(s: FillState, data = computeAll(s.form, s.revision.data, s.subject.ctx)) {
  return {
    results: summaryResults(s.form, data),
    sections: summarySections(s.form, s.pages, data, s.subject.ctx, { tablesApart: true, filledOnly: true }),
    tables: summaryTables(s.form, data, s.subject.ctx),
    files: attachedFiles(s, data).map((a) => ({
      text: `打开 ${attachmentText(a)}`,
      value: { action: 'file.open', sid: s.submission.id, id: a.id },
    })),
  };
}

/** Every file attached to the revision, across its `file` fields. */
export function attachedFiles(s: FillState, data: FormData = s.revision.data) {
  return allFields(s.form).flatMap((f) => (f.type === 'file' ? attachmentsIn(data[f.id]) : []));
}

/** The approver's card: the whole submission, what changed, the chain so far, and the decision form. */
export function renderRequest(ctx: BotContext, v: RequestView): Card {
  const { s, inst } = v;
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  const step = inst.state.steps[inst.state.current]!;
  const value = (decision: string) => ({
    action: 'appr.decide',
    iid: inst.id,
    rev: inst.revision,
    step: inst.state.current,
    decision,
  });
  return ctx.cards.render('approval-request', {
    formTitle: s.form.def.title,
    subject: s.subject.label,
    summaryText: `待审批：${s.form.def.title}`,
    submitter: v.names.get(inst.submitterId) ?? '',
    revision: inst.revision,
    submittedAt: s.revision.submittedAt,
    stepTitle: step.title,
    stepNote: step.note,
    actingFor: v.actingFor,
    ...submissionContent(s, data),
    warnings: validateAll(s.form, s.revision.data, s.subject.ctx).warnings,
    adjust: adjustView(s, value('adjust')),
    review: reviewView(s, inst),
    changes: v.changes.slice(0, 10),
    changesTitle: v.changesTitle ?? '修改',
    chain: chainLines(inst, v.names, ctx.now),
    history: s.subject.ctx.project ? { action: 'project.show', code: String(s.subject.ctx.project.code) } : undefined,
    // What a return may point at: what the filler can change.
    fieldOptions: allFields(s.form)
      .filter((f) => f.type === 'group' || !(f.compute || f.locked || f.reviewer_only))
      .map((f) => ({ value: f.id, label: f.label })),
    people: v.people,
    approve: value('approve'),
    return: value('return'),
    reject: value('reject'),
    transfer: value('transfer'),
    comment: value('comment'),
  });
}

/** What an approver's card becomes once their step is decided (or the submission withdrawn). */
export function renderOutcome(
  ctx: BotContext,
  s: FillState,
  state: ChainState,
  stepIndex: number,
  names: Map<number, string>,
  outcome: string,
): Card {
  const step = state.steps[stepIndex] ?? state.steps[state.steps.length - 1]!;
  const color =
    state.status === 'approved' || step.status === 'approved'
      ? 'green'
      : state.status === 'rejected'
        ? 'red'
        : state.status === 'pending'
          ? 'indigo'
          : 'orange';
  return ctx.cards.render('approval-outcome', {
    formTitle: s.form.def.title,
    subject: s.subject.label,
    stepTitle: step.title,
    outcome,
    color,
    // The outcome line is the newest decision: the record below does not repeat it.
    history: historyLines(state, names).filter((line) => line !== outcome),
  });
}

/** A review step's inputs: each reviewed field with its label, rubric (help) and what was entered so far. */
function reviewView(s: FillState, inst: InstanceRow) {
  const fields = reviewFieldsOf(s, inst)
    .map((id) => s.form.fields.get(id)?.field)
    .filter((f): f is LeafField => !!f && f.type !== 'group');
  return fields.map((f) => {
    const options = optionsOf(f);
    return {
      name: `review_${f.id}`,
      label: f.label,
      help: f.help,
      value: displayValue(f, s.revision.data[f.id] ?? null),
      select: options.length > 0,
      options,
      multiline: f.type === 'textarea',
    };
  });
}

/** 调整得分 on the card: the rows the approver may score down, or nothing. */
function adjustView(s: FillState, value: Record<string, unknown>) {
  const spec = s.form.def.approval?.adjust;
  const rows = spec ? adjustableRows(s) : [];
  if (!spec || !rows.length) return undefined;
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  const list = (data[spec.group] as Record<string, unknown>[]) ?? [];
  return {
    rows: rows.map((r) => ({
      value: String(r.index),
      label: `第 ${r.index + 1} 行 ${String(list[r.index]?.name ?? '')}：得分 ${String(list[r.index]?.score ?? '')}（最高 ${r.max}）`,
    })),
    value,
  };
}
