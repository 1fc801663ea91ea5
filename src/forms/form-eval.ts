import type { CompiledForm } from './compile-form.ts';
import type { Value } from './expression/evaluate.ts';
import {
  type FormContext,
  type FormData,
  type Row,
  allFields,
  computeAll,
  isVisible,
  validateAll,
} from './form-engine.ts';
import { type GroupField, type LeafField, isGroup } from './form-schema.ts';
import { parseInput } from './parse-input.ts';
import { problemLines } from './form-view.ts';

/*
 * `forms eval`: a form checked without Lark. Values are written as a filler types them on the card ("85%", "1,600",
 * "2026-07-31"), are parsed by the same rules, and the computations and checks are the bot's own. Locked values (the
 * approved target's rows, the as-of date) are inputs here: the file stands in for what the draft would copy.
 */
export interface EvalProblem {
  field: string | null;
  message: string;
}

export interface EvalResult {
  computed: Record<string, Value>;
  problems: EvalProblem[];
  warnings: string[];
}

/** The context keys a file may give besides fields: the project and department expressions read. */
const contextKeys = ['project', 'department'] as const;

export function evalForm(form: CompiledForm, file: Record<string, unknown>): EvalResult {
  const problems: EvalProblem[] = [];
  const data: FormData = {};
  const fields = new Map(allFields(form).map((f) => [f.id, f]));
  for (const [key, raw] of Object.entries(file)) {
    if ((contextKeys as readonly string[]).includes(key)) continue;
    const f = fields.get(key);
    if (!f) problems.push({ field: key, message: `表单“${form.def.title}”没有字段 ${key}` });
    else if (isGroup(f)) data[key] = rowsOf(f, raw, problems);
    else if (!f.compute) data[key] = parsed(f, raw, key, problems);
  }
  const ctx = contextOf(file);
  const computed = computeAll(form, data, ctx);
  const checked = validateAll(form, data, ctx);
  const messages = problemLines(form, { ...checked, checks: [] });
  Object.keys(checked.fields).forEach((field, i) => problems.push({ field, message: messages[i]! }));
  for (const message of checked.checks) problems.push({ field: null, message });
  return { computed: computedValues(form, computed, ctx), problems, warnings: checked.warnings };
}

function parsed(f: LeafField, raw: unknown, where: string, problems: EvalProblem[]): Value {
  const r = parseInput(f, typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw);
  if ('value' in r) return r.value;
  problems.push({ field: where, message: `「${f.label}」${r.error}` });
  return null;
}

function rowsOf(g: GroupField, raw: unknown, problems: EvalProblem[]): Row[] {
  if (!Array.isArray(raw)) {
    problems.push({ field: g.id, message: `「${g.label}」应为行的列表` });
    return [];
  }
  return raw.map((r: unknown, i) => {
    const row: Row = {};
    const given = r && typeof r === 'object' ? (r as Record<string, unknown>) : {};
    for (const [key, v] of Object.entries(given)) {
      const f = g.fields.find((x) => x.id === key);
      const where = `${g.id}[${i}].${key}`;
      if (!f) problems.push({ field: where, message: `「${g.label}」没有字段 ${key}` });
      else if (!f.compute) row[key] = parsed(f, v, where, problems);
    }
    return row;
  });
}

function contextOf(file: Record<string, unknown>): FormContext {
  const obj = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Value>) : {});
  const project = obj(file.project);
  const amount = typeof project.amount === 'number' ? project.amount : null;
  return {
    project: {
      ...project,
      ...(amount !== null && project.amount_wan === undefined ? { amount_wan: amount / 1e4 } : {}),
    },
    department: obj(file.department),
  };
}

/**
 * Every computed value: top-level ones by id, a table's as one object per row. A value the card would not show (its
 * field hidden) is null.
 */
function computedValues(form: CompiledForm, data: FormData, ctx: FormContext): Record<string, Value> {
  const out: Record<string, Value> = {};
  const shown = (f: LeafField, row?: Row) =>
    isVisible(form, f, data, ctx, row) ? ((row ?? data)[f.id] ?? null) : null;
  for (const f of allFields(form)) {
    if (!isGroup(f)) {
      if (f.compute) out[f.id] = shown(f);
      continue;
    }
    const computedFields = f.fields.filter((rf) => rf.compute);
    if (computedFields.length)
      out[f.id] = ((data[f.id] as Row[]) ?? []).map((row) =>
        Object.fromEntries(computedFields.map((rf) => [rf.id, shown(rf, row)])),
      );
  }
  return out;
}
