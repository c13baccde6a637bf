import { describe, expect, it } from 'vitest';
import { BerError, decodeMessage, encodeMessage } from '../src/index.js';
import { loadVectors } from './vectors.js';

/** xorshift32: a seeded, reproducible stream of mutations (the seed is printed when a case fails). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xff, 0x30, 0x06, 0x04, 0x02, 0x1f, 0x9f];

function mutate(input: Uint8Array, next: () => number): Uint8Array {
  const kind = next() % 6;
  const b = Uint8Array.from(input);
  const at = next() % Math.max(1, b.length);
  switch (kind) {
    case 0: // truncate
      return b.subarray(0, at);
    case 1: // flip bits in one to four bytes
      for (let i = 0, n = 1 + (next() % 4); i < n; i++) {
        const k = next() % b.length;
        b[k] = b[k]! ^ (1 << (next() % 8));
      }
      return b;
    case 2: // an interesting byte (length forms, tags) somewhere
      b[at] = INTERESTING[next() % INTERESTING.length]!;
      return b;
    case 3: {
      // insert random bytes
      const extra = Uint8Array.from({ length: 1 + (next() % 6) }, () => next() & 0xff);
      const out = new Uint8Array(b.length + extra.length);
      out.set(b.subarray(0, at));
      out.set(extra, at);
      out.set(b.subarray(at), at + extra.length);
      return out;
    }
    case 4: {
      // delete a run of bytes
      const end = Math.min(b.length, at + 1 + (next() % 8));
      const out = new Uint8Array(b.length - (end - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(end), at);
      return out;
    }
    default: // set a byte to a random value
      b[at] = next() & 0xff;
      return b;
  }
}

describe('mutation fuzzing of real Net-SNMP messages', () => {
  it('throws nothing but BerError on 120,000 mutated or truncated messages, and re-encodes what it accepts', () => {
    const vectors = loadVectors().map((v) => v.bytes);
    const seed = Number(process.env.SNMPKIT_FUZZ_SEED ?? Date.now() % 0x7fffffff);
    const next = rng(seed);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 120_000; i++) {
      let input = vectors[next() % vectors.length]!;
      for (let j = 0, n = 1 + (next() % 3); j < n; j++) input = mutate(input, next);
      let message: ReturnType<typeof decodeMessage>;
      try {
        message = decodeMessage(input);
      } catch (e) {
        if (!(e instanceof BerError)) {
          throw new Error(`seed ${seed}, case ${i}: ${Buffer.from(input).toString('hex')} threw ${String(e)}`);
        }
        refused++;
        continue;
      }
      accepted++;
      // Whatever decodes must encode again (lenient forms aside, to a message that decodes to the same thing).
      expect(decodeMessage(encodeMessage(message)), `seed ${seed}, case ${i}`).toEqual(message);
    }
    expect(refused).toBeGreaterThan(50_000);
    expect(accepted).toBeGreaterThan(1_000);
    // About 25 s of one core on a shared machine: the bound is ten times that, so that a saturated machine passes.
  }, 600_000);
});
