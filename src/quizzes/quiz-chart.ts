import { horizontalBars } from '../shared/chart-spec.ts';

/** The board's chart: each unit of the page by accuracy, as a pure VChart spec for Lark's chart component. */
export function accuracyChart(units: { name: string; right: number; answered: number }[]) {
  const values = units
    .filter((u) => u.answered > 0)
    .map((u) => ({ unit: u.name, accuracy: Math.round((u.right / u.answered) * 1000) / 10 }));
  if (values.length < 2) return undefined;
  return horizontalBars({
    id: 'accuracy',
    values,
    category: 'unit',
    value: 'accuracy',
    title: '各单位正确率',
    valueTitle: '正确率（%）',
    max: 100,
  });
}
