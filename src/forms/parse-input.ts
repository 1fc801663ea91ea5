import { z } from 'zod';
import { attachmentSchema, attachmentText, attachmentsIn } from '../files/index.ts';
import type { Value } from './expression/evaluate.ts';
import { type LeafField, optionsOf } from './form-schema.ts';

/*
 * Card inputs arrive as text (dates as "2024-04-01 +0800", selects as option values). This turns one raw input into
 * a typed value or a Chinese error for the card, without losing what the user typed.
 */
export type Parsed = { value: Value } | { error: string };

const empty = (raw: unknown) =>
  raw === undefined ||
  raw === null ||
  (typeof raw === 'string' && raw.trim() === '') ||
  (Array.isArray(raw) && raw.length === 0);

function numberText(raw: string): string {
  return raw
    .replace(/[,，\s]/g, '')
    .replace(/[０-９．]/g, (c) => (c === '．' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

export function parseInput(f: LeafField, raw: unknown): Parsed {
  if (empty(raw)) return { value: null };
  const text = Array.isArray(raw) ? '' : String(raw).trim();
  switch (f.type) {
    case 'text':
    case 'textarea':
      return parseText(f, text);
    case 'integer': {
      const t = numberText(text);
      if (!/^-?\d+$/.test(t)) return { error: '请输入整数' };
      return range(f, Number(t));
    }
    case 'decimal': {
      const t = numberText(text).replace(new RegExp(`${escapeRe(f.unit ?? '')}$`), '');
      if (!/^-?\d+(\.\d+)?$/.test(t)) return { error: '请输入数字' };
      return range(f, Number(t));
    }
    case 'money':
      return parseMoney(f, text);
    case 'percent':
      return parsePercent(f, text);
    case 'date':
      return parseDate(f, text);
    case 'choice': {
      const options = optionsOf(f);
      return options.some((o) => o.value === text) ? { value: text } : { error: '请从选项中选择' };
    }
    case 'multi_choice':
      return parseMulti(f, raw, text);
    case 'yes_no':
      if (['是', 'yes', 'true'].includes(text)) return { value: true };
      if (['否', 'no', 'false'].includes(text)) return { value: false };
      return { error: '请选择 是 或 否' };
    case 'person':
      return /^ou_[A-Za-z0-9]+$/.test(text) ? { value: text } : { error: '请选择人员' };
    case 'department':
      return { value: text };
    case 'file':
      return parseFiles(f.max_files, raw);
  }
}

/** Attachments as the page action resolved them from the chosen upload ids (see `resolveFileInputs`). */
function parseFiles(max: number, raw: unknown): Parsed {
  if (typeof raw === 'string') return { error: raw }; // the resolver's refusal, shown at the field
  const r = z.array(attachmentSchema).safeParse(raw);
  if (!r.success) return { error: '所选文件无效，请重新选择' };
  if (r.data.length > max) return { error: `最多附加 ${max} 个文件（当前 ${r.data.length} 个）` };
  return { value: r.data };
}

type TextRules = { min_length?: number; max_length?: number; pattern?: string; pattern_message?: string };

function parseText(f: TextRules, text: string): Parsed {
  if (f.min_length !== undefined && [...text].length < f.min_length) return { error: `至少 ${f.min_length} 个字` };
  if (f.max_length !== undefined && [...text].length > f.max_length)
    return { error: `最多 ${f.max_length} 个字（当前 ${[...text].length} 个）` };
  if (f.pattern && !new RegExp(f.pattern, 'u').test(text)) return { error: f.pattern_message ?? '格式不正确' };
  return { value: text };
}

/** The unit may be typed: 12.5万 / 12.5万元 for a 万元 field, 125000元 for a 元 field. */
function parseMoney(f: { unit?: string; min?: number; max?: number }, text: string): Parsed {
  // The unit may be typed: 12.5万 / 12.5万元 for a 万元 field, 125000元 for a 元 field.
  const unit = f.unit === 'wan' ? /(万元|万)$/ : /元$/;
  const t = numberText(text).replace(unit, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t))
    return {
      error: /^-?\d+\.\d{3,}$/.test(t)
        ? '金额最多保留两位小数'
        : `请输入金额（${f.unit === 'wan' ? '万元' : '元'}），如 12.50`,
    };
  return range(f, Number(t));
}

/** Percentages are stored as fractions: 85 or 85% → 0.85. */
function parsePercent(f: { min?: number; max?: number }, text: string): Parsed {
  const t = numberText(text).replace(/%$/, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return { error: '请输入百分数，如 85 或 85%' };
  const pct = Number(t);
  if (f.min !== undefined && pct < f.min) return { error: `不能小于 ${f.min}%` };
  if (f.max !== undefined && pct > f.max) return { error: `不能大于 ${f.max}%` };
  return { value: Math.round(pct * 1e6) / 1e8 };
}

function parseDate(f: { min?: string; max?: string }, text: string): Parsed {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  const d = m && new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  if (!m || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== m[0])
    return { error: '请选择有效日期' };
  if (f.min && m[0] < f.min) return { error: `不能早于 ${f.min}` };
  if (f.max && m[0] > f.max) return { error: `不能晚于 ${f.max}` };
  return { value: m[0] };
}

type MultiRules = Parameters<typeof optionsOf>[0] & { min_selected?: number; max_selected?: number };

function parseMulti(f: MultiRules, raw: unknown, text: string): Parsed {
  const values = Array.isArray(raw) ? raw.map(String) : text.split(/[,，]/).map((s) => s.trim());
  const allowed = new Set(optionsOf(f).map((o) => o.value));
  if (values.some((v) => !allowed.has(v))) return { error: '请从选项中选择' };
  if (f.min_selected !== undefined && values.length < f.min_selected) return { error: `至少选择 ${f.min_selected} 项` };
  if (f.max_selected !== undefined && values.length > f.max_selected) return { error: `最多选择 ${f.max_selected} 项` };
  return { value: values };
}

function range(f: { min?: number; max?: number }, n: number): Parsed {
  if (f.min !== undefined && n < f.min) return { error: `不能小于 ${f.min}` };
  if (f.max !== undefined && n > f.max) return { error: `不能大于 ${f.max}` };
  return { value: n };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text to put back into an input so the user sees what they typed (or the stored value). */
export function displayValue(f: LeafField, v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (f.type === 'percent' && typeof v === 'number') return `${Math.round(v * 1e6) / 1e4}`;
  if (f.type === 'money' && typeof v === 'number') return v.toFixed(2);
  if (f.type === 'yes_no') return v ? '是' : '否';
  if (f.type === 'file') return attachmentsIn(v).map(attachmentText).join('，');
  if (Array.isArray(v)) return v.join('，');
  return String(v);
}
