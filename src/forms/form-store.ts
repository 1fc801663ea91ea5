import type { Executor } from '../db/database.ts';
import { AppError } from '../shared/errors.ts';
import { type CompiledForm, compileForm } from './compile-form.ts';

/**
 * The forms in forms/ (current versions) plus every version work was started on, kept in the database so a draft
 * keeps its version while the file moves on.
 */
export class FormStore {
  private readonly versions = new Map<string, CompiledForm>();

  constructor(readonly current: Map<string, CompiledForm>) {
    for (const f of current.values()) this.versions.set(`${f.def.id}@${f.def.version}`, f);
  }

  get(id: string): CompiledForm | undefined {
    return this.current.get(id);
  }

  /** In the order of the year's work: a form that starts from another's submission comes after it. */
  list(): CompiledForm[] {
    const depth = (f: CompiledForm, seen = new Set<string>()): number => {
      const from = f.def.prefill && this.current.get(f.def.prefill.form);
      if (!from || seen.has(f.def.id)) return 0;
      return 1 + depth(from, seen.add(f.def.id));
    };
    return [...this.current.values()]
      .map((f, i) => ({ f, i, d: depth(f) }))
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .map((x) => x.f);
  }

  /** Records the current version before work starts on it; refuses a file edited without a version bump. */
  async pin(db: Executor, form: CompiledForm, now: number): Promise<void> {
    const stored = await db('form_versions').where({ form_id: form.def.id, version: form.def.version }).first('hash');
    if (stored && stored.hash !== form.hash) {
      throw new AppError(
        'conflict',
        `表单“${form.def.title}”的内容已修改但版本号仍为 ${form.def.version}，请联系管理员把 version 加 1`,
        {
          hint: `forms/${form.def.id}.yaml changed without a version bump`,
        },
      );
    }
    if (!stored) {
      await db('form_versions')
        .insert({
          form_id: form.def.id,
          version: form.def.version,
          hash: form.hash,
          definition: JSON.stringify(form.def),
          created_at: now,
        })
        .onConflict(['form_id', 'version'])
        .ignore();
    }
  }

  /** The definition a revision was made with. */
  async at(db: Executor, id: string, version: number): Promise<CompiledForm> {
    const key = `${id}@${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const row = await db('form_versions').where({ form_id: id, version }).first('definition');
    if (!row) throw new AppError('not_found', `表单 ${id} 的第 ${version} 版不存在`);
    const { form, errors } = compileForm(JSON.parse(String(row.definition)));
    if (!form) throw new AppError('internal', `表单 ${id} 第 ${version} 版无法读取`, { hint: errors.join('; ') });
    this.versions.set(key, form);
    return form;
  }
}
