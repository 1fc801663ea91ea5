import type { z } from 'zod';
import type { Issue } from '../shared/errors.ts';
import type { SourceRow } from './read-tables.ts';

/**
 * Maps the column names people actually write (Chinese headers, English keys, either case) to canonical keys.
 * Unknown columns are dropped: bureau spreadsheets often carry extra notes columns.
 */
export function normaliseRow(row: SourceRow, aliases: Record<string, readonly string[]>): Record<string, unknown> {
  const lookup = new Map<string, string>();
  for (const [key, names] of Object.entries(aliases)) {
    for (const n of [key, ...names]) lookup.set(simplify(n), key);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row.values)) {
    const key = lookup.get(simplify(k));
    if (key) out[key] = v;
  }
  return out;
}

const simplify = (s: string) => s.toLowerCase().replace(/[\s（）()_\-*]/g, '');

/** Yes/no as bureau spreadsheets write it. */
export function parseFlag(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (['是', 'y', 'yes', 'true', '1', '√', '✓'].includes(s)) return true;
  if (['否', 'n', 'no', 'false', '0', ''].includes(s)) return false;
  return undefined;
}

/** "1,234.50" / 1234.5 / "1234.5元" → 1234.5; anything else → undefined. */
export function parseAmount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[,，\s]/g, '').replace(/元$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Splits a list cell written with any of the separators people use: ; ； 、 , ， or newlines. */
export function splitList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map((x) => String(x).trim()).filter(Boolean);
  if (v === undefined || v === null) return [];
  return String(v)
    .split(/[;；、,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Adds a row's schema errors to the import report, each under the row's location. */
export function pushZod(issues: Issue[], row: SourceRow, error: z.ZodError): void {
  for (const i of error.issues) issues.push({ where: row.where, message: i.message });
}
