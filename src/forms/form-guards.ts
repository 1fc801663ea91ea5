import type { Guard } from '../bot/bot-types';
import type { FormStore } from './form-store';
import { currentOf } from './fill-state';
import { mayFill, subjectOf } from './subject';

const notFiller = '您不是该单位的填报人，不能填写此表';

/** Only the fillers of the submission's unit may change it (or open its draft). */
export function fillerOfSubmission(store: FormStore): Guard<{ sid: number }, unknown> {
  return async (ctx, { value }) => {
    const current = await currentOf(ctx, value.sid);
    if (!current) return '该填报已不存在';
    const s = current.submission;
    // A form withdrawn from forms/ keeps its drafts fillable by the unit's fillers.
    const def = store.get(s.formId)?.def ?? { fillers: ['filler' as const] };
    return mayFill(ctx.user, def, s.departmentId) || notFiller;
  };
}

/** Opening a form for a subject: only the fillers of the subject's unit. */
export function fillerOfSubject(
  store: FormStore,
): Guard<{ form: string; type: 'project' | 'department'; id: number }, unknown> {
  return async (ctx, { value }) => {
    const form = store.get(value.form);
    if (!form) return '该表单已下线';
    const subject = await subjectOf(ctx, value.type, value.id);
    if (!subject) return '填报对象不存在';
    return mayFill(ctx.user, form.def, subject.departmentId) || notFiller;
  };
}
