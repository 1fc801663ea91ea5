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
