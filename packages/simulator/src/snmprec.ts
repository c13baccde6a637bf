import {
  bytesToHex,
  decodeOpaqueSpecial,
  encodeOpaqueSpecial,
  hexToBytes,
  isValidOid,
  type SnmpValue,
  type VarBind,
} from '@snmpkit/ber';
import { canonicalOid } from './oid.js';

/** How a .snmprec value is written: as it is, as hex (TAG ends in `x`) or with backslash escapes (`e`). */
export type ValueEncoding = 'plain' | 'hex' | 'escaped';

/** One `OID|TAG[x|e][:module]|VALUE` line, not yet decoded (the data store decodes values on first use). */
export interface SnmprecRecord {
  oid: string;
  /** The BER type number: 2, 4, 5, 6, 64, 65, 66, 67, 68, 70, 128, 129, 130. */
  tag: number;
  encoding: ValueEncoding;
  /** The variation module after the `:` (numeric, delay, error, writecache), or undefined. */
  module: string | undefined;
  /** The value text as written (for a variation, its `key=value,...` arguments). */
  text: string;
  /** The line it was read from (a multi-line walk value: its first line). */
  line?: number;
}

/**
 * Data that is not valid .snmprec or walk output: a malformed line, or a value its tag cannot carry. The message
 * reads `source:line: OID: what is wrong` (source when known, OID when the line got that far).
 */
export class DataFormatError extends Error {
  readonly code = 'ERR_SIMULATOR_DATA';
  constructor(
    message: string,
    readonly line: number,
    readonly source?: string,
    readonly oid?: string,
  ) {
    super(`${source ? `${source}:` : ''}${line}: ${oid ? `${oid}: ` : ''}${message}`);
    this.name = 'DataFormatError';
  }
}

/** The tag of an `OID|:module|args` record: no type, a module serving the subtree under OID (multiplex). */
export const SUBTREE_TAG = 0;

export const SNMPREC_TAGS: Readonly<Record<number, SnmpValue['type']>> = {
  2: 'Integer',
  4: 'OctetString',
  5: 'Null',
  6: 'ObjectIdentifier',
  64: 'IpAddress',
  65: 'Counter32',
  66: 'Gauge32',
  67: 'TimeTicks',
  68: 'Opaque',
  70: 'Counter64',
  // Net-SNMP's UInteger32 (application tag 7): not among snmpsim's tags, but what a recorded agent may send.
  71: 'UInteger32',
  128: 'NoSuchObject',
  129: 'NoSuchInstance',
  130: 'EndOfMibView',
};

const TAG_OF_TYPE: Record<SnmpValue['type'], number> = {
  Integer: 2,
  OctetString: 4,
  Null: 5,
  ObjectIdentifier: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  UInteger32: 71,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
};

export function tagOfType(type: SnmpValue['type']): number {
  return TAG_OF_TYPE[type];
}

/**
 * Splits .snmprec text into records, calling `onRecord` for each (no intermediate array: a million-line file
 * loads in one pass). Blank lines and lines starting with `#` are skipped. Throws DataFormatError.
 */
export type RecordVisitor = (
  oid: string,
  tag: number,
  encoding: ValueEncoding,
  module: string | undefined,
  text: string,
  line: number,
) => void;

export function forEachSnmprecRecord(text: string, onRecord: RecordVisitor, source?: string): void {
  const n = text.length;
  let lineNo = 0;
  let start = 0;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    // snmpsim strips each line as Python's str.strip() does: blanks before the OID and after the value go.
    let from = start;
    let to = end;
    while (from < to && isPythonSpace(text.charCodeAt(from))) from++;
    while (to > from && isPythonSpace(text.charCodeAt(to - 1))) to--;
    if (to > from && text.charCodeAt(from) !== 35 /* # */) {
      const bar1 = text.indexOf('|', from);
      const bar2 = bar1 < 0 || bar1 >= to ? -1 : text.indexOf('|', bar1 + 1);
      if (bar2 < 0 || bar2 >= to) throw new DataFormatError('expected OID|TAG|VALUE', lineNo, source);
      parseRecordParts(text, from, bar1, bar2, to, lineNo, source, onRecord);
    }
    start = end + 1;
  }
}

/**
 * Whitespace as Python's str.strip() sees it in ISO-8859-1 text (snmpsim strips every data line with it): tab to
 * carriage return, the four separators 0x1c-0x1f, space, NEL and no-break space.
 */
export function isPythonSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 28 && c <= 31) || c === 0x85 || c === 0xa0;
}

const MAX_ARC = 0xffffffff;

/**
 * The OID of a record (`start`..`end` of the text), canonical; throws RangeError with what @snmpkit/ber would refuse
 * when encoding it. One pass over the characters, as a million-line file has a million of them.
 */
function recordOid(text: string, start: number, end: number): string {
  const from = text.charCodeAt(start) === 46 ? start + 1 : start;
  let arcs = 0;
  let first = 0;
  let second = 0;
  let arcStart = from;
  let value = 0;
  let canonical = true;
  let problem: string | undefined;
  for (let i = from; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (i === arcStart) {
        problem = 'expected dotted numbers';
        break;
      }
      if (i - arcStart > 1 && text.charCodeAt(arcStart) === 48) canonical = false;
      if (value > MAX_ARC) {
        problem = `arcs are at most ${MAX_ARC}`;
        break;
      }
      arcs++;
      if (arcs === 1) first = value;
      else if (arcs === 2) second = value;
      arcStart = i + 1;
      value = 0;
    } else if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
    else {
      problem = 'expected dotted numbers';
      break;
    }
  }
  const oid = text.slice(from, end);
  if (problem === undefined) {
    if (arcs < 2) problem = 'an OID has at least two arcs';
    else if (arcs > 128) problem = 'an OID has at most 128 arcs';
    else if (first > 2) problem = 'the first arc is 0, 1 or 2';
    else if (first < 2 && second >= 40) problem = 'the second arc is below 40 under 0 and 1';
    else if (first === 2 && second > MAX_ARC - 80) problem = `the second arc is at most ${MAX_ARC - 80} under 2`;
  }
  if (problem !== undefined) throw new RangeError(`bad OID "${oid}": ${problem}`);
  return canonical ? oid : canonicalOid(oid);
}

function parseRecordParts(
  text: string,
  start: number,
  bar1: number,
  bar2: number,
  lineEnd: number,
  lineNo: number,
  source: string | undefined,
  onRecord: RecordVisitor,
): void {
  let oid: string;
  try {
    oid = recordOid(text, start, bar1);
  } catch (error) {
    throw new DataFormatError((error as Error).message, lineNo, source);
  }
  let tag = 0;
  let i = bar1 + 1;
  for (; i < bar2; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    tag = tag * 10 + (c - 48);
  }
  if (i === bar1 + 1 && text.charCodeAt(i) === 58 /* : */) {
    // `OID|:module|args`: snmpsim's form for a module that serves a whole subtree (multiplex, sql, redis).
    // The data store serves multiplex and refuses (or, serving as snmpsim, warns of) the others by name.
    onRecord(oid, SUBTREE_TAG, 'plain', text.slice(i + 1, bar2), text.slice(bar2 + 1, lineEnd), lineNo);
    return;
  }
  if (i === bar1 + 1 || SNMPREC_TAGS[tag] === undefined) {
    const known = Object.keys(SNMPREC_TAGS).join(', ');
    throw new DataFormatError(`unknown tag "${text.slice(bar1 + 1, bar2)}" (known: ${known})`, lineNo, source, oid);
  }
  let encoding: ValueEncoding = 'plain';
  const flag = text.charCodeAt(i);
  if (flag === 120 /* x */) {
    encoding = 'hex';
    i++;
  } else if (flag === 101 /* e */) {
    encoding = 'escaped';
    i++;
  }
  let module: string | undefined;
  if (i < bar2) {
    if (text.charCodeAt(i) !== 58 /* : */) {
      throw new DataFormatError(
        `bad tag "${text.slice(bar1 + 1, bar2)}" (expected TAG, TAGx, TAGe, TAG:module)`,
        lineNo,
        source,
        oid,
      );
    }
    module = text.slice(i + 1, bar2);
  }
  onRecord(oid, tag, encoding, module, text.slice(bar2 + 1, lineEnd), lineNo);
}

export function parseSnmprec(text: string, source?: string): SnmprecRecord[] {
  const records: SnmprecRecord[] = [];
  forEachSnmprecRecord(
    text,
    (oid, tag, encoding, module, value, line) => records.push({ oid, tag, encoding, module, text: value, line }),
    source,
  );
  return records;
}

/** Python's one-letter string escapes, as snmpsim writes `e` values (others stand for the character itself). */
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/** Bytes of an OCTET STRING/Opaque value text in the given encoding (plain text is ISO-8859-1). */
export function valueBytes(text: string, encoding: ValueEncoding): Uint8Array {
  if (encoding === 'hex') return hexToBytes(text);
  if (encoding === 'plain') return latin1Bytes(text);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 92 /* \ */ || i + 1 >= text.length) {
      out.push(c & 0xff);
      continue;
    }
    const e = text[++i]!;
    const simple = ESCAPES[e];
    if (simple !== undefined) out.push(simple);
    else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(e.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function latin1Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** A value as an error message quotes it: long ones cut short. */
function quoted(text: string): string {
  return `"${text.length > 40 ? `${text.slice(0, 40)}...` : text}"`;
}

/** What is wrong with a record's value text, as a RangeError: `Integer value "abc" is not a whole number ...`. */
function badValue(tag: number, text: string, encoding: ValueEncoding, expected: string): RangeError {
  return new RangeError(
    `${SNMPREC_TAGS[tag]}${encoding === 'hex' ? ' hex' : ''} value ${quoted(text)} is not ${expected}`,
  );
}

function hexValueBytes(tag: number, text: string): Uint8Array {
  try {
    return hexToBytes(text);
  } catch {
    throw badValue(tag, text, 'hex', 'pairs of hex digits');
  }
}

/**
 * A decimal whole number (spaces around it allowed), or undefined. By hand rather than Number(): Number takes
 * `0x10`, `1e3` and an empty text (0), none of which a data file means as a number; and loading a million-line file
 * parses half a million of these.
 */
function wholeNumber(text: string): number | undefined {
  let i = 0;
  let end = text.length;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  while (end > i && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  const sign = text.charCodeAt(i);
  const negative = sign === 45; /* - */
  if (negative || sign === 43 /* + */) i++;
  if (i >= end || end - i > 16) return undefined; // 16 digits are still exact, and more than any 32-bit type takes
  let v = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  return negative ? 0 - v : v; // 0 - v, not -v: "-0" reads as 0, not as -0
}

const INT32 = 'a whole number from -2147483648 to 2147483647';
const UINT32 = 'a whole number from 0 to 4294967295';
const UINT64 = 'a whole number from 0 to 18446744073709551615';

function unsigned32(tag: number, text: string, encoding: ValueEncoding): number {
  if (encoding === 'hex') {
    const b = hexValueBytes(tag, text);
    let v = 0;
    for (const x of b) v = v * 256 + x;
    if (b.length === 0 || v > 0xffffffff) throw badValue(tag, text, encoding, UINT32);
    return v;
  }
  const v = wholeNumber(text);
  if (v === undefined || v < 0 || v > 0xffffffff) throw badValue(tag, text, encoding, UINT32);
  return v;
}

/**
 * The value a record's tag and text denote (variation arguments are not a value: see the data store). Throws
 * RangeError saying what is wrong; what it returns, @snmpkit/ber can encode.
 */
export function decodeRecordValue(tag: number, text: string, encoding: ValueEncoding): SnmpValue {
  switch (tag) {
    case 2: {
      let v: number | undefined;
      if (encoding === 'hex') {
        const b = hexValueBytes(tag, text);
        v = b.length > 0 && b[0]! & 0x80 ? -1 : 0;
        for (const x of b) v = v * 256 + x;
        if (b.length === 0) v = undefined;
      } else v = wholeNumber(text);
      if (v === undefined || v < -0x80000000 || v > 0x7fffffff) throw badValue(tag, text, encoding, INT32);
      return { type: 'Integer', value: v };
    }
    case 4:
      return { type: 'OctetString', value: encoding === 'hex' ? hexValueBytes(tag, text) : valueBytes(text, encoding) };
    case 5:
      return { type: 'Null' };
    case 6: {
      let oid =
        encoding === 'plain'
          ? text.trim()
          : latin1Text(encoding === 'hex' ? hexValueBytes(tag, text) : valueBytes(text, encoding));
      if (oid.startsWith('.')) oid = oid.slice(1);
      if (!isValidOid(oid)) throw badValue(tag, text, encoding, 'a dotted OID such as 1.3.6.1.4.1.8072');
      return { type: 'ObjectIdentifier', value: canonicalOid(oid) };
    }
    case 64: {
      if (encoding === 'hex') {
        const b = hexValueBytes(tag, text);
        if (b.length !== 4) throw badValue(tag, text, encoding, '4 bytes');
        return { type: 'IpAddress', value: `${b[0]}.${b[1]}.${b[2]}.${b[3]}` };
      }
      // Four characters are the address's four bytes, as snmprec 0.4 wrote it (and as snmpsim still reads it).
      if (encoding === 'plain' && text.length === 4) {
        return { type: 'IpAddress', value: Array.from(latin1Bytes(text)).join('.') };
      }
      if (encoding === 'escaped') {
        const b = valueBytes(text, encoding);
        if (b.length !== 4) throw badValue(tag, text, encoding, '4 bytes');
        return { type: 'IpAddress', value: Array.from(b).join('.') };
      }
      const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*$/.exec(text);
      if (!m || m.slice(1).some((part) => Number(part) > 255)) {
        throw badValue(tag, text, encoding, 'an IPv4 address a.b.c.d');
      }
      return { type: 'IpAddress', value: m.slice(1).map(Number).join('.') };
    }
    case 65:
      return { type: 'Counter32', value: unsigned32(tag, text, encoding) };
    case 66:
      return { type: 'Gauge32', value: unsigned32(tag, text, encoding) };
    case 67:
      return { type: 'TimeTicks', value: unsigned32(tag, text, encoding) };
    case 71:
      return { type: 'UInteger32', value: unsigned32(tag, text, encoding) };
    case 68: {
      const value = encoding === 'hex' ? hexValueBytes(tag, text) : valueBytes(text, encoding);
      const opaque = decodeOpaqueSpecial(value);
      return opaque ? { type: 'Opaque', value, opaque } : { type: 'Opaque', value };
    }
    case 70: {
      let v: bigint | undefined;
      if (encoding === 'hex') {
        const b = hexValueBytes(tag, text);
        v = b.length === 0 ? undefined : 0n;
        for (const x of b) v = (v ?? 0n) * 256n + BigInt(x);
      } else if (/^\s*\+?\d+\s*$/.test(text)) v = BigInt(text.trim());
      if (v === undefined || v > 0xffffffffffffffffn) throw badValue(tag, text, encoding, UINT64);
      return { type: 'Counter64', value: v };
    }
    case 128:
      return { type: 'NoSuchObject' };
    case 129:
      return { type: 'NoSuchInstance' };
    case 130:
      return { type: 'EndOfMibView' };
    default:
      throw new RangeError(`unknown .snmprec tag ${tag}`);
  }
}

/**
 * Throws, as decodeRecordValue does, when a record's value is not one its tag can carry; decodes nothing it need
 * not. Loading checks every record with it, so that a value that loaded never fails when a request reads it.
 * Plain and escaped strings (tags 4 and 68) and the valueless tags cannot be wrong: they are not looked at, which
 * keeps loading a million-OID file in one cheap pass.
 */
export function checkRecordValue(tag: number, text: string, encoding: ValueEncoding): void {
  if (tag === 4 || tag === 68) {
    if (encoding === 'hex' && !isHexText(text)) throw badValue(tag, text, encoding, 'pairs of hex digits');
    return;
  }
  if (tag === 5 || tag >= 128) return;
  decodeRecordValue(tag, text, encoding);
}

/** Whether hexToBytes takes the text (an optional 0x, pairs of hex digits, spaces and colons anywhere), unconverted. */
function isHexText(text: string): boolean {
  let i = text.length >= 2 && text.charCodeAt(0) === 48 && (text.charCodeAt(1) | 32) === 120 ? 2 : 0;
  let digits = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 32;
    if ((c >= 48 && c <= 57) || (lower >= 97 && lower <= 102)) digits++;
    else if (!/[\s:]/.test(text[i]!)) return false;
  }
  return digits % 2 === 0;
}

/** The value a variation serves when given none: its type's zero (0, empty, 0.0.0.0, 0.0). */
export function zeroValue(tag: number): SnmpValue {
  if (tag === 6) return { type: 'ObjectIdentifier', value: '0.0' };
  if (tag === 64) return { type: 'IpAddress', value: '0.0.0.0' };
  return decodeRecordValue(tag, tag === 4 || tag === 68 || tag === 5 || tag >= 128 ? '' : '0', 'plain');
}

function isPrintable(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function endsWithBlank(bytes: Uint8Array): boolean {
  return bytes.length > 0 && isPythonSpace(bytes[bytes.length - 1]!);
}

/** One .snmprec line for a varbind: printable strings as they are, other bytes as hex. */
export function formatSnmprecLine(oid: string, value: SnmpValue): string {
  const tag = TAG_OF_TYPE[value.type];
  switch (value.type) {
    case 'OctetString':
    case 'Opaque':
      // Trailing blanks would be stripped with the line (as snmpsim strips it): such a value is written as hex.
      return isPrintable(value.value) && value.type === 'OctetString' && !endsWithBlank(value.value)
        ? `${oid}|${tag}|${latin1Text(value.value)}`
        : `${oid}|${tag}x|${bytesToHex(value.value)}`;
    case 'Null':
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      return `${oid}|${tag}|`;
    default:
      return `${oid}|${tag}|${String(value.value)}`;
  }
}

/** .snmprec text for varbinds (sorted by the caller; a walk already is). */
export function formatSnmprec(varbinds: Iterable<VarBind>): string {
  let out = '';
  for (const vb of varbinds) out += `${formatSnmprecLine(vb.oid, vb.value)}\n`;
  return out;
}

const WALK_LINE = /^\.?(\d+(?:\.\d+)+) = (.*)$/;
const HEX_CONTINUATION = /^([0-9A-Fa-f]{2} ?)+$/;

/**
 * Net-SNMP walk output (`snmpwalk -On`, or `-ObentU` as snmpsim reads it) as .snmprec records, by the `TYPE:`
 * prefixes; a bare number is TimeTicks (what `-Ot` prints for them). Multi-line values (STRINGs holding newlines,
 * long Hex-STRINGs) are joined. Lines that report exceptions (No Such Object, No more variables) carry no data and
 * are skipped. Throws DataFormatError naming the line (a multi-line value's first) and the OID.
 */
export function parseWalk(text: string, source?: string): SnmprecRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SnmprecRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // Blank lines and # comments carry no data (snmpsim skips them in every format).
    if (line === '' || line.startsWith('#')) continue;
    const m = WALK_LINE.exec(line);
    if (!m) throw new DataFormatError('expected ".OID = TYPE: VALUE"', i + 1, source);
    const first = i + 1;
    const oid = canonicalOid(m[1]!);
    // Values of a type the MIB did not expect come as `Wrong Type (should be Counter32): Gauge32: 5`.
    let rest = m[2]!.replace(/^Wrong Type \(should be [^)]*\): /, '');
    // A quoted STRING goes on until its closing quote; a Hex-STRING over 16 bytes goes on over several lines.
    if (/^STRING: "/.test(rest) || rest.startsWith('"')) {
      while (!closesQuote(rest.slice(rest.indexOf('"'))) && i + 1 < lines.length) rest += `\n${lines[++i]}`;
    } else if (/^(Hex-STRING|BITS|Opaque|OPAQUE): /.test(rest)) {
      while (i + 1 < lines.length && HEX_CONTINUATION.test(lines[i + 1]!.trim()) && !WALK_LINE.test(lines[i + 1]!)) {
        rest += ` ${lines[++i]!.trim()}`;
      }
    }
    let record: SnmprecRecord | undefined;
    try {
      record = walkValue(oid, rest);
    } catch (error) {
      if (error instanceof RangeError) throw new DataFormatError(error.message, first, source, oid);
      throw error;
    }
    if (record) {
      record.line = first;
      records.push(record);
    }
  }
  return records;
}

/** True when `s` (starting with a quote) ends with an unescaped closing quote. */
function closesQuote(s: string): boolean {
  if (s.length < 2 || !s.endsWith('"')) return false;
  let backslashes = 0;
  for (let k = s.length - 2; k > 0 && s[k] === '\\'; k--) backslashes++;
  return backslashes % 2 === 0;
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(["\\])/g, '$1');
  return t;
}

/** The number of `INTEGER: 5`, `INTEGER: up(1)`, `Timeticks: (4242) 0:00:42.42`; throws RangeError without one. */
function leadingNumber(s: string): string {
  const paren = /\((-?\d+)\)/.exec(s);
  const plain = /^\s*(-?\d+)/.exec(s);
  const m = plain ?? paren;
  if (!m) throw new RangeError(`expected a number in "${s}"`);
  return m[1]!;
}

function hexPart(s: string): string {
  const m = /^((?:[0-9A-Fa-f]{2}[ :]?)*)/.exec(s.trim().replace(/\s+/g, ' '));
  return (m?.[1] ?? '').replace(/[ :]/g, '').toLowerCase();
}

/** One walk value as a record (undefined for exception lines); throws RangeError saying what it cannot read. */
function walkValue(oid: string, rest: string): SnmprecRecord | undefined {
  const rec = (tag: number, text: string, encoding: ValueEncoding = 'plain'): SnmprecRecord => ({
    oid,
    tag,
    encoding,
    module: undefined,
    text,
  });
  if (rest === '""') return rec(4, '');
  if (rest === 'NULL') return rec(5, '');
  if (/^No (Such|more)/.test(rest)) return undefined;
  // -Ot prints TimeTicks as the bare number of hundredths, with no `Timeticks:` (every other type keeps its prefix).
  if (/^\d+$/.test(rest)) return rec(67, rest);
  const colon = rest.indexOf(': ');
  // Type names in any case, as snmpsim takes them (walks from other tools vary).
  const type = (colon < 0 ? rest.replace(/:$/, '') : rest.slice(0, colon)).toUpperCase();
  const value = colon < 0 ? '' : rest.slice(colon + 2);
  switch (type) {
    case 'STRING': {
      // An unquoted value printed through a DISPLAY-HINT such as "1x:" (a MAC: 0:12:79:62:f9:40) is its bytes, as
      // snmpsim reads it: colon-separated groups of one or two hex digits, the first colon not leading.
      const text = value.trim();
      if (!text.startsWith('"') && /^[0-9A-Fa-f]{1,2}(?::[0-9A-Fa-f]{1,2})+$/.test(text)) {
        return rec(
          4,
          text
            .split(':')
            .map((part) => part.padStart(2, '0'))
            .join(''),
          'hex',
        );
      }
      const bytes = latin1Bytes(unquote(value));
      return isPrintable(bytes) ? rec(4, latin1Text(bytes)) : rec(4, bytesToHex(bytes), 'hex');
    }
    case 'HEX-STRING':
    case 'BITS':
      return rec(4, hexPart(value), 'hex');
    case 'INTEGER':
      return rec(2, leadingNumber(value));
    case 'COUNTER32':
      return rec(65, leadingNumber(value));
    case 'GAUGE32':
    case 'UNSIGNED32':
    case 'UINTEGER32':
      return rec(66, leadingNumber(value));
    case 'COUNTER64':
      return rec(70, leadingNumber(value));
    case 'TIMETICKS':
      return rec(67, leadingNumber(value));
    case 'OID': {
      const o = value.trim().replace(/^\./, '');
      if (!/^\d+(\.\d+)+$/.test(o)) throw new RangeError(`OID value "${value}" is not numeric: use -On`);
      return rec(6, o);
    }
    case 'IPADDRESS':
      return rec(64, value.trim());
    case 'NETWORK ADDRESS':
      return rec(64, hexPart(value), 'hex');
    case 'OPAQUE':
      return rec(68, opaqueHex(value), 'hex');
    default:
      throw new RangeError(
        `cannot read the value ${quoted(rest)}: expected TYPE: VALUE (as snmpwalk -On or -ObentU prints it), ` +
          '"", NULL, or a bare number (TimeTicks under -Ot)',
      );
  }
}

/** An Opaque walk value as hex: `Float: 1.5`, `Double: ...`, `I64:`/`U64:` ... re-encoded, other bytes as they are. */
function opaqueHex(value: string): string {
  const special = /^(Float|Double|Int64|I64|UInt64|U64): (.*)$/.exec(value.trim());
  if (!special) return hexPart(value);
  const [, kind, v] = special;
  if (kind === 'Float' || kind === 'Double') {
    // printf's %f, as Net-SNMP prints them: also nan, inf and -inf.
    const t = v!.trim().toLowerCase();
    const n = t === 'nan' ? Number.NaN : t === 'inf' ? Infinity : t === '-inf' ? -Infinity : Number(t);
    if (Number.isNaN(n) && t !== 'nan') throw new RangeError(`expected a number in "${value}"`);
    return bytesToHex(encodeOpaqueSpecial({ type: kind, value: n }));
  }
  if (!/^\s*-?\d+\s*$/.test(v!)) throw new RangeError(`expected a whole number in "${value}"`);
  const type = kind === 'Int64' || kind === 'I64' ? 'Integer64' : 'Unsigned64';
  return bytesToHex(encodeOpaqueSpecial({ type, value: BigInt(v!.trim()) }));
}

/** Whether text looks like walk output rather than .snmprec (first data line has " = "). */
export function looksLikeWalk(text: string): boolean {
  const first = /^[^#\n\r][^\n\r]*/m.exec(text)?.[0] ?? '';
  return WALK_LINE.test(first);
}

/**
 * snmpsim's split (snmpsim.mltsplit): on the separator tripled if the text holds it so, else doubled, else single,
 * so that `value=a,b,,wait=10` can carry a comma.
 */
export function multiSplit(text: string, separator: string): string[] {
  for (const n of [3, 2, 1]) {
    const sep = separator.repeat(n);
    if (text.includes(sep)) return text.split(sep);
  }
  return [text];
}
