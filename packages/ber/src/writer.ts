import { allocBytes } from './alloc.js';
import { BerError } from './errors.js';

const encoder = new TextEncoder();
const scratch = new Uint8Array(16 * 1024);
// Spare bytes before a buffer sized in advance: the last writes of a message (a header checks for 6 bytes of room,
// an integer for 8, a bigint for 10) then never grow it.
const HEADROOM = 16;

/**
 * A reverse BER writer: content is written back to front, so each container's length is known when its header is
 * written and nothing is measured twice. `size` is the number of bytes written so far; positions of interest are
 * remembered as sizes and become forward offsets once the total is known (offset = total - size).
 */
export class BerWriter {
  private buf: Uint8Array;
  private pos: number;

  /**
   * Writers work in one shared scratch buffer (encoding is synchronous, and a writer is finished before the next
   * starts): only the finished message is allocated. A writer that outgrows it gets its own larger buffer. One told
   * a larger `expectedSize` up front (a message whose size is computed in advance) starts with a buffer of that size,
   * which finish() returns without copying the message again.
   */
  constructor(expectedSize = 0) {
    const own = expectedSize + HEADROOM;
    this.buf = own > scratch.length ? new Uint8Array(own) : scratch;
    this.pos = this.buf.length;
  }

  get size(): number {
    return this.buf.length - this.pos;
  }

  private grow(need: number): void {
    const used = this.size;
    let cap = this.buf.length * 2;
    while (cap - used < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(this.pos), cap - used);
    this.buf = next;
    this.pos = cap - used;
  }

  byte(b: number): void {
    if (this.pos < 1) this.grow(1);
    this.buf[--this.pos] = b;
  }

  bytes(v: Uint8Array): void {
    if (this.pos < v.length) this.grow(v.length);
    this.pos -= v.length;
    this.buf.set(v, this.pos);
  }

  /** Writes a string's bytes: latin1 (one byte per char, for communities) or UTF-8. */
  string(s: string, utf8: boolean): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii && utf8) {
      this.bytes(encoder.encode(s));
      return;
    }
    if (this.pos < n) this.grow(n);
    this.pos -= n;
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) throw new BerError('a string of 8-bit characters', undefined, `character U+${c.toString(16)}`);
      buf[p + i] = c;
    }
  }

  /** Writes a tag and a minimal definite length for `len` content bytes already written. */
  header(tag: number, len: number): void {
    if (this.pos < 6) this.grow(6);
    const buf = this.buf;
    if (len < 0x80) {
      buf[--this.pos] = len;
    } else if (len < 0x100) {
      buf[--this.pos] = len;
      buf[--this.pos] = 0x81;
    } else if (len < 0x10000) {
      buf[--this.pos] = len & 0xff;
      buf[--this.pos] = len >>> 8;
      buf[--this.pos] = 0x82;
    } else if (len < 0x1000000) {
      buf[--this.pos] = len & 0xff;
      buf[--this.pos] = (len >>> 8) & 0xff;
      buf[--this.pos] = len >>> 16;
      buf[--this.pos] = 0x83;
    } else {
      buf[--this.pos] = len & 0xff;
      buf[--this.pos] = (len >>> 8) & 0xff;
      buf[--this.pos] = (len >>> 16) & 0xff;
      buf[--this.pos] = len >>> 24;
      buf[--this.pos] = 0x84;
    }
    buf[--this.pos] = tag;
  }

  /** Minimal two's complement content of a safe integer (Integer32 and the 48-bit range used by ids). */
  signedContent(v: number): void {
    if (this.pos < 8) this.grow(8);
    const buf = this.buf;
    if (v >= 0) {
      // Emit low bytes until the rest is 0 and the sign bit of the last byte written is clear.
      do {
        buf[--this.pos] = v & 0xff;
        v = Math.floor(v / 256);
      } while (v !== 0 || buf[this.pos]! & 0x80);
    } else {
      do {
        buf[--this.pos] = v & 0xff;
        v = Math.floor(v / 256);
      } while (v !== -1 || !(buf[this.pos]! & 0x80));
    }
  }

  /** Content of an unsigned value below 2^53 (Counter32, Gauge32, TimeTicks): a leading zero keeps it positive. */
  unsignedContent(v: number): void {
    this.signedContent(v);
  }

  /** Minimal two's complement content of a bigint (Counter64 and the opaque 64-bit types). */
  bigContent(v: bigint): void {
    if (v >= -0x80000000n && v <= 0xffffffffn) {
      this.signedContent(Number(v));
      return;
    }
    if (this.pos < 10) this.grow(10);
    const buf = this.buf;
    const negative = v < 0n;
    let lo = Number(BigInt.asUintN(32, v));
    let hi = Number(BigInt.asIntN(64, v >> 32n));
    // Low word: four bytes always (the value does not fit in 32 bits, so the high word is written too).
    for (let i = 0; i < 4; i++) {
      buf[--this.pos] = lo & 0xff;
      lo = Math.floor(lo / 256);
    }
    if (!negative) {
      do {
        buf[--this.pos] = hi & 0xff;
        hi = Math.floor(hi / 256);
      } while (hi !== 0 || buf[this.pos]! & 0x80);
    } else {
      do {
        buf[--this.pos] = hi & 0xff;
        hi = Math.floor(hi / 256);
      } while (hi !== -1 || !(buf[this.pos]! & 0x80));
    }
  }

  /** OID content from arcs already validated (first two arcs combined). */
  oidContent(arcs: readonly number[]): void {
    const n = arcs.length;
    if (this.pos < n * 5 + 5) this.grow(n * 5 + 5);
    const buf = this.buf;
    for (let i = n - 1; i >= 1; i--) {
      let v = i === 1 ? arcs[0]! * 40 + arcs[1]! : arcs[i]!;
      buf[--this.pos] = v & 0x7f;
      v = Math.floor(v / 128);
      while (v > 0) {
        buf[--this.pos] = (v & 0x7f) | 0x80;
        v = Math.floor(v / 128);
      }
    }
  }

  /** A copy of the `n` bytes written last. */
  lastWritten(n: number): Uint8Array {
    return this.buf.slice(this.pos, this.pos + n);
  }

  /** What was written: a copy, or a view of the writer's own buffer when the output fills all but its headroom. */
  finish(): Uint8Array {
    if (this.buf !== scratch && this.pos <= HEADROOM) return this.buf.subarray(this.pos);
    return allocBytes(this.size, this.buf.subarray(this.pos));
  }
}
