/**
 * VACM MIB views (RFC 3415 §5.2), written as snmpd's `view NAME included|excluded SUBTREE [MASK]` lines: which OIDs
 * a community, a v3 user or a context may read (or write). An OID is in a view when the family that matches it with
 * the most sub-identifiers (ties: the lexicographically greatest subtree) is `included`; no matching family: not in
 * the view.
 */

/** One view tree family: a subtree, a mask of the sub-identifiers that must match (the others are wildcards). */
export interface ViewFamily {
  /** Dotted sub-identifiers, a leading dot allowed (`.1.3.6.1.2.1.1`); one arc (`.1`) is fine. */
  subtree: string;
  /**
   * snmpd's mask: hex bytes (`ff.a0`, `FFA0`, `ff:a0`), the first bit for the first sub-identifier; a 0 bit makes that
   * sub-identifier a wildcard. Bits past the mask's end are 1 (RFC 3415). Default: all 1, the subtree as written.
   */
  mask?: string;
  type: 'included' | 'excluded';
}

/** What the request processor asks of a view (a MibView, or the intersection of several). */
export interface OidView {
  /** Whether the OID may be accessed. */
  includes(oid: string): boolean;
  /**
   * For an OID that is not in the view: where the next OID in the view can be at the earliest, so that GETNEXT jumps
   * over an excluded subtree instead of testing each OID in it. `inclusive` says whether `oid` itself may be in the
   * view; undefined when no OID after it is in the view (the end of the view).
   */
  resumeAfter(oid: string): { oid: string; inclusive: boolean } | undefined;
}

/** A view line (or view option) that cannot be read, with the file and line when it came from one. */
export class ViewConfigError extends Error {
  readonly code = 'ERR_SIMULATOR_VIEW';
  constructor(message: string) {
    super(message);
    this.name = 'ViewConfigError';
  }
}

const MAX_ARC = 0xffffffff;

function parseArcs(text: string): number[] {
  const t = text.startsWith('.') ? text.slice(1) : text;
  if (!/^\d+(\.\d+)*$/.test(t)) throw new ViewConfigError(`"${text}" is not a numeric OID (like .1.3.6.1.2.1.1)`);
  const arcs = t.split('.').map(Number);
  if (arcs.some((a) => a > MAX_ARC)) throw new ViewConfigError(`"${text}" has a sub-identifier above 2^32-1`);
  if (arcs.length > 128) throw new ViewConfigError(`"${text}" has more than 128 sub-identifiers`);
  return arcs;
}

/** The mask as one boolean per sub-identifier of the subtree: true where it must match. */
function parseMask(text: string | undefined, length: number): boolean[] {
  const exact = new Array<boolean>(length).fill(true);
  if (text === undefined || text === '') return exact;
  const hex = text.replace(/[.:]/g, '');
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) {
    throw new ViewConfigError(`mask "${text}" is not hex bytes (like ff.a0 or FFA0)`);
  }
  if (hex.length / 2 > 16) throw new ViewConfigError(`mask "${text}" is longer than 16 bytes`);
  for (let i = 0; i < length && i < hex.length * 4; i++) {
    const byte = Number.parseInt(hex.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16);
    exact[i] = (byte & (0x80 >> (i & 7))) !== 0;
  }
  return exact;
}

function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The OID just past every OID that starts with `prefix` (`1.3.6` → `1.3.7`), or undefined past the last. */
function pastPrefix(prefix: readonly number[]): number[] | undefined {
  for (let n = prefix.length; n > 0; n--) {
    if (prefix[n - 1]! < MAX_ARC) return [...prefix.slice(0, n - 1), prefix[n - 1]! + 1];
  }
  return undefined;
}

class Family {
  readonly arcs: number[];
  readonly exact: boolean[];
  /** No wildcard: the family is one plain subtree. */
  readonly plain: boolean;
  constructor(
    readonly spec: ViewFamily,
    readonly included: boolean,
  ) {
    this.arcs = parseArcs(spec.subtree);
    this.exact = parseMask(spec.mask, this.arcs.length);
    this.plain = this.exact.every(Boolean);
  }

  matches(oid: readonly number[]): boolean {
    const arcs = this.arcs;
    if (oid.length < arcs.length) return false;
    for (let i = 0; i < arcs.length; i++) if (this.exact[i] && oid[i] !== arcs[i]) return false;
    return true;
  }

  /** Whether the family can match OIDs that start with `prefix` (the prefix is shorter than the family). */
  compatible(prefix: readonly number[]): boolean {
    for (let i = 0; i < prefix.length; i++) if (this.exact[i] && prefix[i] !== this.arcs[i]) return false;
    return true;
  }
}

/** A named MIB view: families of subtrees included or excluded, decided by the longest match. */
export class MibView implements OidView {
  readonly #families: Family[];

  constructor(
    families: readonly ViewFamily[],
    readonly name = '',
  ) {
    this.#families = [];
    for (const f of families) {
      if (f.type !== 'included' && f.type !== 'excluded') {
        throw new ViewConfigError(`view ${name}: type "${String(f.type)}": expected included or excluded`);
      }
      const family = new Family(f, f.type === 'included');
      // snmpd keeps one family per subtree (and mask): a later line replaces an earlier one.
      const same = this.#families.findIndex(
        (g) => compareArcs(g.arcs, family.arcs) === 0 && g.exact.join() === family.exact.join(),
      );
      if (same >= 0) this.#families[same] = family;
      else this.#families.push(family);
    }
  }

  /** The families, as given. */
  get families(): ViewFamily[] {
    return this.#families.map((f) => ({ ...f.spec }));
  }

  /** The family that decides an OID (RFC 3415 §5.2: most sub-identifiers, then the greatest subtree). */
  #decider(oid: readonly number[]): Family | undefined {
    let best: Family | undefined;
    for (const f of this.#families) {
      if (!f.matches(oid)) continue;
      if (
        !best ||
        f.arcs.length > best.arcs.length ||
        (f.arcs.length === best.arcs.length && compareArcs(f.arcs, best.arcs) > 0)
      )
        best = f;
    }
    return best;
  }

  includes(oid: string): boolean {
    return this.#decider(parseArcs(oid))?.included ?? false;
  }

  resumeAfter(oid: string): { oid: string; inclusive: boolean } | undefined {
    const x = parseArcs(oid);
    const decider = this.#decider(x);
    // Every OID that shares x's first L sub-identifiers is matched by the same families of up to L sub-identifiers,
    // so it is decided as x is unless a longer family matches it: the region is excluded up to its end except where
    // a longer included family begins.
    const length = decider?.arcs.length ?? 0;
    const prefix = x.slice(0, length);
    let best: number[] | undefined = length > 0 ? pastPrefix(prefix) : undefined;
    for (const f of this.#families) {
      if (!f.included || f.arcs.length <= length || !f.compatible(prefix)) continue;
      // The least OID of the region the family can match: its wildcards at 0.
      const start = f.arcs.map((a, i) => (i < length ? x[i]! : f.exact[i] ? a : 0));
      if (compareArcs(start, x) > 0) {
        if (!best || compareArcs(start, best) < 0) best = start;
      } else if (!f.plain) {
        // A wildcard family may match something just after x: no jump past it, test the next OID.
        return { oid, inclusive: false };
      }
      // A plain family that starts at or before x and does not match x lies wholly before it.
    }
    return best ? { oid: best.join('.'), inclusive: true } : undefined;
  }
}

/** OIDs in every one of the views (a user's view and its context's). */
export function intersectViews(views: readonly (OidView | undefined)[]): OidView | undefined {
  const present = views.filter((v): v is OidView => v !== undefined);
  if (present.length <= 1) return present[0];
  return {
    includes: (oid) => present.every((v) => v.includes(oid)),
    resumeAfter: (oid) => {
      // The first view that excludes the OID knows how far its exclusion goes.
      for (const v of present) if (!v.includes(oid)) return v.resumeAfter(oid);
      return { oid, inclusive: false };
    },
  };
}

/**
 * snmpd's `view NAME included|excluded SUBTREE [MASK]` lines (blank lines and `#` comments skipped) into views by
 * name; a NAME on several lines gathers their families. A bad line throws ViewConfigError naming `source:line`.
 */
export function parseViews(text: string, source = 'views'): Map<string, MibView> {
  const families = new Map<string, ViewFamily[]>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // A `#` starts a comment, on its own line or after a view line (no view line has one otherwise).
    const line = lines[i]!.replace(/#.*$/, '').trim();
    if (line === '') continue;
    try {
      const [name, family] = parseViewLine(line);
      const list = families.get(name) ?? [];
      list.push(family);
      new Family(family, true); // checked now, so that the error names this line
      families.set(name, list);
    } catch (error) {
      if (error instanceof ViewConfigError) throw new ViewConfigError(`${source}:${i + 1}: ${error.message}`);
      throw error;
    }
  }
  return new Map([...families].map(([name, list]) => [name, new MibView(list, name)]));
}

/** One `view NAME included|excluded SUBTREE [MASK]` line (the leading `view` may be left out). */
export function parseViewLine(line: string): [name: string, family: ViewFamily] {
  const words = line.trim().split(/\s+/);
  if (words[0] === 'view') words.shift();
  if (words.length < 3 || words.length > 4) {
    throw new ViewConfigError(`"${line}": expected view NAME included|excluded SUBTREE [MASK]`);
  }
  const [name, type, subtree, mask] = words as [string, string, string, string | undefined];
  if (type !== 'included' && type !== 'excluded') {
    throw new ViewConfigError(`"${line}": "${type}" is neither included nor excluded`);
  }
  return [name, { type, subtree, ...(mask !== undefined ? { mask } : {}) }];
}
