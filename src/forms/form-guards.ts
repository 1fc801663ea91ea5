import type { Guard } from '../bot/bot-types';
import type { FormStore } from './form-store';
import { getSubmission } from './submission-repository';
import { loadSubject, mayFill } from './subject';

const notFiller = '您不是该单位的填报人，不能填写此表';

/** Only the fillers of the submission's unit may change it (or open its draft). */
export function fillerOfSubmission(store: FormStore): Guard<{ sid: number }, unknown> {
  return async (ctx, { value }) => {
    const s = await getSubmission(ctx.tx, value.sid);
    if (!s) return '该填报已不存在';
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
    const subject = await loadSubject(ctx.tx, value.type, value.id, '');
    if (!subject) return '填报对象不存在';
    return mayFill(ctx.user, form.def, subject.departmentId) || notFiller;
  };
}
