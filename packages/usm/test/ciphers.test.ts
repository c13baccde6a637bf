import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CbcContexts, CfbContexts } from '../src/ciphers.js';

/** The reference: a fresh OpenSSL context per message, as the IV is meant to be used. */
function oneShot(decrypt: boolean, algorithm: string, key: Uint8Array, iv: Uint8Array, input: Uint8Array): Buffer {
  const context = decrypt ? createDecipheriv(algorithm, key, iv) : createCipheriv(algorithm, key, iv);
  context.setAutoPadding(false);
  return Buffer.concat([context.update(input), context.final()]);
}

/** A run of messages: each encrypted or decrypted, of its own length and IV, in any order. */
const messages = (blockMultiple: number) =>
  fc.array(
    fc.record({
      decrypt: fc.boolean(),
      iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      blocks: fc.integer({ min: 1, max: 40 }),
      extra: fc.integer({ min: 0, max: blockMultiple - 1 }),
      seed: fc.integer(),
    }),
    { minLength: 1, maxLength: 30 },
  );

describe('persistent cipher contexts', () => {
  for (const bits of [128, 192, 256]) {
    it(`AES-${bits}-CFB equals a context per message, for any sequence of lengths, IVs and directions`, () => {
      const key = randomBytes(bits / 8);
      const contexts = new CfbContexts(`aes-${bits}-cfb`, `aes-${bits}-ecb`, key);
      fc.assert(
        fc.property(messages(16), (run) => {
          for (const m of run) {
            const input = randomBytes(m.blocks * 16 - (m.extra === 0 ? 0 : 16 - m.extra));
            const expected = oneShot(m.decrypt, `aes-${bits}-cfb`, key, m.iv, input);
            const got = m.decrypt ? contexts.decrypt(m.iv, input) : contexts.encrypt(m.iv, input);
            expect(Buffer.from(got).toString('hex')).toBe(expected.toString('hex'));
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('DES-CBC (des-ede3-cbc, one key thrice) equals a context per message, for whole blocks in any order', () => {
    const k = randomBytes(8);
    const key = Buffer.concat([k, k, k]);
    const contexts = new CbcContexts('des-ede3-cbc', key, 8);
    fc.assert(
      fc.property(messages(1), (run) => {
        for (const m of run) {
          const iv = m.iv.subarray(0, 8);
          const input = randomBytes(m.blocks * 8);
          const expected = oneShot(m.decrypt, 'des-ede3-cbc', key, iv, input);
          // encrypt overwrites its input's first block: it gets a copy.
          const copy = Buffer.from(input);
          const got = m.decrypt ? contexts.decrypt(iv, input) : contexts.encrypt(iv, copy);
          expect(Buffer.from(got).toString('hex')).toBe(expected.toString('hex'));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a caller that changes a returned ciphertext does not change the next message', () => {
    const key = randomBytes(16);
    const contexts = new CfbContexts('aes-128-cfb', 'aes-128-ecb', key);
    const iv = randomBytes(16);
    const first = contexts.encrypt(iv, randomBytes(20));
    first.fill(0xff);
    const plaintext = randomBytes(33);
    expect(contexts.encrypt(iv, plaintext).equals(oneShot(false, 'aes-128-cfb', key, iv, plaintext))).toBe(true);
  });
});
