/*
 * The approval state machine. Pure: it takes the current state and one decision and returns the next state plus
 * what happened, or a refusal. Persistence, cards and notifications live elsewhere.
 */
/** cc: 抄送 — its people are told when the chain reaches it and decide nothing; the chain goes straight on. */
export type Mode = 'one' | 'any' | 'all' | 'k_of_n' | 'cc';
export type Decision = 'approve' | 'reject' | 'return';
export type StepStatus = 'waiting' | 'active' | 'approved' | 'rejected' | 'returned' | 'skipped' | 'notified';
export type ChainStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'withdrawn';

export interface DecisionRecord {
  userId: number;
  /** The approver this user acted for (delegation), when not themselves. */
  onBehalfOf?: number;
  decision: Decision;
  comment?: string;
  /** For a return: the fields the comment is about, shown beside them when the submitter revises. */
  fields?: string[];
  at: number;
}

export interface StepState {
  id: string;
  title: string;
  mode: Mode;
  k?: number;
  approvers: number[];
  decisions: DecisionRecord[];
  status: StepStatus;
  /** Why a step was skipped or routed to admins, for the record. */
  note?: string;
}

export interface ChainState {
  status: ChainStatus;
  current: number;
  steps: StepState[];
  /**
   * Separation of duties: the submitter and everyone who filled the revision. They never decide any step of it,
   * directly, as a delegate, after a transfer, in a batch or as the admin fallback.
   */
  excluded?: number[];
  /** Who takes a step that separation of duties leaves without an approver (the admins), when it is not skipped. */
  fallback?: number[];
}

export type Refusal = {
  refused: 'closed' | 'not_approver' | 'already_decided' | 'needs_comment' | 'separation_of_duties';
  decidedBy?: DecisionRecord;
};

/** Everyone who may not decide: the recorded exclusions plus the submitter. */
export const excludedFrom = (state: Pick<ChainState, 'excluded'>, submitterId: number): Set<number> =>
  new Set([...(state.excluded ?? []), submitterId]);
export type Outcome = {
  state: ChainState;
  event: 'step_approved' | 'chain_approved' | 'rejected' | 'returned' | 'recorded';
};

/** Approvals a step needs. */
export function needed(step: Pick<StepState, 'mode' | 'k' | 'approvers'>): number {
  switch (step.mode) {
    case 'one':
    case 'any':
      return 1;
    case 'all':
      return step.approvers.length;
    case 'k_of_n':
      return Math.min(step.k ?? 1, step.approvers.length);
    case 'cc':
      return 0;
  }
}

/**
 * Moves to the first step at or after `from` that still needs someone. The submitter and the revision's fillers are
 * always dropped from a step's approvers. With `skipRepeat`, approvers who already approved an earlier step are dropped
 * too, and a step left with nobody is skipped; without it, such a step goes to the fallback (the admins).
 */
export function activate(state: ChainState, from: number, submitterId: number, skipRepeat: boolean): ChainState {
  const steps = state.steps.map((s) => ({ ...s }));
  const excluded = excludedFrom(state, submitterId);
  const approvedBefore = (i: number) =>
    new Set(
      steps
        .slice(0, i)
        .flatMap((s) => s.decisions.filter((d) => d.decision === 'approve').map((d) => d.onBehalfOf ?? d.userId)),
    );
  for (let i = from; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.status === 'skipped') continue;
    const seen = skipRepeat ? approvedBefore(i) : new Set<number>();
    if (step.mode === 'cc') {
      // Told, not asked: the submitter and fillers are not copied on their own work.
      steps[i] = { ...step, approvers: step.approvers.filter((a) => !excluded.has(a)), status: 'notified' };
      continue;
    }
    const kept = step.approvers.filter((a) => !excluded.has(a) && !seen.has(a));
    if (!kept.length && step.approvers.length) {
      if (skipRepeat) {
        steps[i] = { ...step, status: 'skipped', note: '审批人为提交人或已在前序环节同意，自动跳过' };
        continue;
      }
      const fallback = (state.fallback ?? []).filter((a) => !excluded.has(a));
      steps[i] = { ...step, approvers: fallback, note: '审批人为提交人或填报人，已转管理员处理' };
    } else {
      steps[i] = { ...step, approvers: kept };
    }
    steps[i] = { ...steps[i]!, status: 'active', decisions: [] };
    return { ...state, status: 'pending', current: i, steps };
  }
  return { ...state, status: 'approved', current: steps.length, steps };
}

export function decide(
  state: ChainState,
  d: DecisionRecord,
  submitterId: number,
  skipRepeat: boolean,
): Outcome | Refusal {
  if (state.status !== 'pending') return { refused: 'closed', decidedBy: lastDecision(state) };
  const step = state.steps[state.current]!;
  const actor = d.onBehalfOf ?? d.userId;
  const excluded = excludedFrom(state, submitterId);
  if (excluded.has(d.userId) || excluded.has(actor)) return { refused: 'separation_of_duties' };
  if (!step.approvers.includes(actor)) return { refused: 'not_approver' };
  const prior = step.decisions.find((x) => (x.onBehalfOf ?? x.userId) === actor);
  if (prior) return { refused: 'already_decided', decidedBy: prior };
  if (d.decision !== 'approve' && !d.comment?.trim()) return { refused: 'needs_comment' };

  const decided: StepState = { ...step, decisions: [...step.decisions, d] };
  const steps = state.steps.map((s, i) => (i === state.current ? decided : s));
  if (d.decision === 'reject')
    return {
      state: { ...state, status: 'rejected', steps: mark(steps, state.current, 'rejected') },
      event: 'rejected',
    };
  if (d.decision === 'return')
    return {
      state: { ...state, status: 'returned', steps: mark(steps, state.current, 'returned') },
      event: 'returned',
    };

  const approvals = decided.decisions.filter((x) => x.decision === 'approve').length;
  if (approvals < needed(decided)) return { state: { ...state, steps }, event: 'recorded' };
  const next = activate(
    { ...state, steps: mark(steps, state.current, 'approved') },
    state.current + 1,
    submitterId,
    skipRepeat,
  );
  return { state: next, event: next.status === 'approved' ? 'chain_approved' : 'step_approved' };
}

/** After a return: the same chain again, from the step that returned it or from the start. */
export function restartAfterReturn(
  state: ChainState,
  resume: boolean,
  submitterId: number,
  skipRepeat: boolean,
): ChainState {
  const from = resume ? state.current : 0;
  const steps = state.steps.map((s, i) =>
    i >= from ? { ...s, decisions: [], status: s.status === 'skipped' ? s.status : ('waiting' as StepStatus) } : s,
  );
  return activate({ status: 'pending', current: from, steps }, from, submitterId, skipRepeat);
}

export function withdraw(state: ChainState): ChainState | Refusal {
  if (state.status !== 'pending') return { refused: 'closed', decidedBy: lastDecision(state) };
  return { ...state, status: 'withdrawn' };
}

/** Hands one approver's place in the current step to someone else (转交); never to the submitter or a filler. */
export function transfer(state: ChainState, from: number, to: number, submitterId: number): ChainState | Refusal {
  if (state.status !== 'pending') return { refused: 'closed' };
  if (excludedFrom(state, submitterId).has(to)) return { refused: 'separation_of_duties' };
  const step = state.steps[state.current]!;
  if (!step.approvers.includes(from)) return { refused: 'not_approver' };
  if (step.decisions.some((x) => (x.onBehalfOf ?? x.userId) === from)) return { refused: 'already_decided' };
  const approvers = step.approvers.includes(to)
    ? step.approvers.filter((a) => a !== from)
    : step.approvers.map((a) => (a === from ? to : a));
  return { ...state, steps: state.steps.map((s, i) => (i === state.current ? { ...s, approvers } : s)) };
}

/** Who still has to act on the current step. */
export function pendingApprovers(state: ChainState): number[] {
  if (state.status !== 'pending') return [];
  const step = state.steps[state.current]!;
  const done = new Set(step.decisions.map((x) => x.onBehalfOf ?? x.userId));
  return step.approvers.filter((a) => !done.has(a));
}

function mark(steps: StepState[], i: number, status: StepStatus): StepState[] {
  return steps.map((s, j) => (j === i ? { ...s, status } : s));
}

function lastDecision(state: ChainState): DecisionRecord | undefined {
  return state.steps.flatMap((s) => s.decisions).sort((a, b) => b.at - a.at)[0];
}
