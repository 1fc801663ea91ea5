import { z } from 'zod';

/** Who a campaign asks to file: departments, or projects of a year (optionally by tier and amount). */
export const populationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all_departments') }),
  z.object({ kind: z.literal('departments'), codes: z.array(z.string()).min(1) }),
  z.object({
    kind: z.literal('projects'),
    year: z.number().int(),
    tiers: z.array(z.enum(['A', 'B', 'C'])).optional(),
    /** Yuan, inclusive. */
    min_amount: z.number().min(0).optional(),
    /** Named projects only (a 整改 task for the project a review found wanting). */
    codes: z.array(z.string().min(1)).min(1).optional(),
    /** The projects of these departments only (by department code): a form launched for one unit. */
    departments: z.array(z.string().min(1)).min(1).optional(),
  }),
]);
export type Population = z.infer<typeof populationSchema>;

/** When and whom to remind. Working days counted on the Chinese calendar. */
export const policySchema = z.object({
  /** Working days before the deadline on which fillers are reminded; 0 = the deadline day. */
  remind_days: z.array(z.number().int().min(0)).default([5, 3, 1, 0]),
  /** Remind every working day once overdue, copying the unit head. */
  overdue_daily: z.boolean().default(true),
  /** Working days overdue after which the supervising department and the bureau are told too. */
  escalate_after: z.number().int().min(1).default(3),
  /** On the deadline day, tasks not yet started get an urgent buzz (加急). */
  buzz_on_deadline: z.boolean().default(true),
  /** Working days an approver has before being reminded (a step's own limit wins). */
  approval_limit_days: z.number().int().min(1).default(2),
});
export type Policy = z.infer<typeof policySchema>;

export const taskStates = [
  'not_started',
  'draft',
  'submitted',
  'in_approval',
  'returned',
  'approved',
  'rejected',
] as const;
export type TaskState = (typeof taskStates)[number];

/** States in which the filler still has to act. */
export const needsFiller = (s: TaskState) => s === 'not_started' || s === 'draft' || s === 'returned';

export function describePopulation(p: Population): string {
  switch (p.kind) {
    case 'all_departments':
      return '全部部门';
    case 'departments':
      return `指定部门（${p.codes.length} 个）`;
    case 'projects':
      if (p.codes) return `${p.year} 年指定项目（${p.codes.length} 个）`;
      if (p.departments) return `${p.year} 年指定部门（${p.departments.length} 个）的项目`;
      return `${p.year} 年${p.tiers ? ` ${p.tiers.join('、')} 类` : '全部'}项目${p.min_amount ? `（${(p.min_amount / 10000).toLocaleString('zh-CN')} 万元及以上）` : ''}`;
  }
}

/** Where a deadline stands in working days: 还剩 N 个工作日, the deadline day, or 已逾期 N 个工作日. */
export const deadlineText = (wd: number, onTheDay = '今天截止') =>
  wd > 0 ? `还剩 ${wd} 个工作日` : wd === 0 ? onTheDay : `已逾期 ${-wd} 个工作日`;
