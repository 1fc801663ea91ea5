import { z } from 'zod';
import type { CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema } from '../bot/guards.ts';
import { type Filling, type FillState, withRevision } from './fill-state.ts';
import { firstPageWithProblem, pageProblems, renderPage } from './fill-cards.ts';
import {
  type FormData,
  type Row,
  computeAll,
  isRequired,
  isVisible,
  parseFields,
  refuseLockedChanges,
} from './form-engine.ts';
import { fillerOfSubmission } from './form-guards.ts';
import { stale } from './fill-responses.ts';
import { type Page, step } from './pages.ts';
import { saveDraft } from './submission-repository.ts';
import { resolveFileInputs } from './file-inputs.ts';

export const seqSchema = z.coerce.number().int().min(0);
/**
 * `rows` pages a long table from row `from` on; `goto` opens a page from the summary's 去修改, with its problems shown.
 * Neither reads the card's inputs or writes anything.
 */
const pageValue = z.object({
  sid: idSchema,
  seq: seqSchema,
  page: seqSchema,
  nav: z.enum(['prev', 'next', 'save', 'rows', 'goto']),
  from: seqSchema.optional(),
  /** 下一步 on a page opened by 去修改: back to the summary once the page is complete. */
  fix: z.coerce.number().int().min(0).max(1).optional(),
});
type Nav = z.infer<typeof pageValue>['nav'];
/** A page's inputs: each field is parsed and checked by the form engine against the form's own definition. */
export const fieldValues = z.record(z.string(), z.unknown());

/**
 * 上一步 / 保存草稿 / 下一步 on a page: keeps what parses, and moves on only when the page is complete. A draft may be
 * saved incomplete; going back drops what does not parse rather than losing the whole page.
 */
export function formPageAction(f: Filling): CardAction<z.infer<typeof pageValue>, Record<string, unknown>> {
  return {
    key: 'form.page',
    value: pageValue,
    form: fieldValues,
    guard: fillerOfSubmission(f.store),
    // 去修改 and a long table's paging only read (above): answered without a dedupe row or, on MySQL, a transaction.
    readOnly: (value) => value.nav === 'rows' || value.nav === 'goto',
    async run(ctx, { value: v, form: raw }) {
      const s = await f.load(ctx, v.sid);
      const page = s.pages[v.page];
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq || !page) return stale(ctx, s);
      if (v.nav === 'rows') return cardResponse(renderPage(ctx, s, v.page, { rowFrom: v.from ?? 0 }));
      const fix = v.nav === 'goto' || Boolean(v.fix);
      if (v.nav === 'goto')
        return cardResponse(renderPage(ctx, s, v.page, { rowFrom: v.from ?? 0, errors: pageProblems(s, v.page), fix }));
      const inputs = page.kind === 'fields' ? await resolveFileInputs(ctx, s, page.fields, raw) : raw;
      const read = readPage(s, page, v.nav, inputs);
      if ('errors' in read) return cardResponse(renderPage(ctx, s, v.page, { ...read, fix }));
      const target = fix && v.nav === 'next' ? s.pages.length - 1 : nextPage(s, page, v.page, v.nav, read.data);
      const saved = await saveDraft(ctx.tx, s.revision, read.data, target, ctx.user.id, ctx.now);
      if (!saved) return stale(ctx, await f.reload(ctx, s.submission.id));
      return cardResponse(
        renderPage(ctx, withRevision(ctx, s, saved), target),
        v.nav === 'save' ? { type: 'success', content: '草稿已保存，可随时回来继续填写' } : undefined,
      );
    },
  };
}

type PageRead = { data: FormData } | { raw?: Record<string, unknown>; errors: Record<string, string>; data?: FormData };

/** The draft's data with the page's inputs applied, or what is wrong with them. */
function readPage(s: FillState, page: Page, nav: Nav, raw: Record<string, unknown>): PageRead {
  const data: FormData = { ...s.revision.data };
  const ctxData = s.subject.ctx;
  if (page.kind === 'group') {
    const rows = (data[page.group.id] as Row[]) ?? [];
    if (nav === 'next' && rows.length < page.group.min_rows)
      return { errors: { [page.group.id]: `至少需要 ${page.group.min_rows} 行（当前 ${rows.length} 行）` } };
    return { data };
  }
  if (page.kind !== 'fields') return { data };
  refuseLockedChanges(s.form, page.fields, raw, data);
  const visible = page.fields.filter((f) => isVisible(s.form, f, { ...data }, ctxData));
  const { values, errors } = parseFields(visible, raw);
  Object.assign(data, values);
  if (nav === 'prev') {
    for (const id of Object.keys(errors)) delete data[id];
    return { data };
  }
  if (nav === 'next') {
    const computed = computeAll(s.form, data, ctxData);
    for (const f of page.fields) {
      if (errors[f.id] || f.compute || !isVisible(s.form, f, computed, ctxData)) continue;
      const val = computed[f.id];
      if (isRequired(s.form, f, computed, ctxData) && (val === null || val === undefined || val === ''))
        errors[f.id] = '此项必填';
    }
  }
  return Object.keys(errors).length ? { raw, errors, data } : { data };
}

/** Where the click leads: the next or previous visible page; back from the summary, to the first problem. */
function nextPage(s: FillState, page: Page, index: number, nav: Nav, data: FormData): number {
  const ctxData = s.subject.ctx;
  if (nav === 'next') return step(s.form, s.pages, index, 1, computeAll(s.form, data, ctxData), ctxData);
  if (nav === 'prev') {
    const back = () => step(s.form, s.pages, index, -1, data, ctxData);
    return page.kind === 'summary' ? (firstPageWithProblem(s) ?? back()) : back();
  }
  return index;
}
