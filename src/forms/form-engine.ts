import type { CompiledForm } from './compile-form.ts';
import { type Scope, type Value, evaluate, truthy } from './expression/evaluate.ts';
import { type GroupField, type LeafField, isGroup } from './form-schema.ts';
import { AppError } from '../shared/errors.ts';
import { engineMemo } from './engine-memo.ts';
import { parseInput } from './parse-input.ts';

/*
 * The pure core of filling: defaults, computed values, visibility and validation over plain data.
 * `data` maps field ids to values; a group maps to an array of row objects.
 */
export type FormData = Record<string, Value>;
export type Row = Record<string, Value>;
/** What expressions may read besides the fields: the project, the department, the form's settings. */
export type FormContext = {
  project?: Record<string, Value>;
  department?: Record<string, Value>;
  /** The campaign a draft starts for (its as-of date): known to `=defaults` when the draft is created. */
  campaign?: Record<string, Value>;
};

export interface Problems {
  /** Field id (or `group[index].field`) → message. */
  fields: Record<string, string>;
  /** Form-level check failures. */
  checks: string[];
  /** Failed warning-level checks: where the rules allow judgement. Shown, never blocking. */
  warnings: string[];
}

/**
 * A row's names come first, then the context's, then the form's data: as if the context's names overwrote the data's,
 * without copying the data for every expression (a page evaluates one or more per field).
 */
const scopesFor = (form: CompiledForm, data: FormData, ctx: FormContext, row?: Row): Scope[] => {
  const names: Scope = {
    project: ctx.project ?? null,
    department: ctx.department ?? null,
    campaign: ctx.campaign ?? null,
    settings: form.def.settings as Value,
  };
  return row ? [row, names, data] : [names, data];
};

const fieldsOf = new WeakMap<CompiledForm, readonly (LeafField | GroupField)[]>();

/** The form's top-level fields in order, all sections together; listed once per compiled form. */
export function allFields(form: CompiledForm): readonly (LeafField | GroupField)[] {
  let fields = fieldsOf.get(form);
  if (!fields) fieldsOf.set(form, (fields = form.def.sections.flatMap((s) => s.fields)));
  return fields;
}

export function isVisible(
  form: CompiledForm,
  f: LeafField | GroupField,
  data: FormData,
  ctx: FormContext,
  row?: Row,
): boolean {
  return !f.visible_if || truthy(evaluate(form.expr(f.visible_if), scopesFor(form, data, ctx, row)));
}

export function isRequired(form: CompiledForm, f: LeafField, data: FormData, ctx: FormContext, row?: Row): boolean {
  if (f.compute) return false;
  if (typeof f.required === 'string') return truthy(evaluate(form.expr(f.required), scopesFor(form, data, ctx, row)));
  return f.required === true;
}

/** Whether the form is for this subject (`applies_if`; forms without it are for every subject). */
export function appliesTo(form: CompiledForm, ctx: FormContext): boolean {
  return !form.def.applies_if || truthy(evaluate(form.expr(form.def.applies_if), scopesFor(form, {}, ctx)));
}

/** Initial values of a new draft: literal defaults and `=expression` defaults. */
export function defaults(form: CompiledForm, ctx: FormContext): FormData {
  const data: FormData = {};
  for (const f of allFields(form)) {
    if (isGroup(f)) data[f.id] = (f.rows ?? []).map((r) => ({ ...r }));
    else if (f.default !== undefined) {
      data[f.id] =
        typeof f.default === 'string' && f.default.startsWith('=')
          ? evaluate(form.expr(f.default.slice(1)), scopesFor(form, data, ctx))
          : f.default;
    }
  }
  return data;
}

/**
 * Fills every computed field, rows first, in document order (so totals can read row scores). With `through`, stops
 * once that group's rows are computed: what comes after cannot change them.
 */
export function computeAll(form: CompiledForm, input: FormData, ctx: FormContext, through?: string): FormData {
  // A copy of the kept result: callers may set fields on it; what is below the top is frozen.
  return through === undefined ? { ...computedAll(form, input, ctx) } : computeThrough(form, input, ctx, through);
}

const computedAll = engineMemo((form, input, ctx) => computeThrough(form, input, ctx));

/**
 * `computeAll` without the memo, for a loop over many revisions each read once (a year's settled values): there a
 * result is never asked for again, and keeping it would cost a copy and a freeze per revision and push out the
 * entries the fill cards use.
 */
export const computeOnce = (form: CompiledForm, input: FormData, ctx: FormContext): FormData =>
  computeThrough(form, input, ctx);

function computeThrough(form: CompiledForm, input: FormData, ctx: FormContext, through?: string): FormData {
  const data: FormData = { ...input };
  for (const f of allFields(form)) {
    if (isGroup(f)) {
      const rows = (Array.isArray(data[f.id]) ? data[f.id] : []) as Row[];
      data[f.id] = rows.map((r) => {
        const row: Row = { ...r };
        for (const rf of f.fields)
          if (rf.compute) row[rf.id] = evaluate(form.expr(rf.compute), scopesFor(form, data, ctx, row));
        return row;
      });
      if (f.id === through) break;
    } else if (f.compute) {
      data[f.id] = evaluate(form.expr(f.compute), scopesFor(form, data, ctx));
    }
  }
  return data;
}

/** An expression evaluated in each row of a group (the row's fields first), on the computed data. */
export function evaluateRows(
  form: CompiledForm,
  input: FormData,
  ctx: FormContext,
  groupId: string,
  src: string,
): Value[] {
  const data = computeAll(form, input, ctx);
  const rows = (Array.isArray(data[groupId]) ? data[groupId] : []) as Row[];
  return rows.map((row) => evaluate(form.expr(src), scopesFor(form, data, ctx, row)));
}

/** The data without what approvers set (a new revision is the filler's again; reviewers adjust it afresh). */
export function withoutReviewerValues(form: CompiledForm, data: FormData): FormData {
  const out: FormData = { ...data };
  for (const f of allFields(form)) {
    if (!isGroup(f)) {
      if (f.reviewer_only) delete out[f.id];
      continue;
    }
    const cleared = f.fields.filter((rf) => rf.reviewer_only).map((rf) => rf.id);
    if (!cleared.length || !Array.isArray(out[f.id])) continue;
    out[f.id] = (out[f.id] as Row[]).map((r) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !cleared.includes(k))),
    );
  }
  return out;
}

/** Parses raw card inputs for some fields; returns typed values and per-field errors. */
export function parseFields(
  fields: LeafField[],
  raw: Record<string, unknown>,
): { values: FormData; errors: Record<string, string> } {
  const values: FormData = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (f.compute || f.reviewer_only || f.locked) continue;
    const r = parseInput(f, raw[f.id]);
    if ('error' in r) errors[f.id] = r.error;
    else values[f.id] = r.value;
  }
  return { values, errors };
}

const same = (a: Value | undefined, b: Value | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Refuses input that tries to change a locked value (the approved target's operator, value or weight): a card never
 * sends one, so it is a forged or stale value, and nothing of the input is kept.
 */
export function refuseLockedChanges(
  form: CompiledForm,
  fields: LeafField[],
  raw: Record<string, unknown>,
  stored: Row,
): void {
  const changed = fields.filter((f) => {
    if (!f.locked || raw[f.id] === undefined) return false;
    const r = parseInput(f, raw[f.id]);
    return 'error' in r || !same(r.value, stored[f.id]);
  });
  if (!changed.length) return;
  const names = changed.map((f) => `「${f.label}」`).join('');
  throw new AppError('forbidden', `${names}不能修改：${form.def.prefill?.lock_note ?? '该项已锁定'}`, {
    hint: `locked fields in input: ${changed.map((f) => f.id).join(', ')}`,
  });
}

function requiredErrors(
  form: CompiledForm,
  fields: LeafField[],
  data: FormData,
  ctx: FormContext,
  row: Row | undefined,
  errors: Record<string, string>,
  prefix = '',
) {
  for (const f of fields) {
    const key = `${prefix}${f.id}`;
    if (errors[key] || !isVisible(form, f, data, ctx, row)) continue;
    const v = (row ?? data)[f.id];
    if (
      isRequired(form, f, data, ctx, row) &&
      (v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length))
    )
      errors[key] = '此项必填';
  }
}

/** Validates one row of a group against its fields and row checks. */
export function validateRow(
  form: CompiledForm,
  group: GroupField,
  row: Row,
  data: FormData,
  ctx: FormContext,
): Problems {
  const computed = computeAll(form, { ...data, [group.id]: [row] }, ctx, group.id);
  const full = ((computed[group.id] as Row[])[0] ?? row) as Row;
  const errors: Record<string, string> = {};
  requiredErrors(form, group.fields, data, ctx, full, errors);
  const failed = failedChecks(form, group.checks, scopesFor(form, data, ctx, full));
  return { fields: errors, ...failed };
}

/** The checks whose rule does not hold (where their `when` does), split by level. */
function failedChecks(
  form: CompiledForm,
  list: GroupField['checks'],
  scopes: Scope[],
): { checks: string[]; warnings: string[] } {
  const failed = list.filter(
    (c) => (!c.when || truthy(evaluate(form.expr(c.when), scopes))) && !truthy(evaluate(form.expr(c.rule), scopes)),
  );
  return {
    checks: failed.filter((c) => c.level !== 'warning').map((c) => c.message),
    warnings: failed.filter((c) => c.level === 'warning').map((c) => c.message),
  };
}

/** Everything that must hold before submission: required fields, row rules, row counts and form checks. */
export const validateAll = engineMemo(checkAll);

function checkAll(form: CompiledForm, input: FormData, ctx: FormContext): Problems {
  const data = computeAll(form, input, ctx);
  const errors: Record<string, string> = {};
  const checks: string[] = [];
  const warnings: string[] = [];
  for (const f of allFields(form)) {
    if (!isVisible(form, f, data, ctx)) continue;
    if (!isGroup(f)) {
      requiredErrors(form, [f], data, ctx, undefined, errors);
      continue;
    }
    const rows = (data[f.id] as Row[]) ?? [];
    if (rows.length < f.min_rows) errors[f.id] = `至少需要 ${f.min_rows} 行（当前 ${rows.length} 行）`;
    if (rows.length > f.max_rows) errors[f.id] = `最多 ${f.max_rows} 行`;
    rows.forEach((row, i) => {
      const p = validateRow(form, f, row, data, ctx);
      for (const [k, m] of Object.entries(p.fields)) errors[`${f.id}[${i}].${k}`] = m;
      for (const m of p.checks) checks.push(`${f.label}第 ${i + 1} 行：${m}`);
      for (const m of p.warnings) warnings.push(`${f.label}第 ${i + 1} 行：${m}`);
    });
  }
  const formLevel = failedChecks(form, form.def.checks, scopesFor(form, data, ctx));
  return { fields: errors, checks: [...checks, ...formLevel.checks], warnings: [...warnings, ...formLevel.warnings] };
}
