import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compactScript } from '../../src/lark/compact-script';
import { compactSdkHeader, compactSdkPath, sdkModulePath } from '../../src/lark/lark-sdk';
import { writeCompactSdk } from '../../src/write-lark-sdk';

const require = createRequire(import.meta.url);
const run = (script: string) => {
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(script, { module, exports: module.exports });
  return module.exports;
};

describe('compactScript', () => {
  const script = `'use strict';
/** 绩效目标：一段中文注释 */
// 另一行注释
const 名称 = '财政局 𠀀';
const re = /^[一-龥]+$/u;
const tpl = \`第\${1}季度\`;
module.exports = { 名称, isChinese: re.test('绩效'), notChinese: re.test('abc'), tpl, len: 名称.length };`;

  it('drops comments and writes only ASCII, keeping what the code does', () => {
    const compact = compactScript(script);
    expect(compact).not.toMatch(/注释|\/\*\*|\/\//);
    expect(compact).toMatch(/^[\x00-\x7f]*$/);
    expect(run(compact)).toEqual(run(script));
    expect(run(compact)).toEqual({ 名称: '财政局 𠀀', isChinese: true, notChinese: false, tpl: '第1季度', len: 6 });
  });
});

describe('the Lark SDK as loaded', () => {
  const installed = require.resolve('@larksuiteoapi/node-sdk');
  const { version } = require('@larksuiteoapi/node-sdk/package.json') as { version: string };

  it('is the compacted bundle the build wrote, with every export of the original', () => {
    expect(sdkModulePath()).toBe(compactSdkPath);
    const compact = require(compactSdkPath) as Record<string, unknown>;
    const original = require(installed) as Record<string, unknown>;
    expect(Object.keys(compact).sort()).toEqual(Object.keys(original).sort());
    expect(fs.statSync(compactSdkPath).size).toBeLessThan(fs.statSync(installed).size * 0.7);
  });

  it('is the SDK as installed when the compacted copy is missing or was built for another version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-sdk-'));
    const copy = path.join(dir, 'lark-sdk.cjs');
    expect(sdkModulePath(copy)).toBe(installed);
    fs.writeFileSync(copy, `${compactSdkHeader('0.0.1')}module.exports = {};`);
    expect(sdkModulePath(copy)).toBe(installed);
    fs.writeFileSync(copy, `${compactSdkHeader(version)}module.exports = {};`);
    expect(sdkModulePath(copy)).toBe(copy);
  });

  it('is not compacted where the copy would find other packages than the SDK finds', () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-sdk-')), 'lark-sdk.cjs');
    expect(writeCompactSdk(outside)).toBe(false);
    expect(fs.existsSync(outside)).toBe(false);
  });

  it('is not compacted when the compacted script would not compile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jixiao-sdk-'));
    const main = path.join(dir, 'index.js');
    const out = path.join(dir, 'compact.cjs');
    // An identifier beyond the Basic Multilingual Plane: valid as written, not as two \u escapes.
    fs.writeFileSync(main, 'var 𠀀 = 1; module.exports = { 𠀀 };');
    expect(writeCompactSdk(out, { main, version: '9.9.9' })).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
    fs.writeFileSync(main, "// 注释\nmodule.exports = { name: '财政局' };");
    expect(writeCompactSdk(out, { main, version: '9.9.9' })).toBe(true);
    expect(fs.readFileSync(out, 'utf8')).toBe(
      `${compactSdkHeader('9.9.9')}module.exports = { name: '\\u8d22\\u653f\\u5c40' };\n`,
    );
  });
});
