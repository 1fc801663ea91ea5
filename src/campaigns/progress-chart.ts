import { horizontalBars } from '../shared/chart-spec.ts';
import type { TaskState } from './campaign-schema.ts';

/*
 * The progress card's chart: the units with most left to do, one horizontal bar each, stacked by where their tasks
 * stand. A pure VChart spec (JSON, no functions), as Lark's `chart` component and the sandbox both draw it.
 */

export const stages = ['已通过', '审批中', '退回', '草稿', '未开始', '逾期'] as const;
type Stage = (typeof stages)[number];
const colors: Record<Stage, string> = {
  已通过: '#34C724',
  审批中: '#3370FF',
  退回: '#FF7D00',
  草稿: '#FFC60A',
  未开始: '#BBBFC4',
  逾期: '#F54A45',
};

/** Where a task stands on the chart; work not handed in after the deadline is 逾期 whatever its draft says. */
export function stageOf(state: TaskState, overdue: boolean): Stage {
  if (state === 'approved') return '已通过';
  if (state === 'submitted' || state === 'in_approval') return '审批中';
  if (state === 'returned' || state === 'rejected') return '退回';
  if (overdue) return '逾期';
  return state === 'draft' ? '草稿' : '未开始';
}

/** The chart for units (in the order given, most behind first), or undefined when there are fewer than two. */
export function progressChart(units: { name: string; states: TaskState[] }[], overdue: boolean) {
  if (units.length < 2) return undefined;
  const values = units.flatMap((u) =>
    stages
      .map((stage) => ({ unit: u.name, stage, count: u.states.filter((s) => stageOf(s, overdue) === stage).length }))
      .filter((v) => v.count > 0),
  );
  return horizontalBars({
    id: 'tasks',
    values,
    category: 'unit',
    value: 'count',
    title: '各单位进度（进度最慢的 10 个）',
    valueTitle: '任务数',
    series: { field: 'stage', colors },
  });
}

const lightColors: Record<string, string> = { 红: '#F54A45', 黄: '#FFC60A', 蓝: '#3370FF', 绿: '#34C724' };

/** 双监控: the submitted reports by light, as a ring. */
export function lightsChart(counts: { light: string; count: number }[]) {
  const values = counts.filter((c) => c.count > 0);
  return {
    type: 'pie',
    data: [{ id: 'lights', values }],
    valueField: 'count',
    categoryField: 'light',
    outerRadius: 0.8,
    innerRadius: 0.5,
    color: { type: 'ordinal', domain: values.map((v) => v.light), range: values.map((v) => lightColors[v.light]) },
    label: { visible: true },
    legends: { visible: true, orient: 'bottom' },
    title: { visible: true, text: '监控结果（项目数）' },
  };
}
