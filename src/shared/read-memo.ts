/**
 * What one event has read in its transaction, by key, so that a guard and its handler read an item once. It lives
 * for one attempt of one event (a retry gets a fresh one); whoever writes an item through it replaces its entry with
 * what was written, so later reads in the same event see the write without asking the database.
 *
 * A savepoint (one item of a batch) works on a `child`: it reads what the event read before it, and what it writes
 * or forgets stays in the child, so a rolled-back item leaves the event's reads as they were.
 */
export class ReadMemo {
  /** `null` marks an entry forgotten here though the parent still has it. */
  private readonly entries = new Map<string, Promise<unknown> | null>();

  constructor(private readonly parent?: ReadMemo) {}

  child(): ReadMemo {
    return new ReadMemo(this);
  }

  private lookup(key: string): Promise<unknown> | undefined {
    if (this.entries.has(key)) return this.entries.get(key) ?? undefined;
    return this.parent?.lookup(key);
  }

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.lookup(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.entries.set(key, hit);
      // A failed read is not remembered: the next caller asks again.
      hit.catch(() => this.forget(key));
    }
    return hit;
  }

  set<T>(key: string, value: T): void {
    this.entries.set(key, Promise.resolve(value));
  }

  /** Changes a remembered item the way a write changed it; nothing to do when it was not read. */
  update<T>(key: string, change: (value: T) => T): void {
    const hit = this.lookup(key) as Promise<T> | undefined;
    if (hit) this.entries.set(key, hit.then(change));
  }

  forget(key: string): void {
    if (this.parent) this.entries.set(key, null);
    else this.entries.delete(key);
  }
}
