import { decisionRecord } from '../approvals/index.ts';
import type { Executor } from '../db/database.ts';
import { type FormStore, projectScope, subjectRecord } from '../forms/index.ts';
import { departmentOf } from '../org/index.ts';
import { projectFacts } from '../project-rules/index.ts';
import { projectByCode } from '../projects/index.ts';
import { confirmedResultOf } from '../results/index.ts';
import { chineseDateTime } from '../shared/clock.ts';

/*
 * One project's story for the year, as `项目 CODE` and `projects show CODE` tell it: the project as the library and
 * the rules have it, every form filed about it with every revision — when submitted and approved, its headline figures,
 * each decision with who and when — and the bureau's 结果应用.
 */

const when = (ms: number | null) => (ms === null ? null : chineseDateTime(ms));

export async function projectHistory(db: Executor, store: FormStore, code: string) {
  const p = await projectByCode(db, code);
  if (!p) return undefined;
  const d = await departmentOf(db, p.departmentId);
  const ctx = {
    project: projectScope(p),
    department: { name: d?.name ?? '', code: d?.code ?? '', supervising: d?.supervisingName ?? null },
  };
  const record = await subjectRecord(db, store, { type: 'project', id: p.id }, ctx);
  const decisions = await decisionRecord(
    db,
    record.map((r) => r.submissionId),
  );
  const result = await confirmedResultOf(db, p.id, String(p.year));
  return {
    departmentId: p.departmentId,
    parentId: d?.parentId ?? null,
    project: { ...(await projectFacts(db, p, d?.code ?? '')), department_name: d?.name ?? '' },
    forms: record.map((r) => ({
      submission_id: r.submissionId,
      form: r.formId,
      title: r.title,
      period: r.period,
      status: r.statusLabel,
      revisions: r.revisions.map((v) => ({
        revision: v.revision,
        status: v.status === 'draft' ? '草稿' : '已提交',
        submitted_at: when(v.submittedAt),
        approved_at: when(v.approvedAt),
        headline: v.headline.map((h) => `${h.label} ${h.value}`).join('，'),
        decisions: decisions.get(`${r.submissionId}:${v.revision}`) ?? [],
      })),
    })),
    result: result
      ? {
          grade: result.grade,
          score: result.score,
          source: result.source,
          action: result.action,
          cut_percent: result.cutPercent,
          reason: result.reason,
          confirmed_at: when(result.confirmedAt),
        }
      : null,
  };
}

export type ProjectHistory = NonNullable<Awaited<ReturnType<typeof projectHistory>>>;

/** The history as lines: the card's and the CLI's text. */
export function historyText(h: ProjectHistory): string[] {
  const p = h.project;
  const facts = [
    `${p.department_name} · ${p.year} 年 · ${p.tier} 类 · ${(p.amount / 10000).toLocaleString('zh-CN')} 万元`,
    `事前绩效评估：${p.ex_ante_label}${p.ex_ante_conclusion ? `（${p.ex_ante_conclusion}）` : ''}`,
    ...(p.target_review ? [`目标审核：${p.target_review}（${p.target_review_action ?? ''}）`] : []),
  ];
  const forms = h.forms.flatMap((f) => [
    `【${f.title}】${f.status}`,
    ...f.revisions.flatMap((v) => [
      `第 ${v.revision} 版 ${v.status}${v.submitted_at ? ` · ${v.submitted_at} 提交` : ''}${v.approved_at ? ` · ${v.approved_at} 批复` : ''}${v.headline ? ` · ${v.headline}` : ''}`,
      ...v.decisions.map((x) => `　${x}`),
    ]),
  ]);
  const r = h.result;
  const result = r
    ? [
        `【结果应用】${r.grade ?? '—'}${r.score !== null ? ` ${r.score} 分` : ''}（${r.source ?? ''}）→ ${r.action}${r.cut_percent ? ` ${r.cut_percent}%` : ''}${r.reason ? `：${r.reason}` : ''} · ${r.confirmed_at} 确认`,
      ]
    : ['【结果应用】尚未确认'];
  return [...facts, ...(forms.length ? forms : ['尚未填报任何表单']), ...result];
}
