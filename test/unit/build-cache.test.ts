import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { contentHash } from '../../src/shared/build-cache';
import { projectPath } from '../../src/shared/project-path';
import { readYaml } from '../../src/shared/read-yaml';
import { buildCacheOf } from '../../src/write-build-cache';

const shipped = (dir: string, ext: string) =>
  fs
    .readdirSync(projectPath(dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => fs.readFileSync(projectPath(dir, f), 'utf8'));

describe('the build cache of start-up work', () => {
  it('holds every shipped YAML file as it parses and every shipped template as linting clean', () => {
    const cache = buildCacheOf(projectPath('forms'), projectPath('cards'));
    const yamls = shipped('forms', '.yaml');
    expect(yamls.length).toBeGreaterThan(10);
    for (const text of yamls) expect(cache.yaml[contentHash(text)]).toEqual(YAML.parse(text));
    expect(new Set(cache.cleanTemplates)).toEqual(new Set(shipped('cards', '.hbs').map(contentHash)));
  });

  it('leaves out what it cannot hold: syntax errors, values JSON would change, templates that fail their lint', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
    fs.mkdirSync(path.join(dir, 'cards'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'a: [1, 2\n');
    fs.writeFileSync(path.join(dir, 'inf.yaml'), 'limit: .inf\n');
    fs.writeFileSync(path.join(dir, 'ok.yaml'), 'id: x\n');
    fs.writeFileSync(path.join(dir, 'cards', 'raw.hbs'), '{ "text": "{{name}}" }');
    fs.writeFileSync(path.join(dir, 'cards', 'good.hbs'), '{ "text": {{text name}} }');
    const cache = buildCacheOf(dir, path.join(dir, 'cards'));
    expect(Object.values(cache.yaml)).toEqual([{ id: 'x' }]);
    expect(cache.cleanTemplates).toEqual([contentHash('{ "text": {{text name}} }')]);
  });

  it('parses a text edited since the build, so the cache is never stale, and reports its syntax errors', () => {
    const text = fs.readFileSync(projectPath('forms/performance-target.yaml'), 'utf8');
    const edited = text.replace(/^title: .*$/m, 'title: 改过的标题');
    expect(edited).not.toBe(text);
    expect((readYaml(edited).value as { title: string }).title).toBe('改过的标题');
    const broken = readYaml('a: [1, 2\n', { prettyErrors: true });
    expect(broken.value).toBeUndefined();
    expect(broken.errors[0]!.linePos?.[0].line).toBe(2);
  });

  it('hands out a copy, so a caller that changes its value changes nobody else’s', () => {
    const text = fs.readFileSync(projectPath('forms/performance-target.yaml'), 'utf8');
    const first = readYaml(text).value as { title: string };
    first.title = 'changed';
    expect((readYaml(text).value as { title: string }).title).not.toBe('changed');
  });
});
