import {
  bytesToHex,
  decodeOpaqueSpecial,
  encodeOpaqueSpecial,
  hexToBytes,
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
}

/** A line that is not valid .snmprec or walk output, with its line number. */
export class DataFormatError extends Error {
  readonly code = 'ERR_SIMULATOR_DATA';
  constructor(
    message: string,
    readonly line: number,
    readonly source?: string,
  ) {
    super(`${source ? `${source}:` : ''}${line}: ${message}`);
    this.name = 'DataFormatError';
  }
}

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
    let lineEnd = end;
    if (lineEnd > start && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd > start && text.charCodeAt(start) !== 35) {
      const bar1 = text.indexOf('|', start);
      const bar2 = bar1 < 0 || bar1 >= lineEnd ? -1 : text.indexOf('|', bar1 + 1);
      if (bar2 < 0 || bar2 >= lineEnd) {
        if (text.slice(start, lineEnd).trim() !== '') {
          throw new DataFormatError('expected OID|TAG|VALUE', lineNo, source);
        }
      } else {
        parseRecordParts(text, start, bar1, bar2, lineEnd, lineNo, source, onRecord);
      }
    }
    start = end + 1;
  }
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
  let oid = text.slice(start, bar1);
  if (oid.charCodeAt(0) === 46) oid = oid.slice(1);
  if (!/^\d+(\.\d+)+$/.test(oid)) throw new DataFormatError(`bad OID "${oid}"`, lineNo, source);
  oid = canonicalOid(oid);
  let tag = 0;
  let i = bar1 + 1;
  for (; i < bar2; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    tag = tag * 10 + (c - 48);
  }
  if (i === bar1 + 1 || SNMPREC_TAGS[tag] === undefined) {
    throw new DataFormatError(`unknown tag "${text.slice(bar1 + 1, bar2)}"`, lineNo, source);
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
      throw new DataFormatError(`bad tag "${text.slice(bar1 + 1, bar2)}"`, lineNo, source);
    }
    module = text.slice(i + 1, bar2);
  }
  onRecord(oid, tag, encoding, module, text.slice(bar2 + 1, lineEnd), lineNo);
}

export function parseSnmprec(text: string, source?: string): SnmprecRecord[] {
  const records: SnmprecRecord[] = [];
  forEachSnmprecRecord(
    text,
    (oid, tag, encoding, module, value) => records.push({ oid, tag, encoding, module, text: value }),
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

function unsigned(text: string, max: number, what: string): number {
  const v = Number(text.trim());
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`not a ${what}: "${text}"`);
  return v;
}

/** The value a record's tag and text denote (variation arguments are not a value: see the data store). */
export function decodeRecordValue(tag: number, text: string, encoding: ValueEncoding): SnmpValue {
  switch (tag) {
    case 2: {
      const v = encoding === 'hex' ? signedFromHex(text) : Number(text.trim());
      if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
        throw new RangeError(`not an Integer32: "${text}"`);
      return { type: 'Integer', value: v };
    }
    case 4:
      return { type: 'OctetString', value: valueBytes(text, encoding) };
    case 5:
      return { type: 'Null' };
    case 6: {
      const oid = encoding === 'plain' ? text.trim() : latin1Text(valueBytes(text, encoding));
      return { type: 'ObjectIdentifier', value: oid.startsWith('.') ? oid.slice(1) : oid };
    }
    case 64: {
      if (encoding === 'hex') {
        const b = hexToBytes(text);
        if (b.length !== 4) throw new RangeError(`not a 4-byte IpAddress: "${text}"`);
        return { type: 'IpAddress', value: `${b[0]}.${b[1]}.${b[2]}.${b[3]}` };
      }
      return { type: 'IpAddress', value: text.trim() };
    }
    case 65:
      return { type: 'Counter32', value: unsigned(text, 0xffffffff, 'Counter32') };
    case 66:
      return { type: 'Gauge32', value: unsigned(text, 0xffffffff, 'Gauge32') };
    case 67:
      return { type: 'TimeTicks', value: unsigned(text, 0xffffffff, 'TimeTicks') };
    case 68: {
      const value = valueBytes(text, encoding);
      const opaque = decodeOpaqueSpecial(value);
      return opaque ? { type: 'Opaque', value, opaque } : { type: 'Opaque', value };
    }
    case 70: {
      const v = BigInt(text.trim());
      if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`not a Counter64: "${text}"`);
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

function signedFromHex(text: string): number {
  const b = hexToBytes(text);
  let v = b.length > 0 && b[0]! & 0x80 ? -1 : 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

function isPrintable(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** One .snmprec line for a varbind: printable strings as they are, other bytes as hex. */
export function formatSnmprecLine(oid: string, value: SnmpValue): string {
  const tag = TAG_OF_TYPE[value.type];
  switch (value.type) {
    case 'OctetString':
    case 'Opaque':
      return isPrintable(value.value) && value.type === 'OctetString'
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
 * prefixes. Multi-line values (STRINGs holding newlines, long Hex-STRINGs) are joined. Lines that report
 * exceptions (No Such Object, No more variables) carry no data and are skipped.
 */
export function parseWalk(text: string, source?: string): SnmprecRecord[] {
  const lines = text.split(/\r?\n/);
  const records: SnmprecRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const m = WALK_LINE.exec(line);
    if (!m) throw new DataFormatError('expected ".OID = TYPE: VALUE"', i + 1, source);
    const oid = canonicalOid(m[1]!);
    let rest = m[2]!;
    // A quoted STRING goes on until its closing quote; a Hex-STRING over 16 bytes goes on over several lines.
    if (/^STRING: "/.test(rest) || rest.startsWith('"')) {
      while (!closesQuote(rest.slice(rest.indexOf('"'))) && i + 1 < lines.length) rest += `\n${lines[++i]}`;
    } else if (/^(Hex-STRING|BITS|Opaque|OPAQUE): /.test(rest)) {
      while (i + 1 < lines.length && HEX_CONTINUATION.test(lines[i + 1]!.trim()) && !WALK_LINE.test(lines[i + 1]!)) {
        rest += ` ${lines[++i]!.trim()}`;
      }
    }
    const record = walkValue(oid, rest, i + 1, source);
    if (record) records.push(record);
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

function leadingNumber(s: string, lineNo: number, source?: string): string {
  const paren = /\((-?\d+)\)/.exec(s);
  const plain = /^\s*(-?\d+)/.exec(s);
  const m = plain ?? paren;
  if (!m) throw new DataFormatError(`expected a number in "${s}"`, lineNo, source);
  return m[1]!;
}

function hexPart(s: string): string {
  const m = /^((?:[0-9A-Fa-f]{2}[ :]?)*)/.exec(s.trim().replace(/\s+/g, ' '));
  return (m?.[1] ?? '').replace(/[ :]/g, '').toLowerCase();
}

function walkValue(oid: string, rest: string, lineNo: number, source?: string): SnmprecRecord | undefined {
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
  const colon = rest.indexOf(': ');
  const type = colon < 0 ? rest.replace(/:$/, '') : rest.slice(0, colon);
  const value = colon < 0 ? '' : rest.slice(colon + 2);
  switch (type) {
    case 'STRING': {
      const bytes = latin1Bytes(unquote(value));
      return isPrintable(bytes) ? rec(4, latin1Text(bytes)) : rec(4, bytesToHex(bytes), 'hex');
    }
    case 'Hex-STRING':
    case 'BITS':
      return rec(4, hexPart(value), 'hex');
    case 'INTEGER':
      return rec(2, leadingNumber(value, lineNo, source));
    case 'Counter32':
      return rec(65, leadingNumber(value, lineNo, source));
    case 'Gauge32':
    case 'Unsigned32':
    case 'UInteger32':
      return rec(66, leadingNumber(value, lineNo, source));
    case 'Counter64':
      return rec(70, leadingNumber(value, lineNo, source));
    case 'Timeticks':
      return rec(67, leadingNumber(value, lineNo, source));
    case 'OID': {
      const o = value.trim().replace(/^\./, '');
      if (!/^\d+(\.\d+)+$/.test(o))
        throw new DataFormatError(`OID value "${value}" is not numeric: use -On`, lineNo, source);
      return rec(6, o);
    }
    case 'IpAddress':
      return rec(64, value.trim());
    case 'Network Address':
      return rec(64, hexPart(value), 'hex');
    case 'Opaque':
    case 'OPAQUE': {
      const special = /^(Float|Double|Int64|I64|UInt64|U64): (.*)$/.exec(value.trim());
      if (special) {
        const [, kind, v] = special;
        const s =
          kind === 'Float'
            ? encodeOpaqueSpecial({ type: 'Float', value: Number(v) })
            : kind === 'Double'
              ? encodeOpaqueSpecial({ type: 'Double', value: Number(v) })
              : encodeOpaqueSpecial({
                  type: kind === 'Int64' || kind === 'I64' ? 'Integer64' : 'Unsigned64',
                  value: BigInt(v!.trim()),
                });
        return rec(68, bytesToHex(s), 'hex');
      }
      return rec(68, hexPart(value), 'hex');
    }
    default:
      throw new DataFormatError(`unknown walk type "${type}"`, lineNo, source);
  }
}

/** Whether text looks like walk output rather than .snmprec (first data line has " = "). */
export function looksLikeWalk(text: string): boolean {
  const first = /^[^#\n\r][^\n\r]*/m.exec(text)?.[0] ?? '';
  return WALK_LINE.test(first);
}
