import { oidStartsWith, type SnmpValue } from '@snmpkit/ber';
import { engineIdKey } from '@snmpkit/usm';
import type { Agent } from './agent.js';
import type { Device } from './device.js';
import type { ReadContext } from './variations.js';

const TWO_32 = 1n << 32n;
const TWO_64 = 1n << 64n;

export interface LivingCountersOptions {
  /**
   * Seed of the growth rates: the same seed and data give the same counters on every run; devices given different
   * seeds (a lab device's number) count at different rates.
   */
  seed: number;
  /** Only counters under these OIDs. Default: every Counter32 and Counter64 of the device. */
  subtrees?: readonly string[];
  /** Growth per second, drawn for each counter from this range. Default 1 to 1000. */
  rate?: { min: number; max: number };
  /**
   * Rates and state per agent (its engine ID), not per Device: set it on a lab's template (before devices are
   * derived from it) and every device counts at rates of its own while the counters are defined once, in the shared
   * table; `forAgent(agent)` moves one device's counters. Default false: this device's counters.
   */
  perAgent?: boolean;
}

/** What a scenario does to a device's counters. LivingCounters is one; `forAgent` gives one per lab device. */
export interface CounterControl {
  /** The OIDs that live. */
  readonly oids: readonly string[];
  /** A counter's growth per second. */
  rate(oid: string): number;
  /** A counter's value at an uptime (ms). */
  valueAt(oid: string, uptimeMs: number): bigint;
  /** Every counter from 0 at uptime 0 (a reboot: with the agent's restart). */
  reset(): void;
  /** Sets a counter to `value` at uptime `uptimeMs`; it grows on from there. */
  setValue(oid: string, value: bigint | number, uptimeMs: number): void;
  /** Stops a counter at its value at uptime `uptimeMs` (a link down: no traffic) until setValue moves it on. */
  hold(oid: string, uptimeMs: number): void;
  /** Moves a counter so that it wraps (passes 2^32 or 2^64 back to 0) `ms` after uptime `uptimeMs`. */
  wrapIn(oid: string, ms: number, uptimeMs: number): void;
}

interface Counter {
  readonly oid: string;
  /** Its place among the counters: what its rate is drawn from. */
  readonly index: number;
  readonly wide: boolean;
  readonly recorded: bigint;
}

/** A device's counters moved away from their recorded course (reset, setValue): only those devices keep state. */
interface Moved {
  reset: boolean;
  /** From `since` on, `base` plus growth; a held counter stays at `base`. */
  counters: Map<string, { base: bigint; since: number; held?: boolean }>;
}

/** A float in [0, 1) from a seed, a counter and a device key (mulberry32's finaliser over FNV-1a). */
function unit(seed: number, index: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let t = (h + Math.imul(index + 1, 0x6d2b79f5)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * Counters that grow as time passes on the device's clock: each Counter32/Counter64 is its recorded value plus a
 * seeded rate times the agent's uptime (so a restart starts them again), wrapping at 2^32 or 2^64. Nothing is stored
 * per read: a value is computed from the uptime. `reset()` (a reboot) starts them from 0; `setValue`/`wrapIn` move
 * one (a counter about to wrap).
 */
export class LivingCounters implements CounterControl {
  readonly #counters = new Map<string, Counter>();
  readonly #seed: number;
  readonly #min: number;
  readonly #span: number;
  readonly #perAgent: boolean;
  readonly #moved = new Map<string, Moved>();

  constructor(device: Device, options: LivingCountersOptions) {
    this.#seed = options.seed | 0;
    this.#min = options.rate?.min ?? 1;
    const max = options.rate?.max ?? 1000;
    if (!(this.#min >= 0 && max >= this.#min)) {
      throw new RangeError(`rate: need 0 <= min <= max, got ${this.#min}..${max}`);
    }
    this.#span = max - this.#min;
    this.#perAgent = options.perAgent ?? false;
    const subtrees = options.subtrees?.map((s) => s.replace(/^\./, ''));
    for (const { oid, value } of device.varbinds()) {
      if (value.type !== 'Counter32' && value.type !== 'Counter64') continue;
      if (subtrees && !subtrees.some((s) => oidStartsWith(oid, s))) continue;
      const counter: Counter = {
        oid,
        index: this.#counters.size,
        wide: value.type === 'Counter64',
        recorded: BigInt(value.value),
      };
      this.#counters.set(oid, counter);
      device.define(oid, (ctx) => this.#read(counter, ctx));
    }
  }

  get oids(): string[] {
    return [...this.#counters.keys()];
  }

  /** The counters of the device an agent serves (with `perAgent`: each lab device's own). */
  forAgent(agent: Agent): CounterControl {
    const key = this.#perAgent ? engineIdKey(agent.engineId) : '';
    return {
      oids: this.oids,
      rate: (oid) => this.#rate(this.#counter(oid), key),
      valueAt: (oid, uptimeMs) => this.#value(this.#counter(oid), key, uptimeMs),
      reset: () => this.#reset(key),
      setValue: (oid, value, uptimeMs) => this.#set(this.#counter(oid), key, value, uptimeMs),
      hold: (oid, uptimeMs) => this.#hold(this.#counter(oid), key, uptimeMs),
      wrapIn: (oid, ms, uptimeMs) => this.#wrapIn(this.#counter(oid), key, ms, uptimeMs),
    };
  }

  rate(oid: string): number {
    return this.#rate(this.#counter(oid), '');
  }

  valueAt(oid: string, uptimeMs: number): bigint {
    return this.#value(this.#counter(oid), '', uptimeMs);
  }

  reset(): void {
    this.#reset('');
  }

  setValue(oid: string, value: bigint | number, uptimeMs: number): void {
    this.#set(this.#counter(oid), '', value, uptimeMs);
  }

  wrapIn(oid: string, ms: number, uptimeMs: number): void {
    this.#wrapIn(this.#counter(oid), '', ms, uptimeMs);
  }

  hold(oid: string, uptimeMs: number): void {
    this.#hold(this.#counter(oid), '', uptimeMs);
  }

  #counter(oid: string): Counter {
    const counter = this.#counters.get(oid.replace(/^\./, ''));
    if (!counter) throw new RangeError(`${oid} is not a living counter`);
    return counter;
  }

  #rate(c: Counter, key: string): number {
    return this.#min + unit(this.#seed, c.index, key) * this.#span;
  }

  #read(c: Counter, ctx: ReadContext): SnmpValue {
    const key = this.#perAgent && ctx.engine ? engineIdKey(ctx.engine().engineId) : '';
    const value = this.#value(c, key, ctx.uptimeMs);
    return c.wide ? { type: 'Counter64', value } : { type: 'Counter32', value: Number(value) };
  }

  #value(c: Counter, key: string, uptimeMs: number): bigint {
    const moved = this.#moved.get(key);
    const at = moved?.counters.get(c.oid);
    const base = at ? at.base : moved?.reset ? 0n : c.recorded;
    if (at?.held) return base;
    const since = at ? at.since : 0;
    const grown = base + BigInt(Math.floor((this.#rate(c, key) * Math.max(0, uptimeMs - since)) / 1000));
    return grown % (c.wide ? TWO_64 : TWO_32);
  }

  #movedFor(key: string): Moved {
    let moved = this.#moved.get(key);
    if (!moved) {
      moved = { reset: false, counters: new Map() };
      this.#moved.set(key, moved);
    }
    return moved;
  }

  #reset(key: string): void {
    this.#moved.set(key, { reset: true, counters: new Map() });
  }

  #set(c: Counter, key: string, value: bigint | number, uptimeMs: number): void {
    const modulus = c.wide ? TWO_64 : TWO_32;
    this.#movedFor(key).counters.set(c.oid, { base: ((BigInt(value) % modulus) + modulus) % modulus, since: uptimeMs });
  }

  #hold(c: Counter, key: string, uptimeMs: number): void {
    const value = this.#value(c, key, uptimeMs);
    this.#movedFor(key).counters.set(c.oid, { base: value, since: uptimeMs, held: true });
  }

  #wrapIn(c: Counter, key: string, ms: number, uptimeMs: number): void {
    const toGo = BigInt(Math.max(1, Math.ceil((this.#rate(c, key) * ms) / 1000)));
    this.#set(c, key, (c.wide ? TWO_64 : TWO_32) - toGo, uptimeMs);
  }
}
