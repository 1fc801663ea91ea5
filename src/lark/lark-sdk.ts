import { createRequire } from 'node:module';
import type * as lark from '@larksuiteoapi/node-sdk';

const require = createRequire(import.meta.url);
let loaded: typeof lark | undefined;

/**
 * The Lark SDK, loaded when first needed: its bundle describes every Lark API and costs ~0.6 s and ~60 MB, more than
 * the rest of start-up. An instance answers events before it has anything to send; the first call (a send, the token
 * check, the long connection) loads it.
 */
export function larkSdk(): typeof lark {
  loaded ??= require('@larksuiteoapi/node-sdk') as typeof lark;
  return loaded;
}
