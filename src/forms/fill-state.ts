import type { BotContext } from '../bot/bot-types.ts';
import { departmentOptions, peopleOf } from '../org/index.ts';
import { recordExAnte, recordTargetReview } from '../projects/index.ts';
import { AppError } from '../shared/errors.ts';
import type { CompiledForm } from './compile-form.ts';
import type { Value } from './expression/evaluate.ts';
import { type Row, allFields, computeAll, withoutReviewerValues } from './form-engine.ts';
import { type LeafField, isGroup } from './form-schema.ts';
import { parseInput } from './parse-input.ts';
import { attachableOptions } from '../files/index.ts';
import type { FormStore } from './form-store.ts';
import type { Choices } from './form-view.ts';
import { type Page, pagesOf } from './pages.ts';
import {
  type RevisionRow,
  type SubmissionRow,
  getCurrent,
  openRevision,
  reviseSubmittedData,
  setSubmissionStatus as setStatus,
} from './submission-repository.ts';
import { type Subject, fillRefusal, subjectOf } from './subject.ts';

/** Everything one card action needs about a submission, loaded in the action's transaction. */
export interface FillState {
  submission: SubmissionRow;
  revision: RevisionRow;
  form: CompiledForm;
  subject: Subject;
  pages: Page[];
  choices: Choices;
  decoration: Decoration;
}

/** What other features add to a submission's cards: approval status, a withdraw button, reviewers' comments. */
export interface Decoration {
  status?: string;
  withdraw?: Record<string, unknown>;
  /** Field id → reviewer's comment, shown beside the field while the filler revises. */
  comments?: Record<string, string>;
  /** A reviewer's comment not tied to a field. */
  note?: string;
  /** The chain of the submitted revision, a line a step (who decided, who it waits on, who is next). */
  chain?: string[];
  /** 催办 while the chain waits on someone. */
  urge?: Record<string, unknown>;
  /** 修改并重新提交 once the revision came back (returned or withdrawn): opens the draft that follows it. */
  reopen?: Record<string, unknown>;
  /** The submitted card's colour: where the chain stands. */
  tone?: 'blue' | 'green' | 'orange' | 'red' | 'grey';
}

export type Describe = (ctx: BotContext, s: Omit<FillState, 'decoration'>) => Promise<Decoration>;

/** Called after a revision is submitted, inside the same transaction (approval chains hook in here). */
export type SubmittedHook = (ctx: BotContext, state: FillState) => Promise<void>;

/** What a draft's `=defaults` may read about the campaign it is started for (campaigns know it; forms do not). */
export type CampaignOf = (ctx: BotContext, formId: string, s: Subject) => Promise<Record<string, Value> | undefined>;

/** What other features plug into filling: work after a submit, and what they add to a submission's cards. */
export interface FormHooks {
  afterSubmit?: SubmittedHook[];
  describe?: Describe;
  campaignOf?: CampaignOf;
}

/** What the fill actions share: the forms, the hooks, and the loader that applies them. */
export interface Filling {
  store: FormStore;
  hooks: FormHooks;
  /** The state as this event knows it (read once, then as written). */
  load(ctx: BotContext, sid: number): Promise<FillState>;
  /** The state as the database has it now: after a write lost to a concurrent one. */
  reload(ctx: BotContext, sid: number): Promise<FillState>;
}

export function filling(store: FormStore, hooks: FormHooks): Filling {
  const load = (ctx: BotContext, sid: number) => loadState(ctx, store, sid, hooks.describe);
  return {
    store,
    hooks,
    load,
    reload(ctx, sid) {
      remember(ctx, sid, undefined);
      return load(ctx, sid);
    },
  };
}

type Current = { submission: SubmissionRow; revision: RevisionRow };
const currentKey = (sid: number) => `submission:${sid}`;

/** The submission and its current revision, read once per event: a guard's read serves its handler. */
export function currentOf(ctx: BotContext, sid: number): Promise<Current | undefined> {
  return ctx.reads.once(currentKey(sid), () => getCurrent(ctx.tx, sid));
}

/** After a write through the repository: what later reads in this event see (undefined = read it again). */
export function remember(ctx: BotContext, sid: number, current: Current | undefined): void {
  if (current) ctx.reads.set(currentKey(sid), current);
  else ctx.reads.forget(currentKey(sid));
}

/** `fill` checks that the user may fill the form; `read` is for approvers and notifications, who only read it. */
export async function loadState(
  ctx: BotContext,
  store: FormStore,
  submissionId: number,
  describe?: Describe,
  access: 'fill' | 'read' = 'fill',
): Promise<FillState> {
  const current = await currentOf(ctx, submissionId);
  if (!current) throw new AppError('not_found', '该填报已不存在');
  const { submission, revision } = current;
  const form = await store.at(ctx.tx, submission.formId, revision.formVersion);
  const subject = await subjectOf(ctx, submission.subjectType, submission.subjectId, submission.period);
  if (!subject) throw new AppError('not_found', '填报对象已不存在');
  const refusal =
    access === 'fill' ? await fillRefusal(ctx, form.def, { ...subject, period: submission.period }) : null;
  if (refusal) throw new AppError('forbidden', refusal);
  const base = {
    submission,
    revision,
    form,
    subject,
    pages: pagesOf(form),
    choices: await choicesFor(ctx, form, submission.departmentId),
  };
  return { ...base, decoration: describe ? await describe(ctx, base) : {} };
}

/** The same state after a write: remembered for the rest of the event, so nothing is read back. */
export function withRevision(ctx: BotContext, s: FillState, revision: RevisionRow, status?: string): FillState {
  const submission = status ? { ...s.submission, status } : s.submission;
  remember(ctx, s.submission.id, { submission, revision });
  return { ...s, submission, revision };
}

const fieldTypes = new WeakMap<CompiledForm, Set<string>>();

/** The kinds of field a form has, tables' columns included: kept per compiled form, which never changes. */
function typesOf(form: CompiledForm): Set<string> {
  let types = fieldTypes.get(form);
  if (!types) {
    types = new Set(allFields(form).flatMap((f) => (f.type === 'group' ? f.fields.map((g) => g.type) : [f.type])));
    fieldTypes.set(form, types);
  }
  return types;
}

/** Pickers of people and departments, read only for forms that have such fields. */
async function choicesFor(ctx: BotContext, form: CompiledForm, departmentId: number): Promise<Choices> {
  const types = typesOf(form);
  const people = types.has('person')
    ? await ctx.reads.once(`people-of:${departmentId}`, () => peopleOf(ctx.tx, departmentId, 50))
    : [];
  const departments = types.has('department')
    ? await ctx.reads.once('department-options', () => departmentOptions(ctx.tx, 100))
    : [];
  const files = types.has('file') ? await attachableOptions(ctx.tx, fileDepartments(ctx, departmentId)) : [];
  return {
    people: people.map((p) => ({ value: p.openId, label: p.name })),
    departments: departments.map((d) => ({ value: d.code, label: d.name })),
    files,
  };
}

/** Whose files a form may attach: its unit's, and the filler's own unit's (an assigned evaluator's). */
export const fileDepartments = (ctx: BotContext, departmentId: number) => [
  ...new Set([departmentId, ...(ctx.user ? [ctx.user.departmentId] : [])]),
];

/**
 * An approver's adjustment of one row under `approval.adjust` (reviewer-only fields only), written into the submitted
 * revision under approval. Resolves the state as written, or undefined when the revision changed meanwhile.
 */
export async function recordAdjustment(
  ctx: BotContext,
  s: FillState,
  rowIndex: number,
  values: Record<string, Value>,
): Promise<FillState | undefined> {
  const spec = s.form.def.approval?.adjust;
  const group = spec && s.form.fields.get(spec.group)?.field;
  if (!spec || !group || group.type !== 'group') throw new AppError('bad_request', '该表单不能调整得分');
  const allowed = new Set(group.fields.filter((f) => f.reviewer_only).map((f) => f.id));
  if (Object.keys(values).some((k) => !allowed.has(k))) throw new AppError('bad_request', '只能填写审核调整字段');
  const rows = [...((s.revision.data[spec.group] as Row[]) ?? [])];
  rows[rowIndex] = { ...rows[rowIndex], ...values };
  const written = await reviseSubmittedData(ctx.tx, s.revision, { ...s.revision.data, [spec.group]: rows }, ctx.now);
  return written && withRevision(ctx, s, written);
}

/**
 * What an approver enters at a review step (reviewer-only, top-level fields), parsed as the form defines them and
 * written into the submitted revision. Resolves the state as written, the per-field errors, or undefined when the
 * revision changed meanwhile.
 */
export async function recordReview(
  ctx: BotContext,
  s: FillState,
  ids: string[],
  raw: Record<string, unknown>,
): Promise<{ state: FillState } | { errors: string[] } | undefined> {
  const fields = ids.map((id) => s.form.fields.get(id)?.field).filter((f): f is LeafField => !!f && !isGroup(f));
  const values: Record<string, Value> = {};
  const errors: string[] = [];
  for (const f of fields) {
    const r = parseInput(f, raw[f.id]);
    if ('error' in r) errors.push(`「${f.label}」${r.error}`);
    else if (r.value === null) errors.push(`请填写「${f.label}」`);
    else values[f.id] = r.value;
  }
  if (errors.length) return { errors };
  if (fields.every((f) => JSON.stringify(s.revision.data[f.id]) === JSON.stringify(values[f.id]))) return { state: s };
  const written = await reviseSubmittedData(ctx.tx, s.revision, { ...s.revision.data, ...values }, ctx.now);
  return written && { state: withRevision(ctx, s, written) };
}

/** The submission's status as its approval chain has it (approvals tells forms; forms owns the row). */
export async function setSubmissionStatus(ctx: BotContext, id: number, status: string): Promise<void> {
  await setStatus(ctx.tx, id, status, ctx.now);
  ctx.reads.update<Current | undefined>(currentKey(id), (c) => c && { ...c, submission: { ...c.submission, status } });
}

/**
 * Reopens a submitted revision as the next draft for `userId`: `returned` by a reviewer or `draft` after a
 * withdrawal. The next read in this event sees the new draft.
 */
export async function reopenRevision(
  ctx: BotContext,
  s: Pick<FillState, 'submission' | 'revision' | 'form' | 'pages'>,
  userId: number,
  status: 'draft' | 'returned',
  marked: string[] = [],
): Promise<void> {
  const from = { ...s.revision, data: withoutReviewerValues(s.form, s.revision.data) };
  // A return opens where the reviewer pointed: the first page holding a marked field.
  const at = s.pages.findIndex(
    (p) =>
      (p.kind === 'fields' && p.fields.some((f) => marked.includes(f.id))) ||
      (p.kind === 'group' && marked.includes(p.group.id)),
  );
  await openRevision(ctx.tx, s.submission, from, s.revision.formVersion, userId, ctx.now, status, Math.max(0, at));
  remember(ctx, s.submission.id, undefined);
}

/** The computed values of a submission about a project, or undefined for one about a department. */
const projectData = (s: FillState) =>
  s.submission.subjectType === 'project' ? computeAll(s.form, s.revision.data, s.subject.ctx) : undefined;
const textIn = (data: Record<string, Value>, id?: string) =>
  id && typeof data[id] === 'string' && data[id] ? (data[id] as string) : null;
const numberIn = (data: Record<string, Value>, id?: string) =>
  id && typeof data[id] === 'number' ? (data[id] as number) : null;

/** What an approved submission decides about its project (forms: on_approved), written in the same transaction. */
export async function applyApprovedOutcome(ctx: BotContext, s: FillState): Promise<void> {
  const spec = s.form.def.on_approved?.ex_ante;
  const data = spec && projectData(s);
  const conclusion = data && textIn(data, spec.conclusion);
  if (!spec || !data || !conclusion) return;
  const wan = numberIn(data, spec.amount);
  const amount = wan === null ? null : Math.round(wan * 1e6) / 100;
  await recordExAnte(
    ctx.tx,
    s.submission.subjectId,
    { conclusion, score: numberIn(data, spec.score), amount },
    ctx.now,
  );
}

/** What a recorded review decides about the project (forms: on_reviewed), whatever the approval does next. */
export async function applyReviewedOutcome(ctx: BotContext, s: FillState): Promise<void> {
  const spec = s.form.def.on_reviewed?.target_review;
  const data = spec && projectData(s);
  const grade = data && textIn(data, spec.grade);
  if (!spec || !data || !grade) return;
  await recordTargetReview(ctx.tx, s.submission.subjectId, { grade, action: textIn(data, spec.action) }, ctx.now);
}
