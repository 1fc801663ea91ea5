import type { ResultLine } from './results-listing.ts';

const actionText = (a: { action: string; cut_percent: number | null }) =>
  a.cut_percent ? `${a.action} ${a.cut_percent}%` : a.action;

/** 结果应用 as the budget division reads it: per department, each project's result, suggestion and decision. */
export function resultText(lines: ResultLine[]): string[] {
  const out: string[] = [];
  let dept = '';
  for (const l of lines) {
    if (l.department !== dept) {
      dept = l.department;
      out.push(`${dept}（${l.department_code}）`);
    }
    const result = l.grade ? `${l.grade}（${l.source} ${l.score ?? '—'} 分）` : '暂无结果';
    const decided = l.confirmed
      ? `${l.state}：${actionText(l.confirmed)}${l.confirmed.reason ? `（${l.confirmed.reason}）` : ''}`
      : l.state;
    out.push(`  ${l.code}\t${l.name}\t${result}\t建议 ${actionText(l.suggested)}\t${decided}`);
  }
  return out;
}

export { actionText };
