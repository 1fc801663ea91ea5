import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { projectPath } from './project-path.ts';

/**
 * Start-up work on the shipped data files, done once by `npm run build` (`write-build-cache.ts`): every YAML file under
 * forms/ parsed, every card template linted, each result stored under the SHA-1 of the file's text. Start-up takes the
 * stored result for a text unchanged since the build and does the work itself for a file edited since, so a result can
 * never be stale; without the file (sources run by tsx before any build) everything is done at start, as before.
 * Reading the form files alone cost ~0.4 s of a ~2 s start.
 */
export const buildCachePath = projectPath('dist', 'build-cache.json');

export const buildCacheSchema = z.object({
  /** YAML text hash → the value it parses to (only texts without syntax errors). */
  yaml: z.record(z.string(), z.unknown()),
  /** Hashes of card templates that lint clean. */
  cleanTemplates: z.array(z.string()),
});
export type BuildCache = z.infer<typeof buildCacheSchema>;

export const contentHash = (text: string): string => createHash('sha1').update(text, 'utf8').digest('hex');

let loaded: { yaml: Map<string, unknown>; clean: Set<string> } | undefined;

function cache() {
  if (!loaded) {
    let built: BuildCache = { yaml: {}, cleanTemplates: [] };
    try {
      built = buildCacheSchema.parse(JSON.parse(fs.readFileSync(buildCachePath, 'utf8')));
    } catch {
      // No build, or one from another version: nothing is cached and start-up does the work.
    }
    loaded = { yaml: new Map(Object.entries(built.yaml)), clean: new Set(built.cleanTemplates) };
  }
  return loaded;
}

/** What this YAML text parsed to at build time (a copy: callers may change it), or undefined for any other text. */
export function builtYaml(text: string): unknown {
  const value = cache().yaml.get(contentHash(text));
  return value === undefined ? undefined : structuredClone(value);
}

/** True when this exact template text linted clean at build time. */
export const builtCleanTemplate = (text: string): boolean => cache().clean.has(contentHash(text));
