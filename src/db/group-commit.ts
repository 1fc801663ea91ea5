import { type Db, type Tx, isMysql } from './database.ts';
import { isInfrastructureError } from './errors.ts';

/** Runs `work` in a transaction and resolves with its result once that transaction has committed. */
export type TransactionRunner = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

interface Unit {
  work: (tx: Tx) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

/** Most units one transaction takes: bounds how long the outbox worker or a web page waits for the connection. */
const MAX_BATCH = 32;

/**
 * Transactions for events, committed in groups on SQLite. SQLite has one writer: events queue for its one connection
 * anyway, and committing one event costs about as much as handling it (each commit writes the pages it touched to the
 * WAL and syncs it). Units that queued while a transaction ran share the next one, each in its own savepoint:
 * - a unit that fails (a refusal, a bug) rolls back to its savepoint and rejects; the others are unaffected;
 * - an infrastructure failure (busy file, full disk) or a failed commit rolls back the whole group, and every unit
 *   rejects with it, so each is answered 5xx and redelivered;
 * - every unit resolves only after the commit, so nothing is answered before it is durable.
 * A lone unit runs without a savepoint: light load costs what one transaction per event did. Units of a group run one
 * after another and see the earlier ones' writes, exactly as separate transactions in that order would.
 * MySQL runs each unit in its own transaction: it has a pool of connections, and a longer transaction would hold its
 * row locks longer.
 */
export function groupCommit(db: Db, maxBatch = MAX_BATCH): TransactionRunner {
  if (isMysql(db)) return (work) => db.transaction(work);
  const queue: Unit[] = [];
  let draining = false;
  const drain = async () => {
    try {
      while (queue.length) await commitGroup(db, queue.splice(0, maxBatch));
    } finally {
      draining = false;
    }
  };
  return <T>(work: (tx: Tx) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (draining) return;
      draining = true;
      setImmediate(() => void drain());
    });
}

/**
 * For units that only read and then write once, in one statement that a second run leaves unchanged (messages under
 * keys derived from the event): on MySQL no transaction at all, the statements on the pool, one round trip where
 * BEGIN, statement and COMMIT took three; on SQLite the group commit, which costs less than a commit of its own. The
 * unit is handed the pool as its executor: it must not write more than that one statement.
 */
export function readOnlyRunner(db: Db, grouped: TransactionRunner): TransactionRunner {
  return isMysql(db) ? (work) => work(db as Tx) : grouped;
}

async function commitGroup(db: Db, units: Unit[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await db.transaction(async (tx) => {
      if (units.length === 1) return [{ ok: true, value: await units[0]!.work(tx) } as Outcome];
      const done: Outcome[] = [];
      for (const unit of units) done.push(await inSavepoint(tx, unit));
      return done;
    });
  } catch (err) {
    for (const unit of units) unit.reject(err);
    return;
  }
  units.forEach((unit, i) => {
    const o = outcomes[i]!;
    if (o.ok) unit.resolve(o.value);
    else unit.reject(o.err);
  });
}

/** One unit of a group; an infrastructure failure is rethrown to roll back the group, anything else is its own. */
async function inSavepoint(tx: Tx, unit: Unit): Promise<Outcome> {
  await tx.raw('SAVEPOINT unit');
  try {
    const value = await unit.work(tx);
    await tx.raw('RELEASE unit');
    return { ok: true, value };
  } catch (err) {
    if (isInfrastructureError(err)) throw err;
    await tx.raw('ROLLBACK TO unit');
    await tx.raw('RELEASE unit');
    return { ok: false, err };
  }
}
