import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  bytesToText,
  type CommunityMessage,
  decodeMessage,
  decodeMessageWithOffsets,
  decodeScopedPdu,
  encodeMessage,
  encodeMessageWithOffsets,
  encodeScopedPdu,
  type SnmpValue,
  type V3Message,
} from '../src/index.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();

function community(hexOrIndex: number): CommunityMessage {
  const m = decodeMessage(vectors[hexOrIndex]!.bytes);
  if (m.version === 3) throw new Error('expected v1/v2c');
  return m;
}

describe('real Net-SNMP traffic', () => {
  it('has vectors for every version and every PDU type Net-SNMP sent', () => {
    const seen = new Set<string>();
    for (const v of vectors) {
      const m = decodeMessage(v.bytes);
      const pdu = m.version === 3 ? m.scopedPdu?.pdu : m.pdu;
      seen.add(`v${m.version}:${pdu ? pdu.type : 'encrypted'}`);
    }
    for (const want of [
      'v0:GetRequest',
      'v0:GetNextRequest',
      'v0:SetRequest',
      'v0:Response',
      'v0:TrapV1',
      'v1:GetRequest',
      'v1:GetNextRequest',
      'v1:GetBulkRequest',
      'v1:SetRequest',
      'v1:Response',
      'v1:TrapV2',
      'v1:InformRequest',
      'v3:GetRequest',
      'v3:Report',
      'v3:encrypted',
    ]) {
      expect(seen, want).toContain(want);
    }
  });

  it('re-encodes every captured message byte for byte', () => {
    expect(vectors.length).toBeGreaterThan(500);
    for (const v of vectors) {
      expect(bytesToHex(encodeMessage(decodeMessage(v.bytes))), v.direction).toBe(v.hex);
    }
  });

  it('decodes a v1 GET and its Response field by field', () => {
    const req = community(0);
    expect(req.version).toBe(0);
    expect(req.community).toBe('public');
    expect(req.pdu.type).toBe('GetRequest');
    expect(req.pdu.varbinds.map((vb) => vb.oid)).toEqual(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0']);
    expect(req.pdu.varbinds[0]!.value).toEqual({ type: 'Null' });
    const res = community(1);
    expect(res.pdu.type).toBe('Response');
    if (res.pdu.type !== 'Response' || req.pdu.type !== 'GetRequest') throw new Error('unreachable');
    expect(res.pdu.requestId).toBe(req.pdu.requestId);
    expect(res.pdu.errorStatus).toBe(0);
    expect(res.pdu.varbinds[0]!.value.type).toBe('OctetString');
    expect(res.pdu.varbinds[1]!.value.type).toBe('TimeTicks');
  });

  it('decodes the v1 Trap fields', () => {
    const traps = vectors.map((v) => decodeMessage(v.bytes)).filter((m) => m.version === 0 && m.pdu.type === 'TrapV1');
    const first = traps[0] as CommunityMessage;
    expect(first.pdu).toMatchObject({
      type: 'TrapV1',
      enterprise: '1.3.6.1.4.1.8072.2.3',
      agentAddress: '127.0.0.1',
      genericTrap: 6,
      specificTrap: 17,
      timestamp: 12345,
    });
    expect(first.pdu.varbinds[1]!.value).toEqual({ type: 'Counter32', value: 42 });
  });

  it('decodes every value type that snmptrap sent, at the edges of their ranges', () => {
    const traps = vectors
      .map((v) => decodeMessage(v.bytes))
      .filter((m): m is CommunityMessage => m.version === 1 && m.pdu.type === 'TrapV2');
    const values = new Map<string, SnmpValue>();
    for (const t of traps) for (const vb of t.pdu.varbinds) values.set(vb.oid, vb.value);
    expect(values.get('1.3.6.1.2.1.31.1.1.1.6.1')).toEqual({ type: 'Counter64', value: 18446744073709551615n });
    expect(values.get('1.3.6.1.2.1.4.20.1.1.127.0.0.1')).toEqual({ type: 'IpAddress', value: '127.0.0.1' });
    expect(values.get('1.3.6.1.2.1.1.2.0')).toEqual({ type: 'ObjectIdentifier', value: '1.3.6.1.4.1.8072' });
    expect(values.get('1.3.6.1.2.1.2.2.1.5.1')).toEqual({ type: 'Gauge32', value: 4294967295 });
    expect(values.get('1.3.6.1.2.1.25.1.1.0')).toEqual({ type: 'TimeTicks', value: 4294967295 });
    expect(values.get('1.3.6.1.2.1.2.2.1.8.1')).toEqual({ type: 'Integer', value: -2147483648 });
    expect(values.get('1.3.6.1.2.1.2.2.1.7.1')).toEqual({ type: 'Integer', value: 2147483647 });
    expect(values.get('1.3.6.1.4.1.1.7')).toEqual({ type: 'ObjectIdentifier', value: '2.999.4294967295' });
    expect(values.get('1.3.6.1.4.1.1.5')).toEqual({ type: 'Integer', value: 0 });
    expect(values.get('1.3.6.1.4.1.1.9')).toEqual({ type: 'Counter32', value: 0 });
    const empty = values.get('1.3.6.1.4.1.1.6');
    expect(empty?.type === 'OctetString' && empty.value.length).toBe(0);
    const hex = values.get('1.3.6.1.2.1.1.4.0');
    expect(hex?.type === 'OctetString' && bytesToHex(hex.value)).toBe('00ff80');
    const long = values.get('1.3.6.1.4.1.1.8');
    expect(long?.type === 'OctetString' && bytesToText(long.value)).toBe('a'.repeat(300));
    // Net-SNMP's opaque specials (snmptrap types F, D, I, U).
    expect(values.get('1.3.6.1.4.1.1.1')).toMatchObject({ type: 'Opaque', opaque: { type: 'Float', value: 3.5 } });
    expect(values.get('1.3.6.1.4.1.1.2')).toMatchObject({ type: 'Opaque', opaque: { type: 'Double', value: -2.25 } });
    expect(values.get('1.3.6.1.4.1.1.3')).toMatchObject({
      type: 'Opaque',
      opaque: { type: 'Integer64', value: -9000000000n },
    });
    expect(values.get('1.3.6.1.4.1.1.4')).toMatchObject({
      type: 'Opaque',
      opaque: { type: 'Unsigned64', value: 18446744073709551615n },
    });
    const tiny = values.get('1.3.6.1.4.1.1.10');
    expect(tiny?.type === 'Opaque' && tiny.opaque?.type === 'Float' && tiny.opaque.value).toBeCloseTo(-0.0001, 8);
  });

  it('decodes the exceptions snmpd returns', () => {
    const types = new Set<string>();
    for (const v of vectors) {
      const m = decodeMessage(v.bytes);
      const pdu = m.version === 3 ? m.scopedPdu?.pdu : m.pdu;
      for (const vb of pdu?.varbinds ?? []) types.add(vb.value.type);
    }
    for (const t of ['NoSuchObject', 'NoSuchInstance', 'EndOfMibView', 'Counter64', 'Gauge32', 'IpAddress']) {
      expect(types).toContain(t);
    }
  });

  it('decodes v3 discovery, reports and USM parameters', () => {
    const v3 = vectors.map((v) => decodeMessage(v.bytes)).filter((m): m is V3Message => m.version === 3);
    const probe = v3[0]!;
    // The discovery probe: reportable, no security, empty engine id and user.
    expect(probe.msgFlags).toBe(0x04);
    expect(probe.securityModel).toBe(3);
    expect(probe.msgMaxSize).toBe(65507);
    expect(probe.securityParameters.engineId.length).toBe(0);
    expect(probe.securityParameters.userName).toBe('');
    expect(probe.scopedPdu?.pdu.type).toBe('GetRequest');
    const report = v3[1]!;
    expect(report.msgId).toBe(probe.msgId);
    expect(report.scopedPdu?.pdu.type).toBe('Report');
    // Net-SNMP engine ids start 0x80001f88 (enterprise 8072, format bit set).
    expect(bytesToHex(report.securityParameters.engineId).slice(0, 8)).toBe('80001f88');
    expect(report.scopedPdu?.pdu.varbinds[0]?.oid).toBe('1.3.6.1.6.3.15.1.1.4.0'); // usmStatsUnknownEngineIDs
    expect(report.securityParameters.engineBoots).toBeGreaterThan(0);
    const secure = v3.find((m) => m.encryptedPdu !== undefined)!;
    expect(secure.msgFlags & 0x03).toBe(0x03);
    expect(secure.securityParameters.userName).toBe('shaAes');
    expect(secure.securityParameters.authParameters.length).toBe(12);
    expect(secure.securityParameters.privParameters.length).toBe(8);
  });

  it('reports where the authentication parameters lie, in decoding and in encoding', () => {
    for (const v of vectors) {
      const { message, authParametersOffset } = decodeMessageWithOffsets(v.bytes);
      if (message.version !== 3) {
        expect(authParametersOffset).toBe(-1);
        continue;
      }
      const auth = message.securityParameters.authParameters;
      expect(bytesToHex(v.bytes.subarray(authParametersOffset, authParametersOffset + auth.length))).toBe(
        bytesToHex(auth),
      );
      // Encoding with a zeroed placeholder gives the bytes the HMAC is computed over, and the same offset.
      const zeroed = { ...message, securityParameters: { ...message.securityParameters } };
      zeroed.securityParameters.authParameters = new Uint8Array(auth.length);
      const encoded = encodeMessageWithOffsets(zeroed);
      expect(encoded.authParametersOffset).toBe(authParametersOffset);
      encoded.bytes.set(auth, encoded.authParametersOffset);
      expect(bytesToHex(encoded.bytes)).toBe(v.hex);
    }
  });

  it('round-trips plaintext scoped PDUs and ignores block-cipher padding after them', () => {
    const v3 = vectors
      .map((v) => decodeMessage(v.bytes))
      .filter((m): m is V3Message => m.version === 3 && !!m.scopedPdu);
    for (const m of v3) {
      const bytes = encodeScopedPdu(m.scopedPdu!);
      expect(decodeScopedPdu(bytes, true)).toEqual(m.scopedPdu);
      const padded = new Uint8Array(bytes.length + 7);
      padded.set(bytes);
      expect(decodeScopedPdu(padded)).toEqual(m.scopedPdu);
      expect(() => decodeScopedPdu(padded, true)).toThrow(/trailing/);
    }
  });
});
