import fc from 'fast-check';
import { type SnmpValue, SnmpValue as V, type VarBind } from '../src/index.js';

// fast-check arbitraries of valid SNMP values, VarBinds and communities, shared by the property tests.

const arc = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 0xffffffff }));
export const oid = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(arc, { maxLength: 126 }))
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
export const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
export const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = fc.uint8Array({ maxLength: 300 });

export const value: fc.Arbitrary<SnmpValue> = fc.oneof(
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
export const varbinds: fc.Arbitrary<VarBind[]> = fc.array(
  fc.record({ oid, value }).map(({ oid, value }) => ({ oid, value })),
  { maxLength: 12 },
);

/** A v1/v2c community: one byte per character. */
export const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
