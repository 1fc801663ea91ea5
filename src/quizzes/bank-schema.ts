import fs from 'node:fs';
import path from 'node:path';
import { readYaml } from '../shared/read-yaml.ts';
import { z } from 'zod';
import { formatPath } from '../shared/format-path.ts';
import { projectPath } from '../shared/project-path.ts';

/*
 * Question banks (forms/quizzes/*.yaml): single choice, multiple choice and true/false, each with its answer, an
 * explanation and its source. Validated like forms, with errors naming file and path.
 */
const letter = z.string().regex(/^[A-H]$/, '应为选项字母 A–H');

/** What every question carries: its stem, the explanation shown after answering, and where it comes from. */
const common = {
  id: z.string().min(1),
  stem: z.string().min(1),
  explanation: z.string().min(1),
  /** The document and what in it supports the answer; an article number only where checked against the text. */
  source: z.string().min(1),
  /** True once an article reference in `source` (第…条) has been checked against the document itself. */
  source_verified: z.boolean().optional(),
};
const options = z.array(z.string().min(1)).min(2).max(8);

const question = z.discriminatedUnion('type', [
  z.object({ ...common, type: z.literal('single'), options, answer: letter }).strict(),
  z.object({ ...common, type: z.literal('multiple'), options, answer: z.array(letter).min(1) }).strict(),
  z.object({ ...common, type: z.literal('true_false'), answer: z.boolean() }).strict(),
]);

/** An article reference (第十二条): it must be checked before a quiz teaches it as the rule. */
const articleReference = /第[一二三四五六七八九十百零〇\d]+条/;

export const bankSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
    title: z.string().min(1).max(40),
    questions: z.array(question).min(1),
  })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.questions.forEach((q, i) => {
      if (seen.has(q.id))
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `题目编号 “${q.id}” 重复` });
      seen.add(q.id);
      const answers = q.type === 'single' ? [q.answer] : q.type === 'multiple' ? q.answer : [];
      for (const a of answers) {
        if ('options' in q && a.charCodeAt(0) - 65 >= q.options.length)
          ctx.addIssue({ code: 'custom', path: ['questions', i, 'answer'], message: `答案 ${a} 超出选项范围` });
      }
      if (q.type === 'multiple' && new Set(q.answer).size >= q.options.length)
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'options'], message: '多选题至少应有一个错误选项' });
      if (articleReference.test(q.source) && !q.source_verified)
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'source'],
          message: '出处引用了条款但未核实：核对原文后加 source_verified: true，否则只写文件及其支持的内容',
        });
    });
  });

export type Bank = z.infer<typeof bankSchema>;
export type Question = Bank['questions'][number];

export const defaultQuizDir = projectPath('forms/quizzes');

export function loadBanks(dir = defaultQuizDir): { banks: Map<string, Bank>; errors: string[] } {
  const banks = new Map<string, Bank>();
  const errors: string[] = [];
  if (!fs.existsSync(dir)) return { banks, errors };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const doc = readYaml(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (doc.errors.length) {
      errors.push(`quizzes/${file}: YAML 语法错误: ${doc.errors[0]!.message.split('\n')[0]}`);
      continue;
    }
    const r = bankSchema.safeParse(doc.value);
    if (!r.success) {
      errors.push(
        ...r.error.issues.map(
          (i) =>
            `quizzes/${file}: ${formatPath(i.path)}: ${i.code === 'invalid_type' && i.input === undefined ? 'required' : i.message}`,
        ),
      );
      continue;
    }
    banks.set(r.data.id, r.data);
  }
  return { banks, errors };
}

/** The options a question shows, in the bank's order (true/false has two fixed ones). */
export const optionsOf = (q: Question): string[] => (q.type === 'true_false' ? ['正确', '错误'] : q.options);

/** The correct answer as option indexes in bank order. */
export function correctIndexes(q: Question): number[] {
  if (q.type === 'true_false') return [q.answer ? 0 : 1];
  return (q.type === 'single' ? [q.answer] : q.answer).map((a) => a.charCodeAt(0) - 65).sort((a, b) => a - b);
}
