import { oidStartsWith, type SnmpValue } from '@snmpkit/ber';
import type { Device } from './device.js';
import { SeededRandom } from './random.js';
import type { ReadContext } from './variations.js';

const TWO_32 = 2 ** 32;
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
}

interface LivingCounter {
  readonly oid: string;
  readonly wide: boolean;
  /** Growth per second. */
  readonly rate: number;
  /** The value at `since` (ms of uptime). */
  base: bigint;
  since: number;
}

/**
 * Counters that grow as time passes on the device's clock: each Counter32/Counter64 is its recorded value plus a
 * seeded rate times the uptime (the agent's, so a restart starts them again), wrapping at 2^32 or 2^64. `reset()`
 * (a reboot) starts them from 0; `setValue`/`wrapIn` move one (a counter about to wrap).
 */
export class LivingCounters {
  readonly #counters = new Map<string, LivingCounter>();

  constructor(device: Device, options: LivingCountersOptions) {
    const random = new SeededRandom(options.seed);
    const min = options.rate?.min ?? 1;
    const max = options.rate?.max ?? 1000;
    if (!(min >= 0 && max >= min)) throw new RangeError(`rate: need 0 <= min <= max, got ${min}..${max}`);
    const subtrees = options.subtrees;
    for (const { oid, value } of device.varbinds()) {
      if (value.type !== 'Counter32' && value.type !== 'Counter64') continue;
      if (subtrees && !subtrees.some((s) => oidStartsWith(oid, s.replace(/^\./, '')))) continue;
      const counter: LivingCounter = {
        oid,
        wide: value.type === 'Counter64',
        rate: min + random.next() * (max - min),
        base: BigInt(value.value),
        since: 0,
      };
      this.#counters.set(oid, counter);
      device.define(oid, (ctx) => this.#read(counter, ctx));
    }
  }

  /** The OIDs that live. */
  get oids(): string[] {
    return [...this.#counters.keys()];
  }

  /** A counter's growth per second. */
  rate(oid: string): number {
    return this.#counter(oid).rate;
  }

  #counter(oid: string): LivingCounter {
    const counter = this.#counters.get(oid.replace(/^\./, ''));
    if (!counter) throw new RangeError(`${oid} is not a living counter`);
    return counter;
  }

  #read(counter: LivingCounter, ctx: ReadContext): SnmpValue {
    const value = this.valueAt(counter.oid, ctx.uptimeMs);
    return counter.wide ? { type: 'Counter64', value } : { type: 'Counter32', value: Number(value) };
  }

  /** A counter's value at an uptime (ms). */
  valueAt(oid: string, uptimeMs: number): bigint {
    const c = this.#counter(oid);
    const elapsed = Math.max(0, uptimeMs - c.since);
    const grown = c.base + BigInt(Math.floor((c.rate * elapsed) / 1000));
    return c.wide ? grown % TWO_64 : grown % BigInt(TWO_32);
  }

  /** Every counter from 0 at uptime 0 (a reboot: call it with the agent's restart). */
  reset(): void {
    for (const c of this.#counters.values()) {
      c.base = 0n;
      c.since = 0;
    }
  }

  /** Sets a counter to `value` at uptime `uptimeMs`; it grows on from there. */
  setValue(oid: string, value: bigint | number, uptimeMs: number): void {
    const c = this.#counter(oid);
    const modulus = c.wide ? TWO_64 : BigInt(TWO_32);
    c.base = ((BigInt(value) % modulus) + modulus) % modulus;
    c.since = uptimeMs;
  }

  /** Moves a counter so that it wraps (passes 2^32 or 2^64 back to 0) `ms` after uptime `uptimeMs`. */
  wrapIn(oid: string, ms: number, uptimeMs: number): void {
    const c = this.#counter(oid);
    const modulus = c.wide ? TWO_64 : BigInt(TWO_32);
    const toGo = BigInt(Math.max(1, Math.ceil((c.rate * ms) / 1000)));
    this.setValue(oid, modulus - toGo, uptimeMs);
  }
}
