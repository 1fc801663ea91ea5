import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Lark's request signature: hex(sha256(timestamp + nonce + encryptKey + rawBody)), over the exact bytes received.
 * (The SDK hashes a re-serialised body instead, which breaks on any formatting difference.)
 */
export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash('sha256')
    .update(Buffer.from(timestamp + nonce + encryptKey, 'utf8'))
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The AES key of an Encrypt Key, hashed once per key rather than per request (a service has one key). */
let lastKey: { encryptKey: string; key: Buffer } | undefined;
const keyOf = (encryptKey: string): Buffer => {
  if (lastKey?.encryptKey !== encryptKey)
    lastKey = { encryptKey, key: createHash('sha256').update(encryptKey, 'utf8').digest() };
  return lastKey.key;
};

/** AES-256-CBC with key sha256(encryptKey), random IV prepended, base64: what Lark sends as `{"encrypt": …}`. */
export function encrypt(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** Throws on a wrong key or damaged data (bad padding); callers turn that into a refusal. */
export function decrypt(encrypted: string, encryptKey: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('ciphertext has an invalid length');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}
