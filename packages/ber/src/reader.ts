import { allocBytes } from './alloc.js';
import { BerError } from './errors.js';

// Strings for single-byte arcs, so decoding an OID appends ready-made pieces instead of formatting numbers.
const DOT_ARCS = Array.from({ length: 128 }, (_, i) => `.${i}`);
// ".a.b" for every two single-byte arcs: OIDs are mostly such runs, and one append per pair halves the string work.
// Made on first use (about 2 ms), so programs that never decode an OID do not pay for it.
let DOT_ARC_PAIRS: string[] | undefined;
function makeDotArcPairs(): string[] {
  const pairs = new Array<string>(128 * 128);
  for (let a = 0; a < 128; a++) for (let b = 0; b < 128; b++) pairs[(a << 7) | b] = `.${a}.${b}`;
  DOT_ARC_PAIRS = pairs;
  return pairs;
}
const FIRST_ARCS = Array.from({ length: 40 }, (_, i) => `0.${i}`);

/**
 * OIDs decoded lately, by a hash of their content bytes: the same OIDs come again and again (every agent of a network
 * answers with the same columns and indexes), and a string found here is neither built again nor, being flat, flattened
 * again by the first comparison that reads it (building one costs more than decoding the rest of its varbind).
 * Emptied when full. Only OIDs that decoded without error get in, so a hit needs no checking but of its bytes.
 */
const decodedOids = new Map<number, { bytes: Uint8Array; text: string }>();
const DECODED_OIDS_MAX = 16_384;
/** Longer OIDs are decoded each time (rare, and their bytes would make the table large). */
const DECODED_OID_MAX_BYTES = 48;

/**
 * A strict forward BER reader over a byte array. Positions are absolute offsets into `bytes`; every length is checked
 * against the bytes that remain before anything is read or allocated, so untrusted input can neither overrun the
 * buffer nor make us allocate more than it holds.
 */
export class BerReader {
  pos: number;
  end: number;
  readonly bytes: Uint8Array;
  /** Lazily made copy of `bytes` that decoded OCTET STRING values are views of. */
  private own: Uint8Array | undefined;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  fail(expected: string, offset = this.pos, detail?: string): never {
    throw new BerError(expected, offset, detail);
  }

  /** Reads a tag byte, which must be `tag`, and its length; returns the length. The content starts at `this.pos`. */
  expect(tag: number, what: string): number {
    if (this.pos >= this.end) this.fail(what, this.pos, 'input ended');
    const t = this.bytes[this.pos]!;
    if (t !== tag) this.fail(what, this.pos, `found tag 0x${t.toString(16).padStart(2, '0')}`);
    this.pos++;
    return this.length();
  }

  /** Reads any single-byte tag and returns it; multi-byte tags (low five bits all set) are not SNMP and are refused. */
  tag(what: string): number {
    if (this.pos >= this.end) this.fail(what, this.pos, 'input ended');
    const t = this.bytes[this.pos]!;
    if ((t & 0x1f) === 0x1f) this.fail(what, this.pos, 'multi-byte tags are not used by SNMP');
    this.pos++;
    return t;
  }

  /** Reads a definite length and checks that that many bytes remain. */
  length(): number {
    const at = this.pos;
    if (at >= this.end) this.fail('a length', at, 'input ended');
    const first = this.bytes[at]!;
    this.pos++;
    let len: number;
    if (first < 0x80) {
      len = first;
    } else if (first === 0x80) {
      this.fail('a definite length', at, 'indefinite lengths are not allowed in SNMP');
    } else {
      const n = first & 0x7f;
      if (n > 4) this.fail('a length of at most 4 bytes', at, `${n} length bytes`);
      if (this.pos + n > this.end) this.fail('a length', at, 'input ended inside the length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + this.bytes[this.pos++]!;
    }
    if (len > this.end - this.pos) this.fail(`${len} content bytes`, at, `only ${this.end - this.pos} remain`);
    return len;
  }

  /** Reads a signed INTEGER of at most `maxBytes` content bytes as a number (maxBytes <= 6). */
  signed(len: number, what: string, maxBytes = 4): number {
    const start = this.pos;
    if (len === 0) this.fail(what, start - 1, 'zero-length integer');
    if (len > maxBytes) this.fail(what, start - 1, `${len}-byte integer is out of range`);
    const b = this.bytes;
    let v = b[start]! & 0x80 ? b[start]! - 256 : b[start]!;
    for (let i = 1; i < len; i++) v = v * 256 + b[start + i]!;
    this.pos = start + len;
    return v;
  }

  /**
   * Reads an unsigned 32-bit value (Counter32, Gauge32, TimeTicks). Five bytes are allowed when the first is zero;
   * a value whose top bit is set in four or fewer bytes is taken modulo 2^32, as Net-SNMP does for agents that
   * forget the leading zero.
   */
  unsigned32(len: number, what: string): number {
    const start = this.pos;
    if (len === 0) this.fail(what, start - 1, 'zero-length integer');
    const b = this.bytes;
    if (len > 5 || (len === 5 && b[start] !== 0)) this.fail(what, start - 1, 'value exceeds 2^32-1');
    let v = 0;
    for (let i = 0; i < len; i++) v = v * 256 + b[start + i]!;
    this.pos = start + len;
    return v;
  }

  /** Reads an unsigned 64-bit value as a bigint (nine bytes when the first is zero). */
  unsigned64(len: number, what: string): bigint {
    const start = this.pos;
    if (len === 0) this.fail(what, start - 1, 'zero-length integer');
    const b = this.bytes;
    if (len > 9 || (len === 9 && b[start] !== 0)) this.fail(what, start - 1, 'value exceeds 2^64-1');
    let hi = 0;
    let lo = 0;
    // Accumulate in two 32-bit halves: bigint arithmetic per byte is slow.
    for (let i = 0; i < len; i++) {
      hi = ((hi * 256) % 0x100000000) + Math.floor(lo / 0x1000000);
      lo = (lo % 0x1000000) * 256 + b[start + i]!;
    }
    this.pos = start + len;
    // Below 2^53 the number is exact: one BigInt instead of three.
    return hi < 0x200000 ? BigInt(hi * 0x100000000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Reads a signed 64-bit value as a bigint. */
  signed64(len: number, what: string): bigint {
    const start = this.pos;
    if (len === 0) this.fail(what, start - 1, 'zero-length integer');
    if (len > 8) this.fail(what, start - 1, 'value out of the Integer64 range');
    const u = this.unsigned64(len, what);
    return this.bytes[start]! & 0x80 ? u - (1n << BigInt(len * 8)) : u;
  }

  /** Reads OID content of `len` bytes as a dotted string. */
  oid(len: number, what: string): string {
    if (len === 0 || len > DECODED_OID_MAX_BYTES) return this.decodeOid(len, what);
    const b = this.bytes;
    const start = this.pos;
    const end = start + len;
    // FNV-1a over the content bytes.
    let hash = 0x811c9dc5;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ b[i]!, 0x01000193);
    const known = decodedOids.get(hash);
    if (known !== undefined && known.bytes.length === len) {
      const kb = known.bytes;
      let i = 0;
      while (i < len && kb[i] === b[start + i]) i++;
      if (i === len) {
        this.pos = end;
        return known.text;
      }
    }
    const text = this.decodeOid(len, what);
    // Read once now, which flattens the string built piece by piece: each later reader of it finds it flat.
    text.charCodeAt(0);
    if (decodedOids.size >= DECODED_OIDS_MAX) decodedOids.clear();
    // A copy: `bytes` may be a Buffer, whose slice() is a view of memory the caller may reuse.
    decodedOids.set(hash, { bytes: Uint8Array.prototype.slice.call(b, start, end), text });
    return text;
  }

  private decodeOid(len: number, what: string): string {
    const start = this.pos;
    const end = start + len;
    const b = this.bytes;
    if (len === 0) this.fail(what, start - 1, 'empty OBJECT IDENTIFIER');
    let out: string;
    let i = start;
    const first = b[i]!;
    if (first < 0x80) {
      // The common case: the first two arcs fit in one byte (1.3 is 0x2b).
      out = first < 40 ? FIRST_ARCS[first]! : first < 80 ? `1.${first - 40}` : `2.${first - 80}`;
      i++;
    } else {
      const v = this.subidentifier(i, end, what);
      i = this.pos;
      if (v > 0xffffffff + 80) this.fail(what, start, 'arc exceeds 2^32-1');
      out = v < 40 ? `0.${v}` : v < 80 ? `1.${v - 40}` : `2.${v - 80}`;
    }
    let arcs = 2;
    const pairs = DOT_ARC_PAIRS ?? makeDotArcPairs();
    while (i < end) {
      if (++arcs > 128) this.fail(what, i, 'more than 128 arcs');
      const byte = b[i]!;
      if (byte < 0x80) {
        const next = b[i + 1]!;
        if (i + 1 < end && next < 0x80) {
          if (++arcs > 128) this.fail(what, i + 1, 'more than 128 arcs');
          out += pairs[(byte << 7) | next]!;
          i += 2;
        } else {
          out += DOT_ARCS[byte]!;
          i++;
        }
      } else {
        const arcStart = i;
        const v = this.subidentifier(i, end, what);
        i = this.pos;
        if (v > 0xffffffff) this.fail(what, arcStart, 'arc exceeds 2^32-1');
        out += `.${v}`;
      }
    }
    this.pos = end;
    return out;
  }

  /** A multi-byte base-128 sub-identifier starting at `i`; leaves `pos` after it. */
  private subidentifier(i: number, end: number, what: string): number {
    const b = this.bytes;
    const arcStart = i;
    if (b[i] === 0x80) this.fail(what, i, 'sub-identifier with a leading 0x80 byte');
    let v = 0;
    let byte: number;
    do {
      if (i >= end) this.fail(what, arcStart, 'sub-identifier runs past the end of the OID');
      byte = b[i++]!;
      v = v * 128 + (byte & 0x7f);
    } while (byte & 0x80);
    this.pos = i;
    return v;
  }

  /**
   * `len` content bytes as a view onto the reader's private copy of the input: decoded values never alias the
   * caller's buffer (which a socket may reuse), yet a message costs one copy rather than one allocation per value.
   */
  copy(len: number): Uint8Array {
    if (this.own === undefined) this.own = allocBytes(this.bytes.length, this.bytes);
    const v = this.own.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /** Throws unless the reader is exactly at `end`: no trailing bytes inside a container. */
  done(end: number, what: string): void {
    if (this.pos !== end) this.fail(`end of ${what}`, this.pos, `${end - this.pos} unexpected trailing bytes`);
  }
}
