import { parseOid, type SnmpValue, Tag } from '@snmpkit/ber';

/*
 * The agent's own encoder for what it sends most: varbinds and v1/v2c Response messages. @snmpkit/ber encodes
 * whole messages from VarBind objects (and parses every OID again past its 10,000-entry cache); the agent instead
 * keeps each static varbind's TLV, encoded once, and answers by concatenating them, knowing every size in advance
 * so that tooBig and GETBULK truncation are decided exactly before a byte is written.
 */

/** Bytes a definite length takes (BER minimal form). */
function lengthOfLength(len: number): number {
  return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : len < 0x1000000 ? 4 : 5;
}

/** Size of a TLV with a one-byte tag and `contentLength` content bytes. */
export function tlvSize(contentLength: number): number {
  return 1 + lengthOfLength(contentLength) + contentLength;
}

function writeHeader(out: Uint8Array, pos: number, tag: number, len: number): number {
  out[pos++] = tag;
  const n = lengthOfLength(len);
  if (n === 1) {
    out[pos++] = len;
    return pos;
  }
  out[pos++] = 0x80 | (n - 1);
  for (let i = n - 2; i >= 0; i--) out[pos++] = (len >>> (8 * i)) & 0xff;
  return pos;
}

/** Content bytes of a minimal two's complement integer (|v| < 2^53). */
function integerContent(v: number): number[] {
  const bytes: number[] = [];
  let x = v;
  for (;;) {
    const low = ((x % 256) + 256) % 256;
    bytes.unshift(low);
    x = Math.floor(x / 256);
    if ((x === 0 && !(low & 0x80)) || (x === -1 && low & 0x80)) return bytes;
  }
}

function integerSize(v: number): number {
  if (v >= -0x80 && v < 0x80) return 1;
  if (v >= -0x8000 && v < 0x8000) return 2;
  if (v >= -0x800000 && v < 0x800000) return 3;
  if (v >= -0x80000000 && v < 0x80000000) return 4;
  return integerContent(v).length;
}

function bigContent(v: bigint): number[] {
  const bytes: number[] = [];
  let x = v;
  do {
    bytes.unshift(Number(x & 0xffn));
    x >>= 8n;
  } while (!(x === 0n && !(bytes[0]! & 0x80)));
  return bytes;
}

function oidContent(oid: string): number[] {
  const arcs = parseOid(oid);
  const out: number[] = [];
  for (let i = 1; i < arcs.length; i++) {
    let v = i === 1 ? arcs[0]! * 40 + arcs[1]! : arcs[i]!;
    const group: number[] = [v & 0x7f];
    v = Math.floor(v / 128);
    while (v > 0) {
      group.unshift((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    out.push(...group);
  }
  return out;
}

function tlv(tag: number, content: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(tlvSize(content.length));
  const pos = writeHeader(out, 0, tag, content.length);
  out.set(content, pos);
  return out;
}

/** The OBJECT IDENTIFIER TLV of a dotted OID; throws BerError for a malformed OID. */
export function encodeOidTlv(oid: string): Uint8Array {
  return tlv(Tag.ObjectIdentifier, oidContent(oid));
}

function unsigned32(v: number, type: string): number[] {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`${type} out of range: ${v}`);
  return integerContent(v);
}

/** The TLV of a value; throws RangeError/BerError for a value that cannot be represented. */
export function encodeValueTlv(value: SnmpValue): Uint8Array {
  switch (value.type) {
    case 'Integer':
      if (!Number.isInteger(value.value) || value.value < -0x80000000 || value.value > 0x7fffffff) {
        throw new RangeError(`Integer32 out of range: ${value.value}`);
      }
      return tlv(Tag.Integer, integerContent(value.value));
    case 'OctetString':
      return tlv(Tag.OctetString, value.value);
    case 'Opaque':
      return tlv(Tag.Opaque, value.value);
    case 'Null':
      return tlv(Tag.Null, []);
    case 'ObjectIdentifier':
      return tlv(Tag.ObjectIdentifier, oidContent(value.value));
    case 'IpAddress': {
      const parts = value.value.split('.').map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
      if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
        throw new RangeError(`not an IPv4 address: ${value.value}`);
      }
      return tlv(Tag.IpAddress, parts);
    }
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
      return tlv(Tag[value.type], unsigned32(value.value, value.type));
    case 'Counter64':
      if (value.value < 0n || value.value > 0xffffffffffffffffn) {
        throw new RangeError(`Counter64 out of range: ${value.value}`);
      }
      return tlv(Tag.Counter64, bigContent(value.value));
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      return tlv(Tag[value.type], []);
  }
}

// Varbinds kept for reuse are carved out of shared slabs: an ArrayBuffer per varbind would cost more memory than
// the varbind (a million cached varbinds is a walk of a large device).
const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

function allocate(n: number): Uint8Array {
  if (n > 1024) return new Uint8Array(n);
  if (slabUsed + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return out;
}

/** A varbind's SEQUENCE TLV from its OID TLV and value TLV. */
export function joinVarbind(oidTlv: Uint8Array, valueTlv: Uint8Array): Uint8Array {
  const len = oidTlv.length + valueTlv.length;
  const out = allocate(tlvSize(len));
  let pos = writeHeader(out, 0, Tag.Sequence, len);
  out.set(oidTlv, pos);
  pos += oidTlv.length;
  out.set(valueTlv, pos);
  return out;
}

export function encodeVarbind(oid: string, value: SnmpValue): Uint8Array {
  return joinVarbind(encodeOidTlv(oid), encodeValueTlv(value));
}

/** The parts of a v1/v2c Response other than its varbinds. */
export interface CommunityResponseHeader {
  version: 0 | 1;
  /** The community's bytes (latin1, as received). */
  community: Uint8Array;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
}

function pduContentSize(h: CommunityResponseHeader, varbindsLength: number): number {
  return (
    tlvSize(integerSize(h.requestId)) +
    tlvSize(integerSize(h.errorStatus)) +
    tlvSize(integerSize(h.errorIndex)) +
    tlvSize(varbindsLength)
  );
}

function messageContentSize(h: CommunityResponseHeader, varbindsLength: number): number {
  return 3 + tlvSize(h.community.length) + tlvSize(pduContentSize(h, varbindsLength));
}

/** The exact size of a v1/v2c Response whose varbind TLVs add up to `varbindsLength` bytes. */
export function communityResponseSize(h: CommunityResponseHeader, varbindsLength: number): number {
  return tlvSize(messageContentSize(h, varbindsLength));
}

function writeInteger(out: Uint8Array, pos: number, v: number): number {
  const content = integerContent(v);
  pos = writeHeader(out, pos, Tag.Integer, content.length);
  out.set(content, pos);
  return pos + content.length;
}

/** Encodes a v1/v2c Response (PDU tag 0xa2) from pre-encoded varbind TLVs. */
export function encodeCommunityResponse(h: CommunityResponseHeader, varbinds: readonly Uint8Array[]): Uint8Array {
  let varbindsLength = 0;
  for (const vb of varbinds) varbindsLength += vb.length;
  const contentSize = messageContentSize(h, varbindsLength);
  const out = new Uint8Array(tlvSize(contentSize));
  let pos = writeHeader(out, 0, Tag.Sequence, contentSize);
  pos = writeInteger(out, pos, h.version);
  pos = writeHeader(out, pos, Tag.OctetString, h.community.length);
  out.set(h.community, pos);
  pos += h.community.length;
  pos = writeHeader(out, pos, 0xa2, pduContentSize(h, varbindsLength));
  pos = writeInteger(out, pos, h.requestId);
  pos = writeInteger(out, pos, h.errorStatus);
  pos = writeInteger(out, pos, h.errorIndex);
  pos = writeHeader(out, pos, Tag.Sequence, varbindsLength);
  for (const vb of varbinds) {
    out.set(vb, pos);
    pos += vb.length;
  }
  return out;
}
