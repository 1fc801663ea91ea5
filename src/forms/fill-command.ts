import type { BotContext, Command } from '../bot/bot-types.ts';
import { projectLabel, projectsOf } from '../projects/index.ts';
import { AppError } from '../shared/errors.ts';
import type { FormStore } from './form-store.ts';
import { submissionsForSubjects } from './submission-repository.ts';
import { appliesTo } from './form-engine.ts';
import { openPeriod, projectScope } from './subject.ts';
import { submissionStatusLabels } from './submission-status.ts';

const statusText = (status: string | undefined, revision: number | undefined) =>
  !status
    ? '未开始'
    : `${submissionStatusLabels[status] ?? status}${revision && revision > 1 ? `（第 ${revision} 版）` : ''}`;

/** `填报 [项目]`: the forms this user fills, per project of their departments, with where each stands. */
export function fillCommand(store: FormStore): Command {
  return {
    name: 'fill',
    title: '填报',
    description: '填写绩效目标、绩效自评等表单；草稿随时保存，下次接着填',
    aliases: ['填报', 'fill'],
    roles: ['filler'],
    menuKey: 'menu_fill',
    readOnly: true,
    run: async (ctx, args) => ctx.respond(await chooserCard(ctx, store, args)),
  };
}

async function chooserCard(ctx: BotContext, store: FormStore, args: string) {
  const user = ctx.user!;
  // Assigned forms (抽评复核, 重点评价) are opened from 评价任务, by their assignee only.
  const forms = store
    .list()
    .filter((f) => !f.def.assigned && f.def.fillers.some((r) => user.roles.some((g) => g.role === r)));
  const deptIds = [
    ...new Set(user.roles.filter((g) => g.role === 'filler').map((g) => g.scopeDepartmentId ?? user.departmentId)),
  ];
  const projects = await projectsOf(ctx.tx, deptIds, args || undefined);
  if (args && !projects.length) throw new AppError('not_found', `没有找到您单位的项目 ${args}`);
  const period = openPeriod(ctx.now);
  const existing = await submissionsForSubjects(
    ctx.tx,
    'project',
    projects.map((p) => p.id),
  );
  // A form that starts from an evaluator's work (整改 from the 抽评 review) is offered once that work exists: it is
  // never the unit's to begin. One that starts from the unit's own work says on opening what must come first.
  const offered = (f: (typeof forms)[number], projectId: number) => {
    const source = f.def.prefill?.required ? store.get(f.def.prefill.form) : undefined;
    return (
      !source?.def.assigned ||
      existing.some((e) => e.subjectId === projectId && [f.def.id, source.def.id].includes(e.formId))
    );
  };
  const items = forms.flatMap((f) =>
    f.def.attach_to === 'project'
      ? projects
          .filter((p) => appliesTo(f, { project: projectScope(p) }) && offered(f, p.id))
          .map((p) => {
            const sub = existing.find((e) => e.formId === f.def.id && e.subjectId === p.id);
            return {
              formTitle: f.def.title,
              subject: projectLabel(p),
              status: statusText(sub?.status, sub?.currentRevision),
              buttonText: !sub ? '开始填报' : sub.status === 'draft' || sub.status === 'returned' ? '继续填报' : '查看',
              open: {
                ...{ action: 'form.open', form: f.def.id, type: 'project', id: p.id },
                ...(sub?.period === period ? { existing: 1 } : {}),
              },
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
