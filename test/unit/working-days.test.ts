import { describe, expect, it } from 'vitest';
import { addWorkingDays, inSendWindow, isWorkingDay, workingDaysUntil } from '../../src/shared/working-days';

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
