import { expect } from 'vitest';
import { launchCampaign } from '../../src/campaigns';
import { textMessage } from '../../src/sandbox/lark-sender';
import { addWorkingDays, beijingDate } from '../../src/shared/working-days';
import { CardDriver } from './card-driver';
import { submitTarget } from './fill-target';
import { approveAll, demo, flush, type Stack } from './stack';

/** What the filler reports for the target submitTarget files: 完成数量 ≥ 10 项 (50), 服务效果 定性 (40). */
export interface SelfEvaluationFigures {
  spent: string;
  count: string;
  level: string;
  points: string;
  /** Upload ids to attach as 佐证材料 (files the unit sent the bot). */
  evidence?: string[];
  /** Runs on the 评价结论 page before it is filled (a test trying a bad input there). */
  atConclusion?: (u: CardDriver) => Promise<void>;
}

/** Fills and submits the self-evaluation of a project whose target (as submitTarget files it) is approved. */
export async function submitSelfEvaluation(
  s: Stack,
  fillerOpenId: string,
  projectCode: string,
  f: SelfEvaluationFigures,
): Promise<CardDriver> {
  const u = new CardDriver(s, fillerOpenId);
  await s.send(textMessage(s.id, fillerOpenId, `填报 ${projectCode}`));
  await flush(s);
  u.fromInbox('选择要填报的表单');
  await u.click('开始填报', undefined, '项目支出绩效自评表**\\n');
  await u.click('下一步', { budget_full: '480', spent: f.spent, exec_reason: '按进度执行' });
  await u.click('下一步', { goal_actual: '完成年度建设任务' });
  await u.click('填写', undefined, '完成数量');
  await u.click('保存这一行', { actual: f.count, deviation: '部分任务顺延', evidence: '验收单' });
  await u.click('填写', undefined, '服务效果');
  await u.click('保存这一行', { qual_level: f.level, qual_points: f.points, deviation: '部分未达预期' });
  await u.click('下一步');
  await f.atConclusion?.(u);
  const evidence = f.evidence ? { evidence_files: f.evidence } : {};
  await u.click('下一步', { conclusion: '完成年度目标', problems: '', measures: '', ...evidence });
  await u.click('确认提交');
  expect(u.lastToast?.type, JSON.stringify(u.lastToast)).toBe('success');
  await flush(s);
  return u;
}

/** A project's target submitted and approved through the given chain, then the year's self-evaluation launched. */
export async function selfEvaluationOpen(s: Stack, project: string, approvers: string[]): Promise<void> {
  await submitTarget(s, demo.filler, project);
  await approveAll(s, approvers);
  const { forms, cards } = s.service.bot;
  const today = beijingDate(Date.now());
  const campaign = {
    title: '2026 年度绩效自评',
    formId: 'self-evaluation',
    population: { kind: 'projects' as const, year: 2026, codes: [project] },
    opensOn: today,
    deadline: addWorkingDays(today, 10),
  };
  await s.service.deps.db.transaction((tx) => launchCampaign(tx, forms, cards, campaign, null, Date.now()));
}
