import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A feature owns its tables: only its folder names them in queries. Other folders ask through its public module.
 * (Imports of another feature's internals are refused by `npm run lint`.)
 */
const owners: Record<string, string> = {
  departments: 'org',
  users: 'org',
  role_assignments: 'org',
  projects: 'projects',
  audit_log: 'audit',
  lark_dedupe: 'lark',
  outbox: 'lark',
  failed_events: 'lark',
  form_versions: 'forms',
  submissions: 'forms',
  submission_revisions: 'forms',
  approval_instances: 'approvals',
  approval_tasks: 'approvals',
  delegations: 'approvals',
  approval_cards: 'approvals',
  approval_urges: 'approvals',
  campaigns: 'campaigns',
  campaign_tasks: 'campaigns',
  scheduler_runs: 'shared',
  quizzes: 'quizzes',
  quiz_recipients: 'quizzes',
  quiz_attempts: 'quizzes',
  quiz_draws: 'quizzes',
  monitoring_follow_ups: 'monitoring',
  form_assignments: 'forms',
  sampling_draws: 'sampling',
  sampling_items: 'sampling',
  budget_results: 'results',
  report_ratings: 'results',
  uploads: 'files',
};

const root = path.resolve(import.meta.dirname, '../..');
const names = Object.keys(owners).join('|');
// A knex call on a table (`db('x')`, `tx('x as y')`, `.join('x …')`) or a table in raw SQL.
const call = new RegExp(
  `(?:\\b(?:db|tx|trx|sp|knex|executor)|ctx\\.tx|this\\.tx|\\.(?:join|innerJoin|leftJoin|from|into|table))\\(\\s*'(${names})(?:\\s+as\\s+\\w+)?'`,
  'g',
);
const raw = new RegExp(`\\b(?:from|join|into|update)\\s+(${names})\\b`, 'gi');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every table named outside its owner's folder: file → line → table. */
function crossings(): { file: string; line: number; table: string }[] {
  const out: { file: string; line: number; table: string }[] = [];
  for (const abs of sourceFiles(path.join(root, 'src'))) {
    const file = path.relative(root, abs);
    const folder = file.split(path.sep)[1]!;
    fs.readFileSync(abs, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*(\/\/|\*)/.test(text)) return;
        const found = [...text.matchAll(call), ...(/['`]/.test(text) ? [...text.matchAll(raw)] : [])];
        for (const m of found)
          if (owners[m[1]!.toLowerCase()] !== folder) out.push({ file, line: i + 1, table: m[1]! });
      });
  }
  return out;
}

describe('feature boundaries', () => {
  it('names a table only in the folder that owns it', () => {
    const offending = crossings().map(
      (c) => `${c.file}:${c.line} names ${c.table}, which ${owners[c.table]}/ owns: use its public module`,
    );
    expect(offending).toEqual([]);
  });

  it('can tell: a query on another feature’s table is caught', () => {
    expect(call.test("await ctx.tx('approval_instances as i').where({})")).toBe(true);
    call.lastIndex = 0;
  });
});
