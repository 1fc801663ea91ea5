import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import { submissionStatusLabels } from '../forms/index.ts';
import { sentCountsByRef } from '../lark/outbox-repository.ts';
import { allDepartments, peopleWithDepartments, roleHoldersByDepartment } from '../org/index.ts';
import { projectNames } from '../projects/index.ts';
import { chineseDay } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { workingDaysUntil } from '../shared/working-days.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import { getCampaign, tasksWithState } from './campaign-repository.ts';
import { needsFiller, taskStates } from './campaign-schema.ts';

/**
 * `export progress`: a campaign's tasks unit by unit, each with its state, who fills it, the working days it is
 * overdue and how many reminders those people were sent since the campaign opened. `scope` limits it to the
 * units a person may see (a unit head exporting from the card).
 */
export async function progressExport(db: Executor, campaignId: number, today: string, scope?: number[]) {
  const c = await getCampaign(db, campaignId);
  if (!c) throw new AppError('not_found', `没有编号为 ${campaignId} 的填报任务`);
  const tasks = await tasksWithState(db, [c.id], scope);
  const names = await projectNames(
    db,
    tasks.filter((t) => t.subjectType === 'project').map((t) => t.subjectId),
    true,
  );
  const departments = new Map((await allDepartments(db)).map((d) => [d.id, d.name]));
  const fillers = await roleHoldersByDepartment(db, 'filler');
  const people = await peopleWithDepartments(
    db,
    [...fillers.values()].flat().map((p) => p.id),
  );
  const reminded = await sentCountsByRef(db, 'rem:', c.opensOn);
  const overdue = workingDaysUntil(c.deadline, today); // working days since the deadline, when it has passed
  const rows = tasks
    .map((t) => {
      const who = fillers.get(t.departmentId) ?? [];
      return {
        unit: departments.get(t.departmentId) ?? '',
        subject: t.subjectType === 'project' ? (names.get(t.subjectId) ?? '') : (departments.get(t.subjectId) ?? ''),
        state: submissionStatusLabels[t.state] ?? t.state,
        order: taskStates.indexOf(t.state),
        fillers: who.map((p) => people.get(p.id)?.name ?? '').join('、') || '（无填报人）',
        overdue: needsFiller(t.state) && overdue > 0 ? overdue : null,
        reminders: who.reduce((n, p) => n + (reminded.get(String(p.id)) ?? 0), 0),
      };
    })
    .sort((a, b) => a.unit.localeCompare(b.unit, 'zh-CN') || a.order - b.order);
  const book = newWorkbook();
  addTableSheet(book, '填报进度', {
    title: `${c.title} · 填报进度`,
    note: `截止 ${chineseDay(c.deadline, true)} · 统计至 ${chineseDay(today, true)} · 共 ${rows.length} 项`,
    columns: [
      { header: '单位', width: 24, value: (r) => r.unit },
      { header: '填报对象', width: 36, value: (r) => r.subject },
      { header: '状态', width: 10, value: (r) => r.state },
      { header: '填报人', width: 18, value: (r) => r.fillers },
      { header: '逾期（工作日）', width: 12, value: (r) => r.overdue },
      { header: '已提醒（次）', width: 12, value: (r) => r.reminders },
    ],
    rows,
  });
  return { book, tasks: rows.length, title: c.title };
}
