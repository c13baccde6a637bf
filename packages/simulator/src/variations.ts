import type { SnmpValue } from '@snmpkit/ber';
import type { SeededRandom } from './random.js';
import { decodeRecordValue, SNMPREC_TAGS, zeroValue } from './snmprec.js';
import { type ErrorStatusName, errorStatusByName } from './status.js';

/** What a read of a dynamic value sees. */
export interface ReadContext {
  /** Milliseconds since the agent (re)started, from its clock. */
  readonly uptimeMs: number;
  /** The agent's seeded generator: jitter and deviations repeat from run to run. */
  readonly random: SeededRandom;
  /** What the request asked for: an exact OID (get), a successor (next, also GETBULK), or a SET. */
  readonly operation: 'get' | 'next' | 'set';
}

/** A value produced on request, maybe late or as an error. */
export interface ReadResult {
  value: SnmpValue;
  /** Hold the whole response this long (ms), on the agent's clock. */
  delayMs?: number;
  /** Answer the request with this error-status, its error-index pointing at this varbind. */
  errorStatus?: ErrorStatusName;
}

/** A value that is computed (numeric, delay, error variations, user functions) and maybe writable. */
export interface ValueSource {
  read(ctx: ReadContext): ReadResult;
  /** Checks a SET (first phase): an error-status, or undefined to accept. Absent: not writable. */
  checkWrite?(value: SnmpValue, ctx: ReadContext): ErrorStatusName | undefined;
  /** Applies a checked SET (second phase). */
  commitWrite?(value: SnmpValue, ctx: ReadContext): void;
}

/**
 * `key=value,key=value` (a text without `=` is all `value`, as snmpsim reads it; an empty text has no arguments).
 * A key without `=` among others is a flag (`wrap`, `increasing`).
 */
export function parseVariationArgs(text: string): Map<string, string> {
  const args = new Map<string, string>();
  if (text.trim() === '') return args;
  if (!text.includes('=')) {
    args.set('value', text);
    return args;
  }
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) args.set(part.trim(), '');
    else args.set(part.slice(0, eq).trim(), part.slice(eq + 1));
  }
  return args;
}

/** The arguments each module reads: any other is refused, so that a typo (`inital=1`) is not silently ignored. */
const KNOWN_ARGS: Record<VariationModule, readonly string[]> = {
  numeric: [
    'initial',
    'rate',
    'min',
    'max',
    'wrap',
    'scale',
    'offset',
    'deviation',
    'function',
    'increasing',
    'cumulative',
  ],
  delay: ['value', 'hexvalue', 'wait', 'deviation'],
  error: ['op', 'status', 'value', 'hexvalue', 'vlist'],
  writecache: ['value', 'hexvalue', 'vlist'],
};

/** snmpsim's arguments these modules do not implement: refused by name, as their effect would be missing. */
const SNMPSIM_ONLY: Record<VariationModule, readonly string[]> = {
  numeric: ['atime'],
  delay: ['vlist', 'tlist'],
  error: [],
  writecache: ['op', 'status'],
};

function checkArgs(module: VariationModule, text: string, args: Map<string, string>): void {
  const known = KNOWN_ARGS[module];
  if (!text.includes('=') && args.has('value') && !known.includes('value')) {
    throw new RangeError(`expected key=value arguments, not ${JSON.stringify(text)} (known: ${known.join(', ')})`);
  }
  for (const key of args.keys()) {
    if (known.includes(key)) continue;
    if (SNMPSIM_ONLY[module].includes(key)) {
      throw new RangeError(`snmpsim's argument "${key}" is not supported (known: ${known.join(', ')})`);
    }
    throw new RangeError(`unknown argument "${key}" (known: ${known.join(', ')})`);
  }
}

function argValue(tag: number, args: Map<string, string>): SnmpValue | undefined {
  const hex = args.get('hexvalue');
  if (hex !== undefined) return decodeRecordValue(tag, hex, 'hex');
  const plain = args.get('value');
  return plain === undefined ? undefined : decodeRecordValue(tag, plain, 'plain');
}

function num(args: Map<string, string>, key: string, fallback: number): number {
  const text = args.get(key);
  if (text === undefined || text === '') return fallback;
  const v = Number(text);
  if (!Number.isFinite(v)) throw new RangeError(`${key}=${text} is not a number`);
  return v;
}

/** A vlist rule of the error and writecache modules: `eq:VALUE:STATUS`, `lt:...`, `gt:...`. */
interface ValueRule {
  op: 'eq' | 'lt' | 'gt';
  value: SnmpValue;
  status: ErrorStatusName | undefined;
}

function parseVlist(tag: number, text: string | undefined): ValueRule[] {
  if (text === undefined || text === '') return [];
  const parts = text.split(':');
  if (parts.length % 3 !== 0) throw new RangeError(`vlist needs OP:VALUE:STATUS triples, not "${text}"`);
  const rules: ValueRule[] = [];
  for (let i = 0; i < parts.length; i += 3) {
    const op = parts[i]!;
    if (op !== 'eq' && op !== 'lt' && op !== 'gt') throw new RangeError(`vlist: bad operator "${op}" (eq, lt, gt)`);
    const status = errorStatusByName(parts[i + 2]!);
    if (!status) throw new RangeError(`vlist: unknown error-status "${parts[i + 2]}"`);
    rules.push({ op, value: decodeRecordValue(tag, parts[i + 1]!, 'plain'), status });
  }
  return rules;
}

function comparable(v: SnmpValue): number | bigint | string {
  switch (v.type) {
    case 'OctetString':
    case 'Opaque':
      return Buffer.from(v.value).toString('latin1');
    case 'Null':
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      return '';
    default:
      return v.value;
  }
}

function vlistStatus(rules: ValueRule[], value: SnmpValue): ErrorStatusName | undefined {
  if (rules.length === 0) return undefined;
  const v = comparable(value);
  for (const rule of rules) {
    const r = comparable(rule.value);
    if ((rule.op === 'eq' && v === r) || (rule.op === 'lt' && v < r) || (rule.op === 'gt' && v > r)) return rule.status;
  }
  return undefined;
}

function sameType(tag: number, value: SnmpValue): boolean {
  return SNMPREC_TAGS[tag] === value.type;
}

const MATH_FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  log: (x) => Math.log(Math.max(x, Number.MIN_VALUE)),
  exp: Math.exp,
  sqrt: (x) => Math.sqrt(Math.max(x, 0)),
  abs: Math.abs,
};

/**
 * snmpsim's `numeric`: value = (initial + f(seconds * rate)) * scale + offset (+ a seeded deviation), kept within
 * min..max. Counters wrap past max (real counters do); other types stop at max unless `wrap` is given. `increasing`
 * (snmpsim writes it when recording counters) never lets the value go down.
 */
class NumericVariation implements ValueSource {
  readonly #type: SnmpValue['type'];
  readonly #initial: number;
  readonly #rate: number;
  readonly #scale: number;
  readonly #offset: number;
  readonly #deviation: number;
  readonly #min: number;
  readonly #max: number;
  readonly #wrap: boolean;
  readonly #increasing: boolean;
  readonly #f: (x: number) => number;
  #last = Number.NEGATIVE_INFINITY;
  #lastUptimeMs = 0;

  constructor(tag: number, args: Map<string, string>) {
    const type = SNMPREC_TAGS[tag]!;
    if (!['Integer', 'Counter32', 'Gauge32', 'TimeTicks', 'Counter64'].includes(type)) {
      throw new RangeError(`needs a numeric tag (2, 65, 66, 67, 70), got ${tag}`);
    }
    this.#type = type;
    const isCounter = type === 'Counter32' || type === 'Counter64';
    const typeMax = type === 'Counter64' ? 2 ** 64 - 1 : type === 'Integer' ? 0x7fffffff : 0xffffffff;
    const typeMin = type === 'Integer' ? -0x80000000 : 0;
    // Kept within the type's range, so that every value read can be sent.
    this.#min = Math.min(Math.max(num(args, 'min', typeMin), typeMin), typeMax);
    this.#max = Math.max(Math.min(num(args, 'max', typeMax), typeMax), this.#min);
    this.#initial = num(args, 'initial', Math.max(this.#min, 0));
    this.#rate = num(args, 'rate', 1);
    this.#scale = num(args, 'scale', 1);
    this.#offset = num(args, 'offset', 0);
    this.#deviation = num(args, 'deviation', 0);
    this.#wrap = args.has('wrap') ? args.get('wrap') !== '0' : isCounter;
    this.#increasing = args.has('increasing') || args.has('cumulative');
    const fname = args.get('function');
    if (fname !== undefined && !MATH_FUNCTIONS[fname]) throw new RangeError(`numeric: unknown function "${fname}"`);
    this.#f = fname ? MATH_FUNCTIONS[fname]! : (x) => x;
  }

  read(ctx: ReadContext): ReadResult {
    // Uptime going back is a restart: counters start again from their initial value.
    if (ctx.uptimeMs < this.#lastUptimeMs) this.#last = Number.NEGATIVE_INFINITY;
    this.#lastUptimeMs = ctx.uptimeMs;
    let v = (this.#initial + this.#f((ctx.uptimeMs / 1000) * this.#rate)) * this.#scale + this.#offset;
    if (this.#deviation) {
      const d = this.#deviation;
      v += this.#increasing ? ctx.random.next() * d : (ctx.random.next() * 2 - 1) * d;
    }
    if (this.#increasing && v < this.#last) v = this.#last;
    this.#last = v;
    // exp() and large scales overflow: an infinite value stops at the bound it passed (wrapping it would give NaN).
    if (!Number.isFinite(v)) v = v > 0 ? this.#max : this.#min;
    v = Math.floor(v);
    if (v > this.#max) {
      v = this.#wrap ? this.#min + ((v - this.#min) % (this.#max - this.#min + 1)) : this.#max;
    }
    if (v < this.#min) v = this.#min;
    const value: SnmpValue =
      this.#type === 'Counter64'
        ? { type: 'Counter64', value: BigInt.asUintN(64, BigInt(Math.floor(v))) }
        : ({ type: this.#type, value: v } as SnmpValue);
    return { value };
  }
}

/** snmpsim's `delay`: the value, answered `wait` ms late (default 500), plus or minus a seeded `deviation`. */
class DelayVariation implements ValueSource {
  readonly #value: SnmpValue;
  readonly #wait: number;
  readonly #deviation: number;

  constructor(tag: number, args: Map<string, string>) {
    this.#value = argValue(tag, args) ?? zeroValue(tag);
    this.#wait = num(args, 'wait', 500);
    this.#deviation = num(args, 'deviation', 0);
  }

  read(ctx: ReadContext): ReadResult {
    const jitter = this.#deviation ? (ctx.random.next() * 2 - 1) * this.#deviation : 0;
    return { value: this.#value, delayMs: Math.max(0, this.#wait + jitter) };
  }
}

/**
 * snmpsim's `error`: answers `status` for this OID on `op` (get, set or any: the default); on SET a `vlist`
 * chooses the status by the value written. Without an error the value reads (and a SET writes) normally.
 */
class ErrorVariation implements ValueSource {
  #value: SnmpValue | undefined;
  readonly #tag: number;
  readonly #op: string;
  readonly #status: ErrorStatusName | undefined;
  readonly #vlist: ValueRule[];

  constructor(tag: number, args: Map<string, string>) {
    this.#tag = tag;
    this.#value = argValue(tag, args);
    this.#op = (args.get('op') ?? 'any').trim().toLowerCase();
    if (this.#op !== 'get' && this.#op !== 'set' && this.#op !== 'any') {
      throw new RangeError(`op=${args.get('op')}: expected get, set or any`);
    }
    const status = args.get('status');
    this.#status = status === undefined ? undefined : errorStatusByName(status);
    if (status !== undefined && !this.#status) throw new RangeError(`unknown status "${status}"`);
    this.#vlist = parseVlist(tag, args.get('vlist'));
  }

  read(_ctx: ReadContext): ReadResult {
    const value = this.#value ?? { type: 'NoSuchInstance' };
    return this.#op === 'get' || this.#op === 'any'
      ? { value, ...(this.#status ? { errorStatus: this.#status } : {}) }
      : { value };
  }

  checkWrite(value: SnmpValue): ErrorStatusName | undefined {
    if (this.#vlist.length > 0) return vlistStatus(this.#vlist, value);
    if (this.#op === 'set' || this.#op === 'any') return this.#status ?? 'notWritable';
    return sameType(this.#tag, value) ? undefined : 'wrongType';
  }

  commitWrite(value: SnmpValue): void {
    this.#value = value;
  }
}

/** snmpsim's `writecache`: a writable value, starting from `value`; `vlist` refuses some values with a status. */
class WritecacheVariation implements ValueSource {
  #value: SnmpValue;
  readonly #tag: number;
  readonly #vlist: ValueRule[];

  constructor(tag: number, args: Map<string, string>) {
    this.#tag = tag;
    this.#value = argValue(tag, args) ?? zeroValue(tag);
    this.#vlist = parseVlist(tag, args.get('vlist'));
  }

  read(): ReadResult {
    return { value: this.#value };
  }

  checkWrite(value: SnmpValue): ErrorStatusName | undefined {
    if (!sameType(this.#tag, value)) return 'wrongType';
    return vlistStatus(this.#vlist, value);
  }

  commitWrite(value: SnmpValue): void {
    this.#value = value;
  }
}

export const VARIATION_MODULES = ['numeric', 'delay', 'error', 'writecache'] as const;
export type VariationModule = (typeof VARIATION_MODULES)[number];

/**
 * The ValueSource for a .snmprec record with a variation module. Throws RangeError (`numeric: unknown argument
 * "inital" (known: ...)`) for an unknown module, an unknown argument or a bad one: the data store adds file, line
 * and OID.
 */
export function createVariation(module: string, tag: number, text: string): ValueSource {
  if (!(VARIATION_MODULES as readonly string[]).includes(module)) {
    throw new RangeError(`unknown variation module "${module}" (known: ${VARIATION_MODULES.join(', ')})`);
  }
  const args = parseVariationArgs(text);
  try {
    checkArgs(module as VariationModule, text, args);
    switch (module as VariationModule) {
      case 'numeric':
        return new NumericVariation(tag, args);
      case 'delay':
        return new DelayVariation(tag, args);
      case 'error':
        return new ErrorVariation(tag, args);
      case 'writecache':
        return new WritecacheVariation(tag, args);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`${module}: ${error.message}`, { cause: error });
    throw error;
  }
}
