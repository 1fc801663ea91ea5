import type { Value } from './expression/evaluate.ts';
import { evaluate } from './expression/evaluate.ts';
import type { CompiledForm } from './compile-form.ts';
import {
  type FormContext,
  type FormData,
  type Problems,
  type Row,
  allFields,
  isRequired,
  isVisible,
  validateRow,
} from './form-engine.ts';
import { type GroupField, type LeafField, isGroup, optionsOf } from './form-schema.ts';
import { displayValue } from './parse-input.ts';
import { attachmentText, attachmentsIn } from '../files/index.ts';
import type { Page } from './pages.ts';
import { twoDecimals } from '../shared/number-format.ts';

/*
 * Builds the data the form card templates render. Pure: everything it needs is passed in.
 */
export interface Choices {
  people: { value: string; label: string }[];
  departments: { value: string; label: string }[];
  /** Files the unit's people sent the bot, for `file` fields. */
  files: { value: string; label: string }[];
}

const placeholders: Partial<Record<LeafField['type'], string>> = {
  integer: '请输入整数',
  decimal: '请输入数字',
  percent: '百分数，如 85 或 85%',
  text: '请输入',
  textarea: '请输入',
};

/** A value as people read it on a summary: money with separators and unit, percentages, 是/否. */
export function formatValue(f: LeafField, v: Value | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') {
    if (f.type === 'money') return `${twoDecimals(v)} ${f.unit === 'wan' ? '万元' : '元'}`;
    if (f.type === 'percent') return `${(Math.round(v * 10000) / 100).toFixed(2)}%`;
    const n = Math.round(v * 100) / 100;
    return f.type === 'decimal' || f.type === 'integer' ? `${n}${f.unit ?? ''}` : String(n);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (f.type === 'file') return attachmentsIn(v).map(attachmentText).join('、') || '—';
  if (Array.isArray(v)) return v.join('、');
  if (f.type === 'choice') return optionsOf(f).find((o) => o.value === v)?.label ?? String(v);
  return String(v);
}

/** Lark sends dates as "2024-04-01 +0800"; the date picker takes "2024-04-01". */
const rawText = (f: LeafField, raw: unknown): string => {
  if (raw === undefined || raw === null) return '';
  if (Array.isArray(raw)) return raw.join('，');
  return f.type === 'date' ? String(raw).slice(0, 10) : String(raw);
};

export function fieldView(
  form: CompiledForm,
  f: LeafField,
  value: Value | undefined,
  opts: {
    raw?: unknown;
    error?: string;
    comment?: string;
    choices: Choices;
    data: FormData;
    ctx: FormContext;
    row?: Row;
  },
) {
  const shown = opts.raw !== undefined ? rawText(f, opts.raw) : displayValue(f, value);
  const base = {
    name: f.id,
    label: f.label,
    help: f.help,
    error: opts.error,
    comment: opts.comment,
    required: isRequired(form, f, opts.data, opts.ctx, opts.row),
    value: shown,
    maxLength: 1000,
    placeholder: placeholders[f.type] ?? '请输入',
  };
  if (f.compute) return { ...base, kind: 'readonly', required: false, value: `${formatValue(f, value)}（自动计算）` };
  if (f.reviewer_only)
    return { ...base, kind: 'readonly', required: false, value: `${formatValue(f, value)}（审核填写）` };
  if (f.locked) return { ...base, kind: 'readonly', required: false, value: formatValue(f, value) };
  return inputOf(f, base, value, opts);
}

/** The card input for one field type: its kind, options and placeholder. */
function inputOf<B extends { placeholder: string }>(
  f: LeafField,
  base: B,
  value: Value | undefined,
  opts: { raw?: unknown; choices: Choices },
) {
  switch (f.type) {
    case 'text':
    case 'textarea':
      return {
        ...base,
        kind: f.type === 'textarea' || f.multiline ? 'textarea' : 'input',
        maxLength: f.max_length ?? 1000,
      };
    case 'money':
      return { ...base, kind: 'input', placeholder: `金额（${f.unit === 'wan' ? '万元' : '元'}），如 12.50` };
    case 'integer':
    case 'decimal':
      return { ...base, kind: 'input', placeholder: `${placeholders[f.type]}${f.unit ? `（${f.unit}）` : ''}` };
    case 'percent':
      return { ...base, kind: 'input' };
    case 'date':
      return { ...base, kind: 'date' };
    case 'choice':
      return { ...base, kind: 'select', options: optionsOf(f) };
    case 'multi_choice':
      return {
        ...base,
        kind: 'multi',
        options: optionsOf(f),
        selected: Array.isArray(opts.raw) ? opts.raw : Array.isArray(value) ? value : [],
      };
    case 'yes_no':
      return {
        ...base,
        kind: 'select',
        options: [
          { value: '是', label: '是' },
          { value: '否', label: '否' },
        ],
      };
    case 'person':
      return { ...base, kind: 'person', options: opts.choices.people };
    case 'file':
      return fileInput(base, value, opts.choices);
    case 'department':
      return { ...base, kind: 'select', options: opts.choices.departments };
  }
}

/**
 * A `file` field as a multi-select: what is attached stays selected (unselect to remove), and the unit's files sent to
 * the bot are offered to add.
 */
function fileInput<B extends { placeholder: string }>(base: B, value: Value | undefined, choices: Choices) {
  const attached = attachmentsIn(value).map((a) => ({ value: String(a.id), label: attachmentText(a) }));
  const offered = choices.files.filter((o) => !attached.some((a) => a.value === o.value));
  return {
    ...base,
    kind: 'multi',
    options: [...attached, ...offered],
    selected: attached.map((a) => a.value),
    placeholder: offered.length || attached.length ? '选择文件' : '请先在对话中把文件发给机器人',
  };
}

/** One line per row in lists: the group's summary expression, or its first few values. */
export function rowSummary(form: CompiledForm, g: GroupField, row: Row, data: FormData, ctx: FormContext): string {
  if (g.summary) {
    const v = evaluate(form.expr(g.summary), [
      row,
      {
        ...data,
        project: ctx.project ?? null,
        department: ctx.department ?? null,
        campaign: ctx.campaign ?? null,
        settings: form.def.settings as Value,
      },
    ]);
    if (v !== null && v !== '') return String(v);
  }
  return g.fields
    .slice(0, 3)
    .map((f) => formatValue(f, row[f.id]))
    .join(' / ');
}

export const MAX_ROWS_SHOWN = 15;

/** The rows of a table page from `from` on, at most MAX_ROWS_SHOWN: a long table is paged, every row reachable. */
export function groupRows(form: CompiledForm, g: GroupField, data: FormData, ctx: FormContext, from = 0) {
  const rows = (data[g.id] as Row[]) ?? [];
  return rows.slice(from, from + MAX_ROWS_SHOWN).map((row, k) => {
    const i = from + k;
    const p = validateRow(form, g, row, data, ctx);
    const firstField = Object.entries(p.fields)[0];
    const problem = firstField
      ? `${g.fields.find((f) => f.id === firstField[0])?.label ?? firstField[0]}：${firstField[1]}`
      : p.checks[0];
    return { index: i, number: i + 1, summary: rowSummary(form, g, row, data, ctx), problem };
  });
}

/** Summary sections: every visible field as `label：value`, groups as numbered rows. */
export function summarySections(
  form: CompiledForm,
  pages: Page[],
  data: FormData,
  ctx: FormContext,
  opts: { tablesApart?: boolean; filledOnly?: boolean } = {},
) {
  const empty = (v: Value | undefined) => v === null || v === undefined || v === '';
  return form.def.sections
    .map((section) => ({
      title: section.title,
      lines: section.fields
        .filter((f) => isVisible(form, f, data, ctx) && !form.def.summary.includes(f.id))
        .filter((f) => !(opts.tablesApart && isGroup(f)))
        .filter((f) => !(opts.filledOnly && !isGroup(f) && empty(data[f.id])))
        .flatMap((f) =>
          isGroup(f)
            ? [
                `${f.label}（${((data[f.id] as Row[]) ?? []).length} 行）`,
                ...((data[f.id] as Row[]) ?? []).map(
                  (row, i) => `${i + 1}. ${rowSummary(form, f, row, data, ctx)}${rowScore(f, row)}`,
                ),
              ]
            : [`${f.label}：${formatValue(f, data[f.id])}`],
        ),
    }))
    .filter((s) => s.lines.length > 0 && pages.length > 0);
}

/** Cell texts a table card shows at most per column: a long explanation belongs on the full form, not in a grid. */
const CELL_MAX = 60;
const MAX_COLUMNS = 10;
/**
 * What a form's tables may take of a card (Lark refuses cards over 30 KB): past it, long cells are cut shorter, then
 * the rows that do not fit are left for the full form and the export, and the table says how many it shows.
 */
const TABLES_BUDGET_BYTES = 14_000;

type Grid = {
  title: string;
  columns: { name: string; label: string }[];
  rows: Record<string, string>[];
  total?: number;
};

const bytes = (grids: Grid[]) => Buffer.byteLength(JSON.stringify(grids.map((g) => g.rows)));

/**
 * Each filled table of the form as a grid (a card `table`): its columns are the row fields holding a value in some
 * row, long text left out, in the order the form declares them; within the card budget.
 */
export function summaryTables(form: CompiledForm, data: FormData, ctx: FormContext): Grid[] {
  const build = (cellMax: number) => grids(form, data, ctx, cellMax);
  let out = build(CELL_MAX);
  if (bytes(out) > TABLES_BUDGET_BYTES) out = build(20);
  while (bytes(out) > TABLES_BUDGET_BYTES) {
    const longest = out.reduce((a, b) => (b.rows.length > a.rows.length ? b : a));
    longest.total ??= longest.rows.length;
    longest.rows = longest.rows.slice(0, Math.max(1, Math.floor(longest.rows.length * 0.8)));
    if (longest.rows.length === 1) break;
  }
  return out;
}

function grids(form: CompiledForm, data: FormData, ctx: FormContext, cellMax: number): Grid[] {
  return allFields(form)
    .filter((f): f is GroupField => isGroup(f) && isVisible(form, f, data, ctx))
    .flatMap((g) => {
      const rows = (data[g.id] as Row[] | undefined) ?? [];
      const columns = g.fields
        .filter(
          (f) => f.type !== 'textarea' && rows.some((r) => r[f.id] !== null && r[f.id] !== undefined && r[f.id] !== ''),
        )
        .slice(0, MAX_COLUMNS);
      if (!rows.length || !columns.length) return [];
      const cell = (f: LeafField, v: Value | undefined) => {
        const t = v === null || v === undefined || v === '' ? '' : formatValue(f, v);
        return t.length > cellMax ? `${t.slice(0, cellMax)}…` : t;
      };
      return [
        {
          title: g.label,
          columns: columns.map((f) => ({ name: f.id, label: f.label })),
          rows: rows.map((r) => Object.fromEntries(columns.map((f) => [f.id, cell(f, r[f.id])]))),
        },
      ];
    });
}

function rowScore(g: GroupField, row: Row): string {
  const computed = g.fields.filter((f) => f.compute && row[f.id] !== null && row[f.id] !== undefined);
  return computed.length ? `　→ ${computed.map((f) => `${f.label} ${formatValue(f, row[f.id])}`).join('，')}` : '';
}

/** The headline numbers of the summary card (e.g. 总分, 等级). */
export function summaryResults(form: CompiledForm, data: FormData) {
  return form.def.summary.map((id) => {
    const f = allFields(form).find((x) => x.id === id)! as LeafField;
    return { label: f.label, value: formatValue(f, data[id]) };
  });
}

/** Problems as sentences for the summary card, naming the page to go back to. */
/** Where a problem lives: the page holding its field, and for a table row its index. */
export function problemPlace(pages: Page[], key: string): { page: number; row?: number } | undefined {
  const m = /^(\w+)\[(\d+)\]/.exec(key);
  const id = m ? m[1]! : key;
  const page = pages.findIndex(
    (pg) => (pg.kind === 'fields' && pg.fields.some((f) => f.id === id)) || (pg.kind === 'group' && pg.group.id === id),
  );
  return page < 0 ? undefined : { page, ...(m ? { row: Number(m[2]) } : {}) };
}

export function problemLines(form: CompiledForm, p: Problems): string[] {
  const label = (key: string) => {
    const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(key);
    if (m) {
      const g = allFields(form).find((f) => f.id === m[1]) as GroupField | undefined;
      return `${g?.label ?? m[1]}第 ${Number(m[2]) + 1} 行「${g?.fields.find((f) => f.id === m[3])?.label ?? m[3]}」`;
    }
    return `「${allFields(form).find((f) => f.id === key)?.label ?? key}」`;
  };
  return [...Object.entries(p.fields).map(([k, m]) => `${label(k)}${m}`), ...p.checks];
}
