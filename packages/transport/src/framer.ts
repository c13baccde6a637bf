import { Tag } from '@snmpkit/ber';
import { TransportError } from './errors.js';

/**
 * The largest SNMP message a stream may carry unless told otherwise, bytes: 65535, the largest msgMaxSize any
 * snmpkit part or Net-SNMP uses in practice (UDP's own limit is 65507). A larger length on the stream is taken for
 * a corrupt or hostile stream at once, not buffered.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 65535;

/** The header is incomplete: more bytes are needed to know the length. */
export const FRAME_INCOMPLETE = -1;
/** The bytes cannot start an SNMP message (or claim more than the cap): the stream is beyond repair. */
export const FRAME_INVALID = -2;

/**
 * Length of the BER SEQUENCE starting at `offset` (header included); FRAME_INCOMPLETE (-1) when the header is not
 * all there yet; FRAME_INVALID (-2) when the bytes cannot start an SNMP message, decided from the first byte
 * alone when it is not a SEQUENCE, or when the length exceeds `maxMessageSize`.
 */
export function berFrameLength(data: Uint8Array, offset: number, maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE): number {
  const available = data.length - offset;
  if (available < 1) return FRAME_INCOMPLETE;
  if (data[offset] !== Tag.Sequence) return FRAME_INVALID;
  if (available < 2) return FRAME_INCOMPLETE;
  const first = data[offset + 1]!;
  let total: number;
  if (first < 0x80) {
    total = 2 + first;
  } else {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length, which SNMP does not use; more than 4 length bytes is beyond any cap.
    if (count === 0 || count > 4) return FRAME_INVALID;
    if (available < 2 + count) return FRAME_INCOMPLETE;
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + data[offset + 2 + i]!;
    total = 2 + count + length;
  }
  return total > maxMessageSize ? FRAME_INVALID : total;
}

export interface BerStreamFramerOptions {
  /** The largest message accepted, header included, bytes. Default DEFAULT_MAX_MESSAGE_SIZE (65535). */
  maxMessageSize?: number;
}

/**
 * Cuts a byte stream into BER-framed SNMP messages (RFC 3430 §2.1), whatever the boundaries of the reads.
 *
 * Linear: a message inside one read is handed on as a view of it, without a copy; a message spread over several
 * reads is copied once, when its last byte arrives (the pieces are kept, never re-concatenated on each read). The
 * buffered bytes never exceed `maxMessageSize`: a longer length, or a first byte that is not a SEQUENCE, ends the
 * stream at once (push returns false).
 */
export class BerStreamFramer {
  readonly maxMessageSize: number;
  #pieces: Uint8Array[] = [];
  #buffered = 0;
  /** Length of the message being reassembled, once its header is known; FRAME_INCOMPLETE before. */
  #expected = FRAME_INCOMPLETE;
  #failed = false;

  constructor(options: BerStreamFramerOptions = {}) {
    const max = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (!Number.isInteger(max) || max < 2) {
      throw new TransportError('options', {
        detail: `maxMessageSize must be a whole number of bytes from 2, got ${String(max)}`,
      });
    }
    this.maxMessageSize = max;
  }

  /** Bytes held for a message not yet complete. */
  get buffered(): number {
    return this.#buffered;
  }

  /**
   * Takes the next chunk of the stream and hands every message it completes to `onMessage`. Returns false when the
   * stream holds something that cannot start an SNMP message (or is over the cap): the connection is then beyond
   * repair, and later pushes return false too.
   */
  push(chunk: Uint8Array, onMessage: (message: Uint8Array) => void): boolean {
    if (this.#failed) return false;
    let data = chunk;
    if (this.#buffered > 0) {
      this.#pieces.push(chunk);
      this.#buffered += chunk.length;
      if (this.#expected === FRAME_INCOMPLETE) {
        // Only a header's few bytes are held: joining them to this chunk copies it once.
        data = this.#join(this.#buffered);
      } else {
        if (this.#buffered < this.#expected) return true;
        data = this.#join(this.#buffered);
      }
      this.#pieces = [];
      this.#buffered = 0;
      this.#expected = FRAME_INCOMPLETE;
    }
    let offset = 0;
    while (offset < data.length) {
      const length = berFrameLength(data, offset, this.maxMessageSize);
      if (length === FRAME_INVALID) {
        this.#failed = true;
        return false;
      }
      if (length === FRAME_INCOMPLETE || offset + length > data.length) {
        this.#expected = length;
        break;
      }
      onMessage(data.subarray(offset, offset + length));
      offset += length;
    }
    if (offset < data.length) {
      this.#pieces.push(data.subarray(offset));
      this.#buffered = data.length - offset;
    }
    return true;
  }

  #join(total: number): Uint8Array {
    const joined = new Uint8Array(total);
    let at = 0;
    for (const piece of this.#pieces) {
      joined.set(piece, at);
      at += piece.length;
    }
    return joined;
  }
}
