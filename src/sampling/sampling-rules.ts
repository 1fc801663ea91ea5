import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { checkedExpression } from '../forms/index.ts';
import { roleSchema } from '../org/index.ts';
import { AppError } from '../shared/errors.ts';
import type { DrawRules } from './draw-sample.ts';
import { projectPath } from '../shared/project-path.ts';

/* The bureau's 抽评 rules as data (forms/rules/sampling.yaml), checked when read; every mistake is named by place. */
const rule = z.object({ label: z.string().min(1).max(60), when: z.string().min(1) }).strict();
const fieldId = z.string().regex(/^[a-z][a-z0-9_]*$/);
const fileSchema = z
  .object({
    ratio: z.number().gt(0).max(1),
    strata: z.array(z.enum(['department', 'tier'])).default(['department', 'tier']),
    include: z.array(rule).default([]),
    exclude: z.array(rule).default([]),
    review: z
      .object({
        form: z.string().min(1),
        score: fieldId,
        grade: fieldId,
        self_score: fieldId,
        self_grade: fieldId,
        rectify: fieldId,
      })
      .strict(),
    reviewers: z.array(roleSchema).min(1),
    rectification: z
      .object({
        form: z.string().min(1),
        working_days: z.number().int().min(1).max(60),
        title: z.string().min(1).max(40),
      })
      .strict(),
  })
  .strict();

export type SamplingFile = z.infer<typeof fileSchema>;
export type SamplingRules = SamplingFile & { draw: DrawRules };

export const defaultSamplingFile = projectPath('forms/rules/sampling.yaml');

const names = new Set(['project']);

export function loadSamplingRules(file = defaultSamplingFile): SamplingRules {
  const parsed = fileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new AppError('config_invalid', `抽评规则文件有误：${path.basename(file)}`, {
      issues: parsed.error.issues.map((i) => ({ where: i.path.join('.'), message: i.message })),
    });
  const compile = (r: { label: string; when: string }, where: string) => {
    try {
      return { label: r.label, expr: checkedExpression(r.when, names) };
    } catch (err) {
      throw new AppError('config_invalid', `抽评规则 ${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const f = parsed.data;
  return {
    ...f,
    draw: {
      ratio: f.ratio,
      strata: f.strata,
      include: f.include.map((r, i) => compile(r, `include[${i}].when`)),
      exclude: f.exclude.map((r, i) => compile(r, `exclude[${i}].when`)),
    },
  };
}
