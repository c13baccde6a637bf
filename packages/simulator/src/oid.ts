/**
 * OID order (GETNEXT's) for canonical dotted OIDs (no leading zeros, no leading dot), in one pass: skip the common
 * prefix, then the arc that goes on longer is the larger, and at equal lengths the first differing digit decides.
 * The data store compares OIDs that share long prefixes (neighbours in a table), where this is several times
 * faster than a comparison arc by arc.
 */
export function compareOidText(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  const n = la < lb ? la : lb;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la) return i === lb ? 0 : -1; // a is b's prefix: a sorts first
  if (i === lb) return 1;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca === 46) return -1; // a's arc ended where b's goes on
  if (cb === 46) return 1;
  // Both arcs started at the same place and agree so far: the one with more digits left is the larger.
  let ea = i + 1;
  while (ea < la && a.charCodeAt(ea) !== 46) ea++;
  let eb = i + 1;
  while (eb < lb && b.charCodeAt(eb) !== 46) eb++;
  if (ea !== eb) return ea - eb;
  return ca - cb;
}

const NON_CANONICAL = /(^|\.)0\d/;

/** The OID without leading zeros in its arcs (`1.3.06` → `1.3.6`); canonical OIDs are returned as they are. */
export function canonicalOid(oid: string): string {
  return NON_CANONICAL.test(oid)
    ? oid
        .split('.')
        .map((arc) => String(Number(arc)))
        .join('.')
    : oid;
}

/** The OID without its last arc (itself when it has one arc). */
export function parentOf(oid: string): string {
  const dot = oid.lastIndexOf('.');
  return dot > 0 ? oid.slice(0, dot) : oid;
}
