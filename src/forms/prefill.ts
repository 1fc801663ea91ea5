import type { ActionContext } from '../bot/bot-types.ts';
import { peopleIn, roleHoldersIn, roleScopeKey } from '../org/index.ts';
import { beijingDate } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { type FormData, computeAll } from './form-engine.ts';
import type { FormDefinition } from './form-schema.ts';
import type { FormStore } from './form-store.ts';
import { contractRevision } from './submission-repository.ts';
import type { Subject } from './subject.ts';

type Spec = NonNullable<FormDefinition['prefill']>;

/**
 * What a new draft copies from another form's submission for the same subject (target → monitoring, self-evaluation):
 * the revision that form settled on — approved by its chain, or submitted when it has none. `@revision` and `@basis`
 * name that revision, so every view of the draft says what it measured against.
 */
export async function prefill(
  ctx: ActionContext,
  store: FormStore,
  spec: Spec | undefined,
  subject: Subject,
  title: string,
): Promise<FormData> {
  if (!spec) return {};
  const source = store.get(spec.form);
  const approved = Boolean(source?.def.approval);
  const key = { formId: spec.form, subjectType: subject.type, subjectId: subject.id, period: subject.period };
  const rev = await contractRevision(ctx.tx, key, approved);
  if (!rev) {
    if (spec.required) throw await missingSource(ctx, subject, source?.def.title ?? spec.form, title, approved);
    return {};
  }
  // Computed values (a target's 资金总额) are not stored: computed as the source form defines them.
  const data = computeAll(await store.at(ctx.tx, spec.form, rev.formVersion), rev.data, subject.ctx);
  const pseudo: FormData = {
    '@revision': rev.revision,
    '@basis': `第 ${rev.revision} 版（${beijingDate(rev.settledAt)} ${approved ? '批复' : '提交'}）`,
  };
  return Object.fromEntries(
    Object.entries(spec.fields).map(([to, from]) => [to, (from.startsWith('@') ? pseudo[from] : data[from]) ?? null]),
  );
}

/** No approved source: the card says so and names whom to ask (the unit's heads). */
async function missingSource(
  ctx: ActionContext,
  subject: Subject,
  sourceTitle: string,
  title: string,
  approved: boolean,
): Promise<AppError> {
  const wanted = { role: 'unit_head' as const, scope: subject.departmentId };
  const heads = (await roleHoldersIn(ctx.tx, [wanted])).get(roleScopeKey(wanted)) ?? [];
  const people = await peopleIn(ctx.reads, ctx.tx, heads);
  const names = heads.map((id) => people.get(id)?.name).filter(Boolean);
  const ask = names.length ? `单位负责人（${names.join('、')}）` : '本单位填报人或单位负责人';
  return new AppError(
    'conflict',
    `${subject.label}还没有${approved ? '已批复' : '已提交'}的《${sourceTitle}》，暂不能开始《${title}》。` +
      `请先提交${sourceTitle}${approved ? '并经审批通过' : ''}；如有疑问请联系${ask}。`,
    { hint: `prefill source ${sourceTitle} missing for ${subject.type} ${subject.id}` },
  );
}
