import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BerError,
  BerWriter,
  bytesToHex,
  type CommunityResponseHeader,
  communityResponseSize,
  encodeCommunityResponse,
  encodeMessage,
  encodeOid,
  encodeValue,
  encodeVarBind,
  SnmpValue,
  type VarBind,
} from '../src/index.js';
import { int32, latin1, varbinds } from './arbitraries.js';

const latin1Bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** What encodeMessage writes for the Response the header and VarBinds describe. */
function wholeMessage(header: CommunityResponseHeader, list: VarBind[]): Uint8Array {
  return encodeMessage({
    version: header.version,
    community: String.fromCharCode(...header.community),
    pdu: {
      type: 'Response',
      requestId: header.requestId,
      errorStatus: header.errorStatus,
      errorIndex: header.errorIndex,
      varbinds: list,
    },
  });
}

function fromParts(header: CommunityResponseHeader, list: VarBind[]): Uint8Array {
  return encodeCommunityResponse(header, list.map(encodeVarBind));
}

/** The message a thrown BerError carries, to compare one encoder's refusal with another's. */
function refusal(encode: () => unknown): string {
  try {
    encode();
  } catch (error) {
    expect(error).toBeInstanceOf(BerError);
    return (error as BerError).message;
  }
  throw new Error('expected a BerError');
}

const header: CommunityResponseHeader = {
  version: 1,
  community: latin1Bytes('public'),
  requestId: 42,
  errorStatus: 0,
  errorIndex: 0,
};

const EDGE_VALUES: SnmpValue[] = [
  SnmpValue.integer(0),
  SnmpValue.integer(-1),
  SnmpValue.integer(127),
  SnmpValue.integer(128),
  SnmpValue.integer(-129),
  SnmpValue.integer(0x7fffffff),
  SnmpValue.integer(-0x80000000),
  SnmpValue.octetString(''),
  SnmpValue.octetString(new Uint8Array(127)),
  SnmpValue.octetString(new Uint8Array(128)),
  SnmpValue.octetString(new Uint8Array(256)),
  SnmpValue.octetString(new Uint8Array(70_000)),
  SnmpValue.null(),
  SnmpValue.objectIdentifier('0.0'),
  SnmpValue.objectIdentifier('2.999.4294967295'),
  SnmpValue.ipAddress('255.0.10.1'),
  SnmpValue.counter32(0xffffffff),
  SnmpValue.gauge32(0x80),
  SnmpValue.timeTicks(0),
  SnmpValue.counter64(0xffffffffffffffffn),
  SnmpValue.counter64(0n),
  SnmpValue.opaque(Uint8Array.of(1, 2, 3)),
  SnmpValue.opaqueFloat(1.5),
  SnmpValue.opaqueInt64(-(1n << 63n)),
  SnmpValue.noSuchObject(),
  SnmpValue.noSuchInstance(),
  SnmpValue.endOfMibView(),
];

describe('encodeValue, encodeOid, encodeVarBind', () => {
  it.each(EDGE_VALUES.map((v) => [v.type, v] as const))('encode a %s as encodeMessage does', (_type, value) => {
    const vb = { oid: '1.3.6.1.2.1.1.1.0', value };
    const encoded = encodeVarBind(vb);
    // The VarBind is the last thing in a one-VarBind message.
    const message = wholeMessage(header, [vb]);
    expect(bytesToHex(message.subarray(message.length - encoded.length))).toBe(bytesToHex(encoded));
    // ... and is the SEQUENCE of the OID's TLV and the value's.
    const content = bytesToHex(encodeOid(vb.oid)) + bytesToHex(encodeValue(value));
    const contentLength = content.length / 2;
    const headerLength = contentLength < 0x80 ? 2 : contentLength < 0x100 ? 3 : contentLength < 0x10000 ? 4 : 5;
    expect(encoded[0]).toBe(0x30);
    expect(encoded.length).toBe(headerLength + contentLength);
    expect(bytesToHex(encoded.subarray(headerLength))).toBe(content);
  });

  it('encode an OID with or without its leading dot, with the first-two-arcs rule', () => {
    expect(bytesToHex(encodeOid('1.3.6.1'))).toBe('06032b0601');
    expect(bytesToHex(encodeOid('.1.3.6.1'))).toBe('06032b0601');
    expect(bytesToHex(encodeOid('2.100.3'))).toBe('0603813403');
  });

  it('refuse out-of-range values with the errors encodeMessage gives', () => {
    const unrepresentable: SnmpValue[] = [
      SnmpValue.integer(2 ** 31),
      SnmpValue.integer(-(2 ** 31) - 1),
      SnmpValue.integer(1.5),
      SnmpValue.counter32(-1),
      SnmpValue.gauge32(2 ** 32),
      SnmpValue.timeTicks(Number.NaN),
      SnmpValue.counter64(-1n),
      SnmpValue.counter64(1n << 64n),
      SnmpValue.ipAddress('1.2.3'),
      SnmpValue.ipAddress('1.2.3.256'),
      SnmpValue.objectIdentifier('1.3.x'),
      { type: 'Bogus' } as unknown as SnmpValue,
    ];
    for (const value of unrepresentable) {
      const expected = refusal(() => wholeMessage(header, [{ oid: '1.3.6', value }]));
      expect(refusal(() => encodeValue(value))).toBe(expected);
      expect(refusal(() => encodeVarBind({ oid: '1.3.6', value }))).toBe(expected);
    }
  });

  it('refuse malformed OIDs with the errors encodeMessage gives', () => {
    const tooLong = Array.from({ length: 129 }, () => '1').join('.');
    for (const oid of ['', '1', '3.1', '1.40', '1.3.', '1..3', '1.3.4294967296', 'a.b', tooLong]) {
      const expected = refusal(() => wholeMessage(header, [{ oid, value: SnmpValue.null() }]));
      expect(refusal(() => encodeOid(oid))).toBe(expected);
      expect(refusal(() => encodeVarBind({ oid, value: SnmpValue.null() }))).toBe(expected);
    }
  });

  it('return arrays that later encodings leave alone', () => {
    const first = encodeVarBind({ oid: '1.3.6.1', value: SnmpValue.integer(1) });
    const copy = bytesToHex(first);
    for (let i = 0; i < 10_000; i++)
      encodeVarBind({ oid: `1.3.6.1.${i}`, value: SnmpValue.octetString('x'.repeat(i % 300)) });
    expect(bytesToHex(first)).toBe(copy);
  });
});

describe('encodeCommunityResponse and communityResponseSize', () => {
  const communityHeader = fc.record({
    version: fc.constantFrom(0 as const, 1 as const),
    community: latin1.map(latin1Bytes),
    requestId: int32,
    errorStatus: int32,
    errorIndex: int32,
  });

  it('write what encodeMessage writes, in the size announced (fast-check)', () => {
    fc.assert(
      fc.property(communityHeader, varbinds, (h, list) => {
        const bytes = fromParts(h, list);
        expect(bytesToHex(bytes)).toBe(bytesToHex(wholeMessage(h, list)));
        const varbindsLength = list.reduce((n, vb) => n + encodeVarBind(vb).length, 0);
        expect(communityResponseSize(h, varbindsLength)).toBe(bytes.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('size every header integer and every length form exactly', () => {
    const ints = [0, 127, 128, -128, -129, 0x7fff, 0x8000, -0x8001, 0x7fffff, 0x800000, 0x7fffffff, -0x80000000];
    for (const n of ints) {
      const h = { ...header, requestId: n, errorStatus: n, errorIndex: n };
      expect(communityResponseSize(h, 0)).toBe(fromParts(h, []).length);
    }
    // VarBind lists around the one-, two-, three- and four-byte length boundaries of the enclosing SEQUENCEs.
    for (const length of [90, 100, 110, 200, 240, 250, 65_480, 65_500, 65_540, 70_000]) {
      const list = [{ oid: '1.3', value: SnmpValue.octetString(new Uint8Array(length)) }];
      const bytes = fromParts(header, list);
      expect(bytesToHex(bytes)).toBe(bytesToHex(wholeMessage(header, list)));
      expect(communityResponseSize(header, encodeVarBind(list[0]!).length)).toBe(bytes.length);
    }
  });

  it('encode a Response larger than the shared scratch buffer', () => {
    const list = Array.from({ length: 2000 }, (_, i) => ({
      oid: `1.3.6.1.4.1.99999.1.1.1.2.${i}`,
      value: SnmpValue.octetString(`row-${i}-col-2`),
    }));
    const bytes = fromParts(header, list);
    expect(bytes.length).toBeGreaterThan(16 * 1024);
    expect(bytesToHex(bytes)).toBe(bytesToHex(wholeMessage(header, list)));
  });

  it('echo a 5-byte request-id as encodeMessage writes it', () => {
    for (const requestId of [2 ** 31, 2 ** 32 - 1, -(2 ** 31) - 1]) {
      const h = { ...header, requestId };
      const bytes = encodeCommunityResponse(h, []);
      expect(bytesToHex(bytes)).toBe(bytesToHex(wholeMessage(h, [])));
      expect(bytes.length).toBe(communityResponseSize(h, 0));
    }
  });

  it('refuse what encodeMessage refuses', () => {
    expect(() => encodeCommunityResponse({ ...header, version: 2 as 1 }, [])).toThrow(BerError);
    for (const field of ['requestId', 'errorStatus', 'errorIndex'] as const) {
      const h = { ...header, [field]: field === 'requestId' ? 2 ** 39 : 2 ** 31 };
      expect(refusal(() => encodeCommunityResponse(h, []))).toBe(refusal(() => wholeMessage(h, [])));
    }
  });
});

describe('BerWriter told its size in advance', () => {
  const payload = Uint8Array.from({ length: 40_000 }, (_, i) => i & 0xff);

  function written(expectedSize: number): Uint8Array {
    const w = new BerWriter(expectedSize);
    w.bytes(payload);
    w.header(0x04, payload.length);
    w.signedContent(-1);
    w.header(0x02, 1);
    w.header(0x30, w.size);
    return w.finish();
  }

  it('writes the same bytes whether the size it was told is right, too large or too small', () => {
    const expected = bytesToHex(written(0));
    // SEQUENCE header (0x30 0x82 LL LL), the INTEGER -1, the OCTET STRING header (0x04 0x82 LL LL), the payload.
    expect(written(0).length).toBe(4 + 3 + 4 + payload.length);
    for (const told of [written(0).length, 100_000, 20_000, 17_000]) expect(bytesToHex(written(told))).toBe(expected);
  });

  it('keeps its result apart from the next writer', () => {
    const first = written(written(0).length);
    const copy = bytesToHex(first);
    written(written(0).length);
    new BerWriter(first.length).bytes(new Uint8Array(first.length).fill(0xee));
    expect(bytesToHex(first)).toBe(copy);
  });
});
