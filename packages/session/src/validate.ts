import { isValidOid, parseOid, type SnmpValue, type VarBind } from '@snmpkit/ber';
import { GeneralError } from './errors.js';

// Checks of the caller's input, made before anything is sent, each failing with the SNMPERR_* Net-SNMP uses for
// the same mistake and a message that names the culprit.

// OIDs already found well-formed: polling asks for the same few OIDs over and over, and a Set lookup costs less
// than parsing them again. Bounded: cleared when full.
const validOids = new Set<string>();
const VALID_OIDS_MAX = 4096;

/**
 * A value as an error message shows what the caller gave: its JavaScript type with the value, so that '1000' (a
 * string from plain JavaScript or a config file) is told apart from 1000.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** A well-formed OID without its leading dot. */
export function checkOid(oid: unknown, what = 'OID'): string {
  if (typeof oid !== 'string') {
    throw new GeneralError('SNMPERR_UNKNOWN_OBJID', { detail: `the ${what} must be a string, got ${typeof oid}` });
  }
  if (!validOids.has(oid)) {
    try {
      parseOid(oid);
    } catch (error) {
      throw new GeneralError('SNMPERR_UNKNOWN_OBJID', {
        detail: `malformed ${what} "${oid}": ${(error as Error).message}`,
        cause: error,
      });
    }
    if (validOids.size >= VALID_OIDS_MAX) validOids.clear();
    validOids.add(oid);
  }
  return oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
}

/**
 * The OIDs of a get, getNext or getBulk (`operation`, for the message). One OID given alone, as plain JavaScript
 * lets one write get('1.3.6...'), is refused with the call it meant: the API takes an array, so that a call never
 * changes meaning with the type of its argument.
 */
export function checkOids(oids: unknown, operation = 'the request'): string[] {
  if (!Array.isArray(oids)) {
    const hint = typeof oids === 'string' ? ` (write ${operation}([${JSON.stringify(oids)}]))` : '';
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `${operation} takes an array of OIDs, got ${describeValue(oids)}${hint}`,
    });
  }
  if (oids.length === 0) throw new GeneralError('SNMPERR_NO_VARS', { detail: `give ${operation} at least one OID` });
  return oids.map((oid) => checkOid(oid));
}

/** How to write `value` as an SnmpValue, for the message refusing it. */
function snmpValueHint(value: unknown): string {
  if (typeof value === 'string') return `SnmpValue.octetString(${JSON.stringify(value)})`;
  if (typeof value === 'number') return `SnmpValue.integer(${value}), SnmpValue.gauge32(${value}), ...`;
  if (typeof value === 'bigint') return `SnmpValue.counter64(${value}n)`;
  return "SnmpValue.integer(1) or SnmpValue.octetString('text')";
}

/** A TimeTicks the caller gave outside a varbind (a notification's uptime, a v1 Trap's time-stamp). */
export function checkTimeTicks(value: unknown, what: string): number {
  if (!inRange(value, 0, 0xffffffff)) {
    throw new GeneralError('SNMPERR_RANGE', {
      detail: `${what} ${typeof value === 'number' ? value : describeValue(value)} is not a TimeTicks (0..4294967295)`,
    });
  }
  return value as number;
}

function inRange(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function rangeError(vb: VarBind, range: string): GeneralError {
  const v = (vb.value as { value?: unknown }).value;
  return new GeneralError('SNMPERR_RANGE', {
    detail: `${vb.value.type} ${String(v)} for ${vb.oid} is outside ${range}`,
  });
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted IPv4 address (what an IpAddress value holds). */
export function isValidIpv4(address: string): boolean {
  return IPV4.test(address);
}

/** Checks a varbind to be sent in a SET: its OID, its value's type and range. */
export function checkSetVarbind(vb: VarBind, wireVersion: 0 | 1 | 3): VarBind {
  if (vb === null || typeof vb !== 'object') {
    throw new GeneralError('SNMPERR_VAR_TYPE', { detail: 'a varbind must be { oid, value }' });
  }
  const oid = checkOid(vb.oid);
  const value = vb.value as SnmpValue | undefined;
  if (value === null || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
    const given = value === undefined ? 'no value' : describeValue(value);
    throw new GeneralError('SNMPERR_VAR_TYPE', {
      detail: `the value for ${oid} must be an SnmpValue ({ type, value }) such as ${snmpValueHint(value)}, got ${given}`,
    });
  }
  const checked = { oid, value };
  switch (value.type) {
    case 'Integer':
      if (!inRange(value.value, -0x80000000, 0x7fffffff)) throw rangeError(checked, '-2147483648..2147483647');
      break;
    case 'Counter32':
    case 'Gauge32':
    case 'TimeTicks':
    case 'UInteger32':
      if (!inRange(value.value, 0, 0xffffffff)) throw rangeError(checked, '0..4294967295');
      break;
    case 'Counter64':
      if (wireVersion === 0) {
        throw new GeneralError('SNMPERR_V2_IN_V1', { detail: `Counter64 for ${oid} does not exist in SNMPv1` });
      }
      if (typeof value.value !== 'bigint' || value.value < 0n || value.value > 0xffffffffffffffffn) {
        throw rangeError(checked, '0..2^64-1 (a bigint)');
      }
      break;
    case 'OctetString':
    case 'Opaque':
      if (!(value.value instanceof Uint8Array)) {
        throw new GeneralError('SNMPERR_VAR_TYPE', {
          detail: `${value.type} for ${oid} must hold a Uint8Array (SnmpValue.octetString('text') encodes text)`,
        });
      }
      break;
    case 'IpAddress':
      if (typeof value.value !== 'string' || !IPV4.test(value.value)) {
        throw new GeneralError('SNMPERR_VALUE', { detail: `IpAddress "${String(value.value)}" for ${oid}` });
      }
      break;
    case 'ObjectIdentifier':
      if (typeof value.value !== 'string' || !isValidOid(value.value)) {
        throw new GeneralError('SNMPERR_VALUE', { detail: `OBJECT IDENTIFIER "${String(value.value)}" for ${oid}` });
      }
      break;
    case 'Null':
      break;
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      throw new GeneralError('SNMPERR_VAR_TYPE', { detail: `${value.type} is a response-only value (${oid})` });
    default:
      throw new GeneralError('SNMPERR_VAR_TYPE', {
        detail: `unknown value type ${JSON.stringify((value as { type: unknown }).type)} for ${oid}`,
      });
  }
  return checked;
}

/**
 * GETBULK's two numbers: integers in 0..2^31-1. `names` are what the caller called them (the `maxRepetitions`
 * option of a session or a walk, for instance).
 */
export function checkBulkCounts(
  nonRepeaters: unknown,
  maxRepetitions: unknown,
  names: readonly [string, string] = ['non-repeaters', 'max-repetitions'],
): void {
  if (!inRange(nonRepeaters, 0, 0x7fffffff)) {
    throw new GeneralError('SNMPERR_BAD_REPEATERS', { detail: countProblem(names[0], nonRepeaters) });
  }
  if (!inRange(maxRepetitions, 0, 0x7fffffff)) {
    throw new GeneralError('SNMPERR_BAD_REPETITIONS', { detail: countProblem(names[1], maxRepetitions) });
  }
}

function countProblem(name: string, value: unknown): string {
  return typeof value === 'number'
    ? `${name} must be an integer in 0..2147483647, got ${value}`
    : `${name} must be a number, got ${describeValue(value)}`;
}

/**
 * The first of `options`' names that `known` lacks, worded with the nearest known name ("unknown option 'timout'
 * (did you mean 'timeout'?)"), or undefined: a misspelt option is refused, never ignored in silence. `known` is
 * typed by its caller against the options interface, so a legitimate option is never refused.
 */
export function unknownOptionName(options: object, known: Readonly<Record<string, true>>): string | undefined {
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    const names = Object.keys(known);
    const near = closestName(name, names);
    return `unknown option '${name}' (${near ? `did you mean '${near}'?` : `options: ${names.join(', ')}`})`;
  }
  return undefined;
}

/** The known name nearest to `name`: same letters in another case, or at most 2 edits away (Levenshtein). */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance =
      candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
