/**
 * `npm run build` runs this after compiling: writes the Lark SDK's bundle compacted (`lark/compact-script.ts`) where
 * `larkSdk()` looks for it. The copy lives in dist/, so its `require`s must find the very packages the SDK's own would
 * (no copy nested under the SDK), and it must compile: otherwise nothing is written and the service loads the SDK as
 * installed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { compactScript } from './lark/compact-script.ts';
import { compactSdkHeader, compactSdkPath } from './lark/lark-sdk.ts';

const require = createRequire(import.meta.url);

const resolved = (from: NodeJS.Require, request: string): string | undefined => {
  try {
    return from.resolve(request);
  } catch {
    return undefined;
  }
};

/** The SDK as installed: its bundle and version. */
const installedSdk = () => ({
  main: require.resolve('@larksuiteoapi/node-sdk'),
  version: (require('@larksuiteoapi/node-sdk/package.json') as { version: string }).version,
});

/** The bundle compacted, or undefined when the copy would find other packages than the SDK does, or not compile. */
function compacted(main: string, outPath: string): string | undefined {
  const source = fs.readFileSync(main, 'utf8');
  const fromSdk = createRequire(main);
  const fromCopy = createRequire(outPath);
  const packages = new Set([...source.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!));
  if ([...packages].some((p) => resolved(fromSdk, p) !== resolved(fromCopy, p))) return undefined;
  const compact = compactScript(source);
  try {
    new vm.Script(compact, { filename: outPath });
    return compact;
  } catch {
    return undefined;
  }
}

export function writeCompactSdk(outPath = compactSdkPath, { main, version } = installedSdk()): boolean {
  const compact = compacted(main, outPath);
  if (compact === undefined) {
    fs.rmSync(outPath, { force: true });
    return false;
  }
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, compactSdkHeader(version) + compact);
  return true;
}

if (process.argv[1] && import.meta.filename === fs.realpathSync(process.argv[1])) {
  if (!writeCompactSdk()) console.warn('the Lark SDK cannot be compacted here: the service loads it as installed');
}
