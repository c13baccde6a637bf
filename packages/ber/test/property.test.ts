import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  decodeMessage,
  encodeMessage,
  type Pdu,
  type SnmpMessage,
  type SnmpValue,
  SnmpValue as V,
  type VarBind,
} from '../src/index.js';

const arc = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 0xffffffff }));
const oid = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 126 }))
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = fc.uint8Array({ maxLength: 300 });

const value: fc.Arbitrary<SnmpValue> = fc.oneof(
  int32.map(V.integer),
  bytes.map(V.octetString),
  fc.constant(V.null()),
  oid.map(V.objectIdentifier),
  fc.ipV4().map(V.ipAddress),
  uint32.map(V.counter32),
  uint32.map(V.gauge32),
  uint32.map(V.timeTicks),
  // Plain opaque data that does not start like one of Net-SNMP's specials (those decode with an `opaque` field).
  bytes.filter((b) => b[0] !== 0x9f).map(V.opaque),
  fc.double({ noNaN: true }).map(V.opaqueDouble),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(V.opaqueInt64),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(V.opaqueUint64),
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(V.counter64),
  fc.constant(V.noSuchObject()),
  fc.constant(V.noSuchInstance()),
  fc.constant(V.endOfMibView()),
);
const varbinds: fc.Arbitrary<VarBind[]> = fc.array(
  fc.record({ oid, value }).map(({ oid, value }) => ({ oid, value })),
  { maxLength: 12 },
);
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

const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
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
