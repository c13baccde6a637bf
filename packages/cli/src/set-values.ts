/**
 * snmpset's and snmptrap's TYPE VALUE pairs (Net-SNMP's snmp_add_var): i u t a o s x d b n U I F D, and c C from
 * snmptrap or `=`. With the MIB object's syntax (`SetSyntax`) come its checks: the letter must suit the object's
 * type, an INTEGER may be an enumeration label, numbers and lengths must be in its ranges, and `=` takes the letter
 * from the object's type. Each failure is Net-SNMP's message after the OID as the user typed it
 * ("OID: Bad value notation (zz)").
 */
import { SnmpValue } from '@snmpkit/ber';
import type { Mib, MibNode } from '@snmpkit/mib';
import { MibLookupError } from '@snmpkit/mib/display';
import { parseOidWithoutMibs } from './presenter.js';

export class SetValueError extends Error {
  override readonly name = 'SetValueError';
}

/** What snmp_add_var reads from the MIB object a value is for (the node found for the OID or its nearest parent). */
export type SetSyntax = Pick<MibNode, 'type' | 'enums' | 'ranges' | 'hint'>;

/** snmpset's own check of the TYPE letter, before snmp_add_var (which snmptrap calls directly) sees it. */
export const SNMPSET_TYPES = new Set(['=', 'i', 'u', 't', 'a', 'o', 's', 'x', 'd', 'b', 'n', 'U', 'I', 'F', 'D']);

/** The letter `=` stands for, by the object's type (snmp_add_var's "generic assignment"). */
const LETTER_OF: Partial<Record<SetSyntax['type'], string>> = {
  INTEGER: 'i',
  Integer32: 'i',
  Gauge32: 'u',
  Unsigned32: 'u',
  Counter32: 'c',
  Counter64: 'C',
  TimeTicks: 't',
  'OCTET STRING': 's',
  BITS: 'b',
  IpAddress: 'a',
  'OBJECT IDENTIFIER': 'o',
};

/** The types a letter may be set on when the MIB is checked, and the name Net-SNMP gives the letter. */
const ACCEPTS: Record<string, [readonly SetSyntax['type'][], string]> = {
  i: [['INTEGER', 'Integer32'], 'INTEGER'],
  u: [['Gauge32', 'Unsigned32'], 'Unsigned32'],
  c: [['Counter32'], 'Counter32'],
  C: [['Counter64'], 'Counter64'],
  t: [['TimeTicks'], 'Timeticks'],
  a: [['IpAddress'], 'IpAddress'],
  o: [['OBJECT IDENTIFIER'], 'OBJECT IDENTIFIER'],
  s: [['OCTET STRING', 'BITS'], 'OCTET STRING'],
  x: [['OCTET STRING', 'BITS'], 'OCTET STRING'],
  d: [['OCTET STRING', 'BITS'], 'OCTET STRING'],
  b: [['BITS'], 'BITS'],
};

/** Net-SNMP's name for an object's type in "Type of attribute is ..." (its TYPE_* names, not the MIB's). */
const TYPE_NAME: Partial<Record<SetSyntax['type'], string>> = {
  TimeTicks: 'Timeticks',
  NULL: 'Null',
  UInteger32: 'UInteger',
};

const bad = (value: string) => new SetValueError(`Bad value notation (${value})`);
const outOfRange = (value: string) => new SetValueError(`Value out of range (${value})`);

/** C's strtoul on a whole word: "-1" wraps to 2^64-1 as in C; anything but digits is an error. */
function strtoul(value: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d+)$/.exec(value);
  if (!m) return undefined;
  const n = BigInt(m[2]!);
  const max = 1n << 64n;
  if (n >= max) return max - 1n;
  return m[1] === '-' ? (max - n) % max : n;
}

/**
 * An unsigned 32-bit value from strtoul's result, its low 32 bits. Net-SNMP warns when the 64-bit result, read as a
 * signed long, is above 2^32-1: so for 4294967296, not for -5 (2^64-5, negative as a long) nor for a saturated
 * 18446744073709551615 (-1 as a long).
 */
function unsigned32(value: string, warn: (text: string) => void): number {
  const n = strtoul(value);
  if (n === undefined) throw bad(value);
  if (BigInt.asIntN(64, n) > 0xffffffffn) warn('truncating integer value > 32 bits\n');
  return Number(n & 0xffffffffn);
}

/** inet_aton's dotted forms in decimal: a.b.c.d, a.b.c (c is 16 bits), a.b (b is 24 bits), a (32 bits). */
function ipAddress(value: string): string {
  const parts = value.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) throw bad(value);
  const nums = parts.map(Number);
  const lastBits = 8 * (5 - parts.length);
  const last = nums[nums.length - 1]!;
  if (nums.slice(0, -1).some((n) => n > 255) || last >= 2 ** lastBits) throw bad(value);
  const bytes = nums.slice(0, -1);
  for (let shift = lastBits - 8; shift >= 0; shift -= 8) bytes.push(Math.floor(last / 2 ** shift) % 256);
  return bytes.join('.');
}

function hexBytes(value: string): Uint8Array {
  const body = value.replace(/^0x/i, '');
  // Whitespace may separate bytes; every byte is two hex digits.
  const groups = body.split(/\s+/).filter((g) => g !== '');
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(g)) throw bad(value);
    for (let i = 0; i < g.length; i += 2) bytes.push(Number.parseInt(g.slice(i, i + 2), 16));
  }
  return new Uint8Array(bytes);
}

function decimalBytes(value: string): Uint8Array {
  const parts = value.split(/[.\s]+/).filter((p) => p !== '');
  if (parts.length === 0 && value !== '') throw bad(value);
  return new Uint8Array(
    parts.map((p) => {
      if (!/^\d+$/.test(p) || Number(p) > 255) throw bad(value);
      return Number(p);
    }),
  );
}

/**
 * BITS: bit numbers (C's strtoul in any base: 9, 0x9, 011) or, with the MIB, the object's labels, separated by
 * commas or spaces; bit 0 is the high bit of the first byte. With the MIB the value is at least as long as its
 * highest named bit needs. A word that is neither is refused by itself: "Value out of range (word)".
 */
function bits(value: string, enums: SetSyntax['enums']): Uint8Array {
  const set: number[] = [];
  for (const word of value.split(/[,\s]+/).filter((w) => w !== '')) {
    const m = /^\+?(?:0x([0-9a-f]+)|(0[0-7]*)|([1-9]\d*))$/i.exec(word);
    const bit = m
      ? Number.parseInt(m[1] ?? m[2] ?? m[3]!, m[1] !== undefined ? 16 : m[2] !== undefined ? 8 : 10)
      : enums?.find((e) => e.label === word)?.value;
    // Net-SNMP's buffer holds 256 bytes; a higher bit overruns it.
    if (bit === undefined || bit >= 2048) throw outOfRange(word);
    set.push(bit);
  }
  const named = (enums ?? []).map((e) => e.value);
  const highest = Math.max(-1, ...set, ...named);
  const bytes = new Uint8Array(highest < 0 ? 0 : (highest >> 3) + 1);
  for (const bit of set) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return bytes;
}

/** C's strtol from `start`: [value, end]; end === start when no digits were read. Clamped as C clamps. */
function strtol(bytes: Uint8Array, start: number, base: 8 | 10 | 16): [bigint, number] {
  const text = new TextDecoder('latin1').decode(bytes.subarray(start));
  const digits = base === 16 ? '[0-9a-fA-F]' : base === 10 ? '[0-9]' : '[0-7]';
  const m = new RegExp(`^([ \\t\\n\\v\\f\\r]*)([+-]?)(${base === 16 ? '0[xX](?=[0-9a-fA-F])|' : ''})(${digits}+)`).exec(
    text,
  );
  if (!m) return [0n, start];
  let n = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : '') + m[4]!);
  if (m[2] === '-') n = -n;
  const max = (1n << 63n) - 1n;
  n = n > max ? max : n < -max - 1n ? -max - 1n : n;
  return [n, start + m[0].length];
}

/**
 * parse_octet_hint: an 's' value read through the object's DISPLAY-HINT (`1x:` reads "0:16:3e" as three bytes, a
 * number of each width in its base; `255a` copies text), with Net-SNMP's quirks ("001122" under `1x:` is one number,
 * of which one byte is kept). Undefined when the hint does not read the value: it is then taken as plain text.
 */
function parseOctetHint(hint: string, value: Uint8Array): Uint8Array | undefined {
  const out: number[] = [];
  let v = 0;
  const at = (i: number) => value[i] ?? 0;
  let spec = { length: 0, repeat: false, format: '', separator: 0, terminator: 0 };
  const reset = () => {
    spec = { length: 0, repeat: false, format: '', separator: 0, terminator: 0 };
  };
  const parse = (): boolean => {
    const from = v;
    let repeats = 0;
    const fixup = out.length;
    if (spec.repeat) out.push(0);
    do {
      if (spec.format === 'a') {
        for (let i = 0; i < spec.length && at(v) !== 0; i++) out.push(value[v++]!);
      } else if (spec.format !== '') {
        const [n, end] = strtol(value, v, spec.format === 'x' ? 16 : spec.format === 'd' ? 10 : 8);
        if (end === v) return false;
        v = end;
        const unsigned = BigInt.asUintN(64, n);
        for (let i = spec.length - 1; i >= 0; i--) out.push(i >= 8 ? 0 : Number((unsigned >> BigInt(8 * i)) & 0xffn));
      }
      repeats++;
      if (spec.separator && at(v)) {
        if (at(v) !== spec.separator) return false;
        v++;
      }
      if (spec.terminator && at(v) === spec.terminator) {
        v++;
        break;
      }
    } while (spec.repeat && at(v));
    if (spec.repeat) out[fixup] = repeats & 0xff;
    // Net-SNMP loops for ever on a hint that reads nothing (a width of 0, no format): here the hint fails.
    return v > from || at(v) === 0;
  };
  let state: 'start' | 'width' | 'format' | 'separator' = 'start';
  let ok = true;
  for (let h = 0; h < hint.length && at(v) !== 0 && ok; h++) {
    const c = hint[h]!;
    const digit = c >= '0' && c <= '9';
    if (state === 'start' || state === 'width') {
      if (state === 'start' && c === '*') spec.repeat = true;
      else if (digit) spec.length = spec.length * 10 + Number(c);
      else if (state === 'width' && 'xdoa'.includes(c)) {
        spec.format = c;
        state = 'format';
        continue;
      } else return undefined;
      state = 'width';
    } else if (c === '*' || digit) {
      ok = parse();
      reset();
      if (c === '*') spec.repeat = true;
      else spec.length = Number(c);
      state = 'width';
    } else if (state === 'format') {
      spec.separator = c.charCodeAt(0);
      state = 'separator';
    } else {
      spec.terminator = c.charCodeAt(0);
      ok = parse();
      reset();
      state = 'start';
    }
  }
  while (at(v) !== 0 && ok) ok = parse();
  return ok ? new Uint8Array(out) : undefined;
}

/** read64: the leading digits (after an optional '-'), modulo 2^64; nothing read is an error. */
function read64(value: string): bigint {
  const m = /^(-?)(\d+)/.exec(value);
  if (!m) throw bad(value);
  const n = BigInt(m[2]!) % (1n << 64n);
  return m[1] === '-' ? ((1n << 64n) - n) % (1n << 64n) : n;
}

/** _check_range: a number (or a length) outside every range of the object is refused, the ranges listed. */
function checkRange(syntax: SetSyntax | undefined, n: bigint, text: string): void {
  const ranges = syntax?.ranges;
  if (!ranges || ranges.length === 0 || ranges.some((r) => r.low <= n && n <= r.high)) return;
  const list = ranges.map((r) => (r.low === r.high ? `(${r.low})` : `(${r.low}..${r.high})`)).join(', ');
  throw outOfRange(`${text} :: {${list}}`);
}

function float(value: string): number {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) throw bad(value);
  return Number(value);
}

/**
 * The typed value for one TYPE letter and VALUE word; `warn` receives Net-SNMP's warnings. `syntax` is the MIB
 * object's (undefined without MIB modules, or when no loaded module knows the OID): see the file's comment.
 */
export function parseSetValue(
  letter: string,
  value: string,
  warn: (text: string) => void = () => {},
  parseOid: (text: string) => string = parseOidWithoutMibs,
  syntax?: SetSyntax,
): SnmpValue {
  // Net-SNMP checks only objects of a simple type; a node without one (a plain OID node) is not checked.
  const checked = syntax !== undefined && syntax.type !== 'OTHER' ? syntax : undefined;
  const type = letter === '=' && syntax ? (LETTER_OF[syntax.type] ?? letter) : letter;
  const accepts = ACCEPTS[type];
  if (checked && accepts && !(accepts[0].includes(checked.type) && (type !== 'b' || checked.enums))) {
    const is = TYPE_NAME[checked.type] ?? checked.type;
    throw new SetValueError(`Bad variable type (Type of attribute is ${is}, not ${accepts[1]})`);
  }
  switch (type) {
    case 'i': {
      if (value === '') throw bad(value);
      let n: number;
      if (/^\s*[+-]?\d+$/.test(value)) n = Number(value);
      else {
        const label = syntax?.enums?.find((e) => e.label === value);
        if (!label) throw outOfRange(value);
        n = label.value;
      }
      checkRange(checked, BigInt(n), value);
      if (n < -2147483648 || n > 2147483647) throw outOfRange(value);
      return SnmpValue.integer(n);
    }
    case 'u':
      return SnmpValue.gauge32(unsigned32(value, warn));
    case 'c':
      return SnmpValue.counter32(unsigned32(value, warn));
    case 'C':
      return SnmpValue.counter64(read64(value));
    case 't':
      return SnmpValue.timeTicks(unsigned32(value, warn));
    case 'a':
      return SnmpValue.ipAddress(ipAddress(value));
    case 'o':
      try {
        return SnmpValue.objectIdentifier(parseOid(value));
      } catch (error) {
        if (error instanceof MibLookupError) throw new SetValueError(error.detail);
        throw error;
      }
    case 's':
    case 'x':
    case 'd': {
      const text = new TextEncoder().encode(value);
      const hinted = type === 's' && syntax?.hint ? parseOctetHint(syntax.hint, text) : undefined;
      if (hinted) {
        checkRange(syntax, BigInt(hinted.length), 'Value does not match DISPLAY-HINT');
        return SnmpValue.octetString(hinted);
      }
      const bytes = type === 's' ? text : type === 'x' ? hexBytes(value) : decimalBytes(value);
      checkRange(syntax, BigInt(bytes.length), 'Bad string length');
      return SnmpValue.octetString(bytes);
    }
    case 'b':
      return SnmpValue.octetString(bits(value, syntax?.enums));
    case 'n':
      return SnmpValue.null();
    case 'U': {
      const n = strtoul(value);
      if (n === undefined) throw bad(value);
      return SnmpValue.opaqueUint64(n);
    }
    case 'I': {
      if (!/^\s*[+-]?\d+$/.test(value)) throw bad(value);
      const n = BigInt(value.trim());
      const clamped = n > 2n ** 63n - 1n ? 2n ** 63n - 1n : n < -(2n ** 63n) ? -(2n ** 63n) : n;
      return SnmpValue.opaqueInt64(clamped);
    }
    case 'F':
      return SnmpValue.opaqueFloat(float(value));
    case 'D':
      return SnmpValue.opaqueDouble(float(value));
    default:
      // "=" with no MIB object of a known type to take the letter from, or a letter snmp_add_var does not know.
      throw new SetValueError(`Bad variable type ("${type}")`);
  }
}

/** The syntax of an OID's MIB node, or of its nearest ancestor that has one, as Net-SNMP's get_tree finds it. */
export function mibSyntaxLookup(mib: Mib | undefined): (oid: string) => SetSyntax | undefined {
  if (!mib) return () => undefined;
  return (oid) => mib.nodeForArcs(oid.split('.').map(Number))?.node;
}
