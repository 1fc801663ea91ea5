import type { BotContext } from '../bot/bot-types.ts';
import type { Card } from '../cards/renderer.ts';
import { AppError } from '../shared/errors.ts';
import type { GroupField } from './form-schema.ts';
import { type FormData, type Problems, type Row, computeAll, isVisible, validateAll } from './form-engine.ts';
import type { FillState } from './fill-state.ts';
import {
  MAX_ROWS_SHOWN,
  fieldView,
  groupRows,
  problemLines,
  problemPlace,
  summaryResults,
  summarySections,
  summaryTables,
} from './form-view.ts';
import { pageVisible, step } from './pages.ts';

const visibleSteps = (s: FillState, data: FormData) =>
  s.pages.map((p, i) => ({ p, i })).filter(({ p }) => pageVisible(s.form, p, data, s.subject.ctx));

/** Overrides shown on a page after a failed submit: what the user typed and what is wrong with it. */
export interface PageExtras {
  raw?: Record<string, unknown>;
  /** The draft with what parsed of the input: computed values show what caused an error (执行率 84.1 %). */
  data?: FormData;
  errors?: Record<string, string>;
  notice?: string;
  checks?: string[];
  /** A long table's first row shown (0, 15, 30 …). */
  rowFrom?: number;
  /** Opened from the summary's 去修改: 下一步 returns to the summary. */
  fix?: boolean;
}

/** What every page card of a draft shows and links to. */
interface Frame {
  base: { title: string; subject: string; step: number; steps: number; pageTitle: string };
  data: FormData;
  hasPrev: boolean;
  nav(nav: string): Record<string, unknown>;
}

/** Renders the card for page `index` of the current revision. */
export function renderPage(ctx: BotContext, s: FillState, requested: number, extras: PageExtras = {}): Card {
  const data = computeAll(s.form, extras.data ?? s.revision.data, s.subject.ctx);
  // A page hidden for this data (a target's adjustment section on its first filing) gives way to the next shown one.
  const at = s.pages[requested];
  const index =
    at && pageVisible(s.form, at, data, s.subject.ctx)
      ? requested
      : step(s.form, s.pages, Math.min(requested, s.pages.length - 1), 1, data, s.subject.ctx);
  const page = s.pages[index] ?? s.pages[0]!;
  const steps = visibleSteps(s, data);
  const frame: Frame = {
    base: {
      title: s.form.def.title,
      subject: s.subject.label,
      step: Math.max(1, steps.findIndex((x) => x.i === index) + 1),
      steps: steps.length,
      pageTitle: page.title,
    },
    data,
    hasPrev: steps.some((x) => x.i < index),
    nav: (nav) => ({
      ...{ action: 'form.page', sid: s.submission.id, seq: s.revision.seq, page: index, nav },
      ...(extras.fix && nav === 'next' ? { fix: 1 } : {}),
    }),
  };
  if (page.kind === 'summary') return summaryPage(ctx, s, frame);
  if (page.kind === 'group') return groupPage(ctx, s, frame, page.group, index, extras);
  const fields = page.fields
    .filter((f) => isShown(s, f, data))
    .map((f) =>
      fieldView(s.form, f, data[f.id], {
        raw: extras.raw?.[f.id],
        error: extras.errors?.[f.id],
        comment: s.decoration.comments?.[f.id],
        choices: s.choices,
        data,
        ctx: s.subject.ctx,
      }),
    );
  return ctx.cards.render('form-page', {
    ...frame.base,
    fields,
    hasPrev: frame.hasPrev,
    errorCount: Object.keys(extras.errors ?? {}).length,
    notice: extras.notice ?? s.decoration.note,
    prev: frame.nav('prev'),
    save: frame.nav('save'),
    next: frame.nav('next'),
  });
}

/** The last page: everything entered, what is still wrong, and 确认提交 once nothing is. */
function summaryPage(ctx: BotContext, s: FillState, f: Frame): Card {
  const checked = validateAll(s.form, s.revision.data, s.subject.ctx);
  const problems = problemItems(s, checked);
  return ctx.cards.render('form-summary', {
    ...f.base,
    warnings: checked.warnings,
    results: summaryResults(s.form, f.data),
    sections: summarySections(s.form, s.pages, f.data, s.subject.ctx, { tablesApart: true }),
    tables: summaryTables(s.form, f.data, s.subject.ctx),
    problems,
    prev: f.nav('prev'),
    submit: problems.length ? undefined : { action: 'form.submit', sid: s.submission.id, seq: s.revision.seq },
  });
}

/** A table page: its rows with 编辑 / 删除, and 添加一行 while there is room. */
function groupPage(ctx: BotContext, s: FillState, f: Frame, g: GroupField, index: number, extras: PageExtras): Card {
  const rows = (f.data[g.id] as Row[]) ?? [];
  const row = (i: number) => ({ sid: s.submission.id, seq: s.revision.seq, page: index, index: i });
  const last = Math.max(0, Math.floor((rows.length - 1) / MAX_ROWS_SHOWN) * MAX_ROWS_SHOWN);
  const from = Math.min(Math.max(0, extras.rowFrom ?? 0), last);
  const to = (at: number) => ({ ...f.nav('rows'), from: at });
  return ctx.cards.render('form-group', {
    ...f.base,
    label: g.label,
    help: g.help,
    minRows: g.min_rows,
    rowCount: rows.length,
    hasPrev: f.hasPrev,
    canAdd: !g.fixed_rows && rows.length < g.max_rows,
    editLabel: g.fixed_rows ? '填写' : '编辑',
    comment: s.decoration.comments?.[g.id],
    error: extras.errors?.[g.id],
    rows: groupRows(s.form, g, f.data, s.subject.ctx, from).map((r) => ({
      ...r,
      edit: { action: 'form.row.edit', ...row(r.index) },
      remove: g.fixed_rows ? undefined : { action: 'form.row.delete', ...row(r.index) },
    })),
    range:
      rows.length > MAX_ROWS_SHOWN ? `第 ${from + 1}–${Math.min(rows.length, from + MAX_ROWS_SHOWN)} 行` : undefined,
    earlier: from > 0 ? to(from - MAX_ROWS_SHOWN) : undefined,
    later: from < last ? to(from + MAX_ROWS_SHOWN) : undefined,
    add: { action: 'form.row.edit', ...row(-1) },
    prev: f.nav('prev'),
    next: f.nav('next'),
  });
}

const isShown = (s: FillState, f: Parameters<typeof fieldView>[1], data: FormData) =>
  !f.visible_if || pageVisible(s.form, { kind: 'fields', section: 0, title: '', fields: [f] }, data, s.subject.ctx);

/** The row editor card for row `index` of the group on page `page` (-1 = a new row). */
export function renderRow(ctx: BotContext, s: FillState, page: number, index: number, extras: PageExtras = {}): Card {
  const p = s.pages[page];
  if (!p || p.kind !== 'group') throw new AppError('bad_request', '该卡片已过期');
  const g = p.group;
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  const row = index >= 0 ? (((data[g.id] as Row[]) ?? [])[index] ?? {}) : {};
  const value = { sid: s.submission.id, seq: s.revision.seq, page, index };
  return ctx.cards.render('form-row', {
    title: s.form.def.title,
    subject: s.subject.label,
    rowTitle: index >= 0 ? `${g.label} · 编辑第 ${index + 1} 行` : `${g.label} · 新增一行`,
    errorCount: Object.keys(extras.errors ?? {}).length,
    checks: extras.checks ?? [],
    // A target's row is known before it is filled, so what does not apply to it is left out; a new row's kind is
    // chosen on the same card, so every field is offered.
    fields: g.fields
      .filter((f) => !g.fixed_rows || isVisible(s.form, f, data, s.subject.ctx, row))
      .map((f) =>
        fieldView(s.form, f, row[f.id], {
          raw: extras.raw?.[f.id],
          error: extras.errors?.[f.id],
          choices: s.choices,
          data,
          ctx: s.subject.ctx,
          row,
        }),
      ),
    save: { action: 'form.row.save', ...value },
    saveMore:
      index < 0 && ((data[g.id] as Row[]) ?? []).length + 1 < g.max_rows
        ? { action: 'form.row.save', ...value, more: true }
        : undefined,
    cancel: { action: 'form.row.cancel', ...value },
  });
}

/** The read-only card of a submitted revision, with the button to start a new one. */
export function renderSubmitted(ctx: BotContext, s: FillState, notice?: string, readOnly = false): Card {
  const data = computeAll(s.form, s.revision.data, s.subject.ctx);
  return ctx.cards.render('form-summary', {
    title: s.form.def.title,
    subject: s.subject.label,
    submitted: true,
    revision: s.revision.revision,
    submittedAt: s.revision.submittedAt,
    formVersion: s.revision.formVersion,
    notice,
    status: s.decoration.status,
    tone: s.decoration.tone ?? 'green',
    chain: s.decoration.chain ?? [],
    results: summaryResults(s.form, data),
    sections: summarySections(s.form, s.pages, data, s.subject.ctx, { tablesApart: true }),
    tables: summaryTables(s.form, data, s.subject.ctx),
    problems: [],
    warnings: validateAll(s.form, s.revision.data, s.subject.ctx).warnings,
    withdraw: readOnly ? undefined : s.decoration.withdraw,
    urge: readOnly ? undefined : s.decoration.urge,
    reopen: readOnly ? undefined : s.decoration.reopen,
    // While approvers are deciding, the submission cannot be changed except by withdrawing it; once it came back, the
    // draft that follows it is where changes go.
    revise:
      readOnly || s.decoration.withdraw || s.decoration.reopen || s.submission.status === 'approved'
        ? undefined
        : { action: 'form.revise', sid: s.submission.id, rev: s.revision.revision },
    // An approved target may be adjusted through the same approval (目标调整).
    amend:
      !readOnly && s.form.def.amend && s.submission.status === 'approved'
        ? { action: 'form.amend', sid: s.submission.id, rev: s.revision.revision }
        : undefined,
  });
}

/** Each problem with a 去修改 that opens its page (its table at the row's group), the problem shown there. */
function problemItems(s: FillState, checked: Problems) {
  const keys = Object.keys(checked.fields);
  return problemLines(s.form, checked).map((text, i) => {
    const place = i < keys.length ? problemPlace(s.pages, keys[i]!) : undefined;
    if (!place) return { text };
    const from = place.row === undefined ? 0 : Math.floor(place.row / MAX_ROWS_SHOWN) * MAX_ROWS_SHOWN;
    const fix = { action: 'form.page', sid: s.submission.id, seq: s.revision.seq, page: place.page, nav: 'goto', from };
    return { text, fix };
  });
}

/** The problems of one page, keyed as the page shows them: a table's row problems together under the table. */
export function pageProblems(s: FillState, index: number): Record<string, string> {
  const page = s.pages[index];
  const checked = problemsOf(s, s.revision.data);
  const lines = problemLines(s.form, { ...checked, checks: [] });
  const out: Record<string, string> = {};
  Object.keys(checked.fields).forEach((key, i) => {
    if (page?.kind === 'fields' && page.fields.some((f) => f.id === key)) out[key] = checked.fields[key]!;
    if (page?.kind === 'group' && key.startsWith(`${page.group.id}[`))
      out[page.group.id] = out[page.group.id] ? `${out[page.group.id]}；${lines[i]}` : lines[i]!;
  });
  return out;
}

export function problemsOf(s: FillState, data: FormData): Problems {
  return validateAll(s.form, data, s.subject.ctx);
}

/** How many things stop the revision from being submitted. */
export function problemCount(s: FillState): number {
  const p = problemsOf(s, s.revision.data);
  return Object.keys(p.fields).length + p.checks.length;
}

/** The first page holding a field with a problem; form-level checks lead to the first table. */
export function firstPageWithProblem(s: FillState): number | undefined {
  const p = problemsOf(s, s.revision.data);
  const ids = Object.keys(p.fields).map((k) => k.split('[')[0]!);
  const i = s.pages.findIndex(
    (pg) =>
      (pg.kind === 'fields' && pg.fields.some((f) => ids.includes(f.id))) ||
      (pg.kind === 'group' && ids.includes(pg.group.id)),
  );
  if (i >= 0) return i;
  // Form-level checks are mostly about indicator tables: send the user to the first group.
  if (p.checks.length) {
    const g = s.pages.findIndex((pg) => pg.kind === 'group');
    return g >= 0 ? g : undefined;
  }
  return undefined;
}
