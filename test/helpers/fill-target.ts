import { expect } from 'vitest';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver } from './card-driver';
import { flush, type Stack } from './stack';

/** The clicks of filling a target that a test may wrap (to count what each costs, say). */
type Step = 'open' | 'page' | 'rowEdit' | 'rowSave' | 'submit';
export type StepWrapper = (step: Step, click: () => Promise<void>) => Promise<unknown>;

/** The first page of 绩效目标申报表 as a filler types it. */
export const targetFirstPage = () => ({
  manager: '负责人',
  phone: '0571-87001234',
  start_date: '2026-01-01 +0800',
  end_date: '2026-12-31 +0800',
});

/** A valid indicator table: an output indicator of 50 points and a qualitative benefit of 40. */
export const twoIndicators: Record<string, string>[] = [
  { level1: '产出指标', level2: '数量指标', name: '完成数量', operator: '≥', value: '10', unit: '项', weight: '50' },
  {
    ...{ level1: '效益指标', level2: '社会效益指标', name: '服务效果' },
    ...{ operator: '定性', text_value: '明显改善', weight: '40' },
  },
];

/** Fills and submits a valid 绩效目标申报表 for one project through the cards, as its filler would. */
export async function submitTarget(
  s: Stack,
  fillerOpenId: string,
  projectCode: string,
  goal = '完成年度建设任务',
  wrap: StepWrapper = (_step, click) => click(),
  indicators = twoIndicators,
): Promise<CardDriver> {
  const u = new CardDriver(s, fillerOpenId);
  await s.send(textMessage(s.id, fillerOpenId, `填报 ${projectCode}`));
  await flush(s);
  u.fromInbox('选择要填报的表单');
  await wrap('open', () => u.click(/开始填报|继续填报/, undefined, `绩效目标申报表**\\n`));
  await wrap('page', () => u.click('下一步', targetFirstPage()));
  // The project's whole budget from fiscal funds, as the project library has it (more would be refused).
  const project = await s.service.deps.db('projects').where({ code: projectCode }).first('amount');
  await u.click('下一步', { fund_fiscal: String(Number(project.amount) / 10000), fund_other: '0' });
  await u.click('下一步', { overall_goal: goal, annual_goal: goal });
  for (const [i, row] of indicators.entries()) {
    await (i ? u.click('添加一行') : wrap('rowEdit', () => u.click('添加一行')));
    await (i ? u.click('保存这一行', row) : wrap('rowSave', () => u.click('保存这一行', row)));
  }
  await u.click('下一步');
  await wrap('submit', () => u.click('确认提交'));
  expect(u.lastToast?.type, JSON.stringify(u.lastToast)).toBe('success');
  await flush(s);
  return u;
}
