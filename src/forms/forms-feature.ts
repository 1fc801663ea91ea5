import { z } from 'zod';
import type { BotContext, BotRegistry, CardResponse } from '../bot/bot-types';
import { idSchema } from '../bot/guards';
import { fillerOfSubject, fillerOfSubmission } from './form-guards';
import { appendAudit } from '../audit/audit-log';
import { projectsOf } from '../projects';
import { beijingDate } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { FormData, Row } from './form-engine';
import { computeAll, defaults, isRequired, isVisible, parseFields, validateRow } from './form-engine';
import type { FormStore } from './form-store';
import { cardResponse } from '../bot/card-response';
import {
  type Describe,
  type FillState,
  loadState as loadWith,
  problemsOf,
  renderPage,
  renderRow,
  renderSubmitted,
} from './filling';
import { type Page, step } from './pages';
import {
  latestSubmittedRevision,
  createSubmission,
  findSubmission,
  getRevision,
  markSubmitted,
  openRevision,
  saveDraft,
  submissionsForSubjects,
} from './submission-repository';
import { type Subject, loadSubject } from './subject';

/** Called after a revision is submitted, inside the same transaction (approval chains hook in here). */
export type SubmittedHook = (ctx: BotContext, state: FillState) => Promise<void>;

const seqSchema = z.coerce.number().int().min(0);
/** A row action: the draft, the card's save counter, the table page and the row (-1 = a new row). */
const rowValue = z.object({ sid: idSchema, seq: seqSchema, page: seqSchema, index: z.coerce.number().int().min(-1) });
type RowValue = z.infer<typeof rowValue>;
/** A page's inputs: each field is parsed and checked by the form engine against the form's own definition. */
const fieldValues = z.record(z.string(), z.unknown());
const stale = (ctx: BotContext, s: FillState) =>
  cardResponse(pageOrSubmitted(ctx, s), { type: 'warning', content: '卡片已过期，已刷新为最新内容' });
const pageOrSubmitted = (ctx: BotContext, s: FillState) =>
  s.revision.status === 'submitted' ? renderSubmitted(ctx, s) : renderPage(ctx, s, s.revision.page);
const source = (ctx: BotContext) =>
  ctx.event.kind === 'card_action' && ctx.event.messageId ? `card:${ctx.event.messageId}` : 'bot';

export interface FormHooks {
  afterSubmit?: SubmittedHook[];
  describe?: Describe;
}

export function registerForms(registry: BotRegistry, store: FormStore, hooks: FormHooks = {}): void {
  const filler = fillerOfSubmission(store);
  const loadState = (ctx: BotContext, _store: FormStore, id: number) => loadWith(ctx, store, id, hooks.describe);
  /** The draft and its table page a row action is about, or the refreshed card when the click is stale. */
  const groupPage = async (
    ctx: BotContext,
    v: RowValue,
  ): Promise<{ s: FillState; page: Extract<Page, { kind: 'group' }> } | { response: CardResponse }> => {
    const s = await loadState(ctx, store, v.sid);
    const page = s.pages[v.page];
    if (s.revision.status !== 'draft' || v.seq !== s.revision.seq || !page || page.kind !== 'group')
      return { response: stale(ctx, s) };
    return { s, page };
  };
  registry.command({
    name: 'fill',
    title: '填报',
    description: '填写绩效目标、绩效自评等表单；草稿随时保存，下次接着填',
    aliases: ['填报', 'fill'],
    roles: ['filler'],
    menuKey: 'menu_fill',
    run: async (ctx, args) => ctx.respond(await chooserCard(ctx, store, args)),
  });

  registry.action({
    key: 'form.open',
    value: z.object({ form: z.string(), type: z.enum(['project', 'department']).default('project'), id: idSchema }),
    guard: fillerOfSubject(store),
    async run(ctx, { value: v }) {
      const form = store.get(v.form)!;
      const subject = (await loadSubject(ctx.tx, v.type, v.id, currentYear(ctx.now)))!;
      let submission = await findSubmission(ctx.tx, {
        formId: form.def.id,
        subjectType: subject.type,
        subjectId: subject.id,
        period: subject.period,
      });
      if (!submission) {
        await store.pin(ctx.tx, form, ctx.now);
        const data = { ...defaults(form, subject.ctx), ...(await prefill(ctx, store, form.def.prefill, subject)) };
        submission = await createSubmission(
          ctx.tx,
          {
            formId: form.def.id,
            subjectType: subject.type,
            subjectId: subject.id,
            period: subject.period,
            departmentId: subject.departmentId,
            userId: ctx.user!.id,
            formVersion: form.def.version,
            data,
          },
          ctx.now,
        );
        await appendAudit(ctx.tx, {
          at: ctx.now,
          actorUserId: ctx.user!.id,
          action: 'submission.create',
          entityType: 'submission',
          entityId: submission.id,
          revision: 1,
          source: source(ctx),
          detail: { form: form.def.id, version: form.def.version },
        });
      }
      return cardResponse(pageOrSubmitted(ctx, await loadState(ctx, store, submission.id)));
    },
  });

  registry.action({
    key: 'form.page',
    value: z.object({ sid: idSchema, seq: seqSchema, page: seqSchema, nav: z.enum(['prev', 'next', 'save']) }),
    form: fieldValues,
    guard: filler,
    async run(ctx, { value: v, form: raw }) {
      const s = await loadState(ctx, store, v.sid);
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq) return stale(ctx, s);
      const index = v.page;
      const page = s.pages[index];
      if (!page) return stale(ctx, s);
      const nav = v.nav;
      const ctxData = s.subject.ctx;
      let data: FormData = { ...s.revision.data };

      if (page.kind === 'fields') {
        const visible = page.fields.filter((f) => isVisible(s.form, f, { ...data }, ctxData));
        const { values, errors } = parseFields(visible, raw);
        data = { ...data, ...values };
        if (nav === 'save' && Object.keys(errors).length)
          return cardResponse(renderPage(ctx, s, index, { raw, errors }));
        // A draft may be saved incomplete; moving on needs the page's required fields.
        if (nav === 'next') {
          const computed = computeAll(s.form, data, ctxData);
          for (const f of page.fields) {
            if (errors[f.id] || f.compute || !isVisible(s.form, f, computed, ctxData)) continue;
            const val = computed[f.id];
            if (isRequired(s.form, f, computed, ctxData) && (val === null || val === undefined || val === ''))
              errors[f.id] = '此项必填';
          }
          if (Object.keys(errors).length) return cardResponse(renderPage(ctx, s, index, { raw, errors }));
        } else {
          for (const id of Object.keys(errors)) delete data[id];
        }
      }
      if (page.kind === 'group' && nav === 'next') {
        const rows = (data[page.group.id] as Row[]) ?? [];
        if (rows.length < page.group.min_rows)
          return cardResponse(
            renderPage(ctx, s, index, {
              errors: { [page.group.id]: `至少需要 ${page.group.min_rows} 行（当前 ${rows.length} 行）` },
            }),
          );
      }
      let target = index;
      if (nav === 'next') target = step(s.form, s.pages, index, 1, computeAll(s.form, data, ctxData), ctxData);
      if (nav === 'prev')
        target =
          page.kind === 'summary'
            ? (firstPageWithProblem(s) ?? step(s.form, s.pages, index, -1, data, ctxData))
            : step(s.form, s.pages, index, -1, data, ctxData);
      if (!(await saveDraft(ctx.tx, s.revision, data, target, ctx.user!.id, ctx.now)))
        return stale(ctx, await loadState(ctx, store, s.submission.id));
      const fresh = await loadState(ctx, store, s.submission.id);
      return cardResponse(
        renderPage(ctx, fresh, target),
        nav === 'save' ? { type: 'success', content: '草稿已保存，可随时回来继续填写' } : undefined,
      );
    },
  });

  registry.action({
    key: 'form.row.edit',
    value: rowValue,
    guard: filler,
    async run(ctx, { value: v }) {
      const s = await loadState(ctx, store, v.sid);
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq) return stale(ctx, s);
      return cardResponse(renderRow(ctx, s, v.page, v.index));
    },
  });

  registry.action({
    key: 'form.row.cancel',
    value: rowValue,
    guard: filler,
    async run(ctx, { value: v }) {
      const s = await loadState(ctx, store, v.sid);
      return s.revision.status === 'draft' ? cardResponse(renderPage(ctx, s, v.page)) : stale(ctx, s);
    },
  });

  registry.action({
    key: 'form.row.save',
    value: rowValue,
    form: fieldValues,
    guard: filler,
    async run(ctx, { value: v, form: raw }) {
      const found = await groupPage(ctx, v);
      if ('response' in found) return found.response;
      const { s, page } = found;
      const g = page.group;
      const index = v.index;
      const rows = [...((s.revision.data[g.id] as Row[]) ?? [])];
      const { values, errors } = parseFields(g.fields, raw);
      const row: Row = { ...(index >= 0 ? rows[index] : {}), ...values };
      const problems = validateRow(s.form, g, row, s.revision.data, s.subject.ctx);
      const allErrors = { ...problems.fields, ...errors };
      if (Object.keys(allErrors).length || problems.checks.length) {
        return cardResponse(renderRow(ctx, s, v.page, index, { raw, errors: allErrors, checks: problems.checks }));
      }
      if (index >= 0 && index < rows.length) rows[index] = row;
      else if (rows.length < g.max_rows) rows.push(row);
      else return cardResponse(renderPage(ctx, s, v.page, { errors: { [g.id]: `最多 ${g.max_rows} 行` } }));
      return saveAndShow(
        ctx,
        (id) => loadState(ctx, store, id),
        s,
        { ...s.revision.data, [g.id]: rows },
        v.page,
        index >= 0 ? '已保存这一行' : '已添加一行',
      );
    },
  });

  registry.action({
    key: 'form.row.delete',
    value: rowValue,
    guard: filler,
    async run(ctx, { value: v }) {
      const found = await groupPage(ctx, v);
      if ('response' in found) return found.response;
      const { s, page } = found;
      const rows = [...((s.revision.data[page.group.id] as Row[]) ?? [])];
      rows.splice(v.index, 1);
      return saveAndShow(
        ctx,
        (id) => loadState(ctx, store, id),
        s,
        { ...s.revision.data, [page.group.id]: rows },
        v.page,
        '已删除',
      );
    },
  });

  registry.action({
    key: 'form.submit',
    value: z.object({ sid: idSchema, seq: seqSchema }),
    guard: filler,
    async run(ctx, { value: v }) {
      const s = await loadState(ctx, store, v.sid);
      if (s.revision.status !== 'draft' || v.seq !== s.revision.seq) return stale(ctx, s);
      const summary = s.pages.length - 1;
      if (problemLinesCount(s) > 0)
        return cardResponse(renderPage(ctx, s, summary), { type: 'error', content: '还有需要修改的地方' });
      if (!(await markSubmitted(ctx.tx, s.revision, ctx.user!.id, ctx.now)))
        return stale(ctx, await loadState(ctx, store, s.submission.id));
      const done = await loadState(ctx, store, s.submission.id);
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user!.id,
        action: 'submission.submit',
        entityType: 'submission',
        entityId: s.submission.id,
        revision: s.revision.revision,
        source: source(ctx),
        detail: { form: s.form.def.id, version: s.revision.formVersion },
      });
      for (const hook of hooks.afterSubmit ?? []) await hook(ctx, done);
      return cardResponse(renderSubmitted(ctx, await loadState(ctx, store, s.submission.id)), {
        type: 'success',
        content: `已提交（第 ${s.revision.revision} 版）`,
      });
    },
  });

  registry.action({
    key: 'form.revise',
    value: z.object({ sid: idSchema, rev: idSchema }),
    guard: filler,
    async run(ctx, { value: v }) {
      const s = await loadState(ctx, store, v.sid);
      if (s.revision.status !== 'submitted' || v.rev !== s.revision.revision) return stale(ctx, s);
      // Approved work is locked; work under approval changes only by withdrawing it first.
      if (s.submission.status === 'approved') return { toast: { type: 'warning', content: '已审批通过，不能再修改' } };
      if (s.submission.status === 'in_approval')
        return { toast: { type: 'warning', content: '正在审批中，如需修改请先撤回' } };
      const form = store.get(s.form.def.id);
      // A new revision keeps the version its submission started with, unless the form has moved on: then it upgrades.
      const version = form ? form.def.version : s.revision.formVersion;
      if (form) await store.pin(ctx.tx, form, ctx.now);
      await openRevision(ctx.tx, s.submission, s.revision, version, ctx.user!.id, ctx.now);
      const fresh = await loadState(ctx, store, s.submission.id);
      await appendAudit(ctx.tx, {
        at: ctx.now,
        actorUserId: ctx.user!.id,
        action: 'submission.revise',
        entityType: 'submission',
        entityId: s.submission.id,
        revision: fresh.revision.revision,
        source: source(ctx),
      });
      return cardResponse(
        renderPage(ctx, fresh, 0, {
          notice: `已生成第 ${fresh.revision.revision} 版草稿，第 ${s.revision.revision} 版保留不变。`,
        }),
      );
    },
  });
}

function problemLinesCount(s: FillState): number {
  const p = problemsOf(s, s.revision.data);
  return Object.keys(p.fields).length + p.checks.length;
}

function firstPageWithProblem(s: FillState): number | undefined {
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

async function saveAndShow(
  ctx: BotContext,
  load: (id: number) => Promise<FillState>,
  s: FillState,
  data: FormData,
  page: number,
  toast: string,
): Promise<CardResponse> {
  if (!(await saveDraft(ctx.tx, s.revision, data, page, ctx.user!.id, ctx.now)))
    return stale(ctx, await load(s.submission.id));
  return cardResponse(renderPage(ctx, await load(s.submission.id), page), { type: 'success', content: toast });
}

/**
 * Copies fields from another form's submission for the same subject (target → self-evaluation): its approved
 * revision when that form has an approval chain, else its latest submitted one.
 */
async function prefill(
  ctx: BotContext,
  store: FormStore,
  spec: { form: string; fields: Record<string, string> } | undefined,
  subject: Subject,
): Promise<FormData> {
  if (!spec) return {};
  const source = await findSubmission(ctx.tx, {
    formId: spec.form,
    subjectType: subject.type,
    subjectId: subject.id,
    period: subject.period,
  });
  if (!source) return {};
  // An approved submission is locked, so its latest submitted revision is the approved one.
  if (store.get(spec.form)?.def.approval && source.status !== 'approved') return {};
  const revision = await latestSubmittedRevision(ctx.tx, source.id);
  if (!revision) return {};
  const rev = (await getRevision(ctx.tx, source.id, revision))!;
  return Object.fromEntries(Object.entries(spec.fields).map(([to, from]) => [to, rev.data[from] ?? null]));
}

const currentYear = (now: number) => beijingDate(now).slice(0, 4);

export const submissionStatusLabels: Record<string, string> = {
  not_started: '未开始',
  draft: '草稿',
  submitted: '已提交',
  in_approval: '审批中',
  returned: '已退回待修改',
  approved: '已通过',
  rejected: '已驳回',
};

const statusText = (status: string | undefined, revision: number | undefined) =>
  !status
    ? '未开始'
    : `${submissionStatusLabels[status] ?? status}${revision && revision > 1 ? `（第 ${revision} 版）` : ''}`;

/** `填报`: the forms this user fills, per project of their departments, with where each stands. */
async function chooserCard(ctx: BotContext, store: FormStore, args: string) {
  const user = ctx.user!;
  const forms = store.list().filter((f) => f.def.fillers.some((r) => user.roles.some((g) => g.role === r)));
  const deptIds = [
    ...new Set(user.roles.filter((g) => g.role === 'filler').map((g) => g.scopeDepartmentId ?? user.departmentId)),
  ];
  const projects = await projectsOf(ctx.tx, deptIds, args || undefined);
  if (args && !projects.length) throw new AppError('not_found', `没有找到您单位的项目 ${args}`);
  const existing = await submissionsForSubjects(
    ctx.tx,
    'project',
    projects.map((p) => p.id),
  );
  const items = forms.flatMap((f) =>
    f.def.attach_to === 'project'
      ? projects.map((p) => {
          const sub = existing.find((e) => e.formId === f.def.id && e.subjectId === p.id);
          return {
            formTitle: f.def.title,
            subject: `${p.name}（${p.code}）`,
            status: statusText(sub?.status, sub?.currentRevision),
            buttonText: !sub ? '开始填报' : sub.status === 'draft' || sub.status === 'returned' ? '继续填报' : '查看',
            open: { action: 'form.open', form: f.def.id, type: 'project', id: p.id },
          };
        })
      : deptIds.map((d) => ({
          formTitle: f.def.title,
          subject: user.departmentName,
          status: '',
          buttonText: '打开',
          open: { action: 'form.open', form: f.def.id, type: 'department', id: d },
        })),
  );
  const shown = 12;
  return ctx.cards.render('form-chooser', {
    department: user.departmentName,
    items: items.slice(0, shown),
    more: items.length > shown,
    shown,
  });
}
