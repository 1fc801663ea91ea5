import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addWorkingDays,
  calendarCovers,
  inSendWindow,
  isWorkingDay,
  loadCalendar,
  uncoveredYears,
  useCalendar,
  workingDaysUntil,
} from '../../src/shared/working-days';

const at = (beijing: string) => Date.parse(`${beijing}+08:00`);

// 2026 calendar (State Council): National Day holiday 10-01..10-07 with make-up workdays Sun 09-20 and Sat 10-10.
describe('Chinese working days', () => {
  it('knows weekends, public holidays and make-up workdays', () => {
    expect(isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday, make-up workday
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday, make-up workday
  });

  it('counts working days to and past a deadline', () => {
    expect(workingDaysUntil('2026-11-27', '2026-11-30')).toBe(1); // Fri → Mon across a weekend
    expect(workingDaysUntil('2026-09-30', '2026-10-09')).toBe(2); // across the holiday: only 10-08 and 10-09 count
    expect(workingDaysUntil('2026-10-09', '2026-10-12')).toBe(2); // Sat 10-10 (make-up) and Mon 10-12
    expect(workingDaysUntil('2026-11-30', '2026-11-30')).toBe(0);
    expect(workingDaysUntil('2026-12-02', '2026-11-30')).toBe(-2);
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
  });

  it('sends only 09:00–20:00 on working days', () => {
    expect(inSendWindow(at('2026-11-27T08:59:00'))).toBe(false);
    expect(inSendWindow(at('2026-11-27T09:00:00'))).toBe(true);
    expect(inSendWindow(at('2026-11-27T19:59:00'))).toBe(true);
    expect(inSendWindow(at('2026-11-27T20:00:00'))).toBe(false);
    expect(inSendWindow(at('2026-11-28T10:00:00'))).toBe(false); // Saturday
    expect(inSendWindow(at('2026-10-10T10:00:00'))).toBe(true); // make-up Saturday
    expect(inSendWindow(at('2026-10-02T10:00:00'))).toBe(false); // holiday
  });
});

describe('the bureau’s holiday calendar', () => {
  const file = path.resolve(import.meta.dirname, '../fixtures/calendar/next-year.yaml');

  it('covers the years the library knows and none after', () => {
    useCalendar(loadCalendar(path.resolve(import.meta.dirname, '../../forms/rules/calendar.yaml')));
    expect(calendarCovers(2026)).toBe(true);
    expect(calendarCovers(2027)).toBe(false);
    expect(isWorkingDay('2027-01-01')).toBe(true); // the library alone takes 元旦 2027 for a Friday at work
    expect(uncoveredYears('2026-12-01', '2027-01-15')).toEqual([2027]);
  });

  it('comes before the library for the years it lists', () => {
    useCalendar(loadCalendar(file));
    expect(calendarCovers(2027)).toBe(true);
    expect(uncoveredYears('2026-12-01', '2027-01-15')).toEqual([]);
    expect(isWorkingDay('2027-01-01')).toBe(false); // a Friday holiday
    expect(isWorkingDay('2027-02-06')).toBe(true); // a Saturday worked
    expect(isWorkingDay('2027-02-07')).toBe(false); // Sunday
    expect(isWorkingDay('2027-02-08')).toBe(false); // a Monday holiday
    // Thu 12-31 → Mon 01-04: 01-01 is off, the weekend too.
    expect(workingDaysUntil('2026-12-31', '2027-01-04')).toBe(1);
    expect(addWorkingDays('2027-02-05', 2)).toBe('2027-02-10'); // Sat 02-06, then Wed 02-10
    expect(isWorkingDay('2026-10-01')).toBe(false); // other years still the library's
  });

  it('refuses a date filed under another year, naming it', () => {
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cal-')), 'calendar.yaml');
    fs.writeFileSync(bad, 'years:\n  2027:\n    holidays: [2028-01-01]\n');
    expect(() => loadCalendar(bad)).toThrow('2027 年下列出了 2028-01-01');
  });
});
