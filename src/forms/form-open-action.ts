import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.ts';
import type { ActionContext, CardAction } from '../bot/bot-types.ts';
import { cardResponse } from '../bot/card-response.ts';
import { eventSource } from '../bot/event-source.ts';
import { idSchema } from '../bot/guards.ts';
import { pageOrSubmitted } from './fill-responses.ts';
import { type Filling, remember } from './fill-state.ts';
import type { CompiledForm } from './compile-form.ts';
import { allFields, appliesTo, defaults } from './form-engine.ts';
import { AppError } from '../shared/errors.ts';
import { isGroup } from './form-schema.ts';
import { fillerOfSubject } from './form-guards.ts';
import { prefill } from './prefill.ts';
import { createSubmission, findCurrent, type SubmissionRow } from './submission-repository.ts';
import { type Subject, openPeriod, subjectOf } from './subject.ts';

const openValue = z.object({
  form: z.string(),
  type: z.enum(['project', 'department']).default('project'),
  id: idSchema,
  /** On a button drawn when this year's submission already existed (继续填报, 查看): opening it then only reads. */
  existing: z.literal(1).optional(),
});

/** 开始填报 / 继续填报 / 查看: the subject's submission of the form for this year, created on first open. */
export function openAction(f: Filling): CardAction<z.infer<typeof openValue>> {
  return {
    key: 'form.open',
    value: openValue,
    guard: fillerOfSubject(f.store),
    // Answered without a dedupe row or (on MySQL) a transaction, so it must not create: see below.
    readOnly: (value) => value.existing === 1,
    async run(ctx, { value: v }) {
      const form = f.store.get(v.form)!;
      const subject = (await subjectOf(ctx, v.type, v.id, openPeriod(ctx.now)))!;
      const key = { formId: form.def.id, subjectType: subject.type, subjectId: subject.id, period: subject.period };
      // Read with its current revision, which the state below then takes from the event's reads.
      const current = await findCurrent(ctx.tx, key);
      if (current) remember(ctx, current.submission.id, current);
      else if (v.existing) return { toast: { type: 'warning', content: '卡片已过期，请发送“填报”查看最新的表单' } };
      const submission = current?.submission ?? (await start(ctx, f, form, subject));
      return cardResponse(pageOrSubmitted(ctx, await f.load(ctx, submission.id)));
    },
  };
}

const readsCampaign = (form: CompiledForm) =>
  allFields(form).some((f) =>
    (isGroup(f) ? f.fields : [f]).some((x) => typeof x.default === 'string' && x.default.includes('campaign.')),
  );

/** The first draft: the form's defaults, then what it copies from another form's submission. */
async function start(ctx: ActionContext, f: Filling, form: CompiledForm, subject: Subject): Promise<SubmissionRow> {
  if (!appliesTo(form, subject.ctx))
    throw new AppError('conflict', `${subject.label}不需要填报《${form.def.title}》`, { hint: 'applies_if' });
  await f.store.pin(ctx.tx, form, ctx.now);
  // The campaign is read only for a form whose defaults use it (a monitoring report's as-of date).
  const campaign = readsCampaign(form) ? await f.hooks.campaignOf?.(ctx, form.def.id, subject) : undefined;
  const copied = await prefill(ctx, f.store, form.def.prefill, subject, form.def.title);
  const data = { ...defaults(form, { ...subject.ctx, campaign }), ...copied };
  const { submission, revision } = await createSubmission(
    ctx.tx,
    {
      formId: form.def.id,
      subjectType: subject.type,
      subjectId: subject.id,
      period: subject.period,
      departmentId: subject.departmentId,
      userId: ctx.user.id,
      formVersion: form.def.version,
      data,
    },
    ctx.now,
  );
  await appendAudit(ctx.tx, {
    at: ctx.now,
    actorUserId: ctx.user.id,
    action: 'submission.create',
    entityType: 'submission',
    entityId: submission.id,
    revision: 1,
    source: eventSource(ctx),
    detail: { form: form.def.id, version: form.def.version },
  });
  remember(ctx, submission.id, { submission, revision });
  return submission;
}
