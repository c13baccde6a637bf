/** The objects the fixture agent serves in the golden tests: every value type and the formatting edge cases. */
import { encodeOpaqueSpecial, SnmpValue, type VarBind } from '@snmpkit/ber';

const base = '1.3.6.1.4.1.99999.1';
const bytes = (...b: number[]) => new Uint8Array(b);

export const FIXTURE_OBJECTS: VarBind[] = [
  { oid: `${base}.1.0`, value: SnmpValue.octetString('plain text') },
  { oid: `${base}.2.0`, value: SnmpValue.octetString('') },
  { oid: `${base}.3.0`, value: SnmpValue.octetString('say "hi" \\ back') },
  { oid: `${base}.4.0`, value: SnmpValue.octetString('line one\nline two\r\n\ttabbed') },
  { oid: `${base}.5.0`, value: SnmpValue.octetString(bytes(0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc)) },
  { oid: `${base}.6.0`, value: SnmpValue.octetString(bytes(...Array.from({ length: 40 }, (_, i) => (i * 7) & 0xff))) },
  { oid: `${base}.7.0`, value: SnmpValue.octetString(bytes(...Array.from({ length: 16 }, (_, i) => 0x80 + i))) },
  { oid: `${base}.8.0`, value: SnmpValue.octetString(bytes(0x68, 0x69, 0x00)) },
  { oid: `${base}.9.0`, value: SnmpValue.octetString('caf\u00e9') },
  { oid: `${base}.10.0`, value: SnmpValue.integer(-42) },
  { oid: `${base}.11.0`, value: SnmpValue.integer(2147483647) },
  { oid: `${base}.12.0`, value: SnmpValue.counter32(4294967295) },
  { oid: `${base}.13.0`, value: SnmpValue.gauge32(1000000000) },
  { oid: `${base}.14.0`, value: SnmpValue.timeTicks(0) },
  { oid: `${base}.15.0`, value: SnmpValue.timeTicks(4294967295) },
  { oid: `${base}.16.0`, value: SnmpValue.timeTicks(8640000 + 360000 * 3 + 6000 * 4 + 100 * 5 + 6) },
  { oid: `${base}.17.0`, value: SnmpValue.timeTicks(8640000 * 2) },
  { oid: `${base}.18.0`, value: SnmpValue.counter64(18446744073709551615n) },
  { oid: `${base}.19.0`, value: SnmpValue.counter64(0n) },
  { oid: `${base}.20.0`, value: SnmpValue.ipAddress('192.0.2.17') },
  { oid: `${base}.21.0`, value: SnmpValue.objectIdentifier('1.3.6.1.4.1.8072.3.2.10') },
  { oid: `${base}.22.0`, value: SnmpValue.objectIdentifier('0.0') },
  { oid: `${base}.23.0`, value: SnmpValue.objectIdentifier('2.999.5') },
  { oid: `${base}.24.0`, value: SnmpValue.opaqueFloat(3.5) },
  { oid: `${base}.25.0`, value: SnmpValue.opaqueDouble(-1234.5678) },
  { oid: `${base}.26.0`, value: SnmpValue.opaqueInt64(-9000000000n) },
  { oid: `${base}.27.0`, value: SnmpValue.opaqueUint64(18000000000000000000n) },
  { oid: `${base}.28.0`, value: SnmpValue.opaque(bytes(0xde, 0xad, 0xbe, 0xef)) },
  { oid: `${base}.29.0`, value: { type: 'NoSuchInstance' } },
  { oid: `${base}.30.0`, value: SnmpValue.null() },
  { oid: `${base}.31.0`, value: SnmpValue.octetString('trailing newline\n') },
  { oid: `${base}.32.0`, value: SnmpValue.octetString(bytes(0x41, 0x42, 0x7f)) },
  { oid: `${base}.33.0`, value: SnmpValue.timeTicks(1287) },
  { oid: `${base}.34.0`, value: SnmpValue.octetString(bytes(...Array.from({ length: 17 }, (_, i) => i))) },
  { oid: `${base}.35.0`, value: SnmpValue.octetString(bytes(...Array.from({ length: 32 }, (_, i) => 0xf0 - i))) },
  { oid: `${base}.36.0`, value: SnmpValue.opaqueFloat(0.1) },
  { oid: `${base}.37.0`, value: SnmpValue.opaqueDouble(1e300) },
  {
    oid: `${base}.38.0`,
    value: {
      type: 'Opaque',
      value: encodeOpaqueSpecial({ type: 'Counter64', value: 5n }),
      opaque: { type: 'Counter64', value: 5n },
    },
  },
  { oid: `1.3.6.1.4.1.99999.2.1.0`, value: SnmpValue.integer(7) },
];
