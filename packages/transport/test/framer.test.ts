import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BerStreamFramer, berFrameLength, DEFAULT_MAX_MESSAGE_SIZE } from '../src/index.js';

/** A SEQUENCE of `length` content bytes, each `fill`, with the shortest BER length. */
function message(length: number, fill = 0xaa): Uint8Array {
  const header =
    length < 0x80 ? [0x30, length] : length < 0x100 ? [0x30, 0x81, length] : [0x30, 0x82, length >> 8, length & 0xff];
  const bytes = new Uint8Array(header.length + length).fill(fill);
  bytes.set(header);
  return bytes;
}

describe('berFrameLength', () => {
  it('reads short and long BER lengths, waits for partial headers, refuses non-messages', () => {
    expect(berFrameLength(new Uint8Array([0x30, 0x03, 1, 2, 3]), 0)).toBe(5);
    expect(berFrameLength(new Uint8Array([0x30, 0x82, 0x01, 0x00]), 0)).toBe(260);
    expect(berFrameLength(new Uint8Array([0x30, 0x82, 0x01]), 0)).toBe(-1);
    expect(berFrameLength(new Uint8Array([0x30]), 0)).toBe(-1);
    expect(berFrameLength(new Uint8Array([0x04, 0x01]), 0)).toBe(-2);
    expect(berFrameLength(new Uint8Array([0x30, 0x80]), 0)).toBe(-2); // indefinite length: not in SNMP
    expect(berFrameLength(new Uint8Array([0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]), 0)).toBe(-2); // absurdly large
  });

  it('refuses a bad first byte alone, before any length', () => {
    expect(berFrameLength(new Uint8Array([0x47]), 0)).toBe(-2);
    expect(berFrameLength(new Uint8Array([0x30, 0x01, 0x00, 0x16]), 3)).toBe(-2);
  });

  it('refuses a length over the cap from the header alone (a 16 MB claim)', () => {
    const claim16MB = new Uint8Array([0x30, 0x84, 0x01, 0x00, 0x00, 0x00]);
    expect(berFrameLength(claim16MB, 0)).toBe(-2);
    expect(berFrameLength(new Uint8Array([0x30, 0x82, 0xff, 0xfb]), 0)).toBe(DEFAULT_MAX_MESSAGE_SIZE);
    expect(berFrameLength(new Uint8Array([0x30, 0x82, 0xff, 0xfc]), 0)).toBe(-2);
    expect(berFrameLength(new Uint8Array([0x30, 0x81, 0x80]), 0, 130)).toBe(-2);
    expect(berFrameLength(new Uint8Array([0x30, 0x81, 0x7f]), 0, 130)).toBe(130);
  });
});

describe('BerStreamFramer', () => {
  it('hands out the same messages whatever the boundaries of the reads (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }),
        (lengths, cuts) => {
          const messages = lengths.map((length, i) => message(length, i));
          const stream = Buffer.concat(messages);
          const framer = new BerStreamFramer();
          const out: Uint8Array[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length]!;
            expect(framer.push(stream.subarray(at, at + size), (m) => out.push(Uint8Array.from(m)))).toBe(true);
            at += size;
          }
          expect(out).toEqual(messages);
          expect(framer.buffered).toBe(0);
        },
      ),
    );
  });

  it('hands a message within one read on as a view of it (no copy), and copies a split one once', () => {
    const stream = Buffer.concat([message(10), message(300)]);
    const framer = new BerStreamFramer();
    const out: Uint8Array[] = [];
    framer.push(stream.subarray(0, 100), (m) => out.push(m));
    expect(out).toHaveLength(1);
    expect(out[0]!.buffer).toBe(stream.buffer);
    expect(framer.buffered).toBe(100 - 12);
    framer.push(stream.subarray(100, 200), (m) => out.push(m));
    expect(framer.buffered).toBe(200 - 12);
    framer.push(stream.subarray(200), (m) => out.push(m));
    expect(out[1]).toEqual(message(300));
    expect(framer.buffered).toBe(0);
  });

  it('stops at once at a bad first byte or a claim over the cap, and stays stopped', () => {
    const bad = new BerStreamFramer();
    expect(bad.push(new Uint8Array([0x16]), () => {})).toBe(false); // a TLS ClientHello's first byte
    expect(bad.push(message(3), () => {})).toBe(false);
    const big = new BerStreamFramer();
    expect(big.push(new Uint8Array([0x30, 0x84, 0x01]), () => {})).toBe(true); // the length is not known yet
    expect(big.push(new Uint8Array([0x00, 0x00, 0x00]), () => {})).toBe(false); // 16 MB: refused, nothing buffered
    const capped = new BerStreamFramer({ maxMessageSize: 100 });
    expect(capped.push(message(98), () => {})).toBe(true); // 100 bytes: the cap
    expect(capped.push(message(99), () => {})).toBe(false);
    expect(() => new BerStreamFramer({ maxMessageSize: 1 })).toThrow(/maxMessageSize/);
  });

  it('never holds more than the cap, however the stream is cut', () => {
    const framer = new BerStreamFramer({ maxMessageSize: 1000 });
    const m = message(900);
    for (let i = 0; i < m.length; i += 7) {
      framer.push(m.subarray(i, i + 7), () => {});
      expect(framer.buffered).toBeLessThanOrEqual(1000);
    }
  });
});
