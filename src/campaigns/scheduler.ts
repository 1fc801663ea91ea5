import { hostname } from 'node:os';
import type { AppDeps } from '../app-deps.ts';
import type { CardRenderer } from '../cards/renderer.ts';
import type { FormStore } from '../forms/index.ts';
import { type Background, everyInterval } from '../shared/background.ts';
import { beijingDate, uncoveredYears } from '../shared/working-days.ts';
import { openCampaigns } from './campaign-repository.ts';
import { type RunResult, runReminders } from './reminders.ts';

export interface Scheduler extends Background {
  /** One step at `now`: the injected clock decides, so tests drive days, weekends and holidays. */
  tick(now: number): Promise<RunResult>;
}

/** Ticks every minute on the service's clock; the daily work inside runs once per day across instances. */
export function createScheduler(deps: AppDeps, store: FormStore, cards: CardRenderer, everyMs = 60_000): Scheduler {
  const instance = `${hostname()}:${process.pid}`;
  let checkedOn = '';
  // Once a day: campaigns whose dates fall in a year no holiday calendar covers are named in the log.
  const checkCalendar = async (now: number) => {
    if (checkedOn === beijingDate(now)) return;
    checkedOn = beijingDate(now);
    const open = await openCampaigns(deps.db);
    const years = [...new Set(open.flatMap((c) => uncoveredYears(c.opensOn, c.deadline)))];
    if (years.length)
      deps.logger.warn(
        { years, campaigns: open.filter((c) => uncoveredYears(c.opensOn, c.deadline).length).map((c) => c.id) },
        'holiday calendar missing for these years: add them to forms/rules/calendar.yaml',
      );
  };
  const tick = async (now: number) => {
    await checkCalendar(now);
    return runReminders(deps.db, store, cards, now, instance);
  };
  const step = () =>
    tick(deps.clock()).then((r) => {
      if (r.cards) deps.logger.info(r, 'reminders queued');
    });
  return { tick, ...everyInterval('scheduler tick', everyMs, step, deps.logger) };
}
