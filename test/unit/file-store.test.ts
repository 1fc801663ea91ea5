import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskFileStore, pruneExports } from '../../src/files';

describe('the disk file store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'file-store-'));
  const files = diskFileStore(dir);

  it('keeps bytes by key, refuses keys that could leave its directory, and prunes old exports only', async () => {
    await files.put('exports/a.xlsx', Buffer.from('old'));
    await files.put('exports/b.xlsx', Buffer.from('new'));
    await files.put('evidence/ab/c.pdf', Buffer.from('kept'));
    expect((await files.get('exports/b.xlsx')).toString()).toBe('new');
    await expect(files.put('../escape', Buffer.from('x'))).rejects.toThrow('invalid file key');
    await expect(files.get('exports/missing.xlsx')).rejects.toMatchObject({ code: 'ENOENT' });

    const now = Date.now();
    const eightDaysAgo = new Date(now - 8 * 86_400_000);
    fs.utimesSync(path.join(dir, 'exports/a.xlsx'), eightDaysAgo, eightDaysAgo);
    fs.utimesSync(path.join(dir, 'evidence/ab/c.pdf'), eightDaysAgo, eightDaysAgo);
    expect(await pruneExports(files, now)).toBe(1);
    await expect(files.get('exports/a.xlsx')).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await files.get('exports/b.xlsx')).toString()).toBe('new');
    expect((await files.get('evidence/ab/c.pdf')).toString()).toBe('kept'); // evidence is never pruned
  });
});
