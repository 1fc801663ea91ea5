/*
 * VChart specs for Lark's `chart` component: pure JSON (the client refuses functions), one shape per kind of chart
 * the cards draw.
 */

/** One bar per category (a unit), read top-down, every label shown; `value` runs along the bottom axis. */
export function horizontalBars<Row extends Record<string, string | number>>(o: {
  id: string;
  values: Row[];
  category: keyof Row & string;
  value: keyof Row & string;
  title: string;
  valueTitle: string;
  /** Stacks the bars by this field, coloured as given. */
  series?: { field: keyof Row & string; colors: Record<string, string> };
  max?: number;
}) {
  return {
    type: 'bar',
    direction: 'horizontal',
    data: [{ id: o.id, values: o.values }],
    xField: o.value,
    yField: o.category,
    ...(o.series
      ? {
          seriesField: o.series.field,
          stack: true,
          color: { type: 'ordinal', domain: Object.keys(o.series.colors), range: Object.values(o.series.colors) },
          legends: { visible: true, orient: 'bottom' },
        }
      : { label: { visible: true } }),
    axes: [
      { orient: 'left', type: 'band', sampling: false },
      {
        orient: 'bottom',
        type: 'linear',
        ...(o.max !== undefined ? { min: 0, max: o.max } : {}),
        title: { visible: true, text: o.valueTitle },
      },
    ],
    title: { visible: true, text: o.title },
  };
}

/** One column per category, each in its own colour, counted on top: a distribution (grades, say). */
export function columns<Row extends Record<string, string | number>>(o: {
  id: string;
  values: Row[];
  category: keyof Row & string;
  value: keyof Row & string;
  title: string;
  colors: Record<string, string>;
}) {
  return {
    type: 'bar',
    data: [{ id: o.id, values: o.values }],
    xField: o.category,
    yField: o.value,
    seriesField: o.category,
    color: { type: 'ordinal', domain: Object.keys(o.colors), range: Object.values(o.colors) },
    label: { visible: true },
    legends: { visible: false },
    title: { visible: true, text: o.title },
  };
}
