import type { Guard } from '../bot/bot-types.ts';
import type { FormStore } from './form-store.ts';
import { currentOf } from './fill-state.ts';
import { fillRefusal, openPeriod, subjectOf } from './subject.ts';

/** Only the fillers of the submission's unit (or its assignee) may change it (or open its draft). */
export function fillerOfSubmission(store: FormStore): Guard<{ sid: number }, unknown> {
  return async (ctx, { value }) => {
    const current = await currentOf(ctx, value.sid);
    if (!current) return '该填报已不存在';
    const s = current.submission;
    // A form withdrawn from forms/ keeps its drafts fillable by the unit's fillers.
    const def = store.get(s.formId)?.def ?? { id: s.formId, fillers: ['filler' as const], assigned: false };
    const subject = { type: s.subjectType, id: s.subjectId, period: s.period, departmentId: s.departmentId };
    return (await fillRefusal(ctx, def, subject)) ?? true;
  };
}

/** Opening a form for a subject: only the fillers of the subject's unit, or its assignee. */
export function fillerOfSubject(
  store: FormStore,
): Guard<{ form: string; type: 'project' | 'department'; id: number }, unknown> {
  return async (ctx, { value }) => {
    const form = store.get(value.form);
    if (!form) return '该表单已下线';
    const subject = await subjectOf(ctx, value.type, value.id, openPeriod(ctx.now));
    if (!subject) return '填报对象不存在';
    return (await fillRefusal(ctx, form.def, subject)) ?? true;
  };
}
