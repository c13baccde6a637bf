import {
  BerError,
  encodeValue,
  encodeVarBind,
  isException,
  oidStartsWith,
  parseOid,
  type SnmpValue,
  type VarBind,
} from '@snmpkit/ber';
import { parseDump, parseSapwalk } from './formats.js';
import { subtreeModuleProblem } from './modules.js';
import { type MultiplexSnapshot, multiplexProvider, multiplexSettings } from './multiplex.js';
import { compareOidText as compareOids, parentOf } from './oid.js';
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

/**
 * One simulated device's MIB: OIDs in a sorted array (GETNEXT is a binary search), values decoded from their text
 * on first use and encoded once, variations and user functions for what changes, and the rules for SET.
 */
export class Device {
  #oids: string[] = [];
  #entries: Entry[] = [];
  /**
   * OID → index in #oids, built on the first exact lookup after the table changed shape: a GET costs one hash probe
   * instead of a binary search whose ~13 string comparisons each touch a cold OID (in a lab of 10,000 devices, the
   * template's strings are rarely in cache). Small own tables (a derived device's overrides) keep the search.
   */
  #exact: Map<string, number> | undefined = undefined;
  #subtrees: DynamicSubtree[] = [];
  #creatable: { prefix: string; policy: WritePolicy }[] = [];
  /**
   * The template this device was derived from (Device.fromTemplate): its sorted table is shared, read-only, by every
   * device derived from it, and this device's own table holds only what differs here (overrides, SET writes, values
   * defined on it), each shadowing the template's entry of the same OID. Lookups cost the same whatever the number
   * of devices sharing the template.
   */
  #base: Device | undefined = undefined;
  /** Template indexes removed from this device: sorted, disjoint [from, to) ranges, as flat pairs. */
  #hidden: number[] = [];
  /**
   * Where the last GETNEXT left off: the OID it answered and the own and template indexes after it, so that a walk
   * (which asks for the successor of what it was given last) skips the searches. Cleared when the tables change.
   */
  #nextAfter: string | undefined = undefined;
  #nextOwn = 0;
  #nextBase = 0;
  /** Devices were derived from this one: it may no longer change (their hidden ranges index its table). */
  #shared = false;
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
    this.#exact = undefined;
    this.#nextAfter = undefined;
  }

  /**
   * A device that shares `template`'s data: the template's table (OIDs, values, variations, encoded varbinds) is
   * stored once whatever the number of devices derived from it, and each derived device keeps only what differs
   * (values set or defined on it, what a SET writes, OIDs removed from it). A SET on a derived device writes to
   * that device alone. The template may not change once a device was derived from it (it throws RangeError).
   * Dynamic subtrees and creation rules of the template apply to the derived device too.
   */
  static fromTemplate(template: Device, options: DeviceOptions = {}): Device {
    if (template.#base) throw new RangeError('a derived device cannot be a template (derive from its template)');
    const device = new Device({ liveSysUpTime: template.#liveSysUpTime, source: template.source, ...options });
    template.#shared = true;
    device.#base = template;
    device.#subtrees = [...template.#subtrees];
    device.#creatable = [...template.#creatable];
    return device;
  }

  /** Prepares the changes many devices derived from `template` make (see TemplateOverlay). */
  static overlay(template: Device, oids: Iterable<string>, removed: Iterable<string> = []): TemplateOverlay {
    const probe = Device.fromTemplate(template);
    for (const oid of removed) probe.remove(oid);
    const hidden = probe.#hidden;
    const sorted = [...new Set([...oids].map(normalizeOid))].sort(compareOids);
    const writable = sorted.map((oid) => {
      const j = template.#find(oid);
      return j >= 0 ? template.#entries[j]!.writable : undefined;
    });
    const derive = (values: readonly (SnmpValue | ValueProvider | undefined)[], options: DeviceOptions = {}) => {
      if (values.length !== sorted.length) {
        throw new RangeError(`${values.length} values for the overlay's ${sorted.length} OIDs`);
      }
      const device = Device.fromTemplate(template, options);
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value === undefined) continue;
        const oid = sorted[i]!;
        let entry: Entry;
        if (typeof value === 'function') {
          entry = new Entry(oid, 5, 'plain', '');
          entry.source = { read: (ctx) => fromResult(value(ctx)) };
        } else {
          refuseUnencodable(value);
          entry = new Entry(oid, tagOfType(value.type), 'plain', '');
          entry.value = value;
          entry.fromText = false;
          entry.writable = writable[i];
        }
        // In order: each goes at the end of the own table.
        device.#oids.push(oid);
        device.#entries.push(entry);
      }
      // Shared until this device removes more (#hide builds a new array).
      device.#hidden = hidden;
      return device;
    };
    return { oids: sorted, derive };
  }

  /** The template this device shares its data with (fromTemplate), if any. */
  get template(): Device | undefined {
    return this.#base;
  }

  #refuseIfShared(): void {
    if (this.#shared) {
      throw new RangeError(
        `${this.source ?? 'this device'} is the template of derived devices and cannot change: change the devices`,
      );
    }
  }

  #insertOwn(i: number, oid: string, entry: Entry): void {
    this.#refuseIfShared();
    this.#oids.splice(i, 0, oid);
    this.#entries.splice(i, 0, entry);
    this.#exact = undefined;
    this.#nextAfter = undefined;
  }

  #deleteOwn(from: number, count: number): void {
    this.#refuseIfShared();
    this.#oids.splice(from, count);
    this.#entries.splice(from, count);
    this.#exact = undefined;
    this.#nextAfter = undefined;
  }

  /** The template's index of `oid` when this device has it from the template (not removed here), else -1. */
  #baseIndex(oid: string): number {
    const base = this.#base;
    if (!base) return -1;
    const j = base.#find(oid);
    return j >= 0 && this.#skipHidden(j) === j ? j : -1;
  }

  /** `j`, or the first template index past the hidden range `j` falls in. */
  #skipHidden(j: number): number {
    const h = this.#hidden;
    if (h.length === 0) return j;
    // The last range starting at or before j.
    let lo = 0;
    let hi = h.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (h[mid * 2]! <= j) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && j < h[(lo - 1) * 2 + 1]! ? h[(lo - 1) * 2 + 1]! : j;
  }

  /** Hides template indexes [from, to) from this device. */
  #hide(from: number, to: number): void {
    if (to <= from) return;
    const ranges: [number, number][] = [];
    for (let k = 0; k < this.#hidden.length; k += 2) ranges.push([this.#hidden[k]!, this.#hidden[k + 1]!]);
    ranges.push([from, to]);
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: number[] = [];
    for (const [a, b] of ranges) {
      const last = merged.length - 1;
      if (last > 0 && a <= merged[last]!) merged[last] = Math.max(merged[last]!, b);
      else merged.push(a, b);
    }
    this.#hidden = merged;
    this.#nextAfter = undefined;
  }

  /** The entry serving `oid` here: this device's own, else the template's; undefined when it has none. */
  #entryAt(oid: string): Entry | undefined {
    const i = this.#find(oid);
    if (i >= 0) return this.#entries[i];
    const j = this.#baseIndex(oid);
    return j >= 0 ? this.#base!.#entries[j] : undefined;
  }

  /** A read of an entry: a template's entry is read (and its encoding cached) by the template. */
  #readAny(entry: Entry, own: boolean, ctx: ReadContext): ReadOutcome {
    return own ? this.#readEntry(entry, ctx) : this.#base!.#readEntry(entry, ctx);
  }

  /** Whether anything (own, or the template's and not removed here) lies under `prefix`. */
  #hasUnder(prefix: string): boolean {
    const i = this.#lowerBound(prefix);
    if (i < this.#oids.length && oidStartsWith(this.#oids[i]!, prefix)) return true;
    const base = this.#base;
    if (!base) return false;
    const j = this.#skipHidden(base.#lowerBound(prefix));
    return j < base.#oids.length && oidStartsWith(base.#oids[j]!, prefix);
  }

  /**
   * Decodes every static value now (they are otherwise decoded on first use).
   * @deprecated Values are checked as the data loads (fromSnmprec and fromWalk throw DataFormatError with the line),
   * so this finds nothing more; it only decodes ahead of the first request.
   */
  validate(): void {
    for (const entry of this.#entries) if (!entry.source) this.#staticValue(entry);
    this.#base?.validate();
  }

  /** Number of OIDs (dynamic subtrees not counted), the template's included. */
  get size(): number {
    const base = this.#base;
    if (!base) return this.#oids.length;
    let hidden = 0;
    for (let k = 0; k < this.#hidden.length; k += 2) hidden += this.#hidden[k + 1]! - this.#hidden[k]!;
    let shadowing = 0;
    for (const oid of this.#oids) if (this.#baseIndex(oid) >= 0) shadowing++;
    return this.#oids.length + base.#oids.length - hidden - shadowing;
  }

  /** OIDs this device holds apart from its template (overrides, SET writes, defined values); all without one. */
  get ownSize(): number {
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
    const oids = this.#oids;
    if (oids.length >= EXACT_INDEX_FROM) {
      let exact = this.#exact;
      if (!exact) {
        exact = new Map();
        for (let i = 0; i < oids.length; i++) exact.set(oids[i]!, i);
        this.#exact = exact;
      }
      return exact.get(oid) ?? -1;
    }
    const i = this.#lowerBound(oid);
    return i < oids.length && oids[i] === oid ? i : -1;
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
    const j = i >= 0 ? -1 : this.#baseIndex(oid);
    if (i >= 0 || j >= 0) {
      const outcome =
        i >= 0 ? this.#readEntry(this.#entries[i]!, ctx) : this.#base!.#readEntry(this.#base!.#entries[j]!, ctx);
      if (!isException(outcome.value) || outcome.errorStatus || outcome.drop) return outcome;
      return outcome.value.type === 'NoSuchObject' ? 'NoSuchObject' : 'NoSuchInstance';
    }
    // An instance of an object the device has (a missing row, sysDescr without .0) is noSuchInstance.
    return this.#hasUnder(parentOf(oid)) ? 'NoSuchInstance' : 'NoSuchObject';
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
    const own = this.#oids;
    const n = own.length;
    const base = this.#base;
    const baseOids = base ? base.#oids : own;
    const m = base ? baseOids.length : 0;
    // A walk asks for the successor of what it was given last: start where that was and skip the searches.
    let i: number;
    let j: number;
    if (inclusive) {
      i = this.#lowerBound(oid);
      j = base ? base.#lowerBound(oid) : 0;
    } else if (this.#nextAfter === oid) {
      i = this.#nextOwn;
      j = this.#nextBase;
    } else {
      i = this.#upperBound(oid);
      j = base ? base.#upperBound(oid) : 0;
    }
    for (;;) {
      if (base) j = this.#skipHidden(j);
      if (i >= n && j >= m) return undefined;
      // The smaller OID of the two tables; this device's own entry shadows the template's of the same OID.
      const c = i >= n ? 1 : j >= m ? -1 : compareOids(own[i]!, baseOids[j]!);
      const fromOwn = c <= 0;
      const entry = fromOwn ? this.#entries[i]! : base!.#entries[j]!;
      if (this.#subtrees.length > 0) {
        const shadow = this.#subtreeFor(entry.oid);
        if (shadow) {
          i = this.#pastSubtree(shadow.prefix);
          if (base) j = base.#pastSubtree(shadow.prefix);
          continue;
        }
      }
      if (fromOwn) {
        i++;
        if (c === 0) j++;
      } else j++;
      const outcome = this.#readAny(entry, fromOwn, ctx);
      // An exception is no successor, unless it comes with an error-status (an error variation without a value).
      const answers = !isException(outcome.value) || outcome.errorStatus !== undefined || outcome.drop === true;
      if (!(skip?.(outcome.value) ?? false) && answers) {
        this.#nextAfter = entry.oid;
        this.#nextOwn = i;
        this.#nextBase = j;
        return outcome;
      }
    }
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
    const entry = this.#entryAt(oid);
    if (entry) {
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
    const base = this.#base;
    if (!base) return false;
    for (let j = this.#skipHidden(base.#lowerBound(parent)), k = 0; j < base.#oids.length && k < 10_000; k++) {
      if (!oidStartsWith(base.#oids[j]!, parent)) break;
      const e = base.#entries[j]!;
      if (e.writable || e.source?.checkWrite) return true;
      j = this.#skipHidden(j + 1);
    }
    return false;
  }

  /** How long the response to an accepted SET of `oid` is held (a delay variation's), or drop for no response. */
  writeDelay(oid: string, value: SnmpValue, ctx: ReadContext): { delayMs: number; drop?: boolean } {
    const source = this.#entryAt(oid)?.source;
    return source?.writeDelay?.(value, ctx) ?? { delayMs: 0 };
  }

  /** SET, second phase (after checkSet accepted it): applies the value and returns how to undo it. */
  commitSet(oid: string, value: SnmpValue, ctx: ReadContext): () => void {
    this.#refuseIfShared();
    if (this.#find(oid) < 0 && this.#baseIndex(oid) >= 0) {
      // A template's value: what a SET writes stays on this device, in its own copy of the entry.
      this.#ownCopy(oid, this.#base!.#entries[this.#baseIndex(oid)]!, value);
      return () => {
        const k = this.#find(oid);
        if (k >= 0) this.#deleteOwn(k, 1);
      };
    }
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

  /**
   * This device's own static copy of a template entry, with `value`: writable as the template's was (a writable
   * variation's copy takes the same type), so that later SETs reach the copy.
   */
  #ownCopy(oid: string, shared: Entry, value: SnmpValue): Entry {
    const entry = new Entry(oid, shared.tag, shared.encoding, shared.text);
    entry.writable = shared.writable ?? (shared.source?.checkWrite ? {} : undefined);
    this.#setStatic(entry, value);
    this.#insertOwn(this.#lowerBound(oid), oid, entry);
    return entry;
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
    this.#refuseIfShared();
    refuseUnencodable(value);
    let i = this.#find(o);
    if (i < 0) {
      i = this.#lowerBound(o);
      const j = this.#baseIndex(o);
      const entry = new Entry(o, tagOfType(value.type), 'plain', '');
      // An override of a template's OID keeps its write rules unless told otherwise.
      if (j >= 0) entry.writable = this.#base!.#entries[j]!.writable;
      this.#insertOwn(i, o, entry);
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
    const o = normalizeOid(oid);
    const i = this.#find(o);
    if (i >= 0) this.#deleteOwn(i, 1);
    const j = this.#baseIndex(o);
    if (j >= 0) this.#hide(j, j + 1);
    return i >= 0 || j >= 0;
  }

  /** Removes an OID and everything under it; returns how many OIDs went. */
  removeSubtree(prefix: string): number {
    const p = normalizeOid(prefix);
    const from = this.#lowerBound(p);
    const to = this.#pastSubtree(p);
    if (to > from) this.#deleteOwn(from, to - from);
    let removed = to - from;
    const base = this.#base;
    if (base) {
      const baseFrom = base.#lowerBound(p);
      const baseTo = base.#pastSubtree(p);
      for (let j = this.#skipHidden(baseFrom); j < baseTo; j = this.#skipHidden(j + 1)) {
        if (this.#find(base.#oids[j]!) < 0) removed++; // an own entry of the same OID was counted already
      }
      this.#hide(baseFrom, baseTo);
    }
    return removed;
  }

  /** A value computed on each read (and, with `options.write`, writable). Replaces a static value there. */
  define(oid: string, provider: ValueProvider, options: DefineOptions = {}): void {
    const o = normalizeOid(oid);
    this.#refuseIfShared();
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
      this.#insertOwn(i, o, new Entry(o, 5, 'plain', ''));
    }
    const entry = this.#entries[i]!;
    entry.source = source;
    entry.cached = undefined;
    entry.writable = options.write ? options.policy : undefined;
  }

  /** A subtree whose varbinds a function lists on each request; static OIDs under it are hidden while it is set. */
  defineSubtree(prefix: string, provider: SubtreeProvider): void {
    const p = normalizeOid(prefix);
    this.#refuseIfShared();
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
    this.#refuseIfShared();
    this.#creatable.push({ prefix: normalizeOid(prefix), policy });
  }

  /** Makes an existing OID writable (or not). */
  setWritable(oid: string, policy: WritePolicy | boolean = true): void {
    const o = normalizeOid(oid);
    this.#refuseIfShared();
    let entry = this.#find(o) >= 0 ? this.#entries[this.#find(o)] : undefined;
    if (!entry) {
      const j = this.#baseIndex(o);
      if (j < 0) throw new RangeError(`no such OID: ${oid}`);
      const shared = this.#base!.#entries[j]!;
      if (shared.source) throw new RangeError(`${oid} is a variation of the template: define it on this device`);
      entry = this.#ownCopy(o, shared, this.#base!.#staticValue(shared));
    }
    entry.writable = policy === false ? undefined : policy === true ? {} : policy;
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

/**
 * What many devices derived from one template change (a lab group): the OIDs each sets or defines, and the template
 * OIDs each removes, worked out once (Device.overlay), so that each device is built without searching the template
 * again. Values differ per device: `derive(values)`.
 */
export interface TemplateOverlay {
  /** The OIDs `derive` takes values for, in order (canonical, sorted, without repeats). */
  readonly oids: readonly string[];
  /**
   * A device derived from the template with `values[i]` (a value, or a function read on each request) at `oids[i]`
   * (undefined leaves the template's), the removed OIDs gone. Values are checked as `set` checks them.
   */
  derive(values: readonly (SnmpValue | ValueProvider | undefined)[], options?: DeviceOptions): Device;
}

/** Tables at least this long answer exact lookups from a hash index (Device.#exact). */
const EXACT_INDEX_FROM = 64;

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

/** An arc written with a leading zero (`1.3.06`): the only way a valid OID's text differs from its canonical form. */
const LEADING_ZERO = /(^|\.)0\d/;

function normalizeOid(oid: string): string {
  const o = oid.startsWith('.') ? oid.slice(1) : oid;
  let arcs: number[];
  try {
    arcs = parseOid(o);
  } catch {
    throw new RangeError(`not a valid OID: "${oid}"`);
  }
  // Parsed once: the text itself when already canonical (a lab sets thousands of OIDs per start).
  return LEADING_ZERO.test(o) ? arcs.join('.') : o;
}

const STILL: ReadContext = { uptimeMs: 0, random: new SeededRandom(1), operation: 'get' };
