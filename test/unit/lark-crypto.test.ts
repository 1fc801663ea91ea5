import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, signature, signatureMatches } from '../../src/lark/crypto';

const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/lark/signed-encrypted-request.example.json'), 'utf8'),
);

describe('Lark request crypto', () => {
  it('decrypts the official test vector', () => {
    expect(decrypt('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'test key')).toBe('hello world');
  });

  it('reproduces the worked sample: signature over the raw body and decryption', () => {
    const h = sample.headers;
    expect(
      signature(h['x-lark-request-timestamp'], h['x-lark-request-nonce'], sample.encrypt_key, sample.raw_body),
    ).toBe(h['x-lark-signature']);
    expect(decrypt(JSON.parse(sample.raw_body).encrypt, sample.encrypt_key)).toBe(sample.decrypted_plaintext);
  });

  it('round-trips Chinese text and emoji with a random IV', () => {
    const text = '{"text":"帮助 🎉 \\"}]"}';
    const a = encrypt(text, 'k1');
    expect(a).not.toBe(encrypt(text, 'k1'));
    expect(decrypt(a, 'k1')).toBe(text);
  });

  it('fails on a wrong key or damaged ciphertext', () => {
    const a = encrypt('{"a":1}', 'right');
    expect(() => decrypt(a, 'wrong')).toThrow();
    expect(() => decrypt('AAAA', 'right')).toThrow();
  });

  it('compares signatures in constant time and case-insensitively', () => {
    const s = signature('1', 'n', 'k', '{}');
    expect(signatureMatches(s, s.toUpperCase())).toBe(true);
    expect(signatureMatches(s, s.slice(1))).toBe(false);
    expect(signatureMatches(s, `${s.slice(0, -1)}0`)).toBe(s.endsWith('0'));
  });
});
