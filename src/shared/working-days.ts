import chineseDays from 'chinese-days';
import { beijingDate, beijingHour } from './clock';

/*
 * Chinese working days: weekends and public holidays off, make-up workdays (调休) on, per the State Council calendar
 * that chinese-days ships (updated yearly when the next year's calendar is published). All dates are Beijing dates.
 */
const DAY = 86_400_000;
export { beijingDate, beijingHour };
const shift = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export function isWorkingDay(date: string): boolean {
  return chineseDays.isWorkday(date);
}

/**
 * Working days from `from` to `to`: positive when `to` is ahead (working days in (from, to]), negative when `to` has
 * passed (minus the working days in (to, from]), 0 on the same day. So on a deadline day it is 0; the working day
 * before it, 1; the first working day after it, -1.
 */
export function workingDaysUntil(from: string, to: string): number {
  if (from === to) return 0;
  const [a, b, sign] = to > from ? [from, to, 1] : [to, from, -1];
  return sign * chineseDays.getWorkdaysInRange(shift(a, 1), b).length;
}

/** The `n`th working day after `date` (`date` itself for 0). */
export function addWorkingDays(date: string, n: number): string {
  return n > 0 ? chineseDays.findWorkday(n, date) : date;
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
