import { describe, expect, it } from 'vitest';
import {
  type ChainState,
  type Decision,
  type StepState,
  activate,
  decide,
  needed,
  pendingApprovers,
  restartAfterReturn,
  transfer,
  withdraw,
} from '../../src/approvals/chain';

const SUBMITTER = 1;
const step = (id: string, mode: StepState['mode'], approvers: number[], k?: number): StepState => ({
  id,
  title: id,
  mode,
  k,
  approvers,
  decisions: [],
  status: 'waiting',
});
const chain = (...steps: StepState[]) => activate({ status: 'pending', current: 0, steps }, 0, SUBMITTER, true);
const act = (s: ChainState, userId: number, decision: Decision = 'approve', comment?: string) =>
  decide(s, { userId, decision, comment, at: 0 }, SUBMITTER, true);
const ok = (r: ReturnType<typeof act>) => {
  if ('refused' in r) throw new Error(`refused: ${r.refused}`);
  return r;
};

describe('approval chain', () => {
  it('cc: a 抄送 step is passed on the way, its people (never the submitter) told, nobody asked', () => {
    const s = chain(step('head', 'any', [10]), step('copy', 'cc', [30, SUBMITTER]), step('bureau', 'any', [20]));
    expect(s.steps[1]!.status).toBe('waiting');
    const r = ok(act(s, 10));
    expect(r.event).toBe('step_approved');
    expect(r.state.current).toBe(2);
    expect(r.state.steps[1]).toMatchObject({ status: 'notified', approvers: [30] });
    expect(act(r.state, 30)).toEqual({ refused: 'not_approver' });
    // A copy at the end: the last decision ends the chain and notifies it.
    const last = ok(act(chain(step('head', 'any', [10]), step('copy', 'cc', [30])), 10));
    expect(last.event).toBe('chain_approved');
    expect(last.state.steps[1]!.status).toBe('notified');
  });

  it('one / any: the first approval completes the step', () => {
    const s = chain(step('head', 'any', [10, 11]), step('bureau', 'one', [20]));
    const r = ok(act(s, 11));
    expect(r.event).toBe('step_approved');
    expect(r.state.current).toBe(1);
    expect(act(r.state, 10)).toEqual({ refused: 'not_approver' });
    const done = ok(act(r.state, 20));
    expect(done.event).toBe('chain_approved');
    expect(done.state.status).toBe('approved');
  });

  it('all (会签) waits for everyone; k_of_n for k', () => {
    let s = chain(step('all', 'all', [10, 11, 12]), step('k', 'k_of_n', [20, 21, 22], 2));
    s = ok(act(s, 10)).state;
    expect(pendingApprovers(s)).toEqual([11, 12]);
    expect(act(s, 10)).toMatchObject({ refused: 'already_decided' });
    s = ok(act(s, 12)).state;
    const r = ok(act(s, 11));
    expect(r.event).toBe('step_approved');
    s = ok(act(r.state, 22)).state;
    expect(s.current).toBe(1);
    expect(ok(act(s, 20)).state.status).toBe('approved');
  });

  it('reject and return need a comment and end the round', () => {
    const s = chain(step('a', 'all', [10, 11]));
    expect(act(s, 10, 'reject')).toEqual({ refused: 'needs_comment' });
    expect(ok(act(s, 10, 'reject', '不符合申报条件')).state.status).toBe('rejected');
    const r = ok(act(s, 11, 'return', '请补充指标'));
    expect(r.state.status).toBe('returned');
    expect(act(r.state, 10)).toMatchObject({ refused: 'closed' });
  });

  it('resumes at the returning step or restarts, per form', () => {
    let s = chain(step('a', 'one', [10]), step('b', 'one', [20]));
    s = ok(act(s, 10)).state;
    s = ok(act(s, 20, 'return', '改')).state;
    expect(restartAfterReturn(s, true, SUBMITTER, true)).toMatchObject({ status: 'pending', current: 1 });
    expect(restartAfterReturn(s, false, SUBMITTER, true)).toMatchObject({ status: 'pending', current: 0 });
  });

  it('skips the submitter and approvers who already approved an earlier step', () => {
    let s = chain(
      step('self', 'one', [SUBMITTER]),
      step('a', 'any', [10]),
      step('again', 'any', [10]),
      step('b', 'any', [10, 20]),
    );
    expect(s.steps[0]!.status).toBe('skipped');
    expect(s.current).toBe(1);
    s = ok(act(s, 10)).state;
    expect(s.steps[2]!.status).toBe('skipped');
    expect(s.current).toBe(3);
    expect(s.steps[3]!.approvers).toEqual([20]);
    // Without skipping, a step whose only approver is the submitter goes to the admins, never to the submitter.
    const noSkip = activate(
      { status: 'pending', current: 0, steps: [step('self', 'one', [SUBMITTER])], fallback: [SUBMITTER, 90] },
      0,
      SUBMITTER,
      false,
    );
    expect(noSkip.steps[0]).toMatchObject({ status: 'active', approvers: [90] });
  });

  it('withdraw and transfer only while pending', () => {
    const s = chain(step('a', 'any', [10, 11]));
    const t = transfer(s, 10, 30, SUBMITTER) as ChainState;
    expect(t.steps[0]!.approvers).toEqual([30, 11]);
    expect(transfer(s, 99, 30, SUBMITTER)).toEqual({ refused: 'not_approver' });
    expect((withdraw(s) as ChainState).status).toBe('withdrawn');
    const approved = ok(act(s, 10)).state;
    expect(withdraw(approved)).toMatchObject({ refused: 'closed' });
  });

  it('separation of duties: the submitter and the fillers decide nothing, by any path', () => {
    const FILLER = 2;
    // Even when listed as approvers (a unit head who also filled the revision), they are dropped from the step.
    const s = activate(
      {
        status: 'pending',
        current: 0,
        steps: [step('head', 'any', [FILLER, 10]), step('b', 'any', [20])],
        excluded: [FILLER],
      },
      0,
      SUBMITTER,
      false,
    );
    expect(s.steps[0]!.approvers).toEqual([10]);
    // A forged decision state that still lists them is refused, directly or as someone's delegate.
    const forged: ChainState = {
      ...s,
      steps: s.steps.map((x, i) => (i === 0 ? { ...x, approvers: [FILLER, 10, SUBMITTER] } : x)),
    };
    for (const d of [
      { userId: FILLER },
      { userId: SUBMITTER },
      { userId: FILLER, onBehalfOf: 10 },
      { userId: 10, onBehalfOf: SUBMITTER },
    ]) {
      expect(decide(forged, { ...d, decision: 'approve', at: 0 }, SUBMITTER, false)).toEqual({
        refused: 'separation_of_duties',
      });
    }
    expect(transfer(s, 10, SUBMITTER, SUBMITTER)).toEqual({ refused: 'separation_of_duties' });
    expect(transfer(s, 10, FILLER, SUBMITTER)).toEqual({ refused: 'separation_of_duties' });
    // A step left with nobody goes to the admins without the excluded ones.
    const lone = activate(
      {
        status: 'pending',
        current: 0,
        steps: [step('head', 'one', [FILLER])],
        excluded: [FILLER],
        fallback: [FILLER, 90],
      },
      0,
      SUBMITTER,
      false,
    );
    expect(lone.steps[0]).toMatchObject({ approvers: [90], note: '审批人为提交人或填报人，已转管理员处理' });
  });

  it('reaches a consistent end state whatever the click order (randomised)', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const modes: StepState['mode'][] = ['one', 'any', 'all', 'k_of_n'];
    for (let run = 0; run < 500; run++) {
      const steps = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => {
        const n = 1 + Math.floor(rand() * 4);
        const mode = modes[Math.floor(rand() * modes.length)]!;
        return step(
          `s${i}`,
          mode,
          Array.from({ length: n }, (_, j) => 100 * (i + 1) + j),
          mode === 'k_of_n' ? 1 + Math.floor(rand() * n) : undefined,
        );
      });
      let s = chain(...steps);
      const everyone = steps.flatMap((x) => x.approvers);
      let guard = 0;
      while (s.status === 'pending' && guard++ < 200) {
        const who = everyone[Math.floor(rand() * everyone.length)]!;
        const roll = rand();
        const r = act(s, who, roll < 0.05 ? 'reject' : roll < 0.1 ? 'return' : 'approve', '意见');
        if ('refused' in r) {
          // A refusal changes nothing and always has a reason that matches the state.
          const current = s.steps[s.current]!;
          if (r.refused === 'not_approver') expect(current.approvers).not.toContain(who);
          if (r.refused === 'already_decided') expect(current.decisions.map((d) => d.userId)).toContain(who);
          continue;
        }
        s = r.state;
      }
      expect(['approved', 'rejected', 'returned']).toContain(s.status);
      for (const st of s.steps) {
        const approvals = st.decisions.filter((d) => d.decision === 'approve').length;
        if (st.status === 'approved') expect(approvals).toBe(needed(st));
        if (st.status === 'active') expect(s.status).toBe('pending');
        expect(new Set(st.decisions.map((d) => d.userId)).size).toBe(st.decisions.length); // nobody decided twice
      }
      if (s.status === 'approved')
        expect(s.steps.every((st) => st.status === 'approved' || st.status === 'skipped')).toBe(true);
      else expect(s.steps.filter((st) => st.status === 'rejected' || st.status === 'returned')).toHaveLength(1);
    }
  });
});
