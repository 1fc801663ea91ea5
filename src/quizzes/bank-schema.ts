import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { formatPath } from '../shared/format-path';

/*
 * Question banks (forms/quizzes/*.yaml): single choice, multiple choice and true/false, each with its answer, an
 * explanation and the clause it tests. Validated like forms, with errors naming file and path.
 */
const letter = z.string().regex(/^[A-H]$/, '应为选项字母 A–H');

const question = z.discriminatedUnion('type', [
  z
    .object({
      id: z.string().min(1),
      type: z.literal('single'),
      stem: z.string().min(1),
      options: z.array(z.string().min(1)).min(2).max(8),
      answer: letter,
      explanation: z.string().min(1),
      source: z.string().min(1),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1),
      type: z.literal('multiple'),
      stem: z.string().min(1),
      options: z.array(z.string().min(1)).min(2).max(8),
      answer: z.array(letter).min(1),
      explanation: z.string().min(1),
      source: z.string().min(1),
    })
    .strict(),
  z
    .object({
      id: z.string().min(1),
      type: z.literal('true_false'),
      stem: z.string().min(1),
      answer: z.boolean(),
      explanation: z.string().min(1),
      source: z.string().min(1),
    })
    .strict(),
]);

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
    });
  });

export type Bank = z.infer<typeof bankSchema>;
export type Question = Bank['questions'][number];

export const defaultQuizDir = path.resolve(import.meta.dirname, '../../forms/quizzes');

export function loadBanks(dir = defaultQuizDir): { banks: Map<string, Bank>; errors: string[] } {
  const banks = new Map<string, Bank>();
  const errors: string[] = [];
  if (!fs.existsSync(dir)) return { banks, errors };
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const doc = YAML.parseDocument(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (doc.errors.length) {
      errors.push(`quizzes/${file}: YAML 语法错误: ${doc.errors[0]!.message.split('\n')[0]}`);
      continue;
    }
    const r = bankSchema.safeParse(doc.toJS());
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
