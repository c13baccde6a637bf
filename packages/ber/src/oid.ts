import { BerError } from './errors.js';

/** At most 128 sub-identifiers (RFC 2578 §3.5), each at most 2^32-1. */
export const MAX_OID_ARCS = 128;
const MAX_ARC = 0xffffffff;

/**
 * Parses a dotted OID ("1.3.6.1", a leading dot allowed) into arcs, checking every rule BER will need:
 * at least two arcs, first arc 0..2, second below 40 unless the first is 2, arcs up to 2^32-1, at most 128 arcs.
 * Throws BerError with a message that names the OID.
 */
export function parseOid(oid: string): number[] {
  const arcs: number[] = [];
  const n = oid.length;
  let i = oid.charCodeAt(0) === 46 ? 1 : 0; // optional leading '.'
  if (i >= n) throw new BerError('an OID with at least two arcs', undefined, `"${oid}"`);
  while (i <= n) {
    let v = 0;
    const start = i;
    while (i < n) {
      const c = oid.charCodeAt(i);
      if (c === 46) break;
      if (c < 48 || c > 57) throw new BerError('a dotted-decimal OID', undefined, `"${oid}" has "${oid[i]}"`);
      v = v * 10 + (c - 48);
      i++;
    }
    if (i === start) throw new BerError('a dotted-decimal OID', undefined, `"${oid}" has an empty arc`);
    if (v > MAX_ARC) throw new BerError('OID arcs of at most 2^32-1', undefined, `"${oid}"`);
    arcs.push(v);
    i++;
  }
  checkArcs(arcs, oid);
  return arcs;
}

function checkArcs(arcs: readonly number[], text: string): void {
  if (arcs.length < 2) throw new BerError('an OID with at least two arcs', undefined, `"${text}"`);
  if (arcs.length > MAX_OID_ARCS) throw new BerError('an OID of at most 128 arcs', undefined, `${arcs.length} arcs`);
  const first = arcs[0]!;
  if (first > 2) throw new BerError('an OID whose first arc is 0, 1 or 2', undefined, `"${text}"`);
  if (first < 2 && arcs[1]! >= 40) throw new BerError('a second arc below 40 under 0 and 1', undefined, `"${text}"`);
  if (first === 2 && arcs[1]! > MAX_ARC - 80) throw new BerError('OID arcs of at most 2^32-1', undefined, `"${text}"`);
}

/** True when `oid` is a well-formed OID (see parseOid). */
export function isValidOid(oid: string): boolean {
  try {
    parseOid(oid);
    return true;
  } catch {
    return false;
  }
}

/** Dotted string, without a leading dot, from arcs. */
export function formatOid(arcs: readonly number[]): string {
  return arcs.join('.');
}

/**
 * Lexicographic OID order (the order of GETNEXT), on dotted strings without parsing them into arrays:
 * negative when a < b, 0 when equal, positive when a > b. A prefix sorts before its extensions.
 */
export function compareOids(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  let i = a.charCodeAt(0) === 46 ? 1 : 0;
  let j = b.charCodeAt(0) === 46 ? 1 : 0;
  while (i < la && j < lb) {
    // Compare the next arc of each: a longer digit run is a larger number (no leading zeros in canonical form),
    // so compare lengths first, then digits.
    let ei = i;
    while (ei < la && a.charCodeAt(ei) !== 46) ei++;
    let ej = j;
    while (ej < lb && b.charCodeAt(ej) !== 46) ej++;
    const di = ei - i;
    const dj = ej - j;
    if (di !== dj) {
      // Guard against non-canonical leading zeros by comparing values when lengths differ.
      const va = Number(a.slice(i, ei));
      const vb = Number(b.slice(j, ej));
      if (va !== vb) return va < vb ? -1 : 1;
    } else {
      for (let k = 0; k < di; k++) {
        const ca = a.charCodeAt(i + k);
        const cb = b.charCodeAt(j + k);
        if (ca !== cb) return ca < cb ? -1 : 1;
      }
    }
    i = ei + 1;
    j = ej + 1;
  }
  const aDone = i >= la;
  const bDone = j >= lb;
  if (aDone && bDone) return 0;
  return aDone ? -1 : 1;
}

/** True when `oid` equals `prefix` or lies beneath it (prefix "1.3.6" contains "1.3.6.1" but not "1.3.61"). */
export function oidStartsWith(oid: string, prefix: string): boolean {
  const o = oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
  const p = prefix.charCodeAt(0) === 46 ? prefix.slice(1) : prefix;
  if (o.length === p.length) return o === p;
  return o.length > p.length && o.charCodeAt(p.length) === 46 && o.startsWith(p);
}
