/** The board's chart: each unit of the page by accuracy, as a pure VChart spec for Lark's chart component. */
export function accuracyChart(units: { name: string; right: number; answered: number }[]) {
  const values = units
    .filter((u) => u.answered > 0)
    .map((u) => ({ unit: u.name, accuracy: Math.round((u.right / u.answered) * 1000) / 10 }));
  if (values.length < 2) return undefined;
  return {
    type: 'bar',
    direction: 'horizontal',
    data: [{ id: 'accuracy', values }],
    xField: 'accuracy',
    yField: 'unit',
    axes: [
      { orient: 'left', type: 'band', sampling: false },
      { orient: 'bottom', type: 'linear', min: 0, max: 100, title: { visible: true, text: '正确率（%）' } },
    ],
    label: { visible: true },
    title: { visible: true, text: '各单位正确率' },
  };
}
