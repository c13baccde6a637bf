import { BerError } from '@snmpkit/ber';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type DecodedSecureMessage, decodeSecureMessage, flagsToLevel, UsmError, UsmKeyStore } from '../src/index.js';
import { CAPTURE_USERS, capturedV3Messages } from './fixtures.js';

const store = new UsmKeyStore(CAPTURE_USERS);
const seeds = capturedV3Messages();

/** Decodes; anything thrown but BerError or UsmError fails the property. */
function attempt(bytes: Uint8Array): DecodedSecureMessage | 'refused' {
  try {
    return decodeSecureMessage(bytes, store.resolver());
  } catch (error) {
    if (error instanceof BerError || error instanceof UsmError) return 'refused';
    throw error;
  }
}

describe('decodeSecureMessage on damaged real messages', () => {
  it('throws only BerError or UsmError; a changed authenticated message never passes at its own level', () => {
    const mutation = fc.record({
      seed: fc.integer({ min: 0, max: seeds.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
        minLength: 1,
        maxLength: 4,
      }),
      cut: fc.option(fc.nat(), { nil: undefined }),
    });
    fc.assert(
      fc.property(mutation, ({ seed, edits, cut }) => {
        const original = seeds[seed]!;
        let bytes = Uint8Array.from(original.bytes);
        for (const { at, value } of edits) bytes[at % bytes.length] = value;
        if (cut !== undefined) bytes = bytes.subarray(0, cut % bytes.length);
        const result = attempt(bytes);
        if (result === 'refused' || Buffer.compare(bytes, original.bytes) === 0) return true;
        // Only msgFlags are outside the MAC's reach in effect: clearing the auth bit turns a message into an
        // unauthenticated one, which the USM then treats (and reports) as noAuthNoPriv. Anything else must fail.
        return result.level === 'noAuthNoPriv' || flagsToLevel(original.message.msgFlags) === 'noAuthNoPriv';
      }),
      { numRuns: 4000, seed: 20261123 },
    );
  });
});
