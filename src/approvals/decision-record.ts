import type { Executor } from '../db/database.ts';
import { peopleWithDepartments } from '../org/index.ts';
import { historyLines, stateNames } from './approval-view.ts';
import type { ChainState } from './chain.ts';

/** Each submitted revision's approval record, a line per decision or skip (`提交人` first), keyed `sid:revision`. */
export async function decisionRecord(db: Executor, submissionIds: number[]): Promise<Map<string, string[]>> {
  if (!submissionIds.length) return new Map();
  const rows: { submission_id: number; revision: number; state: string; submitter_id: number }[] = await db(
    'approval_instances',
  )
    .whereIn('submission_id', submissionIds)
    .select('submission_id', 'revision', 'state', 'submitter_id');
  const states = rows.map((r) => ({ ...r, chain: JSON.parse(r.state) as ChainState }));
  const ids = [...new Set(states.flatMap((s) => stateNames(s.chain, [Number(s.submitter_id)])))];
  const people = await peopleWithDepartments(db, ids);
  const names = new Map([...people].map(([id, p]) => [id, p.name]));
  return new Map(
    states.map((s) => [
      `${s.submission_id}:${s.revision}`,
      [`提交人：${names.get(Number(s.submitter_id)) ?? ''}`, ...historyLines(s.chain, names)],
    ]),
  );
}
