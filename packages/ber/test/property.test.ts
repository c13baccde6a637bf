import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, decodeMessage, encodeMessage, type Pdu, type SnmpMessage } from '../src/index.js';
import { int32, latin1, oid, uint32, varbinds } from './arbitraries.js';

const basicType = fc.constantFrom(
  'GetRequest',
  'GetNextRequest',
  'Response',
  'SetRequest',
  'InformRequest',
  'TrapV2',
  'Report',
) as fc.Arbitrary<Extract<Pdu, { errorStatus: number }>['type']>;

const pdu: fc.Arbitrary<Pdu> = fc.oneof(
  fc
    .record({ type: basicType, requestId: int32, errorStatus: int32, errorIndex: int32, varbinds })
    .map((p): Pdu => ({ ...p })),
  fc
    .record({ requestId: int32, nonRepeaters: int32, maxRepetitions: int32, varbinds })
    .map((p): Pdu => ({ type: 'GetBulkRequest', ...p })),
  fc
    .record({
      enterprise: oid,
      agentAddress: fc.ipV4(),
      genericTrap: int32,
      specificTrap: int32,
      timestamp: uint32,
      varbinds,
    })
    .map((p): Pdu => ({ type: 'TrapV1', ...p })),
);

const adminString = fc.string({ unit: 'grapheme', maxLength: 32 });
const positive = fc.integer({ min: 0, max: 0x7fffffff });

const message: fc.Arbitrary<SnmpMessage> = fc.oneof(
  fc.record({ version: fc.constantFrom(0 as const, 1 as const), community: latin1, pdu }),
  fc
    .record({
      msgId: positive,
      msgMaxSize: fc.integer({ min: 484, max: 0x7fffffff }),
      msgFlags: fc.integer({ min: 0, max: 255 }),
      securityParameters: fc.record({
        engineId: fc.uint8Array({ maxLength: 32 }),
        engineBoots: positive,
        engineTime: positive,
        userName: adminString,
        authParameters: fc.uint8Array({ maxLength: 48 }),
        privParameters: fc.uint8Array({ maxLength: 16 }),
      }),
      scoped: fc.oneof(
        fc.record({ contextEngineId: fc.uint8Array({ maxLength: 32 }), contextName: adminString, pdu }),
        fc.uint8Array({ maxLength: 200 }),
      ),
    })
    .map(({ scoped, ...rest }): SnmpMessage => {
      const base = { version: 3 as const, securityModel: 3, ...rest };
      return scoped instanceof Uint8Array ? { ...base, encryptedPdu: scoped } : { ...base, scopedPdu: scoped };
    }),
);

describe('round trips of arbitrary messages (fast-check)', () => {
  it('decode(encode(m)) equals m', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toEqual(m);
      }),
      { numRuns: 1500 },
    );
  });

  it('encode(decode(b)) equals b for every encoding we produce', () => {
    fc.assert(
      fc.property(message, (m) => {
        const b = encodeMessage(m);
        expect(bytesToHex(encodeMessage(decodeMessage(b)))).toBe(bytesToHex(b));
      }),
      { numRuns: 1500 },
    );
  });
});
