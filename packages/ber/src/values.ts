import { BerError } from './errors.js';
import { parseOid } from './oid.js';
import type { BerReader } from './reader.js';
import type { OpaqueSpecial, SnmpValue, VarBind } from './types.js';
import type { BerWriter } from './writer.js';

/** BER tags of SNMP values (RFC 2578, RFC 3416) and Net-SNMP's opaque specials. */
export const Tag = {
  Integer: 0x02,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Sequence: 0x30,
  IpAddress: 0x40,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Opaque: 0x44,
  Counter64: 0x46,
  /** Net-SNMP's ASN_UINTEGER ([APPLICATION 7]), from RFC 1442; kept by agents that predate RFC 2578. */
  UInteger32: 0x47,
  NoSuchObject: 0x80,
  NoSuchInstance: 0x81,
  EndOfMibView: 0x82,
} as const;

// Net-SNMP wraps float, double and 64-bit integers in an Opaque as [0x9f, 0x30 + application tag, length, ...].
const OPAQUE_TAG1 = 0x9f;
const OPAQUE_TYPES: Record<number, OpaqueSpecial['type']> = {
  118: 'Counter64',
  120: 'Float',
  121: 'Double',
  122: 'Integer64',
  123: 'Unsigned64',
};
const OPAQUE_TAG2: Record<OpaqueSpecial['type'], number> = {
  Counter64: 0x76,
  Float: 0x78,
  Double: 0x79,
  Integer64: 0x7a,
  Unsigned64: 0x7b,
};

/**
 * The value a zero-length OBJECT IDENTIFIER (`06 00`) decodes to: the one-arc OID `0`, as Net-SNMP reads it. No other
 * encoding has one arc, so writing this value gives `06 00` back.
 */
export const ZERO_LENGTH_OID = '0';

const NULL: SnmpValue = Object.freeze({ type: 'Null' });
const NO_SUCH_OBJECT: SnmpValue = Object.freeze({ type: 'NoSuchObject' });
const NO_SUCH_INSTANCE: SnmpValue = Object.freeze({ type: 'NoSuchInstance' });
const END_OF_MIB_VIEW: SnmpValue = Object.freeze({ type: 'EndOfMibView' });

/** Decodes one value TLV at the reader's position. */
export function readValue(r: BerReader): SnmpValue {
  const at = r.pos;
  const tag = r.tag('a value');
  const len = r.length();
  switch (tag) {
    case Tag.Integer:
      return { type: 'Integer', value: r.signed(len, 'an Integer32') };
    case Tag.OctetString:
      return { type: 'OctetString', value: r.copy(len) };
    case Tag.Null:
      if (len !== 0) r.fail('an empty NULL', at);
      return NULL;
    case Tag.ObjectIdentifier:
      // Some printers send `06 00` (for ifSpecific): Net-SNMP reads it as the one-arc OID .0 (`ccitt`), and so do we.
      if (len === 0) return { type: 'ObjectIdentifier', value: ZERO_LENGTH_OID };
      return { type: 'ObjectIdentifier', value: r.oid(len, 'an OBJECT IDENTIFIER') };
    case Tag.IpAddress: {
      if (len !== 4) r.fail('a 4-byte IpAddress', at, `length ${len}`);
      const b = r.bytes;
      const p = r.pos;
      r.pos += 4;
      return { type: 'IpAddress', value: `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}` };
    }
    case Tag.Counter32:
      return { type: 'Counter32', value: r.unsigned32(len, 'a Counter32') };
    case Tag.Gauge32:
      return { type: 'Gauge32', value: r.unsigned32(len, 'a Gauge32') };
    case Tag.TimeTicks:
      return { type: 'TimeTicks', value: r.unsigned32(len, 'a TimeTicks') };
    case Tag.UInteger32:
      return { type: 'UInteger32', value: r.unsigned32(len, 'a UInteger32') };
    case Tag.Opaque: {
      const value = r.copy(len);
      const opaque = decodeOpaqueSpecial(value);
      return opaque ? { type: 'Opaque', value, opaque } : { type: 'Opaque', value };
    }
    case Tag.Counter64:
      return { type: 'Counter64', value: r.unsigned64(len, 'a Counter64') };
    case Tag.NoSuchObject:
    case Tag.NoSuchInstance:
    case Tag.EndOfMibView:
      if (len !== 0) r.fail('an empty exception value', at);
      return tag === Tag.NoSuchObject
        ? NO_SUCH_OBJECT
        : tag === Tag.NoSuchInstance
          ? NO_SUCH_INSTANCE
          : END_OF_MIB_VIEW;
    default:
      return r.fail('an SNMP value type', at, `unknown tag 0x${tag.toString(16).padStart(2, '0')}`);
  }
}

/** Net-SNMP's special opaque content, or undefined when the bytes are plain opaque data. */
export function decodeOpaqueSpecial(b: Uint8Array): OpaqueSpecial | undefined {
  if (b.length < 3 || b[0] !== OPAQUE_TAG1) return undefined;
  const type = OPAQUE_TYPES[b[1]!];
  const len = b[2]!;
  if (!type || len !== b.length - 3 || len === 0) return undefined;
  const view = new DataView(b.buffer, b.byteOffset + 3, len);
  switch (type) {
    case 'Float':
      return len === 4 ? { type, value: view.getFloat32(0) } : undefined;
    case 'Double':
      return len === 8 ? { type, value: view.getFloat64(0) } : undefined;
    default: {
      if (len > (type === 'Integer64' ? 8 : 9)) return undefined;
      let v = 0n;
      for (let i = 3; i < b.length; i++) v = (v << 8n) | BigInt(b[i]!);
      if (type === 'Integer64' && b[3]! & 0x80) v -= 1n << BigInt(len * 8);
      if (type !== 'Integer64' && v > 0xffffffffffffffffn) return undefined;
      return { type, value: v };
    }
  }
}

// Encoded OBJECT IDENTIFIER content by OID string: polling sends the same OIDs over and over.
const oidCache = new Map<string, Uint8Array>();
const OID_CACHE_MAX = 10_000;

/**
 * Writes an OBJECT IDENTIFIER TLV (tag 0x06) for a dotted OID; throws BerError when the OID is malformed.
 * `cache` (the default) looks the content up in, and adds it to, the cache of OIDs that are sent again and again.
 */
export function writeOid(w: BerWriter, oid: string, cache = true): void {
  if (cache) {
    const cached = oidCache.get(oid);
    if (cached !== undefined) {
      w.bytes(cached);
      w.header(Tag.ObjectIdentifier, cached.length);
      return;
    }
  }
  const start = w.size;
  w.oidContent(parseOid(oid));
  const len = w.size - start;
  if (cache) {
    if (oidCache.size >= OID_CACHE_MAX) oidCache.clear();
    oidCache.set(oid, w.lastWritten(len));
  }
  w.header(Tag.ObjectIdentifier, len);
}

/**
 * Writes a VarBind SEQUENCE TLV (name and value); throws BerError when either cannot be represented. `cacheOid`:
 * as writeOid's `cache`, for the name.
 */
export function writeVarBind(w: BerWriter, vb: VarBind, cacheOid = true): void {
  const start = w.size;
  writeValue(w, vb.value);
  writeOid(w, vb.oid, cacheOid);
  w.header(Tag.Sequence, w.size - start);
}

function checkUnsigned32(v: number, type: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new BerError(`a ${type} between 0 and 4294967295`, undefined, `got ${v}`);
  }
}

/** Writes one value TLV; throws BerError when the value cannot be represented. */
export function writeValue(w: BerWriter, v: SnmpValue): void {
  const start = w.size;
  switch (v.type) {
    case 'Integer':
      if (!Number.isInteger(v.value) || v.value < -0x80000000 || v.value > 0x7fffffff) {
        throw new BerError('an Integer32 between -2147483648 and 2147483647', undefined, `got ${v.value}`);
      }
      w.signedContent(v.value);
      w.header(Tag.Integer, w.size - start);
      return;
    case 'OctetString':
      w.bytes(v.value);
      w.header(Tag.OctetString, v.value.length);
      return;
    case 'Null':
      w.header(Tag.Null, 0);
      return;
    case 'ObjectIdentifier':
      if (v.value === ZERO_LENGTH_OID) w.header(Tag.ObjectIdentifier, 0);
      else writeOid(w, v.value);
      return;
    case 'IpAddress': {
      const parts = v.value.split('.');
      if (parts.length !== 4) throw new BerError('an IPv4 address a.b.c.d', undefined, `got "${v.value}"`);
      for (let i = 3; i >= 0; i--) {
        const p = parts[i]!;
        const n = Number(p);
        if (p === '' || !Number.isInteger(n) || n < 0 || n > 255) {
          throw new BerError('an IPv4 address a.b.c.d', undefined, `got "${v.value}"`);
        }
        w.byte(n);
      }
      w.header(Tag.IpAddress, 4);
      return;
    }
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
    case 'UInteger32':
      checkUnsigned32(v.value, v.type);
      w.unsignedContent(v.value);
      w.header(Tag[v.type], w.size - start);
      return;
    case 'Opaque':
      w.bytes(v.value);
      w.header(Tag.Opaque, v.value.length);
      return;
    case 'Counter64':
      if (typeof v.value !== 'bigint' || v.value < 0n || v.value > 0xffffffffffffffffn) {
        throw new BerError('a Counter64 bigint between 0 and 2^64-1', undefined, `got ${String(v.value)}`);
      }
      w.bigContent(v.value);
      w.header(Tag.Counter64, w.size - start);
      return;
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      w.header(Tag[v.type], 0);
      return;
    default:
      throw new BerError('an SNMP value type', undefined, `got ${JSON.stringify((v as { type: unknown }).type)}`);
  }
}

/** Content bytes of a Net-SNMP special opaque (what `SnmpValue.opaque*` wrap in an Opaque). */
export function encodeOpaqueSpecial(s: OpaqueSpecial): Uint8Array {
  let body: Uint8Array;
  if (s.type === 'Float' || s.type === 'Double') {
    body = new Uint8Array(s.type === 'Float' ? 4 : 8);
    const view = new DataView(body.buffer);
    if (s.type === 'Float') view.setFloat32(0, s.value);
    else view.setFloat64(0, s.value);
  } else {
    const signed = s.type === 'Integer64';
    const min = signed ? -(1n << 63n) : 0n;
    const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
    if (typeof s.value !== 'bigint' || s.value < min || s.value > max) {
      throw new BerError(`an opaque ${s.type} bigint in range`, undefined, `got ${String(s.value)}`);
    }
    // Minimal two's complement, like an INTEGER's content.
    const bytes: number[] = [];
    let v = s.value;
    do {
      bytes.unshift(Number(v & 0xffn));
      v >>= 8n;
    } while (!(v === 0n && !(bytes[0]! & 0x80)) && !(v === -1n && bytes[0]! & 0x80));
    body = Uint8Array.from(bytes);
  }
  const out = new Uint8Array(body.length + 3);
  out[0] = OPAQUE_TAG1;
  out[1] = OPAQUE_TAG2[s.type];
  out[2] = body.length;
  out.set(body, 3);
  return out;
}
