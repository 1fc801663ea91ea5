import { createHash } from 'node:crypto';
import type { ChainSpec } from './chain-schema.ts';
import type { z } from 'zod';
import { formatPath } from '../shared/format-path.ts';
import { type Expr, ExpressionError, parseExpression } from './expression/parse.ts';
import { checkedExpression } from './expression/check.ts';
import { scorecardProblems } from './scorecard-check.ts';
import {
  type Field,
  type FormDefinition,
  type GroupField,
  type LeafField,
  formSchema,
  isGroup,
  optionsOf,
} from './form-schema.ts';

/** Names every expression may read besides the form's own fields. */
export const contextNames = ['project', 'department', 'campaign', 'settings'] as const;

export interface FieldRef {
  field: LeafField | GroupField;
  section: number;
}

/** A validated form with its expressions parsed once. Pure data: no I/O. */
export interface CompiledForm {
  def: FormDefinition;
  hash: string;
  fields: Map<string, FieldRef>;
  expr(src: string): Expr;
}

/** Turns a zod path into `sections[1].fields[3].options`. */
const typeNames =
  'text、textarea、integer、decimal、money、percent、date、choice、multi_choice、yes_no、person、department、file 或 group';

function zodMessages(error: z.ZodError, raw: unknown): string[] {
  return error.issues.map((i) => {
    const where = formatPath(i.path);
    const at = (s: string) => (where ? `${where}: ${s}` : s);
    const value = valueAt(raw, i.path);
    switch (i.code) {
      case 'invalid_type':
        return at(value === undefined ? 'required' : `类型应为 ${i.expected}`);
      case 'unrecognized_keys':
        return at(`未知的属性 ${i.keys.map((k) => `“${k}”`).join('、')}`);
      case 'invalid_union': {
        const onType = i.path[i.path.length - 1] === 'type';
        const fieldPath = onType ? i.path.slice(0, -1) : i.path;
        const type = valueAt(raw, [...fieldPath, 'type']);
        return type === undefined
          ? `${formatPath(fieldPath)}.type: required`
          : `${formatPath(fieldPath)}.type: 未知的字段类型 “${String(type)}”，应为 ${typeNames}`;
      }
      case 'invalid_value':
        return at(`“${String(value)}” 无效，应为 ${i.values.map(String).join('、')} 之一`);
      case 'too_small':
        return at(
          i.origin === 'array'
            ? `至少需要 ${String(i.minimum)} 项`
            : i.origin === 'string'
              ? 'required'
              : `不能小于 ${String(i.minimum)}`,
        );
      case 'too_big':
        return at(i.origin === 'string' ? `最长 ${String(i.maximum)} 个字符` : `不能大于 ${String(i.maximum)}`);
      default:
        return at(i.message);
    }
  });
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as string] : undefined),
    raw,
  );
}

/** Collects every problem of one form file with its path, and the expressions it parsed on the way. */
class FormChecker {
  readonly errors: string[] = [];
  readonly parsed = new Map<string, Expr>();

  expr(src: string | undefined, where: string, names: Set<string>): void {
    if (src === undefined) return;
    try {
      this.parsed.set(src, checkedExpression(src, names));
    } catch (err) {
      this.errors.push(`${where}: ${err instanceof ExpressionError ? err.message : String(err)}`);
    }
  }

  leaf(f: LeafField, where: string, names: Set<string>): void {
    this.expr(f.visible_if, `${where}.visible_if`, names);
    this.expr(f.compute, `${where}.compute`, names);
    if (typeof f.required === 'string') this.expr(f.required, `${where}.required`, names);
    const choice = f.type === 'choice' || f.type === 'multi_choice';
    if (typeof f.default === 'string' && f.default.startsWith('='))
      this.expr(f.default.slice(1), `${where}.default`, names);
    else if (f.default !== undefined && choice && !optionsOf(f).some((o) => o.value === f.default))
      this.errors.push(`${where}.default: “${String(f.default)}” 不在选项中`);
    if ((f.type === 'text' || f.type === 'textarea') && f.pattern) {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        this.errors.push(`${where}.pattern: 不是合法的正则表达式`);
      }
    }
  }

  /** A table: its own field ids, then its fields, summary and checks with the row's names in scope. */
  group(f: GroupField, where: string, formNames: Set<string>): void {
    this.expr(f.visible_if, `${where}.visible_if`, formNames);
    const rowIds = new Set<string>();
    f.fields.forEach((rf, j) => {
      if (rowIds.has(rf.id)) this.errors.push(`${where}.fields[${j}].id: 字段 “${rf.id}” 重复`);
      if (rf.type === 'file') this.errors.push(`${where}.fields[${j}].type: 文件（file）字段不能放在表格中`);
      rowIds.add(rf.id);
    });
    const rowNames = new Set([...formNames, ...rowIds]);
    f.fields.forEach((rf, j) => this.leaf(rf, `${where}.fields[${j}]`, rowNames));
    this.expr(f.summary, `${where}.summary`, rowNames);
    this.checks(f.checks, `${where}.checks`, rowNames);
    if (f.min_rows > f.max_rows) this.errors.push(`${where}.min_rows: 不能大于 max_rows`);
  }

  /** `approval.adjust`: a table of the form, with reviewer-only score and reason fields in it. */
  adjust(a: NonNullable<ChainSpec['adjust']>, fields: Map<string, FieldRef>, formNames: Set<string>): void {
    const group = fields.get(a.group)?.field;
    if (!group || !isGroup(group)) return void this.errors.push(`approval.adjust.group: “${a.group}” 不是表格字段`);
    for (const key of ['score', 'reason'] as const) {
      const f = group.fields.find((x) => x.id === a[key]);
      if (!f?.reviewer_only)
        this.errors.push(`approval.adjust.${key}: 表格中没有审核填写（reviewer_only）的字段 “${a[key]}”`);
    }
    const rowNames = new Set([...formNames, ...group.fields.map((f) => f.id)]);
    this.expr(a.rows_when, 'approval.adjust.rows_when', rowNames);
    this.expr(a.max, 'approval.adjust.max', rowNames);
  }

  /** Each approval step: its condition, the reviewer-only fields it reviews, the field its verdict reads. */
  steps(def: FormDefinition, fields: Map<string, FieldRef>, formNames: Set<string>): void {
    def.approval?.steps.forEach((st, j) => {
      this.expr(st.when, `approval.steps[${j}].when`, formNames);
      st.review?.forEach((id, k) => {
        const f = fields.get(id)?.field;
        if (!f || isGroup(f) || !f.reviewer_only)
          this.errors.push(`approval.steps[${j}].review[${k}]: “${id}” 应为表单中审核填写（reviewer_only）的字段`);
      });
      if (st.decide_by && !fields.has(st.decide_by.field))
        this.errors.push(`approval.steps[${j}].decide_by.field: 字段 “${st.decide_by.field}” 不存在`);
    });
  }

  /** Fields named by the form's other sections (prefill, follow_up, on_approved, on_reviewed) must exist. */
  references(def: FormDefinition, fields: Map<string, FieldRef>): void {
    const need = (where: string, ref: string | undefined, leaf = false) => {
      const f = ref === undefined ? undefined : fields.get(ref);
      if (ref !== undefined && (!f || (leaf && isGroup(f.field)))) this.errors.push(`${where}: 字段 “${ref}” 不存在`);
    };
    for (const [to, from] of Object.entries(def.prefill?.fields ?? {})) {
      need(`prefill.fields.${to}`, to);
      if (!from) this.errors.push(`prefill.fields.${to}: required`);
    }
    const f = def.follow_up;
    for (const key of ['light', 'action', 'deadline', 'as_of'] as const) need(`follow_up.${key}`, f?.[key], true);
    if (f && def.attach_to !== 'project') this.errors.push('follow_up: 只适用于按项目填报的表单');
    for (const [k, ref] of Object.entries(def.on_approved?.ex_ante ?? {})) need(`on_approved.ex_ante.${k}`, ref);
    for (const [k, ref] of Object.entries(def.on_reviewed?.target_review ?? {}))
      need(`on_reviewed.target_review.${k}`, ref);
  }

  /** A locked value must come from somewhere: the prefill (a fixed table's rows) or a default; never a computation. */
  locks(def: FormDefinition, fields: Map<string, FieldRef>): void {
    const filled = new Set(Object.keys(def.prefill?.fields ?? {}));
    for (const [id, { field: f, section }] of fields) {
      const where = `sections[${section}].fields.${id}`;
      if (!isGroup(f)) {
        if (f.locked && f.compute) this.errors.push(`${where}.locked: 计算字段本身只读，不需要 locked`);
        else if (f.locked && !filled.has(id) && f.default === undefined)
          this.errors.push(`${where}.locked: 锁定字段需要 default 或 prefill`);
        continue;
      }
      const given = filled.has(id) || Boolean(f.rows?.length);
      if (f.fixed_rows && !given) this.errors.push(`${where}.fixed_rows: 固定行的表格需要由 prefill 或 rows 给出`);
      for (const rf of f.fields)
        if (rf.locked && !given && rf.default === undefined)
          this.errors.push(`${where}.${rf.id}.locked: 锁定字段需要 default 或 prefill`);
    }
  }

  /** `amend`: its flag is a locked yes/no field of the form, its cleared fields exist, and it has a chain to pass. */
  amend(def: FormDefinition, fields: Map<string, FieldRef>): void {
    const a = def.amend!;
    const flag = fields.get(a.flag)?.field;
    if (!flag || flag.type !== 'yes_no' || !flag.locked)
      this.errors.push(`amend.flag: “${a.flag}” 应为锁定（locked）的 yes_no 字段`);
    a.clear.forEach((c, j) => {
      if (!fields.has(c)) this.errors.push(`amend.clear[${j}]: 字段 “${c}” 不存在`);
    });
    if (!def.approval) this.errors.push('amend: 目标调整需要审批流程（approval）');
  }

  checks(list: { rule: string; when?: string }[], where: string, names: Set<string>): void {
    list.forEach((c, j) => {
      this.expr(c.rule, `${where}[${j}].rule`, names);
      this.expr(c.when, `${where}[${j}].when`, names);
    });
  }
}

/** Validates a parsed YAML document as a form; returns the compiled form or every problem with its path. */
export function compileForm(raw: unknown): { form?: CompiledForm; errors: string[] } {
  const parsed = formSchema.safeParse(raw);
  if (!parsed.success) return { errors: zodMessages(parsed.error, raw) };
  const def = parsed.data;
  const check = new FormChecker();
  const fields = new Map<string, FieldRef>();
  def.sections.forEach((section, s) =>
    section.fields.forEach((f, i) => {
      if (fields.has(f.id)) check.errors.push(`sections[${s}].fields[${i}].id: 字段 “${f.id}” 重复`);
      fields.set(f.id, { field: f, section: s });
    }),
  );
  const formNames = new Set<string>([...fields.keys(), ...contextNames]);
  def.sections.forEach((section, s) =>
    section.fields.forEach((f: Field, i) => {
      const where = `sections[${s}].fields[${i}]`;
      if (isGroup(f)) check.group(f, where, formNames);
      else check.leaf(f, where, formNames);
    }),
  );
  check.checks(def.checks, 'checks', formNames);
  check.expr(def.applies_if, 'applies_if', new Set(contextNames));
  def.summary.forEach((sid, j) => {
    if (!fields.has(sid)) check.errors.push(`summary[${j}]: 字段 “${sid}” 不存在`);
  });
  check.steps(def, fields, formNames);
  if (def.approval?.adjust) check.adjust(def.approval.adjust, fields, formNames);
  check.references(def, fields);
  check.locks(def, fields);
  if (def.amend) check.amend(def, fields);
  if (def.scorecard) check.errors.push(...scorecardProblems(def.scorecard, fields));
  if (check.errors.length) return { errors: check.errors };
  const hash = createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 16);
  const exprs = check.parsed;
  const expr = (src: string) => exprs.get(src) ?? exprs.set(src, parseExpression(src)).get(src)!;
  return { errors: [], form: { def, hash, fields, expr } };
}
