import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';
import { projectPath } from '../shared/project-path.ts';

const require = createRequire(import.meta.url);
let loaded: typeof lark | undefined;

/** Where `npm run build` writes the SDK's bundle compacted (`write-lark-sdk.ts`), and the line it starts with. */
export const compactSdkPath = projectPath('dist', 'lark-sdk.cjs');
export const compactSdkHeader = (version: string) => `// @larksuiteoapi/node-sdk@${version}, compacted by the build\n`;

/**
 * The compacted bundle when the build wrote it for the SDK installed now, otherwise the SDK itself: a later `npm
 * install` of another version, or a checkout never built (`npm run dev`), loads the original.
 */
export function sdkModulePath(compactPath = compactSdkPath): string {
  const { version } = require('@larksuiteoapi/node-sdk/package.json') as { version: string };
  const header = compactSdkHeader(version);
  try {
    const fd = fs.openSync(compactPath, 'r');
    try {
      const start = Buffer.alloc(Buffer.byteLength(header));
      fs.readSync(fd, start, 0, start.length, 0);
      if (start.toString('utf8') === header) return compactPath;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not built: the original below
  }
  return require.resolve('@larksuiteoapi/node-sdk');
}

/**
 * The Lark SDK, loaded when first needed: its bundle describes every Lark API and costs ~0.6 s and ~60 MB, more than
 * the rest of start-up. An instance answers events before it has anything to send; the first call (a send, the token
 * check, the long connection) loads it, compacted when built (README "Performance": 7 MB less heap).
 */
export function larkSdk(): typeof lark {
  loaded ??= require(sdkModulePath()) as typeof lark;
  return loaded;
}
