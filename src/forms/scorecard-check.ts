import type { FieldRef } from './compile-form.ts';
import { type FormDefinition, isGroup } from './form-schema.ts';

type Spec = NonNullable<FormDefinition['scorecard']>;

/**
 * A scorecard's weights as the file gives them: every row weighted, the weights adding up to the total, and each
 * required share held (产出 + 效益 ≥ 60 %). Problems name the table whose rows break the rule.
 */
export function scorecardProblems(spec: Spec, fields: Map<string, FieldRef>): string[] {
  const ref = fields.get(spec.group);
  const group = ref?.field;
  if (!ref || !group || !isGroup(group) || !group.rows?.length)
    return [`scorecard.group: “${spec.group}” 应为表单中给出 rows 的表格字段`];
  const fieldIndex = (ref as FieldRef).section;
  const index = groupIndex(fields, spec.group, fieldIndex);
  const where = `sections[${fieldIndex}].fields[${index}].rows（${group.label}）`;
  const ids = new Set(group.fields.map((f) => f.id));
  const problems: string[] = [];
  for (const key of ['level', 'weight'] as const)
    if (!ids.has(spec[key])) problems.push(`scorecard.${key}: 表格中没有字段 “${spec[key]}”`);
  group.rows.forEach((row, r) => {
    for (const k of Object.keys(row)) if (!ids.has(k)) problems.push(`${where}[${r}].${k}: 表格中没有这个字段`);
    const w = row[spec.weight];
    if (typeof w !== 'number' || w < 0) problems.push(`${where}[${r}].${spec.weight}: 分值应为非负数字`);
  });
  if (problems.length) return problems;
  const weight = (levels?: string[]) =>
    round2(
      group
        .rows!.filter((row) => !levels || levels.includes(String(row[spec.level])))
        .reduce((sum, row) => sum + Number(row[spec.weight]), 0),
    );
  const total = weight();
  if (total !== spec.total) problems.push(`${where}: 各项分值合计 ${total}，应为 ${spec.total}`);
  const present = new Set(group.rows.map((row) => String(row[spec.level])));
  spec.min_share.forEach((m, j) => {
    const missing = m.levels.filter((l) => !present.has(l));
    if (missing.length) problems.push(`scorecard.min_share[${j}].levels: 表格中没有 “${missing.join('、')}”`);
    const part = weight(m.levels);
    if (part < m.share * total)
      problems.push(
        `${where}: ${m.levels.join(' + ')} 的分值合计 ${part}，占总分 ${total} 的 ${round2((part / total) * 100)}%，` +
          `应不低于 ${round2(m.share * 100)}%${m.basis ? `（${m.basis}）` : ''}`,
      );
  });
  return problems;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The field's position in its section, as forms:check names places. */
function groupIndex(fields: Map<string, FieldRef>, id: string, section: number): number {
  return [...fields].filter(([, f]) => f.section === section).findIndex(([k]) => k === id);
}
