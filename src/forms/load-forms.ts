import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { AppError } from '../shared/errors.ts';
import { type CompiledForm, compileForm } from './compile-form.ts';
import { projectPath } from '../shared/project-path.ts';
import { readYaml } from '../shared/read-yaml.ts';

export const defaultFormsDir = projectPath('forms');

export interface LoadedForms {
  forms: Map<string, CompiledForm>;
  /** One line per problem: `file.yaml: path: message`. A broken file is left out; the others load. */
  errors: string[];
}

/** Reads every `*.yaml` in the folder (not subfolders: quizzes live in their own). */
export function loadForms(dir = defaultFormsDir): LoadedForms {
  const forms = new Map<string, CompiledForm>();
  const errors: string[] = [];
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  for (const file of files) {
    const result = loadFormText(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!result.form) {
      errors.push(...result.errors.map((e) => `${file}: ${e}`));
      continue;
    }
    const existing = forms.get(result.form.def.id);
    if (existing) {
      errors.push(`${file}: id “${result.form.def.id}” 与另一个表单重复`);
      continue;
    }
    forms.set(result.form.def.id, result.form);
  }
  return { forms, errors };
}

export function loadFormText(text: string): { form?: CompiledForm; errors: string[] } {
  const doc = readYaml(text, { prettyErrors: true });
  if (doc.errors.length) {
    return {
      errors: doc.errors.map(
        (e) => `YAML 语法错误${e.linePos ? `（第 ${e.linePos[0].line} 行）` : ''}: ${e.message.split('\n')[0]}`,
      ),
    };
  }
  return compileForm(doc.value);
}

/** A values file: a YAML or JSON object. Anything else is the caller's mistake, told as such. */
export function readValuesFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('bad_request', `无法读取文件 ${file}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    throw new AppError('bad_request', `${file} 不是有效的 YAML / JSON：${err instanceof Error ? err.message : ''}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new AppError('bad_request', `${file} 应为“字段: 值”的对象`);
  return doc as Record<string, unknown>;
}
