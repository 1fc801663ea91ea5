/** Milliseconds since the epoch. Injected everywhere time matters so tests can run on a fixed clock. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** The calendar date in Beijing (YYYY-MM-DD): deadlines, working days and delegations are all Beijing dates. */
export const beijingDate = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
export const beijingHour = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).getUTCHours();
/** "YYYY-MM-DD HH:mm" in Beijing, as cards show times. */
export const beijingDateTime = (ms: number) =>
  new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** A Beijing date as people read it in Feishu: "12月11日 周五" (with the year when `withYear`). */
export function chineseDay(ymd: string, withYear = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const weekday = weekdays[new Date(`${ymd}T00:00:00Z`).getUTCDay()];
  return `${withYear ? `${m[1]}年` : ''}${Number(m[2])}月${Number(m[3])}日 ${weekday}`;
}

/** A moment as cards show it: "12月9日 周三 10:30", Beijing time. */
export const chineseDateTime = (ms: number) => `${chineseDay(beijingDate(ms))} ${beijingDateTime(ms).slice(11)}`;
