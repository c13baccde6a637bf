import {
  BerError,
  encodeValue,
  encodeVarBind,
  isException,
  isValidOid,
  oidStartsWith,
  parseOid,
  type SnmpValue,
  type VarBind,
} from '@snmpkit/ber';
import { parseDump, parseSapwalk } from './formats.js';
import { subtreeModuleProblem } from './modules.js';
import { type MultiplexSnapshot, multiplexProvider, multiplexSettings } from './multiplex.js';
import { compareOidText as compareOids } from './oid.js';
import { SeededRandom } from './random.js';
import {
  checkRecordValue,
  DataFormatError,
  decodeRecordValue,
  forEachSnmprecRecord,
  formatSnmprecLine,
  parseWalk,
  type SnmprecRecord,
  SUBTREE_TAG,
  tagOfType,
  type ValueEncoding,
} from './snmprec.js';
import type { ErrorStatusName } from './status.js';
import {
  createVariation,
  parseVariationArgs,
  type ReadContext,
  type ReadResult,
  type ValueSource,
} from './variations.js';

/** Constraints on a SET of a writable or creatable object (what a MIB would say, given by hand). */
export interface WritePolicy {
  /** The type a SET must carry (wrongType otherwise). Default: the object's current type; any type on creation. */
  type?: SnmpValue['type'];
  /** OCTET STRING/Opaque length bounds (wrongLength outside them). */
  minLength?: number;
  maxLength?: number;
  /** Last check: an error-status (wrongValue, inconsistentValue, ...) to refuse the value, undefined to accept. */
  validate?: (value: SnmpValue, oid: string) => ErrorStatusName | undefined;
}

/** A read as the request processor uses it: the varbind, encoded, and what the read asks of the response. */
export interface ReadOutcome {
  readonly oid: string;
  readonly value: SnmpValue;
  /** The varbind's SEQUENCE TLV. */
  readonly bytes: Uint8Array;
  readonly delayMs: number;
  readonly errorStatus: ErrorStatusName | undefined;
  /** No response at all is sent (snmpsim's delay above 99,999 ms). */
  readonly drop?: boolean;
}

/** The per-request state the processor threads through reads. */
export interface RequestContext extends ReadContext {
  /** Dynamic subtrees evaluated once per request. */
  readonly subtreeCache: Map<DynamicSubtree, SubtreeSnapshot>;
}

/** A function that lists a subtree's varbinds, evaluated once per request that reaches it. */
export type SubtreeProvider = (ctx: ReadContext) => Iterable<VarBind>;

/** A per-OID dynamic value: a value, or a ReadResult (value with delay or error). */
export type ValueProvider = (ctx: ReadContext) => SnmpValue | ReadResult;

export interface DefineOptions {
  /** Makes the OID writable: called with each SET (after `policy`'s checks); return an error-status to refuse. */
  write?: (value: SnmpValue, ctx: ReadContext) => ErrorStatusName | undefined;
  policy?: WritePolicy;
}

interface DynamicSubtree {
  prefix: string;
  provider: SubtreeProvider;
}

interface SubtreeSnapshot {
  oids: string[];
  values: SnmpValue[];
}

export interface DeviceOptions {
  /**
   * sysUpTime.0 (a plain TimeTicks record) counts up from its recorded value on the agent's clock, as the real
   * agent's did. Default true; false serves it as recorded.
   */
  liveSysUpTime?: boolean;
  /** A name for messages (the file it came from). */
  source?: string;
  /** How many static varbinds stay decoded and encoded (the ones read last). Default 262,144. */
  cacheSize?: number;
  /**
   * Where writecache variations keep the values written, by OID: devices given the same map share them, as snmpsim's
   * one cache per process does (loadData gives the devices of a directory one map). Default: one per device.
   */
  writeCache?: Map<string, SnmpValue>;
  /**
   * What to do with a record whose value or variation arguments cannot be served (`2|Fa3/0/1`, `rate=0.001cumulative=1`):
   * 'refuse' (the default) throws DataFormatError; 'serve' loads the rest as snmpsim does, the record answering
   * noSuchInstance to a GET and passed over by GETNEXT, and adds a line to the device's `warnings`. A line that is no
   * record at all, a bad OID and an unsupported module are refused either way (snmpsim refuses those too).
   */
  badRecords?: 'refuse' | 'serve';
  /**
   * The snapshots of a multiplex directory (`OID|:multiplex|dir=DIR,...`), as `dir=` names it: loadDevice and
   * loadData read them from the data directory. Without it a multiplex record is refused.
   */
  multiplexSnapshots?: (dir: string) => MultiplexSnapshot[];
  /** Lets `subprocess` records run their programs (default false: they are refused). */
  allowSubprocess?: boolean;
}

const SYS_UPTIME = '1.3.6.1.2.1.1.3.0';

/** A record that cannot be served: a GET finds no instance, GETNEXT passes over it, a SET cannot write it. */
const UNSERVABLE: ValueSource = { read: () => ({ value: { type: 'NoSuchInstance' } }) };

/**
 * Static varbinds kept decoded and encoded at most: a ring of the entries read last. Beyond it the oldest are
 * decoded again from their text when read (about a microsecond), so a walk of a million OIDs does not keep a
 * million decoded values.
 */
const DEFAULT_CACHE_SIZE = 1 << 18;

class Entry {
  value: SnmpValue | undefined = undefined;
  /** True while `value` can be decoded again from `text` (records from a file, until a SET or set()). */
  fromText = true;
  /** The read of a static value, encoded once. */
  cached: ReadOutcome | undefined = undefined;
  source: ValueSource | undefined = undefined;
  writable: WritePolicy | undefined = undefined;

  constructor(
    readonly oid: string,
    public tag: number,
    public encoding: ValueEncoding,
    public text: string,
  ) {}
}

function fromResult(r: SnmpValue | ReadResult): ReadResult {
  return 'value' in r && typeof r.value === 'object' && r.value !== null && 'type' in r.value
    ? (r as ReadResult)
    : { value: r as SnmpValue };
}

function checkPolicy(policy: WritePolicy, current: SnmpValue | undefined, value: SnmpValue, oid: string) {
  const type = policy.type ?? current?.type;
  if (isException(value) || (type !== undefined && value.type !== type)) return 'wrongType' as const;
  if (value.type === 'OctetString' || value.type === 'Opaque') {
    const n = value.value.length;
    if (
      (policy.minLength !== undefined && n < policy.minLength) ||
      (policy.maxLength !== undefined && n > policy.maxLength)
    ) {
      return 'wrongLength' as const;
    }
  }
  return policy.validate?.(value, oid);
}

function parentOf(oid: string): string {
  const dot = oid.lastIndexOf('.');
  return dot > 0 ? oid.slice(0, dot) : oid;
}

/**
 * One simulated device's MIB: OIDs in a sorted array (GETNEXT is a binary search), values decoded from their text
 * on first use and encoded once, variations and user functions for what changes, and the rules for SET.
 */
export class Device {
  #oids: string[] = [];
  #entries: Entry[] = [];
  #subtrees: DynamicSubtree[] = [];
  #creatable: { prefix: string; policy: WritePolicy }[] = [];
  /** Index of the OID the last GETNEXT answered. */
  #hint = 0;
  #cacheRing: (Entry | undefined)[] = [];
  #cacheNext = 0;
  readonly #liveSysUpTime: boolean;
  readonly #cacheSize: number;
  readonly #writeCache: Map<string, SnmpValue>;
  readonly source: string | undefined;
  readonly #badRecords: 'refuse' | 'serve';
  readonly #allowSubprocess: boolean;
  /** Records served as noSuchInstance because their value cannot be served (see DeviceOptions.badRecords). */
  readonly warnings: string[] = [];

  constructor(options: DeviceOptions = {}) {
    this.#liveSysUpTime = options.liveSysUpTime ?? true;
    this.#cacheSize = Math.max(1, options.cacheSize ?? DEFAULT_CACHE_SIZE);
    this.#writeCache = options.writeCache ?? new Map();
    this.#badRecords = options.badRecords ?? 'refuse';
    this.#allowSubprocess = options.allowSubprocess ?? false;
    this.source = options.source;
  }

  /**
   * A device from .snmprec text. Every record is checked as it is read: a malformed line, a value its tag cannot
   * carry, an unknown variation or variation argument throws DataFormatError (`source:line: OID: what is wrong`).
   */
  static fromSnmprec(text: string, options: DeviceOptions = {}): Device {
    const device = new Device(options);
    const oids: string[] = [];
    const entries: Entry[] = [];
    let sorted = true;
    const multiplexed: { oid: string; text: string; line: number }[] = [];
    forEachSnmprecRecord(
      text,
      (oid, tag, encoding, module, value, lineNo) => {
        if (tag === SUBTREE_TAG) {
          if (module === 'multiplex') multiplexed.push({ oid, text: value, line: lineNo });
          else {
            // sql, redis: snmpsim cannot serve them without their database either; its subtree finds nothing.
            const problem = new DataFormatError(subtreeModuleProblem(module ?? ''), lineNo, options.source, oid);
            if ((options.badRecords ?? 'refuse') === 'refuse') throw problem;
            device.warnings.push(`${problem.message} (its subtree answers noSuchInstance, as snmpsim)`);
          }
          return;
        }
        const entry = device.#entryOf(oid, tag, encoding, module, value, lineNo);
        if (sorted && oids.length > 0 && compareOids(oids[oids.length - 1]!, oid) >= 0) sorted = false;
        oids.push(oid);
        entries.push(entry);
      },
      options.source,
    );
    device.#install(oids, entries, sorted);
    for (const m of multiplexed) {
      try {
        const settings = multiplexSettings(parseVariationArgs(m.text));
        if (!options.multiplexSnapshots)
          throw new RangeError('multiplex: its snapshots are read by loadDevice/loadData');
        device.defineSubtree(m.oid, multiplexProvider(settings, options.multiplexSnapshots(settings.dir)));
      } catch (error) {
        if (error instanceof RangeError) throw new DataFormatError(error.message, m.line, options.source, m.oid);
        throw error;
      }
    }
    return device;
  }

  /** A device from Net-SNMP walk output (`snmpwalk -On` or `-ObentU`). Checked as fromSnmprec is. */
  static fromWalk(text: string, options: DeviceOptions = {}): Device {
    return Device.fromRecords(parseWalk(text, options.source), options);
  }

  /** A device from SimpleAgentPro's `.sapwalk` (`OID, Type, Value` lines). Checked as fromSnmprec is. */
  static fromSapwalk(text: string, options: DeviceOptions = {}): Device {
    return Device.fromRecords(parseSapwalk(text, options.source), options);
  }

  /** A device from a `.dump`/`.MVC` file (`OID|CODE|VALUE` lines, type codes 0-9). Checked as fromSnmprec is. */
  static fromDump(text: string, options: DeviceOptions = {}): Device {
    return Device.fromRecords(parseDump(text, options.source), options);
  }

  /** A device from records already parsed (any order; the last of duplicate OIDs stands). Checked as fromSnmprec is. */
  static fromRecords(records: readonly SnmprecRecord[], options: DeviceOptions = {}): Device {
    const device = new Device(options);
    device.#install(
      records.map((r) => r.oid),
      records.map((r) => device.#entryOf(r.oid, r.tag, r.encoding, r.module, r.text, r.line ?? 0)),
      false,
    );
    return device;
  }

  /** A device holding these varbinds. */
  static fromVarbinds(varbinds: Iterable<VarBind>, options: DeviceOptions = {}): Device {
    const device = new Device(options);
    for (const vb of varbinds) device.set(vb.oid, vb.value);
    return device;
  }

  #entryOf(
    oid: string,
    tag: number,
    encoding: ValueEncoding,
    module: string | undefined,
    text: string,
    line: number,
  ): Entry {
    const entry = new Entry(oid, tag, encoding, text);
    try {
      if (module !== undefined) {
        entry.source = createVariation(module, tag, text, {
          oid,
          writeCache: this.#writeCache,
          subprocess: { allowed: this.#allowSubprocess, ...(this.source ? { dataFile: this.source } : {}) },
        });
      } else {
        // Checked now, so that a value that loaded never fails (genErr) when a request reaches it. Values are still
        // decoded only when read: checking a plain string costs nothing, a number a short parse.
        checkRecordValue(tag, text, encoding);
        if (oid === SYS_UPTIME && tag === 67 && this.#liveSysUpTime && encoding === 'plain') {
          entry.source = createVariation('numeric', 67, `initial=${text.trim()},rate=100,wrap=1`);
        }
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const problem = new DataFormatError(error.message, line, this.source, oid);
      if (this.#badRecords === 'refuse') throw problem;
      this.warnings.push(`${problem.message} (answers noSuchInstance, as snmpsim)`);
      entry.source = UNSERVABLE;
    }
    return entry;
  }

  #install(oids: string[], entries: Entry[], sorted: boolean): void {
    if (!sorted) {
      const order = oids.map((_, i) => i).sort((a, b) => compareOids(oids[a]!, oids[b]!) || a - b);
      const o: string[] = [];
      const e: Entry[] = [];
      for (const i of order) {
        // Keep the last of duplicate OIDs, as a later line overrides an earlier one.
        if (o.length > 0 && o[o.length - 1] === oids[i]) {
          e[e.length - 1] = entries[i]!;
          continue;
        }
        o.push(oids[i]!);
        e.push(entries[i]!);
      }
      oids = o;
      entries = e;
    }
    this.#oids = oids;
    this.#entries = entries;
  }

  /**
   * Decodes every static value now (they are otherwise decoded on first use).
   * @deprecated Values are checked as the data loads (fromSnmprec and fromWalk throw DataFormatError with the line),
   * so this finds nothing more; it only decodes ahead of the first request.
   */
  validate(): void {
    for (const entry of this.#entries) if (!entry.source) this.#staticValue(entry);
  }

  /** Number of OIDs (dynamic subtrees not counted). */
  get size(): number {
    return this.#oids.length;
  }

  #lowerBound(oid: string): number {
    return searchOids(this.#oids, oid, false);
  }

  #upperBound(oid: string): number {
    return searchOids(this.#oids, oid, true);
  }

  /** First index past everything under `prefix` (and past `prefix` itself). */
  #pastSubtree(prefix: string): number {
    const oids = this.#oids;
    let lo = this.#lowerBound(prefix);
    let hi = oids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (oidStartsWith(oids[mid]!, prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #find(oid: string): number {
    const i = this.#lowerBound(oid);
    return i < this.#oids.length && this.#oids[i] === oid ? i : -1;
  }

  #staticValue(entry: Entry): SnmpValue {
    if (entry.value === undefined) entry.value = decodeRecordValue(entry.tag, entry.text, entry.encoding);
    return entry.value;
  }

  #readEntry(entry: Entry, ctx: ReadContext): ReadOutcome {
    if (entry.cached) return entry.cached;
    if (!entry.source) {
      const value = this.#staticValue(entry);
      const outcome: ReadOutcome = {
        oid: entry.oid,
        value,
        bytes: encodeVarBind({ oid: entry.oid, value }),
        delayMs: 0,
        errorStatus: undefined,
      };
      entry.cached = outcome;
      this.#remember(entry);
      return outcome;
    }
    const r = entry.source.read(ctx);
    return {
      oid: entry.oid,
      value: r.value,
      bytes: encodeVarBind({ oid: entry.oid, value: r.value }),
      delayMs: r.delayMs ?? 0,
      errorStatus: r.errorStatus,
      ...(r.drop ? { drop: true } : {}),
    };
  }

  #remember(entry: Entry): void {
    const old = this.#cacheRing[this.#cacheNext];
    if (old !== undefined && old !== entry) {
      old.cached = undefined;
      if (old.fromText) old.value = undefined;
    }
    this.#cacheRing[this.#cacheNext] = entry;
    this.#cacheNext = (this.#cacheNext + 1) % this.#cacheSize;
  }

  #subtreeFor(oid: string): DynamicSubtree | undefined {
    for (const s of this.#subtrees) if (oidStartsWith(oid, s.prefix)) return s;
    return undefined;
  }

  #snapshot(subtree: DynamicSubtree, ctx: RequestContext): SubtreeSnapshot {
    let snap = ctx.subtreeCache.get(subtree);
    if (!snap) {
      const items = [...subtree.provider(ctx)].filter((vb) => oidStartsWith(vb.oid, subtree.prefix));
      items.sort((a, b) => compareOids(a.oid, b.oid));
      snap = { oids: items.map((vb) => vb.oid), values: items.map((vb) => vb.value) };
      ctx.subtreeCache.set(subtree, snap);
    }
    return snap;
  }

  /** GET of one OID: its read, or which exception answers it. */
  read(oid: string, ctx: RequestContext): ReadOutcome | 'NoSuchObject' | 'NoSuchInstance' {
    const subtree = this.#subtreeFor(oid);
    if (subtree) {
      const snap = this.#snapshot(subtree, ctx);
      const i = snap.oids.indexOf(oid);
      if (i >= 0) return dynamicOutcome(oid, snap.values[i]!);
      return snap.oids.some((o) => oidStartsWith(o, parentOf(oid))) ? 'NoSuchInstance' : 'NoSuchObject';
    }
    const i = this.#find(oid);
    if (i >= 0) {
      const outcome = this.#readEntry(this.#entries[i]!, ctx);
      if (!isException(outcome.value) || outcome.errorStatus || outcome.drop) return outcome;
      return outcome.value.type === 'NoSuchObject' ? 'NoSuchObject' : 'NoSuchInstance';
    }
    // An instance of an object the device has (a missing row, sysDescr without .0) is noSuchInstance.
    const parent = parentOf(oid);
    const j = this.#lowerBound(parent);
    return j < this.#oids.length && oidStartsWith(this.#oids[j]!, parent) ? 'NoSuchInstance' : 'NoSuchObject';
  }

  /**
   * GETNEXT of one OID: the read of its lexicographic successor, or undefined at the end of the MIB view.
   * `skip` leaves out values the requester cannot take (Counter64 for SNMPv1). `inclusive` lets `oid` itself answer
   * (a MIB view resuming where an excluded subtree ends).
   */
  readNext(
    oid: string,
    ctx: RequestContext,
    skip?: (value: SnmpValue) => boolean,
    inclusive = false,
  ): ReadOutcome | undefined {
    let cursor = oid;
    let from = inclusive;
    for (;;) {
      const staticNext = this.#nextStatic(cursor, ctx, skip, from);
      let best = staticNext;
      for (const subtree of this.#subtrees) {
        const candidate = this.#nextInSubtree(subtree, cursor, ctx, skip, from);
        if (candidate && (!best || compareOids(candidate.oid, best.oid) < 0)) best = candidate;
      }
      if (!best || !isException(best.value) || best.errorStatus || best.drop) return best;
      cursor = best.oid; // a recorded exception is no successor
      from = false;
    }
  }

  #nextStatic(
    oid: string,
    ctx: RequestContext,
    skip: ((value: SnmpValue) => boolean) | undefined,
    inclusive: boolean,
  ): ReadOutcome | undefined {
    const n = this.#oids.length;
    // A walk asks for the successor of what it was given last: remember where that was and skip the search.
    const hint = this.#hint;
    let i = inclusive ? this.#lowerBound(oid) : hint < n && this.#oids[hint] === oid ? hint + 1 : this.#upperBound(oid);
    while (i < n) {
      const entry = this.#entries[i]!;
      if (this.#subtrees.length > 0) {
        const shadow = this.#subtreeFor(entry.oid);
        if (shadow) {
          i = this.#pastSubtree(shadow.prefix);
          continue;
        }
      }
      const outcome = this.#readEntry(entry, ctx);
      // An exception is no successor, unless it comes with an error-status (an error variation without a value).
      const answers = !isException(outcome.value) || outcome.errorStatus !== undefined || outcome.drop === true;
      if (!(skip?.(outcome.value) ?? false) && answers) {
        this.#hint = i;
        return outcome;
      }
      i++;
    }
    return undefined;
  }

  #nextInSubtree(
    subtree: DynamicSubtree,
    oid: string,
    ctx: RequestContext,
    skip: ((value: SnmpValue) => boolean) | undefined,
    inclusive: boolean,
  ): ReadOutcome | undefined {
    // Nothing of a subtree that lies wholly before the OID can follow it.
    if (compareOids(subtree.prefix, oid) < 0 && !oidStartsWith(oid, subtree.prefix)) return undefined;
    const snap = this.#snapshot(subtree, ctx);
    for (let i = searchOids(snap.oids, oid, !inclusive); i < snap.oids.length; i++) {
      const value = snap.values[i]!;
      if (!(skip?.(value) ?? false) && !isException(value)) return dynamicOutcome(snap.oids[i]!, value);
    }
    return undefined;
  }

  /** SET, first phase: undefined when the value would be accepted, or the error-status refusing it. */
  checkSet(oid: string, value: SnmpValue, ctx: ReadContext): ErrorStatusName | undefined {
    if (this.#subtreeFor(oid)) return 'notWritable';
    const i = this.#find(oid);
    if (i >= 0) {
      const entry = this.#entries[i]!;
      if (entry.source) {
        if (!entry.source.checkWrite) return 'notWritable';
        if (entry.writable) {
          const current = entry.source.read(ctx).value;
          const refused = checkPolicy(entry.writable, current, value, oid);
          if (refused) return refused;
        }
        return entry.source.checkWrite(value, ctx);
      }
      if (!entry.writable) return 'notWritable';
      return checkPolicy(entry.writable, this.#staticValue(entry), value, oid);
    }
    const creatable = this.#creatableFor(oid);
    if (creatable) return checkPolicy(creatable.policy, undefined, value, oid);
    return this.#hasWritableSibling(oid) ? 'noCreation' : 'notWritable';
  }

  #creatableFor(oid: string) {
    return this.#creatable.find((c) => oidStartsWith(oid, c.prefix) && oid !== c.prefix);
  }

  #hasWritableSibling(oid: string): boolean {
    const parent = parentOf(oid);
    for (let j = this.#lowerBound(parent), k = 0; j < this.#oids.length && k < 10_000; j++, k++) {
      if (!oidStartsWith(this.#oids[j]!, parent)) break;
      const e = this.#entries[j]!;
      if (e.writable || e.source?.checkWrite) return true;
    }
    return false;
  }

  /** How long the response to an accepted SET of `oid` is held (a delay variation's), or drop for no response. */
  writeDelay(oid: string, value: SnmpValue, ctx: ReadContext): { delayMs: number; drop?: boolean } {
    const i = this.#find(oid);
    const source = i >= 0 ? this.#entries[i]!.source : undefined;
    return source?.writeDelay?.(value, ctx) ?? { delayMs: 0 };
  }

  /** SET, second phase (after checkSet accepted it): applies the value and returns how to undo it. */
  commitSet(oid: string, value: SnmpValue, ctx: ReadContext): () => void {
    const i = this.#find(oid);
    if (i >= 0) {
      const entry = this.#entries[i]!;
      if (entry.source?.commitWrite) {
        const source = entry.source;
        const old = source.read(ctx).value;
        source.commitWrite!(value, ctx);
        return () => source.commitWrite!(old, ctx);
      }
      const old = this.#staticValue(entry);
      this.#setStatic(entry, value);
      return () => this.#setStatic(entry, old);
    }
    const policy = this.#creatableFor(oid)?.policy ?? {};
    this.set(oid, value, { writable: policy });
    return () => this.remove(oid);
  }

  #setStatic(entry: Entry, value: SnmpValue): void {
    entry.value = value;
    entry.fromText = false;
    entry.tag = tagOfType(value.type);
    entry.cached = undefined;
  }

  // ---- the programmatic API ----

  /** Sets (adds or replaces) an OID's static value. `writable` lets SET change it (true: same type, any value). */
  set(oid: string, value: SnmpValue, options: { writable?: boolean | WritePolicy } = {}): void {
    const o = normalizeOid(oid);
    refuseUnencodable(value);
    let i = this.#find(o);
    if (i < 0) {
      i = this.#lowerBound(o);
      this.#oids.splice(i, 0, o);
      this.#entries.splice(i, 0, new Entry(o, tagOfType(value.type), 'plain', ''));
    }
    const entry = this.#entries[i]!;
    entry.source = undefined;
    this.#setStatic(entry, value);
    if (options.writable !== undefined) {
      entry.writable = options.writable === false ? undefined : options.writable === true ? {} : options.writable;
    }
  }

  /** Removes one OID; false when it was not there. */
  remove(oid: string): boolean {
    const i = this.#find(normalizeOid(oid));
    if (i < 0) return false;
    this.#oids.splice(i, 1);
    this.#entries.splice(i, 1);
    return true;
  }

  /** Removes an OID and everything under it; returns how many OIDs went. */
  removeSubtree(prefix: string): number {
    const p = normalizeOid(prefix);
    const from = this.#lowerBound(p);
    const to = this.#pastSubtree(p);
    this.#oids.splice(from, to - from);
    this.#entries.splice(from, to - from);
    return to - from;
  }

  /** A value computed on each read (and, with `options.write`, writable). Replaces a static value there. */
  define(oid: string, provider: ValueProvider, options: DefineOptions = {}): void {
    const o = normalizeOid(oid);
    const source: ValueSource = { read: (ctx) => fromResult(provider(ctx)) };
    if (options.write) {
      let override: SnmpValue | undefined;
      const write = options.write;
      source.read = (ctx) => (override ? { value: override } : fromResult(provider(ctx)));
      source.checkWrite = (value, ctx) => write(value, ctx);
      source.commitWrite = (value) => {
        override = value;
      };
    }
    let i = this.#find(o);
    if (i < 0) {
      i = this.#lowerBound(o);
      this.#oids.splice(i, 0, o);
      this.#entries.splice(i, 0, new Entry(o, 5, 'plain', ''));
    }
    const entry = this.#entries[i]!;
    entry.source = source;
    entry.cached = undefined;
    entry.writable = options.write ? options.policy : undefined;
  }

  /** A subtree whose varbinds a function lists on each request; static OIDs under it are hidden while it is set. */
  defineSubtree(prefix: string, provider: SubtreeProvider): void {
    const p = normalizeOid(prefix);
    this.#subtrees = this.#subtrees.filter((s) => s.prefix !== p);
    this.#subtrees.push({ prefix: p, provider });
  }

  removeDynamicSubtree(prefix: string): boolean {
    const before = this.#subtrees.length;
    this.#subtrees = this.#subtrees.filter((s) => s.prefix !== normalizeOid(prefix));
    return this.#subtrees.length !== before;
  }

  /** Lets SET create new OIDs under `prefix` (a table's columns, say), within `policy`. */
  allowCreation(prefix: string, policy: WritePolicy = {}): void {
    this.#creatable.push({ prefix: normalizeOid(prefix), policy });
  }

  /** Makes an existing OID writable (or not). */
  setWritable(oid: string, policy: WritePolicy | boolean = true): void {
    const i = this.#find(normalizeOid(oid));
    if (i < 0) throw new RangeError(`no such OID: ${oid}`);
    this.#entries[i]!.writable = policy === false ? undefined : policy === true ? {} : policy;
  }

  /** The value a GET would see now (without delays or errors), or undefined. */
  get(oid: string, ctx: ReadContext = STILL): SnmpValue | undefined {
    const r = this.read(normalizeOid(oid), { ...ctx, subtreeCache: new Map() });
    return typeof r === 'string' ? undefined : r.value;
  }

  /** Every OID and its value now, in order (dynamic subtrees included). */
  varbinds(ctx: ReadContext = STILL): VarBind[] {
    const out: VarBind[] = [];
    const rc: RequestContext = { ...ctx, operation: 'next', subtreeCache: new Map() };
    let oid = '0.0';
    for (let r = this.readNext(oid, rc); r; r = this.readNext(oid, rc)) {
      out.push({ oid: r.oid, value: r.value });
      oid = r.oid;
    }
    return out;
  }

  /** The device as .snmprec text (values as they read now; variations are not kept). */
  toSnmprec(ctx: ReadContext = STILL): string {
    return this.varbinds(ctx)
      .map((vb) => `${formatSnmprecLine(vb.oid, vb.value)}\n`)
      .join('');
  }
}

/** Binary search in sorted OIDs: the first index whose OID is >= `oid` (or > `oid` when `after`). */
function searchOids(oids: readonly string[], oid: string, after: boolean): number {
  let lo = 0;
  let hi = oids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareOids(oids[mid]!, oid);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function dynamicOutcome(oid: string, value: SnmpValue): ReadOutcome {
  return {
    oid,
    value,
    bytes: encodeVarBind({ oid, value }),
    delayMs: 0,
    errorStatus: undefined,
  };
}

/** Refuses now, with a RangeError, a value that could never be sent. */
function refuseUnencodable(value: SnmpValue): void {
  try {
    encodeValue(value);
  } catch (error) {
    if (error instanceof BerError) throw new RangeError(`cannot be sent: ${error.message}`, { cause: error });
    throw error;
  }
}

function normalizeOid(oid: string): string {
  const o = oid.startsWith('.') ? oid.slice(1) : oid;
  if (!isValidOid(o)) throw new RangeError(`not a valid OID: "${oid}"`);
  return parseOid(o).join('.');
}

const STILL: ReadContext = { uptimeMs: 0, random: new SeededRandom(1), operation: 'get' };
