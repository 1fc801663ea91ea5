import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; tests pass their own destination to read what operators would see. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, base: { service: 'jixiao' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
