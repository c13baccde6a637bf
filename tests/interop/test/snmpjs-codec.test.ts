import {
  BerError,
  bytesToHex,
  type CommunityMessage,
  decodeMessage,
  encodeMessage,
  SnmpValue,
  type V3Message,
} from '@snmpkit/ber';
import { discoveryMessage } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import {
  encodeWithSnmpjs,
  fromSjMessage,
  parseWithSnmpjs,
  plainMessage,
  type SjData,
  sjData,
  sjVarbind,
  snmpjs,
} from './snmpjs-helpers.js';

/**
 * @snmpkit/ber against snmpjs's encoder and parser (snmpjs 0.1.8): every data type and every PDU snmpjs has, both
 * ways, compared field by field, and byte for byte wherever both encode the same thing. Where snmpjs's bytes differ
 * or it cannot encode or parse something, the test says so and shows what snmpkit does with it.
 */

interface ValueCase {
  name: string;
  value: SnmpValue;
  /** When snmpjs encodes this value differently: its TLV and ours (hex). */
  snmpjsTlv?: string;
  ourTlv?: string;
}

const text = (s: string) => new TextEncoder().encode(s);

const VALUES: ValueCase[] = [
  { name: 'Integer 0', value: SnmpValue.integer(0) },
  { name: 'Integer -1', value: SnmpValue.integer(-1) },
  { name: 'Integer 127', value: SnmpValue.integer(127) },
  { name: 'Integer 128', value: SnmpValue.integer(128) },
  { name: 'Integer -129', value: SnmpValue.integer(-129) },
  { name: 'Integer 2^31-1', value: SnmpValue.integer(2147483647) },
  { name: 'Integer -2^31', value: SnmpValue.integer(-2147483648) },
  { name: 'OctetString text', value: SnmpValue.octetString('public text') },
  { name: 'OctetString bytes', value: SnmpValue.octetString(Uint8Array.of(0, 0xff, 1, 0x80)) },
  { name: 'OctetString 300 bytes (long-form length)', value: SnmpValue.octetString('x'.repeat(300)) },
  { name: 'ObjectIdentifier', value: SnmpValue.objectIdentifier('1.3.6.1.4.1.8072.3.2.10') },
  { name: 'ObjectIdentifier, arc 2^31-1', value: SnmpValue.objectIdentifier('1.3.6.1.4.1.2147483647') },
  { name: 'ObjectIdentifier 2.39.1.5', value: SnmpValue.objectIdentifier('2.39.1.5') },
  { name: 'IpAddress 0.0.0.0', value: SnmpValue.ipAddress('0.0.0.0') },
  { name: 'IpAddress 255.255.255.255', value: SnmpValue.ipAddress('255.255.255.255') },
  { name: 'Counter32 0', value: SnmpValue.counter32(0) },
  { name: 'Counter32 127', value: SnmpValue.counter32(127) },
  { name: 'Counter32 128', value: SnmpValue.counter32(128), snmpjsTlv: '410180', ourTlv: '41020080' },
  { name: 'Counter32 2^31-1', value: SnmpValue.counter32(0x7fffffff) },
  {
    name: 'Counter32 2^31',
    value: SnmpValue.counter32(0x80000000),
    snmpjsTlv: '410480000000',
    ourTlv: '41050080000000',
  },
  {
    name: 'Counter32 2^32-1',
    value: SnmpValue.counter32(4294967295),
    snmpjsTlv: '4104ffffffff',
    ourTlv: '410500ffffffff',
  },
  { name: 'Gauge32 (snmpjs Unsigned32) 0', value: SnmpValue.gauge32(0) },
  {
    name: 'Gauge32 (snmpjs Unsigned32) 65535',
    value: SnmpValue.gauge32(65535),
    snmpjsTlv: '4202ffff',
    ourTlv: '420300ffff',
  },
  {
    name: 'Gauge32 (snmpjs Unsigned32) 2^32-1',
    value: SnmpValue.gauge32(4294967295),
    snmpjsTlv: '4204ffffffff',
    ourTlv: '420500ffffffff',
  },
  { name: 'TimeTicks 0', value: SnmpValue.timeTicks(0) },
  { name: 'TimeTicks 123456', value: SnmpValue.timeTicks(123456) },
  {
    name: 'TimeTicks 2^32-1',
    value: SnmpValue.timeTicks(4294967295),
    snmpjsTlv: '4304ffffffff',
    ourTlv: '430500ffffffff',
  },
  { name: 'Opaque bytes', value: SnmpValue.opaque(Uint8Array.of(1, 2, 3)) },
  { name: 'Opaque holding a Net-SNMP float', value: SnmpValue.opaqueFloat(1.5) },
  { name: 'Counter64 0', value: SnmpValue.counter64(0n) },
  { name: 'Counter64 2^32', value: SnmpValue.counter64(2n ** 32n) },
  { name: 'Counter64 2^63-1', value: SnmpValue.counter64(2n ** 63n - 1n) },
  {
    name: 'Counter64 2^63',
    value: SnmpValue.counter64(2n ** 63n),
    snmpjsTlv: '46088000000000000000',
    ourTlv: '4609008000000000000000',
  },
  {
    name: 'Counter64 2^64-1',
    value: SnmpValue.counter64(2n ** 64n - 1n),
    snmpjsTlv: '4608ffffffffffffffff',
    ourTlv: '460900ffffffffffffffff',
  },
  { name: 'Null', value: SnmpValue.null() },
  { name: 'noSuchObject', value: SnmpValue.noSuchObject() },
  { name: 'noSuchInstance', value: SnmpValue.noSuchInstance() },
  { name: 'endOfMibView', value: SnmpValue.endOfMibView() },
];

function responseWith(value: SnmpValue, version: 0 | 1 = 1): CommunityMessage {
  return {
    version,
    community: 'public',
    pdu: {
      type: 'Response',
      requestId: 0x1234,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value }],
    },
  };
}

const hex = (bytes: Uint8Array) => bytesToHex(bytes);
/** Our decoder reading a copy (so that no Buffer leaks into the decoded values). */
const decode = (bytes: Uint8Array) => decodeMessage(Uint8Array.from(bytes)) as CommunityMessage;

const VBS = [
  { oid: '1.3.6.1.2.1.1.1.0', value: SnmpValue.null() },
  { oid: '1.3.6.1.2.1.2.2.1.10.3', value: SnmpValue.counter32(77) },
  { oid: '1.3.6.1.4.1.99999.1.1', value: SnmpValue.octetString('v') },
];

/** One message of every PDU type snmpjs has (its Trap is the v1 Trap, its SNMPv2_Trap our TrapV2). */
const PDUS: { name: string; message: CommunityMessage }[] = [
  ...(['GetRequest', 'GetNextRequest', 'Response', 'SetRequest', 'InformRequest', 'TrapV2', 'Report'] as const).flatMap(
    (type) =>
      ([0, 1] as const).map((version) => ({
        name: `${type} v${version === 0 ? '1' : '2c'}`,
        message: {
          version,
          community: version === 0 ? 'public' : 'private',
          pdu: {
            type,
            requestId: type === 'Report' ? -7 : 0x7fffffff,
            errorStatus: type === 'Response' ? 2 : 0,
            errorIndex: type === 'Response' ? 2 : 0,
            varbinds: VBS,
          },
        } satisfies CommunityMessage,
      })),
  ),
  {
    name: 'GetBulkRequest v2c',
    message: {
      version: 1,
      community: 'public',
      pdu: { type: 'GetBulkRequest', requestId: 42, nonRepeaters: 1, maxRepetitions: 25, varbinds: VBS },
    },
  },
  {
    name: 'TrapV1',
    message: {
      version: 0,
      community: 'public',
      pdu: {
        type: 'TrapV1',
        enterprise: '1.3.6.1.4.1.8072.3.2.10',
        agentAddress: '192.0.2.7',
        genericTrap: 6,
        specificTrap: 17,
        timestamp: 98765,
        varbinds: VBS,
      },
    },
  },
  {
    name: 'TrapV1 coldStart, no varbinds',
    message: {
      version: 0,
      community: 'public',
      pdu: {
        type: 'TrapV1',
        enterprise: '1.3.6.1.4.1.8072.3',
        agentAddress: '127.0.0.1',
        genericTrap: 0,
        specificTrap: 0,
        timestamp: 0,
        varbinds: [],
      },
    },
  },
];

describe('snmpjs encodes, snmpkit decodes', () => {
  for (const c of VALUES) {
    it(`${c.name}`, () => {
      const message = responseWith(c.value);
      const bytes = encodeWithSnmpjs(message);
      expect(plainMessage(decode(bytes))).toEqual(plainMessage(message));
      const ours = encodeMessage(message);
      if (c.snmpjsTlv === undefined) {
        expect(hex(bytes)).toBe(hex(ours));
      } else {
        // snmpjs leaves out the leading zero octet that keeps an unsigned value positive in BER (X.690 8.3).
        expect(hex(bytes)).toContain(c.snmpjsTlv);
        expect(hex(ours)).toContain(c.ourTlv);
        expect(bytes.length).toBe(ours.length - 1);
      }
    });
  }

  for (const { name, message } of PDUS) {
    it(`${name} PDU, field by field and byte for byte`, () => {
      const bytes = encodeWithSnmpjs(message);
      expect(plainMessage(decode(bytes))).toEqual(plainMessage(message));
      expect(hex(bytes)).toBe(hex(encodeMessage(message)));
    });
  }

  it('a PDU snmpjs built by hand, as an snmpjs agent or manager would', () => {
    const pdu = snmpjs.pdu.createPDU({
      op: snmpjs.pdu.Response,
      request_id: 99,
      varbinds: [
        sjVarbind('.1.3.6.1.2.1.1.5.0', sjData('OctetString', 'node-snmpjs')),
        sjVarbind('1.3.6.1.2.1.1.3.0', sjData('TimeTicks', 4200)),
      ],
    });
    const msg = snmpjs.message.createMessage({ version: 0, community: 'community', pdu });
    msg.encode();
    expect(decode(msg.raw!.buf)).toEqual({
      version: 0,
      community: 'community',
      pdu: {
        type: 'Response',
        requestId: 99,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [
          { oid: '1.3.6.1.2.1.1.5.0', value: { type: 'OctetString', value: text('node-snmpjs') } },
          { oid: '1.3.6.1.2.1.1.3.0', value: { type: 'TimeTicks', value: 4200 } },
        ],
      },
    });
  });
});

describe('snmpkit encodes, snmpjs parses', () => {
  for (const c of VALUES) {
    it(`${c.name}`, () => {
      const message = responseWith(c.value);
      const parsed = parseWithSnmpjs(encodeMessage(message));
      expect(fromSjMessage(parsed)).toEqual(plainMessage(message));
    });
  }

  it('snmpjs type names and tags: Gauge32 is its Unsigned32; the exceptions are its Null with context tags', () => {
    const seen = (value: SnmpValue): [string, number] => {
      const data: SjData = parseWithSnmpjs(encodeMessage(responseWith(value))).pdu.varbinds[0]!.data;
      return [data.typename, data.tag];
    };
    expect(seen(SnmpValue.gauge32(1))).toEqual(['Unsigned32', 0x42]);
    expect(seen(SnmpValue.counter64(1n))).toEqual(['Counter64', 0x46]);
    expect(seen(SnmpValue.opaqueDouble(0.25))).toEqual(['Opaque', 0x44]);
    expect(seen(SnmpValue.noSuchObject())).toEqual(['Null', 0x80]);
    expect(seen(SnmpValue.noSuchInstance())).toEqual(['Null', 0x81]);
    expect(seen(SnmpValue.endOfMibView())).toEqual(['Null', 0x82]);
  });

  for (const { name, message } of PDUS) {
    it(`${name} PDU, field by field`, () => {
      const parsed = parseWithSnmpjs(encodeMessage(message));
      expect(parsed.version).toBe(message.version);
      expect(parsed.community.toString('latin1')).toBe(message.community);
      expect(fromSjMessage(parsed)).toEqual(plainMessage(message));
    });
  }

  it("snmpjs re-encodes what it parsed from snmpkit's bytes to the same bytes", () => {
    for (const { message } of PDUS) {
      const ours = encodeMessage(message);
      const parsed = parseWithSnmpjs(ours);
      const again = snmpjs.message.createMessage({
        version: parsed.version,
        community: parsed.community,
        pdu: parsed.pdu,
      });
      again.encode();
      expect(hex(again.raw!.buf)).toBe(hex(ours));
    }
  });
});

describe('where snmpjs deviates, and what snmpkit does', () => {
  it('unsigned values with the top bit set: snmpjs sends them without the leading zero; snmpkit reads them unsigned', () => {
    // 41 01 80 is Counter32 -128 by the letter of BER; every agent means 128, and snmpkit reads 128.
    const fromSnmpjs = encodeWithSnmpjs(responseWith(SnmpValue.counter32(128)));
    expect(hex(fromSnmpjs)).toMatch(/410180$/);
    expect(decode(fromSnmpjs).pdu.varbinds[0]!.value).toEqual({ type: 'Counter32', value: 128 });
    // snmpkit writes the canonical form, and snmpjs reads that too.
    const ours = encodeMessage(responseWith(SnmpValue.counter32(128)));
    expect(hex(ours)).toMatch(/41020080$/);
    expect(parseWithSnmpjs(ours).pdu.varbinds[0]!.data.value).toBe(128);
    const big = encodeWithSnmpjs(responseWith(SnmpValue.counter64(2n ** 64n - 1n)));
    expect(decode(big).pdu.varbinds[0]!.value).toEqual({ type: 'Counter64', value: 2n ** 64n - 1n });
  });

  it('snmpjs cannot encode an empty OCTET STRING (asn1 asserts); snmpkit encodes it and snmpjs parses it', () => {
    expect(() => encodeWithSnmpjs(responseWith(SnmpValue.octetString('')))).toThrow();
    expect(() => encodeWithSnmpjs({ ...responseWith(SnmpValue.null()), community: '' })).toThrow();
    const ours = encodeMessage(responseWith(SnmpValue.octetString('')));
    expect(hex(ours)).toMatch(/0400$/);
    expect(parseWithSnmpjs(ours).pdu.varbinds[0]!.data.value).toEqual(Buffer.alloc(0));
  });

  it('snmpjs encodes an empty varbind list but cannot parse one (except in a v1 Trap); snmpkit does both', () => {
    const message: CommunityMessage = {
      version: 1,
      community: 'public',
      pdu: { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [] },
    };
    const bytes = encodeWithSnmpjs(message);
    expect(hex(bytes)).toBe(hex(encodeMessage(message)));
    expect(decode(bytes)).toEqual(message);
    expect(() => parseWithSnmpjs(bytes)).toThrow(/Parse error/);
  });

  it('OIDs snmpjs refuses or mangles; snmpkit encodes and decodes them all', () => {
    const cases: { oid: string; build: RegExp; parse: RegExp | 'ok' }[] = [
      // Fewer than 3 arcs: refused when built and when parsed (zeroDotZero, 0.0, is a common value).
      { oid: '0.0', build: /too short/, parse: /too short/ },
      // asn1's writer wants at least 4 arcs; snmpjs parses 3.
      { oid: '1.3.6', build: /not a valid OID string/, parse: 'ok' },
      // Arcs of 2^31 and more: refused when built; parsed into a negative number (32-bit shift) and refused.
      { oid: '1.3.6.1.4.1.2147483648', build: /too large/, parse: /negative/ },
      { oid: '1.3.6.1.4.1.4294967295', build: /too large/, parse: /negative/ },
      // Under 2, the second arc may exceed 39 (X.690 8.19.4); snmpjs caps it at 39 and misreads the first octet.
      { oid: '2.999.3.1', build: /exceeds encoding limit of 39/, parse: /does not begin with 0, 1, or 2/ },
    ];
    for (const { oid, build, parse } of cases) {
      const message = responseWith(SnmpValue.objectIdentifier(oid));
      expect(() => encodeWithSnmpjs(message), oid).toThrow(build);
      const ours = encodeMessage(message);
      expect(decode(ours).pdu.varbinds[0]!.value, oid).toEqual({ type: 'ObjectIdentifier', value: oid });
      if (parse === 'ok') expect(parseWithSnmpjs(ours).pdu.varbinds[0]!.data.value, oid).toBe(oid);
      else expect(() => parseWithSnmpjs(ours), oid).toThrow(parse);
    }
    // The same limits apply to varbind names.
    expect(() => sjVarbind('1.3', sjData('Null', null))).toThrow(/too short/);
  });

  it("snmpjs's GetBulk has no non-repeaters/max-repetitions: they live in error_status/error_index", () => {
    const message = PDUS.find((p) => p.name === 'GetBulkRequest v2c')!.message;
    const parsed = parseWithSnmpjs(encodeMessage(message));
    // pdu.js compares the op with SnmpPDU.GetBulkRequest, which is undefined, so the GetBulk names never exist.
    expect(parsed.pdu.non_repeaters).toBeUndefined();
    expect(parsed.pdu.max_repetitions).toBeUndefined();
    expect(parsed.pdu.error_status).toBe(1);
    expect(parsed.pdu.error_index).toBe(25);
    // And its error_index setter refuses max-repetitions larger than the varbind count, as an error-index.
    const pdu = snmpjs.pdu.createPDU({ op: snmpjs.pdu.GetBulkRequest, request_id: 1, varbinds: [] });
    expect(() => {
      pdu.error_index = 10;
    }).toThrow(RangeError);
  });

  it('snmpjs drops zero v1 Trap fields given to createPDU and then fails to encode; set afterwards they work', () => {
    const pdu = snmpjs.pdu.createPDU({
      op: snmpjs.pdu.Trap,
      enterprise: '1.3.6.1.4.1.8072.3',
      agent_addr: '127.0.0.1',
      generic_trap: 0, // coldStart: dropped, as are the two zeros below (it tests `if (arg.generic_trap)`)
      specific_trap: 0,
      time_stamp: 0,
      varbinds: [],
    });
    expect(pdu.enterprise).toBe('1.3.6.1.4.1.8072.3');
    expect(pdu.generic_trap).toBeUndefined();
    const msg = snmpjs.message.createMessage({ version: 0, community: 'public', pdu });
    expect(() => msg.encode()).toThrow(TypeError);
    // The trap with every field set (encodeWithSnmpjs sets them after createPDU) is byte-identical to ours.
    const trap = PDUS.find((p) => p.name === 'TrapV1 coldStart, no varbinds')!.message;
    expect(hex(encodeWithSnmpjs(trap))).toBe(hex(encodeMessage(trap)));
  });

  it('snmpjs encodes JavaScript strings as latin1 ("ascii"), not UTF-8; snmpkit keeps the bytes it gets', () => {
    const pdu = snmpjs.pdu.createPDU({
      op: snmpjs.pdu.Response,
      request_id: 1,
      varbinds: [sjVarbind('1.3.6.1.2.1.1.6.0', sjData('OctetString', 'Zürich'))],
    });
    const msg = snmpjs.message.createMessage({ version: 1, community: 'public', pdu });
    msg.encode();
    const value = decode(msg.raw!.buf).pdu.varbinds[0]!.value;
    expect(value).toEqual({ type: 'OctetString', value: Uint8Array.of(0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68) });
    expect(SnmpValue.octetString('Zürich').value).toEqual(text('Zürich')); // snmpkit: UTF-8, 7 bytes
    expect(text('Zürich').length).toBe(7);
  });

  it('snmpjs has no SNMPv3: it refuses to build a v3 message and to parse one; snmpkit decodes it', () => {
    expect(() => snmpjs.message.createMessage({ version: 3, community: 'x' })).toThrow(/SNMPv3 is unsupported/);
    // A discovery probe (@snmpkit/usm's), the first message a v3 manager sends, with a varbind for snmpkit to decode.
    const probe = discoveryMessage({ msgId: 1, requestId: 1 });
    const pdu = { ...probe.scopedPdu!.pdu, varbinds: VBS.slice(0, 1) };
    const v3: V3Message = { ...probe, scopedPdu: { ...probe.scopedPdu!, pdu } };
    const bytes = encodeMessage(v3);
    expect(() => parseWithSnmpjs(bytes)).toThrow(/SNMPv3 is not supported/);
    expect((decodeMessage(bytes) as V3Message).scopedPdu?.pdu).toEqual(v3.scopedPdu!.pdu);
  });

  it('truncated snmpjs output: snmpkit fails with a BerError, never a wrong message', () => {
    const bytes = encodeWithSnmpjs(PDUS[0]!.message);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(() => decode(bytes.subarray(0, cut))).toThrow(BerError);
    }
  });
});
