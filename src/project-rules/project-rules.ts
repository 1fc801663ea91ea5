import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { type Expr, checkedExpression, evaluate, truthy } from '../forms/index.ts';
import { AppError } from '../shared/errors.ts';
import { projectPath } from '../shared/project-path.ts';

/*
 * The bureau's project rules as data (forms/rules/project-rules.yaml): the 事前绩效评估 triggers and the tier
 * rules, expressions over a project's amount and flags. Pure once loaded.
 */
const rule = z.object({ label: z.string().min(1), when: z.string().min(1) }).strict();
const fileSchema = z
  .object({
    ex_ante_form: z.string().min(1).default('ex-ante-evaluation'),
    ex_ante: z.array(rule.extend({ id: z.string().min(1) })).default([]),
    tiers: z.array(rule.extend({ tier: z.enum(['A', 'B', 'C']) })).min(1),
  })
  .strict();

export const defaultRulesFile = projectPath('forms/rules/project-rules.yaml');

/** What the rules read about a project. */
export interface ProjectFacts {
  amount: number;
  isNew: boolean;
  isGovInvestment: boolean;
  isPolicy: boolean;
  year: number;
}

export interface Classification {
  tier: 'A' | 'B' | 'C';
  /** Why: the tier rule's label. */
  tierRule: string;
  /** The ex-ante trigger that applies, or null when none does. */
  exAnteRule: string | null;
}

export interface ProjectRules {
  /** The form that carries a 事前绩效评估. */
  exAnteForm: string;
  classify(p: ProjectFacts): Classification;
}

const names = new Set(['amount', 'amount_wan', 'is_new', 'is_gov_investment', 'is_policy', 'year']);

/** Reads and checks the rules file; every mistake is named by its place in the file. */
export function loadProjectRules(file = defaultRulesFile): ProjectRules {
  const parsed = fileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new AppError('config_invalid', `项目规则文件有误：${path.basename(file)}`, {
      issues: parsed.error.issues.map((i) => ({ where: i.path.join('.'), message: i.message })),
    });
  const compile = (src: string, where: string): Expr => {
    try {
      return checkedExpression(src, names);
    } catch (err) {
      throw new AppError('config_invalid', `项目规则 ${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const exAnte = parsed.data.ex_ante.map((r, i) => ({ ...r, expr: compile(r.when, `ex_ante[${i}].when`) }));
  const tiers = parsed.data.tiers.map((r, i) => ({ ...r, expr: compile(r.when, `tiers[${i}].when`) }));
  return {
    exAnteForm: parsed.data.ex_ante_form,
    classify(p) {
      const scope = [
        {
          amount: p.amount,
          amount_wan: p.amount / 10000,
          is_new: p.isNew,
          is_gov_investment: p.isGovInvestment,
          is_policy: p.isPolicy,
          year: p.year,
        },
      ];
      const holds = (e: Expr) => truthy(evaluate(e, scope));
      const tier = tiers.find((t) => holds(t.expr)) ?? tiers[tiers.length - 1]!;
      return { tier: tier.tier, tierRule: tier.label, exAnteRule: exAnte.find((r) => holds(r.expr))?.label ?? null };
    },
  };
}
