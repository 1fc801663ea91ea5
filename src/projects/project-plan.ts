import { z } from 'zod';
import type { Issue } from '../shared/errors.ts';
import { normaliseRow, parseAmount, parseFlag, pushZod } from '../import/normalise.ts';
import type { Tables } from '../import/read-tables.ts';

export const tierSchema = z.enum(['A', 'B', 'C']);

const aliases = {
  code: ['项目编码', '编码'],
  name: ['项目名称', '名称'],
  department: ['单位编码', '部门编码', '单位', '部门'],
  year: ['年度', '预算年度'],
  tier: ['等级', '分级', '项目等级'],
  amount: ['金额', '金额元', '预算金额', '预算金额元'],
  amount_wan: ['金额万元', '预算金额万元'],
  is_new: ['新增', '新增项目', '是否新增'],
  is_gov_investment: ['政府投资', '政府投资项目', '是否政府投资'],
  is_policy: ['政策类', '政策', '是否政策类'],
  previous_grade: ['上年评价等级', '上年自评等级', '上年等级'],
} as const;

const str = (label: string) =>
  z.preprocess(
    (v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined),
    z.string({ error: `${label}不能为空` }),
  );
const flag = (label: string) =>
  z
    .unknown()
    .optional()
    .transform((v, ctx) => {
      const b = parseFlag(v);
      if (b === undefined) ctx.addIssue({ code: 'custom', message: `${label}应填 是 或 否（当前“${String(v)}”）` });
      return b ?? false;
    });

const projectRowSchema = z
  .object({
    code: str('项目编码').pipe(z.string().max(64, '项目编码最长 64 个字符')),
    name: str('项目名称').pipe(z.string().max(300, '项目名称最长 300 个字符')),
    department: str('单位编码'),
    year: z
      .unknown()
      .optional()
      .transform((v, ctx) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 2000 || n > 2100)
          ctx.addIssue({ code: 'custom', message: `年度应为四位年份（当前“${String(v ?? '')}”）` });
        return n;
      }),
    // Left empty, the tier rules assign it; filled, it is the bureau's decision and is kept.
    tier: z.preprocess(
      (v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined),
      z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (v === undefined) return undefined;
          const t = v.toUpperCase().replace('类', '');
          if (!tierSchema.safeParse(t).success)
            ctx.addIssue({ code: 'custom', message: `等级应为 A、B 或 C（当前“${v}”）` });
          return t as z.infer<typeof tierSchema>;
        }),
    ),
    amount: z.unknown().optional(),
    amount_wan: z.unknown().optional(),
    is_new: flag('新增项目'),
    is_gov_investment: flag('政府投资'),
    is_policy: flag('政策类'),
    // 上年评价等级: what the 抽评 rules read (last year's 差 is always sampled). Empty for a new project.
    previous_grade: z.preprocess(
      (v) => (v === null || v === undefined ? undefined : String(v).trim() || undefined),
      z.enum(['优', '良', '中', '差'], { error: '上年评价等级应为 优、良、中 或 差' }).optional(),
    ),
  })
  .transform((r, ctx) => {
    const yuan =
      r.amount !== undefined
        ? parseAmount(r.amount)
        : r.amount_wan !== undefined
          ? mul(parseAmount(r.amount_wan), 10000)
          : undefined;
    if (yuan === undefined || yuan < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `金额应为非负数字（元或万元）（当前“${String(r.amount ?? r.amount_wan ?? '')}”）`,
      });
    }
    return { ...r, amount: Math.round((yuan ?? 0) * 100) / 100 };
  });

const mul = (v: number | undefined, k: number) => (v === undefined ? undefined : v * k);

export interface ProjectPlan {
  code: string;
  name: string;
  department: string;
  year: number;
  /** As the file gives it; undefined for the tier rules to assign. */
  tier?: 'A' | 'B' | 'C';
  amount: number;
  isNew: boolean;
  isGovInvestment: boolean;
  isPolicy: boolean;
  previousGrade?: string;
}

export function planProjectImport(
  tables: Tables,
  knownDepartments: Set<string>,
): { plan: ProjectPlan[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const plan: ProjectPlan[] = [];
  const seen = new Map<string, string>();
  for (const [name, rows] of tables) {
    if (tables.size > 1 && !['projects', '项目', ''].includes(name.toLowerCase())) continue; // extra sheets: notes, instructions
    for (const row of rows) {
      const r = projectRowSchema.safeParse(normaliseRow(row, aliases));
      if (!r.success) {
        pushZod(issues, row, r.error);
        continue;
      }
      const p = r.data;
      if (!knownDepartments.has(p.department)) {
        issues.push({ where: row.where, message: `单位编码 ${p.department} 不存在，请先导入组织架构` });
        continue;
      }
      const prev = seen.get(p.code);
      if (prev) {
        issues.push({ where: row.where, message: `项目编码 ${p.code} 与 ${prev} 重复` });
        continue;
      }
      seen.set(p.code, row.where);
      plan.push({
        code: p.code,
        name: p.name,
        department: p.department,
        year: p.year,
        tier: p.tier,
        amount: p.amount,
        isNew: p.is_new,
        isGovInvestment: p.is_gov_investment,
        isPolicy: p.is_policy,
        ...(p.previous_grade ? { previousGrade: p.previous_grade } : {}),
      });
    }
  }
  return { plan, issues };
}
