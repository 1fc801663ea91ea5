/**
 * `npm run build` runs this after compiling: parses the shipped YAML files and lints the card templates once, so that
 * start-up can skip both for files unchanged since (`shared/build-cache.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import { lintTemplate } from './cards/template-lint.ts';
import { type BuildCache, buildCachePath, contentHash } from './shared/build-cache.ts';
import { projectPath } from './shared/project-path.ts';

const filesUnder = (dir: string, ext: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith(ext))
        .map((f) => path.join(dir, f))
    : [];

export function buildCacheOf(formsDir: string, cardsDir: string): BuildCache {
  const yaml: BuildCache['yaml'] = {};
  for (const file of filesUnder(formsDir, '.yaml')) {
    const text = fs.readFileSync(file, 'utf8');
    const doc = YAML.parseDocument(text);
    if (doc.errors.length) continue;
    const value: unknown = doc.toJS();
    // Only values that survive JSON unchanged (no .inf, no dates) can be stored; the others are parsed at start.
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(value ?? null)), value)) yaml[contentHash(text)] = value;
  }
  const cleanTemplates = filesUnder(cardsDir, '.hbs')
    .map((file) => fs.readFileSync(file, 'utf8'))
    .filter((text) => lintTemplate(text).length === 0)
    .map(contentHash);
  return { yaml, cleanTemplates };
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  const cache = buildCacheOf(projectPath('forms'), projectPath('cards'));
  fs.writeFileSync(buildCachePath, JSON.stringify(cache));
}
