import { describe, expect, it } from 'vitest';
import {
  BerError,
  bytesToHex,
  compareOids,
  decodeMessage,
  encodeMessage,
  hexToBytes,
  isValidOid,
  oidStartsWith,
  type Pdu,
  parseOid,
  type SnmpMessage,
  SnmpValue,
} from '../src/index.js';

function roundTrip(value: SnmpValue, oid = '1.3.6.1.2.1.1.1.0'): { value: SnmpValue; hex: string } {
  const message: SnmpMessage = {
    version: 1,
    community: 'public',
    pdu: { type: 'Response', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [{ oid, value }] },
  };
  const bytes = encodeMessage(message);
  const back = decodeMessage(bytes);
  if (back.version === 3) throw new Error('unreachable');
  return { value: back.pdu.varbinds[0]!.value, hex: bytesToHex(bytes) };
}

/** The value TLV alone: the hex after the varbind's OID. */
function valueHex(value: SnmpValue): string {
  const { hex } = roundTrip(value, '1.3');
  return hex.slice(hex.indexOf('06012b') + 6);
}

describe('INTEGER (Integer32)', () => {
  it.each([
    [0, '020100'],
    [-1, '0201ff'],
    [127, '02017f'],
    [128, '02020080'],
    [-128, '020180'],
    [-129, '0202ff7f'],
    [2147483647, '02047fffffff'],
    [-2147483648, '020480000000'],
  ])('%d encodes minimally and round-trips', (n, hex) => {
    expect(valueHex(SnmpValue.integer(n))).toBe(hex);
    expect(roundTrip(SnmpValue.integer(n)).value).toEqual({ type: 'Integer', value: n });
  });

  it.each([2147483648, -2147483649, 1.5, Number.NaN])('refuses %d when encoding', (n) => {
    expect(() => roundTrip(SnmpValue.integer(n))).toThrow(BerError);
  });
});

describe('unsigned 32-bit types', () => {
  it.each(['Counter32', 'Gauge32', 'TimeTicks'] as const)('%s covers 0..2^32-1', (type) => {
    for (const n of [0, 1, 127, 128, 255, 256, 2147483647, 2147483648, 4294967295]) {
      expect(roundTrip({ type, value: n }).value).toEqual({ type, value: n });
    }
    expect(() => roundTrip({ type, value: 4294967296 })).toThrow(/between 0 and 4294967295/);
    expect(() => roundTrip({ type, value: -1 })).toThrow(BerError);
  });

  it('writes a leading zero when the top bit is set, as Net-SNMP does', () => {
    expect(valueHex(SnmpValue.counter32(4294967295))).toBe('410500ffffffff');
    expect(valueHex(SnmpValue.timeTicks(128))).toBe('43020080');
  });

  it('reads a value whose top bit is set without the leading zero modulo 2^32 (lenient like Net-SNMP)', () => {
    const msg = encodeMessage({
      version: 1,
      community: 'a',
      pdu: {
        type: 'Response',
        requestId: 1,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid: '1.3', value: SnmpValue.counter32(0x7fffffff) }],
      },
    });
    // Same length, top bit set: what an agent that forgets the leading zero sends.
    const hex = bytesToHex(msg).replace('41047fffffff', '4104ffffffff');
    const back = decodeMessage(hexToBytes(hex));
    expect(back.version !== 3 && back.pdu.varbinds[0]!.value).toEqual({ type: 'Counter32', value: 4294967295 });
  });
});

describe('Counter64', () => {
  it.each([0n, 1n, 255n, 4294967295n, 4294967296n, 9007199254740993n, 18446744073709551615n])('%s', (n) => {
    expect(roundTrip(SnmpValue.counter64(n)).value).toEqual({ type: 'Counter64', value: n });
  });
  it('encodes 2^64-1 in nine bytes and refuses what does not fit', () => {
    expect(valueHex(SnmpValue.counter64(18446744073709551615n))).toBe('460900ffffffffffffffff');
    expect(() => roundTrip(SnmpValue.counter64(18446744073709551616n))).toThrow(BerError);
    expect(() => roundTrip(SnmpValue.counter64(-1n))).toThrow(BerError);
  });
});

describe('OCTET STRING, NULL, IpAddress, exceptions', () => {
  it('round-trips empty, binary, UTF-8 and long strings', () => {
    for (const v of [new Uint8Array(0), Uint8Array.from([0, 255, 128]), new Uint8Array(70000).fill(97)]) {
      expect(roundTrip(SnmpValue.octetString(v)).value).toEqual({ type: 'OctetString', value: v });
    }
    expect(roundTrip(SnmpValue.octetString('héllo')).value).toEqual(SnmpValue.octetString('héllo'));
    expect(valueHex(SnmpValue.octetString(''))).toBe('0400');
  });

  it('uses long-form lengths at 128 and 256 bytes', () => {
    expect(valueHex(SnmpValue.octetString(new Uint8Array(128))).slice(0, 6)).toBe('048180');
    expect(valueHex(SnmpValue.octetString(new Uint8Array(256))).slice(0, 8)).toBe('04820100');
  });

  it('encodes NULL, IpAddress and the three exceptions', () => {
    expect(valueHex(SnmpValue.null())).toBe('0500');
    expect(valueHex(SnmpValue.ipAddress('192.168.0.255'))).toBe('4004c0a800ff');
    expect(valueHex(SnmpValue.noSuchObject())).toBe('8000');
    expect(valueHex(SnmpValue.noSuchInstance())).toBe('8100');
    expect(valueHex(SnmpValue.endOfMibView())).toBe('8200');
    for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5', '1..2.3']) {
      expect(() => roundTrip(SnmpValue.ipAddress(bad)), bad).toThrow(BerError);
    }
  });
});

describe('Opaque and Net-SNMP opaque specials', () => {
  it('round-trips float, double, int64 and uint64 as Net-SNMP encodes them', () => {
    expect(valueHex(SnmpValue.opaqueFloat(3.5))).toBe('44079f780440600000');
    expect(roundTrip(SnmpValue.opaqueDouble(-2.25)).value).toMatchObject({ opaque: { type: 'Double', value: -2.25 } });
    for (const n of [0n, -1n, -9000000000n, 9223372036854775807n, -9223372036854775808n]) {
      expect(roundTrip(SnmpValue.opaqueInt64(n)).value).toMatchObject({ opaque: { type: 'Integer64', value: n } });
    }
    for (const n of [0n, 18446744073709551615n]) {
      expect(roundTrip(SnmpValue.opaqueUint64(n)).value).toMatchObject({ opaque: { type: 'Unsigned64', value: n } });
    }
    expect(() => SnmpValue.opaqueUint64(-1n)).toThrow(BerError);
  });

  it('keeps plain opaque bytes as they are', () => {
    const raw = Uint8Array.from([1, 2, 3]);
    expect(roundTrip(SnmpValue.opaque(raw)).value).toEqual({ type: 'Opaque', value: raw });
  });
});

describe('OBJECT IDENTIFIER', () => {
  it('applies the first-two-arcs rule', () => {
    expect(valueHex(SnmpValue.objectIdentifier('0.0'))).toBe('060100');
    expect(valueHex(SnmpValue.objectIdentifier('1.3.6.1'))).toBe('06032b0601');
    expect(valueHex(SnmpValue.objectIdentifier('2.999.3'))).toBe('0603883703');
    expect(roundTrip(SnmpValue.objectIdentifier('.1.3.6.1.4.1.4294967295')).value).toEqual({
      type: 'ObjectIdentifier',
      value: '1.3.6.1.4.1.4294967295',
    });
  });

  it('accepts 128 arcs and refuses 129', () => {
    const long = `1.3${'.4294967295'.repeat(126)}`;
    expect(roundTrip(SnmpValue.objectIdentifier(long)).value).toEqual({ type: 'ObjectIdentifier', value: long });
    expect(() => parseOid(`${long}.1`)).toThrow(/128 arcs/);
  });

  it('refuses malformed OIDs with a clear message', () => {
    for (const bad of ['', '.', '1', '3.1', '1.40', '1.3.', '1..3', '1.3.x', '1.3.4294967296', ' 1.3']) {
      expect(isValidOid(bad), bad).toBe(false);
      expect(() => parseOid(bad), bad).toThrow(BerError);
    }
    expect(isValidOid('2.100.3')).toBe(true);
  });

  it('orders OIDs as GETNEXT does', () => {
    const sorted = ['1.3', '1.3.6', '1.3.6.1', '1.3.6.1.2', '1.3.6.2', '1.3.6.10', '1.3.7', '1.3.60', '2.1'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareOids)).toEqual(sorted);
    expect(compareOids('.1.3.6', '1.3.6')).toBe(0);
    expect(oidStartsWith('1.3.6.1', '1.3.6')).toBe(true);
    expect(oidStartsWith('1.3.6', '1.3.6')).toBe(true);
    expect(oidStartsWith('1.3.61', '1.3.6')).toBe(false);
    expect(oidStartsWith('1.3', '1.3.6')).toBe(false);
  });
});

describe('PDUs and messages', () => {
  it('encodes every PDU type with its tag', () => {
    const tags: Record<string, string> = {
      GetRequest: 'a0',
      GetNextRequest: 'a1',
      Response: 'a2',
      SetRequest: 'a3',
      InformRequest: 'a6',
      TrapV2: 'a7',
      Report: 'a8',
    };
    for (const [type, tag] of Object.entries(tags)) {
      const m = {
        version: 1,
        community: 'c',
        pdu: { type, requestId: -5, errorStatus: 18, errorIndex: 2, varbinds: [] },
      } as unknown as SnmpMessage;
      const hex = bytesToHex(encodeMessage(m));
      expect(hex.slice(16, 18), type).toBe(tag);
      expect(decodeMessage(hexToBytes(hex))).toEqual(m);
    }
    const bulk: SnmpMessage = {
      version: 1,
      community: 'c',
      pdu: { type: 'GetBulkRequest', requestId: 7, nonRepeaters: 1, maxRepetitions: 25, varbinds: [] },
    };
    expect(decodeMessage(encodeMessage(bulk))).toEqual(bulk);
    const trap: SnmpMessage = {
      version: 0,
      community: 'c',
      pdu: {
        type: 'TrapV1',
        enterprise: '1.3.6.1.4.1.99',
        agentAddress: '10.0.0.1',
        genericTrap: 6,
        specificTrap: 2,
        timestamp: 4294967295,
        varbinds: [{ oid: '1.3.6.1.2.1.1.5.0', value: SnmpValue.octetString('x') }],
      },
    };
    expect(decodeMessage(encodeMessage(trap))).toEqual(trap);
  });

  it('refuses unrepresentable message fields', () => {
    const base: Pdu = { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [] };
    // A request-id beyond Integer32 is written only in the 5-byte range an agent may have to echo.
    expect(() => encodeMessage({ version: 1, community: 'c', pdu: { ...base, requestId: 2 ** 39 } as Pdu })).toThrow(
      /request-id/,
    );
    expect(() => encodeMessage({ version: 1, community: 'c', pdu: { ...base, requestId: 1.5 } as Pdu })).toThrow(
      /request-id/,
    );
    expect(() => encodeMessage({ version: 1, community: 'ünï€', pdu: base })).toThrow(/8-bit/);
    expect(() => encodeMessage({ version: 2, community: 'c', pdu: base } as unknown as SnmpMessage)).toThrow(BerError);
  });
});

describe('decoded OIDs are remembered by their bytes', () => {
  const message = (oid: string): Uint8Array =>
    encodeMessage({
      version: 1,
      community: 'public',
      pdu: {
        type: 'Response',
        requestId: 1,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid, value: { type: 'Null' } }],
      },
    });
  const oidOf = (bytes: Uint8Array) => {
    const back = decodeMessage(bytes);
    if (back.version === 3) throw new Error('unreachable');
    return back.pdu.varbinds[0]!.oid;
  };

  it('gives the same text for the same bytes, and its own text to each of many OIDs of one length', () => {
    const oids = Array.from({ length: 3000 }, (_, i) => `1.3.6.1.2.1.2.2.1.${(i % 22) + 1}.${100 + i}`);
    for (let round = 0; round < 2; round++) for (const oid of oids) expect(oidOf(message(oid))).toBe(oid);
  });

  it('keeps no view of the buffer decoded: the caller may reuse it for another OID', () => {
    const first = Buffer.from(message('1.3.6.1.2.1.1.5.0'));
    expect(oidOf(first)).toBe('1.3.6.1.2.1.1.5.0');
    const second = message('1.3.6.1.2.1.1.6.0');
    first.set(second); // the same length: the datagram buffer of a socket that reuses it
    expect(oidOf(first)).toBe('1.3.6.1.2.1.1.6.0');
    expect(oidOf(message('1.3.6.1.2.1.1.5.0'))).toBe('1.3.6.1.2.1.1.5.0');
  });

  it('still refuses a malformed OID whose bytes start as a remembered one does', () => {
    expect(oidOf(message('1.3.6.1.2.1.1.5.0'))).toBe('1.3.6.1.2.1.1.5.0');
    const bad = message('1.3.6.1.2.1.1.5.0');
    // The last arc's byte (0x00) made a continuation byte: the sub-identifier runs past the end of the OID.
    const at = bytesToHex(bad).replace(/ /g, '').indexOf('2b06010201010500') / 2 + 7;
    bad[at] = 0x80;
    expect(() => decodeMessage(bad)).toThrow(BerError);
  });
});
