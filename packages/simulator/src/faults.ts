import { oidStartsWith } from '@snmpkit/ber';
import { SeededRandom } from './random.js';
import { type ErrorStatusName, errorStatusByName } from './status.js';

/** When a fault strikes: each time with a probability, or for the first N requests (responses). */
export type FaultTrigger = { probability: number } | { first: number };

/** Faults for users' tests; every random choice comes from `seed`, so a run repeats exactly. */
export interface FaultSpec {
  /** Seed of the fault generator. Default 1. */
  seed?: number;
  /** Requests dropped unanswered (they have no effect either: a lost packet). */
  drop?: FaultTrigger;
  /** Every response held this long, plus a uniform jitter in [0, jitterMs]. */
  delay?: { fixedMs: number; jitterMs: number };
  /** Responses sent twice. */
  duplicate?: FaultTrigger;
  /** Responses held back and sent after the next one (or after `reorderWindowMs` when none follows). */
  reorder?: FaultTrigger;
  /** Responses with one byte flipped in their last two thirds (the PDU). */
  corrupt?: FaultTrigger;
  /** Responses cut short. */
  truncate?: FaultTrigger;
  /** Responses carrying request-id + 1. */
  wrongRequestId?: FaultTrigger;
  /** Requests touching an OID under `oid` answered with `status` (error-index at that varbind). */
  errors?: { status: ErrorStatusName; oid: string }[];
  /** The engine's boots jump by `by` once `afterRequests` requests have been received (0: at start). */
  bootsJump?: { by: number; afterRequests: number };
  /** The engine's time jumps by `seconds` once `afterRequests` requests have been received. */
  timeJump?: { seconds: number; afterRequests: number };
  /** The agent restarts (boots + 1, time and sysUpTime from 0, counters from their start) after N requests. */
  restart?: { afterRequests: number };
  /** How long a reordered response waits for a successor, ms. Default 1000. */
  reorderWindowMs?: number;
}

/** A --fault string that cannot be read, with what was expected. */
export class FaultSpecError extends Error {
  readonly code = 'ERR_SIMULATOR_FAULT_SPEC';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

function parseTrigger(name: string, text: string): FaultTrigger {
  const first = /^first:(\d+)$/.exec(text);
  if (first) return { first: Number(first[1]) };
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const p = percent ? Number(percent[1]) / 100 : Number(text);
  if (text === '' || !Number.isFinite(p) || p < 0 || p > 1) {
    throw new FaultSpecError(`${name}=${text}: expected a probability (0.1 or 10%) or first:N`);
  }
  return { probability: p };
}

function parseAfter(name: string, text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new FaultSpecError(`${name}: expected @N (after N requests), got @${text}`);
  return Number(text);
}

function integer(name: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw new FaultSpecError(`${name}=${text}: expected an integer`);
  return Number(text);
}

/**
 * Reads the compact `--fault` syntax: rules separated by `,` or `;` (or given as separate strings):
 *
 *     seed=N                    the fault generator's seed (default 1)
 *     drop=P | drop=first:N     drop requests (P a probability: 0.1 or 10%)
 *     delay=MS[+JITTER]         hold responses MS ms plus a uniform 0..JITTER ms
 *     duplicate=P|first:N       send responses twice
 *     reorder=P|first:N         send responses after the next one
 *     corrupt=P|first:N         flip a byte of responses
 *     truncate=P|first:N        cut responses short
 *     wrong-id=P|first:N        answer with request-id + 1
 *     error=STATUS@OID          answer requests touching OID's subtree with error-status STATUS
 *     boots-jump=N[@K]          engine boots + N after K requests (default at start)
 *     time-jump=S[@K]           engine time + S seconds after K requests
 *     restart[@K]               restart after K requests
 *
 * e.g. `seed=7,drop=10%,delay=50+20,error=genErr@1.3.6.1.2.1.2.2`.
 */
export function parseFaultSpec(...specs: string[]): FaultSpec {
  const spec: FaultSpec = {};
  for (const rule of specs.flatMap((s) => s.split(/[,;]/)).map((r) => r.trim())) {
    if (rule === '') continue;
    const eq = rule.indexOf('=');
    const head = eq < 0 ? rule : rule.slice(0, eq);
    const value = eq < 0 ? '' : rule.slice(eq + 1).trim();
    const [name, after] = head.trim().split('@') as [string, string | undefined];
    switch (name.toLowerCase()) {
      case 'seed':
        spec.seed = integer('seed', value);
        break;
      case 'drop':
        spec.drop = parseTrigger(name, value);
        break;
      case 'delay': {
        const m = /^(\d+(?:\.\d+)?)(?:ms)?(?:\+(\d+(?:\.\d+)?)(?:ms)?)?$/.exec(value);
        if (!m) throw new FaultSpecError(`delay=${value}: expected MS or MS+JITTER (milliseconds)`);
        spec.delay = { fixedMs: Number(m[1]), jitterMs: m[2] ? Number(m[2]) : 0 };
        break;
      }
      case 'duplicate':
        spec.duplicate = parseTrigger(name, value);
        break;
      case 'reorder':
        spec.reorder = parseTrigger(name, value);
        break;
      case 'corrupt':
        spec.corrupt = parseTrigger(name, value);
        break;
      case 'truncate':
        spec.truncate = parseTrigger(name, value);
        break;
      case 'wrong-id':
      case 'wrong-request-id':
        spec.wrongRequestId = parseTrigger(name, value);
        break;
      case 'error': {
        const at = value.indexOf('@');
        const status = errorStatusByName(at < 0 ? value : value.slice(0, at));
        const oid = at < 0 ? '' : value.slice(at + 1).replace(/^\./, '');
        if (!status || !/^\d+(\.\d+)*$/.test(oid)) {
          throw new FaultSpecError(`error=${value}: expected STATUS@OID, e.g. genErr@1.3.6.1.2.1.1`);
        }
        spec.errors = [...(spec.errors ?? []), { status, oid }];
        break;
      }
      case 'boots-jump': {
        // `boots-jump=N@K`: the @K may sit after the value.
        const [n, k] = value.split('@') as [string, string | undefined];
        spec.bootsJump = { by: integer('boots-jump', n), afterRequests: parseAfter('boots-jump', k ?? after) };
        break;
      }
      case 'time-jump': {
        const [n, k] = value.split('@') as [string, string | undefined];
        spec.timeJump = { seconds: integer('time-jump', n), afterRequests: parseAfter('time-jump', k ?? after) };
        break;
      }
      case 'restart':
        spec.restart = { afterRequests: parseAfter('restart', after ?? (value.replace(/^@/, '') || undefined)) };
        break;
      default:
        throw new FaultSpecError(
          `unknown fault "${name}" (known: seed, drop, delay, duplicate, reorder, corrupt, truncate, wrong-id, error, boots-jump, time-jump, restart)`,
        );
    }
  }
  return spec;
}

/** Counts of the faults applied, for assertions. */
export interface FaultStats {
  dropped: number;
  delayed: number;
  duplicated: number;
  reordered: number;
  corrupted: number;
  truncated: number;
  wrongRequestIds: number;
  injectedErrors: number;
  bootsJumps: number;
  timeJumps: number;
  restarts: number;
}

export function emptyFaultStats(): FaultStats {
  return {
    dropped: 0,
    delayed: 0,
    duplicated: 0,
    reordered: 0,
    corrupted: 0,
    truncated: 0,
    wrongRequestIds: 0,
    injectedErrors: 0,
    bootsJumps: 0,
    timeJumps: 0,
    restarts: 0,
  };
}

/** Applies a FaultSpec: decisions per request and per response, from one seeded generator, in arrival order. */
export class FaultInjector {
  readonly spec: FaultSpec;
  readonly stats: FaultStats = emptyFaultStats();
  readonly #random: SeededRandom;
  #counts = new Map<string, number>();

  constructor(spec: FaultSpec = {}) {
    this.spec = spec;
    this.#random = new SeededRandom(spec.seed ?? 1);
  }

  #strikes(kind: string, trigger: FaultTrigger | undefined): boolean {
    if (!trigger) return false;
    if ('first' in trigger) {
      const seen = this.#counts.get(kind) ?? 0;
      this.#counts.set(kind, seen + 1);
      return seen < trigger.first;
    }
    return this.#random.chance(trigger.probability);
  }

  /** Whether the fault strikes now, counting it in `stat` when it does. */
  #apply(kind: string, trigger: FaultTrigger | undefined, stat: keyof FaultStats): boolean {
    const yes = this.#strikes(kind, trigger);
    if (yes) this.stats[stat]++;
    return yes;
  }

  shouldDrop(): boolean {
    return this.#apply('drop', this.spec.drop, 'dropped');
  }

  /** The error-status a fault injects for a request touching `oid`. */
  errorFor(oid: string): ErrorStatusName | undefined {
    const errors = this.spec.errors;
    if (!errors) return undefined;
    for (const e of errors) {
      if (oidStartsWith(oid, e.oid)) {
        this.stats.injectedErrors++;
        return e.status;
      }
    }
    return undefined;
  }

  wrongRequestId(): boolean {
    return this.#apply('wrong-id', this.spec.wrongRequestId, 'wrongRequestIds');
  }

  /** Extra delay for a response, ms. */
  delayMs(): number {
    const d = this.spec.delay;
    if (!d) return 0;
    this.stats.delayed++;
    return d.fixedMs + (d.jitterMs ? this.#random.next() * d.jitterMs : 0);
  }

  /** The bytes actually sent for a response: corrupted or truncated maybe. */
  mangle(bytes: Uint8Array): Uint8Array {
    let out = bytes;
    if (this.#apply('corrupt', this.spec.corrupt, 'corrupted')) {
      out = Uint8Array.from(out);
      const from = Math.floor(out.length / 3);
      out[this.#random.int(from, out.length - 1)]! ^= 0xff;
    }
    if (out.length > 1 && this.#apply('truncate', this.spec.truncate, 'truncated')) {
      out = out.slice(0, this.#random.int(1, out.length - 1));
    }
    return out;
  }

  duplicate(): boolean {
    return this.#apply('duplicate', this.spec.duplicate, 'duplicated');
  }

  reorder(): boolean {
    return this.#apply('reorder', this.spec.reorder, 'reordered');
  }
}
