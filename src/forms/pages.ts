import type { CompiledForm } from './compile-form.ts';
import { type FormContext, type FormData, isVisible } from './form-engine.ts';
import { type GroupField, type LeafField, isGroup } from './form-schema.ts';

/** How many inputs one card page holds: keeps a page well under Lark's 200 elements and 30 KB. */
export const FIELDS_PER_PAGE = 8;

export type Page =
  | { kind: 'fields'; section: number; title: string; fields: LeafField[] }
  | { kind: 'group'; section: number; title: string; group: GroupField }
  | { kind: 'summary'; title: string };

/**
 * Splits a form into card pages: each section's plain fields in chunks, each repeating group on its own page,
 * then the summary. Sections holding only computed, locked or reviewer-only fields have no page: their values show on
 * the summary.
 */
export function pagesOf(form: CompiledForm): Page[] {
  const pages: Page[] = [];
  form.def.sections.forEach((section, s) => {
    let chunk: LeafField[] = [];
    const flush = () => {
      if (chunk.some((f) => !f.compute && !f.locked && !f.reviewer_only))
        pages.push({ kind: 'fields', section: s, title: section.title, fields: chunk });
      chunk = [];
    };
    for (const f of section.fields) {
      if (isGroup(f)) {
        flush();
        pages.push({ kind: 'group', section: s, title: section.title, group: f });
      } else {
        chunk.push(f);
        if (chunk.filter((x) => !x.compute).length >= FIELDS_PER_PAGE) flush();
      }
    }
    flush();
  });
  pages.push({ kind: 'summary', title: '核对并提交' });
  return pages;
}

/** A page is shown when any of its fields is visible for the current data. */
export function pageVisible(form: CompiledForm, page: Page, data: FormData, ctx: FormContext): boolean {
  if (page.kind === 'summary') return true;
  if (page.kind === 'group') return isVisible(form, page.group, data, ctx);
  return page.fields.some((f) => isVisible(form, f, data, ctx));
}

/** The next (or previous) visible page from `from`, clamped to the form. */
export function step(
  form: CompiledForm,
  pages: Page[],
  from: number,
  dir: 1 | -1,
  data: FormData,
  ctx: FormContext,
): number {
  for (let i = from + dir; i >= 0 && i < pages.length; i += dir) if (pageVisible(form, pages[i]!, data, ctx)) return i;
  return Math.min(Math.max(from, 0), pages.length - 1);
}
