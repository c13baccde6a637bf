/**
 * Small byte arrays carved out of shared slabs. Allocating an ArrayBuffer per encoded message or per decoded value
 * costs more than the BER work itself; Node's Buffer pool avoids that the same way. A slab lives as long as any
 * array carved from it, which is why only small arrays come from slabs.
 */
const SLAB_SIZE = 64 * 1024;
const MAX_POOLED = 8 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let offset = 0;

/** A zero-filled or copied array of `n` bytes; `source` (optional) is copied in. */
export function allocBytes(n: number, source?: Uint8Array): Uint8Array {
  let out: Uint8Array;
  if (n > MAX_POOLED) {
    out = new Uint8Array(n);
  } else {
    if (offset + n > SLAB_SIZE) {
      slab = new Uint8Array(SLAB_SIZE);
      offset = 0;
    }
    out = slab.subarray(offset, offset + n);
    // Keep 8-byte alignment so that DataView reads of floats stay cheap.
    offset = (offset + n + 7) & ~7;
  }
  if (source) out.set(source);
  return out;
}
