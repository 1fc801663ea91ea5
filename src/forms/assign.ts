import { appendAudit } from '../audit/audit-log.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { Executor } from '../db/database.ts';
import { enqueueNew } from '../lark/outbox-repository.ts';
import { departmentIdsByCode, departmentNames, usersWithRole } from '../org/index.ts';
import { projectByCode, projectLabel } from '../projects/index.ts';
import { AppError } from '../shared/errors.ts';
import { assignForm } from './form-assignments.ts';
import type { FormStore } from './form-store.ts';

export interface AssignInput {
  formId: string;
  project?: string;
  department?: string;
  /** The evaluator: an open_id or a name held by exactly one eligible person. */
  to: string;
  /** A department's year (default: the current one); a project's is its own. */
  year?: string;
}

/**
 * Names who evaluates one subject on an assigned form (重点评价 of a project, 部门整体评价 of a department): the
 * assignee must hold one of the form's roles. Replaces an earlier assignee; the assignee hears of it with a way to
 * 评价任务.
 */
export async function assignEvaluator(
  db: Executor,
  store: FormStore,
  cards: CardRenderer,
  input: AssignInput,
  by: number | null,
  now: number,
  thisYear: string,
): Promise<{ form: string; subject: string; period: string; assignee: string }> {
  const form = store.get(input.formId);
  if (!form?.def.assigned) throw new AppError('bad_request', `表单 ${input.formId} 不存在或不是指定评价人填写的表单`);
  const subject = await subjectFor(db, form.def.attach_to, input, thisYear);
  const eligible = (await Promise.all(form.def.fillers.map((r) => usersWithRole(db, r)))).flat();
  const matches = [
    ...new Map(eligible.filter((u) => u.openId === input.to || u.name === input.to).map((u) => [u.id, u])),
  ];
  if (matches.length !== 1)
    throw new AppError(
      'bad_request',
      matches.length
        ? `有 ${matches.length} 位“${input.to}”，请改用 open_id 指定`
        : `没有找到可担任评价人的“${input.to}”（需具有表单填写角色：${form.def.fillers.join('、')}）`,
    );
  const [, person] = matches[0]!;
  await assignForm(db, [{ formId: form.def.id, ...subject.key, userId: person.id, source: 'assign' }], by, now);
  await appendAudit(db, {
    at: now,
    actorUserId: by,
    action: 'form.assign',
    entityType: subject.key.subjectType,
    entityId: subject.key.subjectId,
    source: by ? 'bot' : 'cli',
    detail: { form: form.def.id, period: subject.key.period, assignee: person.id },
  });
  if (person.openId)
    await enqueueNew(
      db,
      [
        {
          message: {
            kind: 'send',
            receiveIdType: 'open_id',
            receiveId: person.openId,
            card: cards.render('notice', {
              title: '评价任务',
              color: 'blue',
              lines: [`绩效处指定您评价：${subject.label}（${subject.key.period} 年度《${form.def.title}》）。`],
              buttons: [{ primary: true, text: '查看评价任务', value: { action: 'command', command: 'assigned' } }],
            }),
          },
          uuid: `assign:${form.def.id}:${subject.key.subjectType}:${subject.key.subjectId}:${subject.key.period}:${person.id}`,
          ref: `assign:${form.def.id}`,
        },
      ],
      now,
    );
  return { form: form.def.title, subject: subject.label, period: subject.key.period, assignee: person.name };
}

async function subjectFor(db: Executor, attach: 'project' | 'department', input: AssignInput, thisYear: string) {
  if (attach === 'project') {
    const p = input.project ? await projectByCode(db, input.project) : undefined;
    if (!p)
      throw new AppError('bad_request', input.project ? `项目 ${input.project} 不存在` : '请用 --project 指定项目编码');
    return {
      key: { subjectType: 'project' as const, subjectId: p.id, period: String(p.year) },
      label: projectLabel(p),
    };
  }
  const id = input.department ? (await departmentIdsByCode(db)).get(input.department) : undefined;
  if (!id)
    throw new AppError(
      'bad_request',
      input.department ? `部门 ${input.department} 不存在` : '请用 --department 指定部门编码',
    );
  const year = input.year ?? thisYear;
  if (!/^\d{4}$/.test(year)) throw new AppError('bad_request', '--year 应为四位年份');
  return {
    key: { subjectType: 'department' as const, subjectId: id, period: year },
    label: (await departmentNames(db, [id])).get(id) ?? input.department!,
  };
}
