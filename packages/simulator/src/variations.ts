import type { SnmpValue } from '@snmpkit/ber';
import { unsupportedModuleProblem } from './modules.js';
import { type NotificationEngine, NotificationVariation } from './notification.js';
import type { SeededRandom } from './random.js';
import { decodeRecordValue, multiSplit, SNMPREC_TAGS } from './snmprec.js';
import { type ErrorStatusName, errorStatusByName } from './status.js';
import { SubprocessVariation } from './subprocess.js';

/** What a read of a dynamic value sees. */
export interface ReadContext {
  /** Milliseconds since the agent (re)started, from its clock. */
  readonly uptimeMs: number;
  /** The agent's seeded generator: jitter and deviations repeat from run to run. */
  readonly random: SeededRandom;
  /** What the request asked for: an exact OID (get), a successor (next, also GETBULK), or a SET. */
  readonly operation: 'get' | 'next' | 'set';
  /** Unix time in ms, for what follows the calendar (numeric's `atime`, delay's `tlist`). Default: Date.now(). */
  readonly unixTimeMs?: number;
  /** The agent's engine now (a v3 trap's sender): what the notification variation sends with. */
  readonly engine?: () => NotificationEngine;
}

/** A value produced on request, maybe late or as an error. */
export interface ReadResult {
  value: SnmpValue;
  /** Hold the whole response this long (ms), on the agent's clock. */
  delayMs?: number;
  /** Answer the request with this error-status, its error-index pointing at this varbind. */
  errorStatus?: ErrorStatusName;
  /** Send no response at all (snmpsim's delay above 99,999 ms). */
  drop?: boolean;
}

/** A value that is computed (numeric, delay, error variations, user functions) and maybe writable. */
export interface ValueSource {
  read(ctx: ReadContext): ReadResult;
  /** Checks a SET (first phase): an error-status, or undefined to accept. Absent: not writable. */
  checkWrite?(value: SnmpValue, ctx: ReadContext): ErrorStatusName | undefined;
  /** Applies a checked SET (second phase). */
  commitWrite?(value: SnmpValue, ctx: ReadContext): void;
  /** How long the response to an accepted SET of `value` is held (ms), or drop for none at all. */
  writeDelay?(value: SnmpValue, ctx: ReadContext): { delayMs: number; drop?: boolean };
}

/**
 * `key=value,key=value` as snmpsim reads it (see multiSplit). A text without `=` is all `value` (snmpsim refuses
 * it; a bare value is the obvious meaning); a key without `=` among others is a flag (`wrap`, `cumulative`).
 */
export function parseVariationArgs(text: string): Map<string, string> {
  const args = new Map<string, string>();
  if (text.trim() === '') return args;
  if (!text.includes('=')) {
    args.set('value', text);
    return args;
  }
  for (const part of multiSplit(text, ',')) {
    const [key, ...value] = multiSplit(part, '=');
    if (value.length === 0) args.set(key!.trim(), '');
    else args.set(key!.trim(), value.join('='));
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
    'cumulative',
    'atime',
    'time',
    'increasing',
  ],
  delay: ['value', 'hexvalue', 'wait', 'deviation', 'vlist', 'tlist'],
  error: ['op', 'status', 'value', 'hexvalue', 'vlist'],
  writecache: ['op', 'status', 'value', 'hexvalue', 'vlist'],
};

function checkArgs(module: VariationModule, text: string, args: Map<string, string>): void {
  const known = KNOWN_ARGS[module];
  if (!text.includes('=') && args.has('value') && !known.includes('value')) {
    throw new RangeError(`expected key=value arguments, not ${JSON.stringify(text)} (known: ${known.join(', ')})`);
  }
  for (const key of args.keys()) {
    if (!known.includes(key)) throw new RangeError(`unknown argument "${key}" (known: ${known.join(', ')})`);
  }
}

/** The value `value=` or `hexvalue=` gives, typed by the record's tag; undefined without either. */
function argValue(tag: number, args: Map<string, string>): SnmpValue | undefined {
  const hex = args.get('hexvalue');
  if (hex !== undefined) return decodeRecordValue(tag, hex, 'hex');
  const plain = args.get('value');
  return plain === undefined ? undefined : decodeRecordValue(tag, plain, 'plain');
}

function num(args: Map<string, string>, key: string, fallback: number): number {
  const text = args.get(key);
  if (text === undefined || text.trim() === '') return fallback;
  const v = Number(text);
  if (!Number.isFinite(v)) throw new RangeError(`${key}=${text} is not a number`);
  return v;
}

function optionalNum(args: Map<string, string>, key: string): number | undefined {
  return args.has(key) ? num(args, key, 0) : undefined;
}

/**
 * A `vlist` of snmpsim's error, writecache and delay modules: `OP:VALUE:RESULT` triples (OP eq, lt or gt; VALUE
 * typed by the record's tag). As snmpsim matches them: any `eq` first, then the last `lt`, then the last `gt`.
 */
class ValueList<Result> {
  readonly #eq: { value: SnmpValue; result: Result }[] = [];
  #lt: { value: SnmpValue; result: Result } | undefined;
  #gt: { value: SnmpValue; result: Result } | undefined;

  constructor(tag: number, text: string, name: string, result: (text: string) => Result) {
    const parts = multiSplit(text, ':');
    if (parts.length % 3 !== 0) throw new RangeError(`${name} needs OP:VALUE:RESULT triples, not "${text}"`);
    for (let i = 0; i < parts.length; i += 3) {
      const op = parts[i]!;
      const rule = { value: decodeRecordValue(tag, parts[i + 1]!, 'plain'), result: result(parts[i + 2]!) };
      if (op === 'eq') this.#eq.push(rule);
      else if (op === 'lt') this.#lt = rule;
      else if (op === 'gt') this.#gt = rule;
      else throw new RangeError(`${name}: bad operator "${op}" (eq, lt, gt)`);
    }
  }

  match(value: SnmpValue): Result | undefined {
    const v = comparable(value);
    for (const rule of this.#eq) if (sameKind(value, rule.value) && v === comparable(rule.value)) return rule.result;
    if (this.#lt && sameKind(value, this.#lt.value) && v < comparable(this.#lt.value)) return this.#lt.result;
    if (this.#gt && sameKind(value, this.#gt.value) && v > comparable(this.#gt.value)) return this.#gt.result;
    return undefined;
  }
}

/** Whether two values compare: numbers with numbers (any numeric type, as pyasn1 compares them), bytes with bytes. */
function sameKind(a: SnmpValue, b: SnmpValue): boolean {
  return typeof comparable(a) === typeof comparable(b);
}

/** A value as vlist compares it: a number (Counter64 too), or bytes as Latin-1 text (OIDs and addresses as text). */
function comparable(v: SnmpValue): number | string {
  switch (v.type) {
    case 'OctetString':
    case 'Opaque':
      return Buffer.from(v.value).toString('latin1');
    case 'Null':
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      return '';
    case 'Counter64':
      return Number(v.value);
    default:
      return v.value;
  }
}

/**
 * snmpsim's error statuses (its error and writecache modules' `status=`), lower case: an error-status, or an
 * exception the varbind answers with. A status snmpsim does not know is refused here rather than ignored.
 */
type SnmpsimStatus =
  | { errorStatus: ErrorStatusName }
  | { exception: 'NoSuchObject' | 'NoSuchInstance' | 'EndOfMibView' };

const SNMPSIM_STATUSES: Readonly<Record<string, SnmpsimStatus>> = {
  generror: { errorStatus: 'genErr' },
  noaccess: { errorStatus: 'noAccess' },
  wrongtype: { errorStatus: 'wrongType' },
  wrongvalue: { errorStatus: 'wrongValue' },
  nocreation: { errorStatus: 'noCreation' },
  inconsistentvalue: { errorStatus: 'inconsistentValue' },
  resourceunavailable: { errorStatus: 'resourceUnavailable' },
  commitfailed: { errorStatus: 'commitFailed' },
  undofailed: { errorStatus: 'undoFailed' },
  authorizationerror: { errorStatus: 'authorizationError' },
  notwritable: { errorStatus: 'notWritable' },
  inconsistentname: { errorStatus: 'inconsistentName' },
  nosuchobject: { exception: 'NoSuchObject' },
  nosuchinstance: { exception: 'NoSuchInstance' },
  endofmib: { exception: 'EndOfMibView' },
};

function snmpsimStatus(text: string): SnmpsimStatus {
  const lower = text.trim().toLowerCase();
  const status =
    SNMPSIM_STATUSES[lower] ?? (errorStatusByName(lower) ? { errorStatus: errorStatusByName(lower)! } : undefined);
  if (!status) throw new RangeError(`unknown status "${text}" (known: ${Object.keys(SNMPSIM_STATUSES).join(', ')})`);
  return status;
}

/** A status as a read answers it: the value an exception stands for, or the error-status with the value. */
function readWithStatus(status: SnmpsimStatus | undefined, value: SnmpValue): ReadResult {
  if (!status) return { value };
  return 'exception' in status ? { value: { type: status.exception } } : { value, errorStatus: status.errorStatus };
}

/** A status as a SET is refused with it (an exception status refuses as notWritable). */
function writeStatus(status: SnmpsimStatus): ErrorStatusName {
  return 'errorStatus' in status ? status.errorStatus : 'notWritable';
}

type Operation = 'get' | 'set' | 'any';

function operationArg(args: Map<string, string>): Operation {
  const op = (args.get('op') ?? 'any').trim().toLowerCase();
  if (op !== 'get' && op !== 'set' && op !== 'any')
    throw new RangeError(`op=${args.get('op')}: expected get, set or any`);
  return op;
}

/** The `op`, `status` and `vlist` arguments of the error and writecache modules. */
interface StatusRules {
  op: Operation;
  status: SnmpsimStatus | undefined;
  vlist: ValueList<SnmpsimStatus> | undefined;
}

function statusRules(tag: number, args: Map<string, string>): StatusRules {
  const status = args.get('status');
  const vlist = args.get('vlist');
  return {
    op: operationArg(args),
    status: status === undefined ? undefined : snmpsimStatus(status),
    vlist: vlist ? new ValueList(tag, vlist, 'vlist', snmpsimStatus) : undefined,
  };
}

/** Python's math functions a `function=` may name, with their arguments (`pow%<time>%2`). */
const MATH_FUNCTIONS: Readonly<Record<string, (...x: number[]) => number>> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  atan2: Math.atan2,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  exp: Math.exp,
  expm1: Math.expm1,
  log: (x, base) => (base === undefined ? Math.log(x!) : Math.log(x!) / Math.log(base)),
  log10: Math.log10,
  log2: Math.log2,
  log1p: Math.log1p,
  pow: Math.pow,
  sqrt: Math.sqrt,
  fabs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  hypot: Math.hypot,
  fmod: (x, y) => x! % y!,
  degrees: (x) => (x! * 180) / Math.PI,
  radians: (x) => (x! * Math.PI) / 180,
  copysign: (x, y) => Math.abs(x!) * (Object.is(y, -0) || y! < 0 ? -1 : 1),
};

/** The `<time>` placeholder among a function's arguments. */
const TIME = Symbol('time');

/** snmpsim's random.randrange(-d, d): a whole number from -d to d - 1 (0 when d is 0). */
function randomDeviation(random: SeededRandom, deviation: number): number {
  const d = Math.trunc(Math.abs(deviation));
  return d === 0 ? 0 : Math.floor(random.next() * 2 * d) - d;
}

/** Python's float %: the result has the divisor's sign. */
function pythonMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

const TYPE_RANGE: Readonly<Record<string, [number, number]>> = {
  Integer: [-0x80000000, 0x7fffffff],
  Counter32: [0, 0xffffffff],
  Gauge32: [0, 0xffffffff],
  TimeTicks: [0, 0xffffffff],
  Counter64: [0, 2 ** 64 - 1],
};

/**
 * snmpsim's `numeric`, step for step on the agent's clock (t = seconds since start, or Unix time with `atime`):
 * v = f(t * rate) (or f of the `function=name%arg%...` arguments, `<time>` standing for t * rate), times `scale`,
 * plus `offset` (with `cumulative`: offset * seconds since the last read * rate), plus a whole `deviation` from -d to
 * d - 1, plus `initial` (default `min`) or, with `cumulative`, the value read last (v at least 0 before it is added);
 * then kept within min (default 0) and max (default 2^32 - 1, 2^64 - 1 for Counter64), past
 * max wrapping (v mod max + min) with `wrap` and stopping at max without. The value served is that number truncated
 * to a whole one. `increasing` (not snmpsim's) never lets the value go down.
 */
class NumericVariation implements ValueSource {
  readonly #type: SnmpValue['type'];
  readonly #initial: number | undefined;
  readonly #rate: number;
  readonly #scale: number | undefined;
  readonly #offset: number | undefined;
  readonly #deviation: number;
  readonly #min: number;
  readonly #max: number;
  readonly #wrap: boolean;
  readonly #cumulative: boolean;
  readonly #absoluteTime: boolean;
  readonly #increasing: boolean;
  readonly #f: (...x: number[]) => number;
  readonly #fArgs: (number | typeof TIME)[];
  /** With cumulative: the value read last and when (seconds of uptime). */
  #last: { value: number; atSeconds: number } | undefined;
  #lastServed = Number.NEGATIVE_INFINITY;
  #lastUptimeMs = 0;

  constructor(tag: number, args: Map<string, string>) {
    const type = SNMPREC_TAGS[tag]!;
    if (TYPE_RANGE[type] === undefined) throw new RangeError(`needs a numeric tag (2, 65, 66, 67, 70), got ${tag}`);
    this.#type = type;
    this.#min = num(args, 'min', 0);
    this.#max = num(args, 'max', type === 'Counter64' ? 2 ** 64 - 1 : 0xffffffff);
    this.#initial = optionalNum(args, 'initial');
    this.#rate = num(args, 'rate', 1);
    this.#scale = optionalNum(args, 'scale');
    this.#offset = optionalNum(args, 'offset');
    this.#deviation = num(args, 'deviation', 0);
    this.#wrap = args.has('wrap');
    this.#cumulative = args.has('cumulative');
    this.#absoluteTime = args.has('atime');
    // snmpsim 0.4.5 reads `time` as a number and uses it nowhere: checked, then ignored, as there.
    optionalNum(args, 'time');
    this.#increasing = args.has('increasing');
    const fspec = args.get('function');
    if (fspec === undefined) {
      this.#f = (x) => x!;
      this.#fArgs = [];
    } else {
      const [name, ...fargs] = multiSplit(fspec, '%');
      const f = MATH_FUNCTIONS[name!];
      if (!f) {
        throw new RangeError(`unknown function "${name}" (known: ${Object.keys(MATH_FUNCTIONS).join(', ')})`);
      }
      this.#f = f;
      this.#fArgs = fargs.map((a) => {
        if (a === '<time>') return TIME;
        const v = Number(a);
        if (a.trim() === '' || !Number.isFinite(v)) throw new RangeError(`function argument "${a}" is not a number`);
        return v;
      });
    }
  }

  read(ctx: ReadContext): ReadResult {
    // Uptime going back is a restart: a cumulative value starts again.
    if (ctx.uptimeMs < this.#lastUptimeMs) {
      this.#last = undefined;
      this.#lastServed = Number.NEGATIVE_INFINITY;
    }
    this.#lastUptimeMs = ctx.uptimeMs;
    const now = ctx.uptimeMs / 1000;
    let base = this.#initial ?? this.#min;
    let since = 0;
    if (this.#cumulative && this.#last) {
      base = this.#last.value;
      since = this.#last.atSeconds;
    }
    const t = this.#absoluteTime ? (ctx.unixTimeMs ?? Date.now()) / 1000 : now;
    const x = t * this.#rate;
    let v = this.#fArgs.length === 0 ? this.#f(x) : this.#f(...this.#fArgs.map((a) => (a === TIME ? x : a)));
    if (this.#scale !== undefined) v *= this.#scale;
    if (this.#offset !== undefined) v += this.#cumulative ? this.#offset * (now - since) * this.#rate : this.#offset;
    if (this.#deviation) v += randomDeviation(ctx.random, this.#deviation);
    if (this.#cumulative) v = Math.max(v, 0);
    v += base;
    // A function outside its domain (log of 0, sqrt of -1): snmpsim's read fails, and so there is no value here.
    if (Number.isNaN(v)) return { value: { type: 'NoSuchInstance' } };
    if (v < this.#min) v = this.#min;
    else if (v > this.#max) v = this.#wrap && this.#max > 0 ? pythonMod(v, this.#max) + this.#min : this.#max;
    if (this.#cumulative) this.#last = { value: v, atSeconds: now };
    if (this.#increasing) {
      if (v < this.#lastServed) v = this.#lastServed;
      this.#lastServed = v;
    }
    // Kept within the type's range (snmpsim fails the read instead), so that every value read can be sent.
    const [low, high] = TYPE_RANGE[this.#type]!;
    const whole = Math.min(Math.max(Number.isFinite(v) ? Math.trunc(v) : v > 0 ? high : low, low), high);
    const value: SnmpValue =
      this.#type === 'Counter64'
        ? { type: 'Counter64', value: BigInt.asUintN(64, BigInt(whole)) }
        : ({ type: this.#type, value: whole } as SnmpValue);
    return { value };
  }
}

/** Delays above this (ms) drop the response, as snmpsim's delay module does. */
export const DELAY_DROP_ABOVE_MS = 99_999;

function delayResult(delayMs: number): { delayMs: number; drop?: boolean } {
  if (delayMs > DELAY_DROP_ABOVE_MS) return { delayMs: 0, drop: true };
  return { delayMs: Math.max(0, delayMs) };
}

/**
 * snmpsim's `delay`: the value (`value`/`hexvalue`; Null without), answered `wait` ms late (default 500) plus a whole
 * random `deviation` from -d to d - 1. A SET is accepted and not kept; its delay follows `vlist` (`eq:VALUE:MS`...,
 * by the value written) when given. `tlist` (`lt:UNIXTIME:MS`...) chooses the delay by the time of day. Above
 * 99,999 ms the response is dropped. Only this response waits: the agent goes on serving others.
 */
class DelayVariation implements ValueSource {
  readonly #value: SnmpValue;
  readonly #wait: number;
  readonly #deviation: number;
  readonly #vlist: ValueList<number> | undefined;
  readonly #tlist: ValueList<number> | undefined;

  constructor(tag: number, args: Map<string, string>) {
    this.#value = argValue(tag, args) ?? { type: 'Null' };
    this.#wait = num(args, 'wait', 500);
    this.#deviation = num(args, 'deviation', 0);
    const ms = (text: string) => {
      const v = Number(text);
      if (text.trim() === '' || !Number.isInteger(v)) throw new RangeError(`delay "${text}" is not whole milliseconds`);
      return v;
    };
    const vlist = args.get('vlist');
    this.#vlist = vlist ? new ValueList(tag, vlist, 'vlist', ms) : undefined;
    const tlist = args.get('tlist');
    // Times are whole Unix seconds, compared as Integer values.
    this.#tlist = tlist ? new ValueList(70, tlist, 'tlist', ms) : undefined;
  }

  #delay(ctx: ReadContext, written?: SnmpValue): { delayMs: number; drop?: boolean } {
    let delay = this.#wait;
    if (written && this.#vlist) delay = this.#vlist.match(written) ?? this.#wait;
    else if (this.#tlist) {
      const now = BigInt(Math.floor((ctx.unixTimeMs ?? Date.now()) / 1000));
      delay = this.#tlist.match({ type: 'Counter64', value: now }) ?? this.#wait;
    }
    return delayResult(delay + randomDeviation(ctx.random, this.#deviation));
  }

  read(ctx: ReadContext): ReadResult {
    return { value: this.#value, ...this.#delay(ctx) };
  }

  checkWrite(): ErrorStatusName | undefined {
    return undefined;
  }

  commitWrite(): void {}

  writeDelay(value: SnmpValue, ctx: ReadContext): { delayMs: number; drop?: boolean } {
    return this.#delay(ctx, value);
  }
}

/**
 * snmpsim's `error`: reads answer `status` when `op` is get or any (the default); a SET answers the status `vlist`
 * chooses by the value written (`eq:1:wrongValue`...) when given, else `status` when `op` is set or any; else the
 * SET is taken and the value kept. Without `value`/`hexvalue` a GET answers noSuchInstance and GETNEXT passes over
 * it (as snmpsim), unless a status answers first.
 */
class ErrorVariation implements ValueSource {
  #value: SnmpValue | undefined;
  readonly #rules: StatusRules;

  constructor(tag: number, args: Map<string, string>) {
    this.#value = argValue(tag, args);
    this.#rules = statusRules(tag, args);
  }

  read(): ReadResult {
    const value = this.#value ?? { type: 'NoSuchInstance' };
    return readWithStatus(this.#rules.op === 'set' ? undefined : this.#rules.status, value);
  }

  checkWrite(value: SnmpValue): ErrorStatusName | undefined {
    const { op, status: fixed, vlist } = this.#rules;
    const status = vlist ? vlist.match(value) : op === 'get' ? undefined : fixed;
    return status ? writeStatus(status) : undefined;
  }

  commitWrite(value: SnmpValue): void {
    this.#value = value;
  }
}

/**
 * snmpsim's `writecache`: a writable value starting from `value`/`hexvalue`. A SET of another type is refused
 * (wrongType); `vlist` refuses values with a status; `status` answers reads (`op=get`), SETs (`op=set`) or both
 * (`op=any`, the default). Values written are kept in `cache`, which the devices of one data directory share as
 * snmpsim's one cache per process (a value written through one data file reads through another).
 */
class WritecacheVariation implements ValueSource {
  readonly #initial: SnmpValue | undefined;
  readonly #tag: number;
  readonly #rules: StatusRules;
  readonly #cache: Map<string, SnmpValue>;
  readonly #key: string;

  constructor(tag: number, args: Map<string, string>, context: VariationContext) {
    this.#tag = tag;
    this.#initial = argValue(tag, args);
    this.#rules = statusRules(tag, args);
    this.#cache = context.writeCache ?? new Map();
    this.#key = context.oid ?? '';
  }

  read(): ReadResult {
    const value = this.#cache.get(this.#key) ?? this.#initial ?? { type: 'NoSuchInstance' };
    return readWithStatus(this.#rules.op === 'set' ? undefined : this.#rules.status, value);
  }

  checkWrite(value: SnmpValue): ErrorStatusName | undefined {
    const refused = this.#rules.vlist?.match(value);
    if (refused) return writeStatus(refused);
    // snmpsim answers a SET of another type with noSuchInstance and no error-status: RFC 3416 says wrongType.
    if (SNMPREC_TAGS[this.#tag] !== value.type) return 'wrongType';
    // snmpsim keeps the value even when `status` refuses the SET; a refused SET changes nothing here.
    if (this.#rules.status && this.#rules.op !== 'get') return writeStatus(this.#rules.status);
    return undefined;
  }

  commitWrite(value: SnmpValue): void {
    this.#cache.set(this.#key, value);
  }
}

export const VARIATION_MODULES = ['numeric', 'delay', 'error', 'writecache'] as const;
export type VariationModule = (typeof VARIATION_MODULES)[number];

/** What a variation may need beyond its record. */
export interface VariationContext {
  /** The record's OID. */
  oid?: string;
  /** writecache's store, shared by the devices of a data directory (default: one per record). */
  writeCache?: Map<string, SnmpValue>;
  /**
   * Lets `subprocess` records run their programs (default false: a data file must not run programs unless the user
   * says so), and the data file they name as @DATAFILE@.
   */
  subprocess?: { allowed: boolean; dataFile?: string };
}

/**
 * The ValueSource for a .snmprec record with a variation module. Throws RangeError (`numeric: unknown argument
 * "inital" (known: ...)`) for an unknown or unsupported module, an unknown argument or a bad one: the data store adds
 * file, line and OID.
 */
export function createVariation(
  module: string,
  tag: number,
  text: string,
  context: VariationContext = {},
): ValueSource {
  const unsupported = unsupportedModuleProblem(module);
  if (unsupported) throw new RangeError(unsupported);
  if (module === 'notification') {
    try {
      return new NotificationVariation(tag, parseVariationArgs(text));
    } catch (error) {
      if (error instanceof RangeError) throw new RangeError(`notification: ${error.message}`, { cause: error });
      throw error;
    }
  }
  if (module === 'subprocess') {
    if (!context.subprocess?.allowed) {
      throw new RangeError(
        'subprocess: the record runs a program; allow it with --allow-subprocess (DeviceOptions.allowSubprocess)',
      );
    }
    const record = { oid: context.oid ?? '', tag, dataFile: context.subprocess.dataFile ?? '' };
    return new SubprocessVariation(record, text);
  }
  if (!(VARIATION_MODULES as readonly string[]).includes(module)) {
    throw new RangeError(
      `unknown variation module "${module}" (known: ${[...VARIATION_MODULES, 'notification', 'subprocess', 'multiplex'].join(', ')})`,
    );
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
        return new WritecacheVariation(tag, args, context);
    }
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError(`${module}: ${error.message}`, { cause: error });
    throw error;
  }
}
