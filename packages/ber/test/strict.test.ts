import { describe, expect, it } from 'vitest';
import {
  BerError,
  bytesToHex,
  decodeMessage,
  decodeMessageWithOffsets,
  encodeMessage,
  hexToBytes,
  type SnmpMessage,
} from '../src/index.js';

/** A TLV in hex with its length computed (short or long form), so malformed inputs are built, not typed by hand. */
function tlv(tag: string, ...content: string[]): string {
  const body = content.join('');
  const n = body.length / 2;
  const hex = n.toString(16).padStart(n < 256 ? 2 : 4, '0');
  const len = n < 128 ? hex : `8${hex.length / 2}${hex}`;
  return `${tag}${len}${body}`;
}

/** A v2c message with one varbind whose name and value TLVs are given. */
function message(oidTlv: string, valueTlv = '0500', requestId = tlv('02', '01')): string {
  const varbind = tlv('30', oidTlv, valueTlv);
  return tlv(
    '30',
    tlv('02', '01'),
    tlv('04', '7075626c6963'),
    tlv('a2', requestId, '020100', '020100', tlv('30', varbind)),
  );
}

const SYS_DESCR = tlv('06', '2b06010201010100');
const GOOD = message(SYS_DESCR);

/** Decodes and expects a BerError at the byte where `marker` starts (its first occurrence, plus `delta` bytes). */
function expectBerError(hex: string, marker: string | number, pattern: RegExp, delta = 0): void {
  const offset = typeof marker === 'number' ? marker : hex.indexOf(marker) / 2 + delta;
  let caught: unknown;
  try {
    decodeMessage(hexToBytes(hex));
  } catch (e) {
    caught = e;
  }
  expect(caught, hex).toBeInstanceOf(BerError);
  const err = caught as BerError;
  expect(err.message, hex).toMatch(pattern);
  expect(err.offset, `${hex}: ${err.message}`).toBe(offset);
}

describe('strict decoding: every flaw is a BerError with its offset', () => {
  it('decodes the well-formed reference message', () => {
    const m = decodeMessage(hexToBytes(GOOD));
    expect(m.version === 1 && m.pdu.varbinds[0]!.oid).toBe('1.3.6.1.2.1.1.1.0');
  });

  it('refuses truncated input at every length', () => {
    const full = hexToBytes(GOOD);
    for (let n = 0; n < full.length; n++) {
      expect(() => decodeMessage(full.subarray(0, n)), `length ${n}`).toThrow(BerError);
    }
  });

  it('ignores bytes after the end of the message, as Net-SNMP does, and counts them', () => {
    const padded = hexToBytes(`${GOOD}0000ff`);
    expect(decodeMessage(padded)).toEqual(decodeMessage(hexToBytes(GOOD)));
    const decoded = decodeMessageWithOffsets(padded);
    expect(decoded.trailingBytes).toBe(3);
    expect(bytesToHex(encodeMessage(decoded.message))).toBe(GOOD);
    expect(decodeMessageWithOffsets(hexToBytes(GOOD)).trailingBytes).toBe(0);
    // The message still may not read into the padding: a length that runs past its end is refused.
    const short = `${GOOD.slice(0, 2)}${(GOOD.length / 2 - 3).toString(16)}${GOOD.slice(4)}`;
    expect(() => decodeMessage(hexToBytes(short))).toThrow(BerError);
  });

  it('refuses indefinite lengths', () => {
    expectBerError('3080020101040000', 1, /definite length/);
  });

  it('refuses lengths larger than the input, without allocating them', () => {
    expectBerError('3084ffffffff020101', 1, /content bytes/);
    expectBerError('3085010000000000', 1, /at most 4 bytes/);
    expectBerError('30070201010402', 1, /7 content bytes/);
  });

  it('refuses a container whose content does not fill it exactly', () => {
    const varbindWithExtra = tlv('30', SYS_DESCR, '0500', '00');
    const hex = tlv(
      '30',
      '020101',
      tlv('04', '63'),
      tlv('a2', '020101', '020100', '020100', tlv('30', varbindWithExtra)),
    );
    expectBerError(hex, varbindWithExtra, /end of the VarBind/, 2 + SYS_DESCR.length / 2 + 2);
  });

  it('refuses integers out of range', () => {
    const fiveBytes = tlv('02', '0100000000');
    // The request-id may have five (the test below); error-status may not.
    const pdu = tlv('a2', '020101', fiveBytes, '020100', '3000');
    expectBerError(tlv('30', '020101', tlv('04', '63'), pdu), fiveBytes, /out of range/, 1);
    expectBerError(message(SYS_DESCR, tlv('02', 'ff00000000')), 'ff00000000', /out of range/, -1);
    expectBerError('300402000400', 3, /zero-length/);
  });

  it('refuses a Counter32 that needs more than 32 bits and a Counter64 that needs more than 64', () => {
    expectBerError(message(SYS_DESCR, tlv('41', '0100000000')), '41050100000000', /exceeds 2\^32-1/, 1);
    expectBerError(message(SYS_DESCR, tlv('46', '01'.repeat(9))), '4609', /exceeds 2\^64-1/, 1);
    expect(() => decodeMessage(hexToBytes(message(SYS_DESCR, tlv('46', `00${'ff'.repeat(8)}`))))).not.toThrow();
  });

  it('refuses malformed OIDs', () => {
    const arcTooBig = tlv('06', '2b06019080808000');
    expectBerError(message(arcTooBig), arcTooBig, /exceeds 2\^32-1/, 5);
    const unfinished = tlv('06', '2b0681');
    expectBerError(message(unfinished), unfinished, /runs past the end/, 4);
    const padded = tlv('06', '2b8001');
    expectBerError(message(padded), padded, /leading 0x80/, 3);
    // A zero-length OID is refused as a name; as a value it is Net-SNMP's `.0` (see values.test.ts).
    expectBerError(message('0600'), '06000500', /empty OBJECT IDENTIFIER/, 1);
    const tooLong = tlv('06', `2b${'01'.repeat(127)}`);
    // The 129th arc is the OID's last byte.
    expectBerError(message(tooLong), tooLong, /more than 128 arcs/, tooLong.length / 2 - 1);
    expect(() => decodeMessage(hexToBytes(message(tlv('06', `2b${'01'.repeat(126)}`))))).not.toThrow();
  });

  it('refuses unknown tags, multi-byte tags and wrong versions', () => {
    expectBerError('3103020101', 0, /Message SEQUENCE/);
    expectBerError(
      tlv('30', '020102', tlv('04', '63'), tlv('a0', '020101', '020100', '020100', '3000')),
      2,
      /msgVersion/,
    );
    // A value with the unused application tag 8, and one with a multi-byte tag.
    expectBerError(message(SYS_DESCR, '480101'), '480101', /unknown tag 0x48/);
    expectBerError(message(SYS_DESCR, '1f0101'), '1f0101', /multi-byte/);
  });

  it('accepts a 5-byte request-id (older managers send one) and re-encodes it as it came; refuses 6 bytes', () => {
    for (const [hex, id] of [
      ['0080000001', 2 ** 31 + 1],
      ['00ffffffff', 2 ** 32 - 1],
      ['ff7fffffff', -(2 ** 31) - 1],
    ] as const) {
      const bytes = message(SYS_DESCR, '0500', tlv('02', hex));
      const m = decodeMessage(hexToBytes(bytes));
      expect(m.version !== 3 && m.pdu.type !== 'TrapV1' && m.pdu.requestId).toBe(id);
      expect(bytesToHex(encodeMessage(m))).toBe(bytes);
    }
    const six = tlv('02', '010000000001');
    expectBerError(message(SYS_DESCR, '0500', six), six, /6-byte integer/, 1);
  });

  it('decodes the UInteger32 that Net-SNMP agents send (tag 0x47) as its own type', () => {
    for (const [hex, value] of [
      ['4701' + '05', 5],
      ['4705' + '00ffffffff', 4294967295],
    ] as const) {
      const bytes = message(SYS_DESCR, hex);
      const m = decodeMessage(hexToBytes(bytes));
      expect(m.version !== 3 && m.pdu.varbinds[0]!.value).toEqual({ type: 'UInteger32', value });
      expect(bytesToHex(encodeMessage(m))).toBe(bytes);
    }
    expectBerError(message(SYS_DESCR, '4705' + '0100000000'), '4705', /UInteger32/, 1);
  });

  it('decodes a zero-length OID value (06 00) as Net-SNMP does, the one-arc OID 0, and writes it back as it came', () => {
    const bytes = message(SYS_DESCR, '0600');
    const m = decodeMessage(hexToBytes(bytes));
    expect(m.version !== 3 && m.pdu.varbinds[0]!.value).toEqual({ type: 'ObjectIdentifier', value: '0' });
    expect(bytesToHex(encodeMessage(m))).toBe(bytes);
  });

  it('refuses excessive nesting: a SEQUENCE where a PDU, an OID or a value should be', () => {
    let nested = '0500';
    for (let i = 0; i < 200; i++) nested = tlv('30', nested);
    const notAPdu = tlv('30', '020101', tlv('04', '63'), nested);
    expectBerError(notAPdu, notAPdu.indexOf(nested, 4) / 2, /PDU tag/);
    expectBerError(message(nested), nested, /OBJECT IDENTIFIER/);
    expectBerError(message(SYS_DESCR, nested), nested, /unknown tag 0x30/);
  });

  it('refuses v3 messages whose header or security parameters are malformed', () => {
    const v3: SnmpMessage = {
      version: 3,
      msgId: 1,
      msgMaxSize: 65507,
      msgFlags: 4,
      securityModel: 3,
      securityParameters: {
        engineId: new Uint8Array(0),
        engineBoots: 0,
        engineTime: 0,
        userName: '',
        authParameters: new Uint8Array(0),
        privParameters: new Uint8Array(0),
      },
      scopedPdu: {
        contextEngineId: new Uint8Array(0),
        contextName: '',
        pdu: { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [] },
      },
    };
    const hex = bytesToHex(encodeMessage(v3));
    expect(decodeMessage(hexToBytes(hex))).toEqual(v3);
    // msgSecurityModel 2 instead of 3 (USM).
    expectBerError(hex.replace('040104020103', '040104020102'), hex.indexOf('040104020103') / 2 + 6, /USM/);
    // A two-byte msgFlags.
    expect(() => decodeMessage(hexToBytes(hex.replace('0401040201', '040204040201')))).toThrow(BerError);
    expect(() => encodeMessage({ ...v3, msgFlags: 256 })).toThrow(/msgFlags/);
    expect(() => encodeMessage({ ...v3, scopedPdu: undefined })).toThrow(/scopedPdu or an encryptedPdu/);
  });

  it('refuses input that is not a Uint8Array with a BerError', () => {
    expect(() => decodeMessage('3000' as unknown as Uint8Array)).toThrow(BerError);
  });
});
