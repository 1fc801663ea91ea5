import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { type Expr, type Value, checkedExpression, evaluate, truthy } from '../forms/index.ts';
import { AppError } from '../shared/errors.ts';
import { projectPath } from '../shared/project-path.ts';

/* The bureau's 结果应用 table as data (forms/rules/results.yaml), checked when read. Pure once loaded. */
const fieldId = z.string().regex(/^[a-z][a-z0-9_]*$/);
const fileSchema = z
  .object({
    grade_sources: z
      .array(z.object({ form: z.string().min(1), grade: fieldId, score: fieldId, label: z.string().min(1) }).strict())
      .min(1),
    rectification_form: z.string().min(1),
    /** The 双监控 report, listed light by light in `export monitoring`. */
    monitoring_form: z.string().min(1).default('performance-monitoring'),
    actions: z
      .array(
        z
          .object({
            when: z.string().min(1),
            action: z.string().min(1).max(20),
            cut_percent: z.number().min(0).max(100).optional(),
            note: z.string().max(60).optional(),
          })
          .strict(),
      )
      .min(1),
    choices: z.array(z.string().min(1).max(20)).min(1),
    disclosure: z.object({ target_form: z.string().min(1), evaluation_form: z.string().min(1) }).strict(),
  })
  .strict();

export type ResultsFile = z.infer<typeof fileSchema>;

/** What the action rules read about a project. */
export interface ResultFacts {
  grade: string | null;
  score: number | null;
  source: string | null;
  rectify: boolean;
  rectified: boolean;
  tier: string;
  amount_wan: number;
}

export interface Suggestion {
  action: string;
  cut_percent: number | null;
  note: string | null;
}

export interface ResultsRules extends ResultsFile {
  suggest(facts: ResultFacts): Suggestion;
}

export const defaultResultsFile = projectPath('forms/rules/results.yaml');
const names = new Set(['grade', 'score', 'source', 'rectify', 'rectified', 'tier', 'amount_wan']);

export function loadResultsRules(file = defaultResultsFile): ResultsRules {
  const parsed = fileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new AppError('config_invalid', `结果应用规则文件有误：${path.basename(file)}`, {
      issues: parsed.error.issues.map((i) => ({ where: i.path.join('.'), message: i.message })),
    });
  const actions = parsed.data.actions.map((a, i) => {
    let expr: Expr;
    try {
      expr = checkedExpression(a.when, names);
    } catch (err) {
      throw new AppError(
        'config_invalid',
        `结果应用规则 actions[${i}].when: ${err instanceof Error ? err.message : err}`,
      );
    }
    return { ...a, expr };
  });
  return {
    ...parsed.data,
    suggest(facts) {
      const scope = [facts as unknown as Record<string, Value>];
      const hit = actions.find((a) => truthy(evaluate(a.expr, scope)));
      if (!hit) return { action: '待评价', cut_percent: null, note: '没有适用的规则' };
      return { action: hit.action, cut_percent: hit.cut_percent ?? null, note: hit.note ?? null };
    },
  };
}
