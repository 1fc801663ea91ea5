import { z } from 'zod';
import type { ActionContext, CardAction, CardResponse } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { idSchema } from '../bot/guards.ts';
import { stale } from './fill-responses.ts';
import { type Filling, type FillState, withRevision } from './fill-state.ts';
import { renderPage, renderRow } from './fill-cards.ts';
import { type FormData, type Row, parseFields, refuseLockedChanges, validateRow } from './form-engine.ts';
import type { GroupField } from './form-schema.ts';
import { AppError } from '../shared/errors.ts';
import { fillerOfSubmission } from './form-guards.ts';
import { fieldValues, seqSchema } from './form-page-action.ts';
import type { Page } from './pages.ts';
import { MAX_ROWS_SHOWN } from './form-view.ts';
import { saveDraft } from './submission-repository.ts';

/** A row action: the draft, the card's save counter, the table page and the row (-1 = a new row). */
const rowValue = z.object({ sid: idSchema, seq: seqSchema, page: seqSchema, index: z.coerce.number().int().min(-1) });
type RowValue = z.infer<typeof rowValue>;
type GroupPage = Extract<Page, { kind: 'group' }>;

/** 添加一行 / 编辑: the row editor. */
export function rowEditAction(f: Filling): CardAction<RowValue> {
  return {
    key: 'form.row.edit',
    value: rowValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const s = await f.load(ctx, v.sid);
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq) return stale(ctx, s);
      const page = s.pages[v.page];
      if (v.index < 0 && page?.kind === 'group') refuseRowChange(s, page.group);
      return cardResponse(renderRow(ctx, s, v.page, v.index));
    },
  };
}

/** 取消 in the row editor: back to the table. */
export function rowCancelAction(f: Filling): CardAction<RowValue> {
  return {
    key: 'form.row.cancel',
    value: rowValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const s = await f.load(ctx, v.sid);
      return s.revision.status === 'draft'
        ? cardResponse(renderPage(ctx, s, v.page, rowsAround(v.index)))
        : stale(ctx, s);
    },
  };
}

/** `more`: 保存并添加下一行 — a new row saved, the editor opens empty for the next one. */
const rowSaveValue = rowValue.extend({ more: z.boolean().optional() });

/** 保存这一行: checks the row against the form's rules, then adds or replaces it. */
export function rowSaveAction(f: Filling): CardAction<z.infer<typeof rowSaveValue>, Record<string, unknown>> {
  return {
    key: 'form.row.save',
    value: rowSaveValue,
    form: fieldValues,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v, form: raw }) {
      const found = await groupPage(ctx, f, v);
      if ('response' in found) return found.response;
      const { s, page } = found;
      const g = page.group;
      const rows = [...((s.revision.data[g.id] as Row[]) ?? [])];
      if (v.index < 0 || v.index >= rows.length) refuseRowChange(s, g);
      refuseLockedChanges(s.form, g.fields, raw, rows[v.index] ?? {});
      const { values, errors } = parseFields(g.fields, raw);
      const row: Row = { ...(v.index >= 0 ? rows[v.index] : {}), ...values };
      const problems = validateRow(s.form, g, row, s.revision.data, s.subject.ctx);
      const allErrors = { ...problems.fields, ...errors };
      if (Object.keys(allErrors).length || problems.checks.length)
        return cardResponse(renderRow(ctx, s, v.page, v.index, { raw, errors: allErrors, checks: problems.checks }));
      if (v.index >= 0 && v.index < rows.length) rows[v.index] = row;
      else if (rows.length < g.max_rows) rows.push(row);
      else return cardResponse(renderPage(ctx, s, v.page, { errors: { [g.id]: `最多 ${g.max_rows} 行` } }));
      const toast = v.index >= 0 ? '已保存这一行' : `已添加第 ${rows.length} 行`;
      const at = v.index >= 0 ? v.index : rows.length - 1;
      const next = v.more && v.index < 0 && rows.length < g.max_rows;
      return saveAndShow(ctx, f, s, { ...s.revision.data, [g.id]: rows }, v.page, toast, at, next);
    },
  };
}

/** 删除 a row. */
export function rowDeleteAction(f: Filling): CardAction<RowValue> {
  return {
    key: 'form.row.delete',
    value: rowValue,
    guard: fillerOfSubmission(f.store),
    async run(ctx, { value: v }) {
      const found = await groupPage(ctx, f, v);
      if ('response' in found) return found.response;
      const { s, page } = found;
      refuseRowChange(s, page.group);
      const rows = [...((s.revision.data[page.group.id] as Row[]) ?? [])];
      rows.splice(v.index, 1);
      return saveAndShow(ctx, f, s, { ...s.revision.data, [page.group.id]: rows }, v.page, '已删除', v.index);
    },
  };
}

/** A table whose rows come from the approved target takes no new rows and loses none. */
function refuseRowChange(s: FillState, g: GroupField): void {
  if (!g.fixed_rows) return;
  const note = s.form.def.prefill?.lock_note ?? '该表格的行已锁定';
  throw new AppError('forbidden', `「${g.label}」不能增加或删除行：${note}`, { hint: `fixed_rows ${g.id}` });
}

/** The draft and its table page a row action is about, or the refreshed card when the click is stale. */
async function groupPage(
  ctx: ActionContext,
  f: Filling,
  v: RowValue,
): Promise<{ s: FillState; page: GroupPage } | { response: CardResponse }> {
  const s = await f.load(ctx, v.sid);
  const page = s.pages[v.page];
  if (s.revision.status !== 'draft' || v.seq !== s.revision.seq || !page || page.kind !== 'group')
    return { response: stale(ctx, s) };
  return { s, page };
}

/** Back on the table after a row: the group of rows that holds it. */
const rowsAround = (index: number) => ({ rowFrom: Math.floor(Math.max(0, index) / MAX_ROWS_SHOWN) * MAX_ROWS_SHOWN });

async function saveAndShow(
  ctx: ActionContext,
  f: Filling,
  s: FillState,
  data: FormData,
  page: number,
  toast: string,
  rowIndex: number,
  nextRow = false,
): Promise<CardResponse> {
  const saved = await saveDraft(ctx.tx, s.revision, data, page, ctx.user.id, ctx.now);
  if (!saved) return stale(ctx, await f.reload(ctx, s.submission.id));
  const now = withRevision(ctx, s, saved);
  const card = nextRow ? renderRow(ctx, now, page, -1) : renderPage(ctx, now, page, rowsAround(rowIndex));
  return cardResponse(card, { type: 'success', content: toast });
}
