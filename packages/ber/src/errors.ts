/**
 * The one error the codec throws. Decoding errors carry the byte offset at which the input stopped making sense
 * and what was expected there; encoding errors (a value that cannot be represented) have no offset.
 */
export class BerError extends Error {
  readonly code = 'ERR_BER';
  /** Offset into the decoded input where the problem was found; undefined for encoding errors. */
  readonly offset: number | undefined;
  /** What the decoder expected at `offset` (or what the encoder needed). */
  readonly expected: string;

  constructor(expected: string, offset?: number, detail?: string) {
    const where = offset === undefined ? '' : ` at byte ${offset}`;
    super(`BER: expected ${expected}${where}${detail ? ` (${detail})` : ''}`);
    this.name = 'BerError';
    this.offset = offset;
    this.expected = expected;
  }
}
