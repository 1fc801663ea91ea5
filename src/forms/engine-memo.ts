import { BoundedCache } from '../shared/bounded-cache.ts';
import { deepFreeze } from '../shared/deep-freeze.ts';
import type { CompiledForm } from './compile-form.ts';
import type { FormContext, FormData } from './form-engine.ts';

/**
 * A form engine function kept by compiled form, data and context. A page, the summary and the approval card compute
 * and validate the same revision again on every click, and validating recomputes the form once per table row: the
 * costliest part of a form click. These functions are pure in the compiled form (which owns its memo) and in the data
 * and context (JSON, as stored: the key is their text), so an entry can only be dropped, never stale. Results are
 * copied (they may hold parts of the input) and frozen to the bottom, because every later caller shares them.
 */
export function engineMemo<T>(
  compute: (form: CompiledForm, input: FormData, ctx: FormContext) => T,
): (form: CompiledForm, input: FormData, ctx: FormContext) => T {
  const memos = new WeakMap<CompiledForm, BoundedCache<T>>();
  return (form, input, ctx) => {
    let memo = memos.get(form);
    if (!memo) memos.set(form, (memo = new BoundedCache<T>(256, 4 << 20)));
    const key = JSON.stringify([input, ctx]);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const value = deepFreeze(structuredClone(compute(form, input, ctx)));
    memo.set(key, value, key.length);
    return value;
  };
}
