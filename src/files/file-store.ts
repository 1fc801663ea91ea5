import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where file bytes live: exported workbooks on their way to Lark, and evidence files (佐证材料). Keys are opaque,
 * slash-separated and made by us (never from user input), so any object store can hold them: a store for S3 or a
 * compatible service implements these three calls.
 */
export interface FileStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** Rejects with `code: 'ENOENT'` when there is no such file. */
  get(key: string): Promise<Buffer>;
  remove(key: string): Promise<void>;
  /** Removes the files under `prefix` last written before `before` (ms); resolves how many. */
  prune(prefix: string, before: number): Promise<number>;
}

const keyPattern = /^[a-z0-9][a-z0-9/_.-]{0,199}$/;

/**
 * Files in a directory (FILES_DIR, default data/files); writes go through a temporary name so a reader never sees half.
 */
export function diskFileStore(dir: string): FileStore {
  const at = (key: string) => {
    if (!keyPattern.test(key) || key.includes('..')) throw new Error(`invalid file key: ${key}`);
    return path.join(dir, key);
  };
  return {
    async put(key, bytes) {
      const file = at(key);
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
    },
    get: (key) => fs.readFile(at(key)),
    async remove(key) {
      await fs.rm(at(key), { force: true });
    },
    async prune(prefix, before) {
      const root = path.join(dir, prefix);
      const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
      let n = 0;
      for (const e of entries.filter((x) => x.isFile())) {
        const file = path.join(e.parentPath, e.name);
        if ((await fs.stat(file)).mtimeMs < before) {
          await fs.rm(file, { force: true });
          n++;
        }
      }
      return n;
    },
  };
}

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
