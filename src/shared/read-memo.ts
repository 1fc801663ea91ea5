/**
 * What one event has read in its transaction, by key, so that a guard and its handler read an item once. It lives
 * for one attempt of one event (a retry or a savepoint gets a fresh one); whoever writes an item through it replaces
 * its entry with what was written, so later reads in the same event see the write without asking the database.
 */
export class ReadMemo {
  private readonly entries = new Map<string, Promise<unknown>>();

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.entries.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.entries.set(key, hit);
      // A failed read is not remembered: the next caller asks again.
      hit.catch(() => this.entries.delete(key));
    }
    return hit;
  }

  set<T>(key: string, value: T): void {
    this.entries.set(key, Promise.resolve(value));
  }

  /** Changes a remembered item the way a write changed it; nothing to do when it was not read. */
  update<T>(key: string, change: (value: T) => T): void {
    const hit = this.entries.get(key) as Promise<T> | undefined;
    if (hit) this.entries.set(key, hit.then(change));
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
