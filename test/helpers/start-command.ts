import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** What `npm start` runs after its build step: the environment it sets and node's arguments (flags, then the entry). */
export function startCommand(script: 'start' | 'bench' = 'start'): { env: Record<string, string>; nodeArgs: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts[script]!.split('&&').pop()!.trim().split(/\s+/);
  const at = words.indexOf('node');
  if (at < 0) throw new Error(`the ${script} script does not run node`);
  const env = Object.fromEntries(words.slice(0, at).map((w) => w.split('=') as [string, string]));
  return { env, nodeArgs: words.slice(at + 1) };
}
