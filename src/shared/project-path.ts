import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json, found upwards from this file, so the data folders (cards/, forms/, examples/)
 * resolve the same whether the service runs from src/ (tsx, tests) or from the compiled dist/src/.
 */
const root = (() => {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`package.json not found above ${import.meta.dirname}`);
  }
})();

export const projectPath = (...parts: string[]): string => path.join(root, ...parts);
