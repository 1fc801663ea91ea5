/** A loop that runs beside HTTP (outbox worker, scheduler): started after listen, stopped before the DB closes. */
export interface Background {
  start(): void;
  stop(): Promise<void>;
}
