import type { CompiledForm } from './compile-form.ts';
import { type FormContext, type FormData, type Row, allFields } from './form-engine.ts';
import { isGroup } from './form-schema.ts';
import { formatValue, rowSummary } from './form-view.ts';

export interface Change {
  label: string;
  before: string;
  after: string;
}

/** What changed between two revisions, field by field; rows of a table by position. Computed fields are left out. */
export function diffRevisions(form: CompiledForm, before: FormData, after: FormData, ctx: FormContext): Change[] {
  const changes: Change[] = [];
  for (const f of allFields(form)) {
    if (isGroup(f)) {
      const a = (before[f.id] as Row[]) ?? [];
      const b = (after[f.id] as Row[]) ?? [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const x = a[i] ? rowSummary(form, f, a[i]!, before, ctx) : '（无）';
        const y = b[i] ? rowSummary(form, f, b[i]!, after, ctx) : '（已删除）';
        const same =
          a[i] &&
          b[i] &&
          f.fields.every(
            (rf) => rf.compute || JSON.stringify(a[i]![rf.id] ?? null) === JSON.stringify(b[i]![rf.id] ?? null),
          );
        if (!same) changes.push({ label: `${f.label}第 ${i + 1} 行`, before: x, after: y });
      }
      continue;
    }
    if (f.compute) continue;
    const x = formatValue(f, before[f.id]);
    const y = formatValue(f, after[f.id]);
    if (x !== y) changes.push({ label: f.label, before: x, after: y });
  }
  return changes;
}
