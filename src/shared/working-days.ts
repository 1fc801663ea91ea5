import fs from 'node:fs';
import path from 'node:path';
import chineseDays from 'chinese-days';
import YAML from 'yaml';
import { z } from 'zod';
import { beijingDate, beijingHour } from './clock.ts';
import { AppError } from './errors.ts';
import { projectPath } from './project-path.ts';

/*
 * Chinese working days: weekends and public holidays off, make-up workdays (调休) on, per the State Council calendar.
 * The bureau's file (forms/rules/calendar.yaml) comes first, year by year; chinese-days ships the years it knows
 * (through 2026 in 1.5.7). All dates are Beijing dates.
 */
const DAY = 86_400_000;
export { beijingDate, beijingHour };
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const date = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) ctx.addIssue({ code: 'custom', message: `日期应为 YYYY-MM-DD（当前“${s}”）` });
  return s;
});
const yearSchema = z.object({ holidays: z.array(date).default([]), workdays: z.array(date).default([]) }).strict();
const fileSchema = z.object({ years: z.record(z.string().regex(/^\d{4}$/), yearSchema).default({}) }).strict();

export interface Calendar {
  years: Map<number, { holidays: Set<string>; workdays: Set<string> }>;
}

export const defaultCalendarFile = projectPath('forms/rules/calendar.yaml');

/** Reads and checks a calendar file; a date listed under another year is refused by name. */
export function loadCalendar(file = defaultCalendarFile): Calendar {
  const parsed = fileSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success)
    throw new AppError('config_invalid', `节假日文件有误：${path.basename(file)}`, {
      issues: parsed.error.issues.map((i) => ({ where: i.path.join('.'), message: i.message })),
    });
  const years = new Map<number, { holidays: Set<string>; workdays: Set<string> }>();
  for (const [y, d] of Object.entries(parsed.data.years)) {
    const stray = [...d.holidays, ...d.workdays].find((x) => !x.startsWith(`${y}-`));
    if (stray) throw new AppError('config_invalid', `节假日文件有误：${y} 年下列出了 ${stray}`);
    years.set(Number(y), { holidays: new Set(d.holidays), workdays: new Set(d.workdays) });
  }
  return { years };
}

let active: Calendar | undefined;
const calendar = () => (active ??= loadCalendar());

/** Uses another calendar (a test's, or a file given at start). */
export function useCalendar(c: Calendar): void {
  active = c;
}

const weekend = (d: string) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

export function isWorkingDay(d: string): boolean {
  const own = calendar().years.get(Number(d.slice(0, 4)));
  if (!own) return chineseDays.isWorkday(d);
  if (own.workdays.has(d)) return true;
  return !own.holidays.has(d) && !weekend(d);
}

/** Whether the bureau's file or the library knows the year's holidays (元旦 is a holiday in every year it knows). */
export function calendarCovers(year: number): boolean {
  return calendar().years.has(year) || chineseDays.getDayDetail(`${year}-01-01`).name.includes('元旦');
}

/** The years between two dates that no calendar covers: reminders and deadlines there count weekends only. */
export function uncoveredYears(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!calendarCovers(y)) out.push(y);
  return out;
}

/**
 * Working days from `from` to `to`: positive when `to` is ahead (working days in (from, to]), negative when `to` has
 * passed (minus the working days in (to, from]), 0 on the same day. So on a deadline day it is 0; the working day
 * before it, 1; the first working day after it, -1.
 */
export function workingDaysUntil(from: string, to: string): number {
  if (from === to) return 0;
  const [a, b, sign] = to > from ? [from, to, 1] : [to, from, -1];
  let n = 0;
  for (let d = shift(a, 1); d <= b; d = shift(d, 1)) if (isWorkingDay(d)) n++;
  return sign * n;
}

/** The `n`th working day after `date` (`date` itself for 0). */
export function addWorkingDays(d: string, n: number): string {
  let day = d;
  for (let left = n; left > 0;) {
    day = shift(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

export const SEND_FROM_HOUR = 9;
export const SEND_UNTIL_HOUR = 20;

/**
 * Reminders go out on working days between 09:00 and 20:00 Beijing time; outside that they wait for the next window.
 */
export function inSendWindow(now: number): boolean {
  const h = beijingHour(now);
  return isWorkingDay(beijingDate(now)) && h >= SEND_FROM_HOUR && h < SEND_UNTIL_HOUR;
}
