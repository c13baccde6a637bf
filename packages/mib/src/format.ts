/**
 * Value display as Net-SNMP prints it (snmpget/snmpwalk default output): the MIB's type decides
 * the printer, enumerations print as `up(1)`, DISPLAY-HINTs format strings and integers, and a
 * value whose type disagrees with the MIB is shown as `Wrong Type (should be ...): ...`.
 *
 * Every function takes `mib: Mib | undefined`: undefined prints what Net-SNMP prints with no MIB
 * module at all (values by their own type, OIDs as `iso.3.6...`). That path never touches a `Mib`,
 * so a caller that needs no names (snmpkit with MIBS empty) loads no module reading code.
 */
import type { SnmpValue } from '@snmpkit/ber';
import { applyIntegerHint, applyOctetHint } from './hints.js';
import type { Mib } from './mib.js';
import { formatOid, numericArcs, type OidFormat, type OidFormatOptions } from './translate.js';
import type { BaseType, EnumItem, MibNode } from './types.js';

export interface FormatOptions {
  /** How OIDs (names and OID values) are printed; default `module`. */
  oidFormat?: OidFormat;
  /**
   * -Oq: no type prefix ("INTEGER: "), BITS and binary strings as quoted hex, and `formatVarbind`
   * separates name and value with a space.
   */
  quick?: boolean;
  /**
   * Net-SNMP's QUICKE_PRINT, the part of -OQ beside `quick`: `formatVarbind` keeps ` = ` between
   * name and value, and values print by their own type, without the "Wrong Type" check. -OQ is
   * `{ quick: true, quickEquals: true }` (-OQ toggles both, so -OqQ leaves only this one on).
   */
  quickEquals?: boolean;
  /** No "Wrong Type (should be ...)" check; the value prints by its own type (implied by `quickEquals`). */
  noWrongType?: boolean;
  /** -Ov: `formatVarbind` prints the value alone, without the name. */
  valueOnly?: boolean;
  /** -Oe: enumerations as numbers. */
  numericEnums?: boolean;
  /** -Ot: TimeTicks as a plain number. */
  numericTimeticks?: boolean;
  /** -OU: no UNITS suffix. */
  noUnits?: boolean;
  /** -Oa / -Ox: strings always as text / always as hex; default guesses like Net-SNMP. */
  stringFormat?: 'guess' | 'ascii' | 'hex';
  /** -OT: hex dumps followed by their text, `  [....]`, per line of 16 bytes. */
  hexText?: boolean;
  /** -OX: indexes in brackets (names and OID values). */
  extendedIndex?: boolean;
  /** -OE: a backslash before the quotes of string indexes (names and OID values), for pasting into a shell. */
  escapeQuotes?: boolean;
  /** -O0: DISPLAY-HINT hex groups below 16 with a leading zero (`01:1b:...`). */
  twoDigitHex?: boolean;
  /** -Ob: indexes as plain numbers (names and OID values). */
  numericIndex?: boolean;
}

/** The parts of the display options that shape OIDs. */
function oidOptions(options: FormatOptions): OidFormatOptions {
  return {
    extendedIndex: options.extendedIndex,
    numericIndex: options.numericIndex,
    quick: options.quick,
    escapeQuotes: options.escapeQuotes,
  };
}

interface Ctx {
  mib: Mib | undefined;
  options: FormatOptions;
}

function isPrintOrSpace(b: number): boolean {
  return (b >= 32 && b < 127) || (b >= 9 && b <= 13);
}

/**
 * Net-SNMP's hex dump: "%02X " per byte, a line break after every 16 bytes when more follow; with
 * `withText` (-OT) each line ends with its bytes as text, `  [....]` (unprintable bytes as dots).
 * No bytes still make one (empty) line, as in Net-SNMP: `  []` with `withText`.
 */
export function hexString(bytes: Uint8Array, withText = false): string {
  let s = '';
  for (let line = 0; line === 0 || line < bytes.length; line += 16) {
    if (line > 0) s += '\n';
    const chunk = bytes.subarray(line, line + 16);
    for (const b of chunk) s += `${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()} `;
    if (withText) {
      let text = '';
      for (const b of chunk) text += isPrintOrSpace(b) ? String.fromCharCode(b) : '.';
      s += `  [${text}]`;
    }
  }
  return s;
}

/**
 * C's printf("%.6f"): the exact binary value rounded half-to-even, which differs from JavaScript's
 * toFixed() (half-up on the decimal approximation) for values like 2.3515625.
 */
export function cFixed(x: number, digits = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent: number;
  if (exponentBits === 0) exponent = -1074;
  else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const scale = 10n ** BigInt(digits);
  let scaled: bigint;
  if (exponent >= 0) scaled = (mantissa << BigInt(exponent)) * scale;
  else {
    const numerator = mantissa * scale;
    const denominator = 1n << BigInt(-exponent);
    scaled = numerator / denominator;
    const twice = (numerator % denominator) * 2n;
    if (twice > denominator || (twice === denominator && scaled % 2n === 1n)) scaled++;
  }
  const text = scaled.toString().padStart(digits + 1, '0');
  const body = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return (negative ? '-' : '') + body;
}

/**
 * Net-SNMP's uptime_string for TimeTicks: `1 day, 3:04:05.06`, or with `quick` (-Oq)
 * `1:3:04:05.06`. snmptrapd prints a v1 trap's time stamp this way.
 */
export function timeticksText(ticks: number, quick = false): string {
  const cs = ticks % 100;
  let t = Math.floor(ticks / 100);
  const days = Math.floor(t / 86400);
  t %= 86400;
  const hours = Math.floor(t / 3600);
  t %= 3600;
  const minutes = Math.floor(t / 60);
  const seconds = t % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${hours}:${two(minutes)}:${two(seconds)}.${two(cs)}`;
  if (quick) return `${days}:${clock}`;
  if (days === 0) return clock;
  return `${days} ${days === 1 ? 'day' : 'days'}, ${clock}`;
}

function units(ctx: Ctx, node: MibNode | undefined): string {
  return node?.units && !ctx.options.noUnits ? ` ${node.units}` : '';
}

function prefix(ctx: Ctx, label: string): string {
  return ctx.options.quick ? '' : label;
}

function enumLabel(enums: EnumItem[] | undefined, value: number): string | undefined {
  return enums?.find((e) => e.value === value)?.label;
}

function octetString(ctx: Ctx, bytes: Uint8Array, node: MibNode | undefined, hint: string | undefined): string {
  if (hint) {
    const text = applyOctetHint(hint, bytes, ctx.options.twoDigitHex === true);
    if (text !== undefined) return prefix(ctx, 'STRING: ') + text + units(ctx, node);
    return `(Bad hint ignored: ${hint}) ${octetString(ctx, bytes, undefined, undefined)}`;
  }
  const mode = ctx.options.stringFormat ?? 'guess';
  const hex = mode === 'hex' || (mode === 'guess' && !bytes.every(isPrintOrSpace));
  if (bytes.length === 0) return `""${units(ctx, node)}`;
  let out: string;
  if (hex) {
    const dump = hexString(bytes, ctx.options.hexText === true);
    out = ctx.options.quick ? `"${dump}"` : `Hex-STRING: ${dump}`;
  } else {
    let s = '';
    for (const b of bytes) {
      if (!isPrintOrSpace(b)) s += '.';
      else s += b === 0x5c || b === 0x22 ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b);
    }
    out = `${prefix(ctx, 'STRING: ')}"${s}"`;
  }
  return out + units(ctx, node);
}

function integer(ctx: Ctx, v: number, node: MibNode | undefined, unsigned: boolean): string {
  const label = ctx.options.numericEnums ? undefined : enumLabel(node?.enums, v);
  let text: string;
  if (label === undefined) text = node?.hint ? applyIntegerHint(node.hint, v, unsigned) : String(v);
  else text = ctx.options.quick ? label : `${label}(${v})`;
  return text + units(ctx, node);
}

function bits(ctx: Ctx, bytes: Uint8Array, node: MibNode | undefined): string {
  const dump = hexString(bytes, ctx.options.hexText === true);
  if (ctx.options.quick) return `"${dump}"`;
  let out = `BITS: ${dump}`;
  // Net-SNMP walks the enumeration list without rewinding it, so a bit whose label comes earlier in
  // the list than the previous match prints as a bare number. Reproduced on purpose.
  const enums = node?.enums ?? [];
  let cursor = 0;
  for (let byte = 0; byte < bytes.length; byte++) {
    for (let bit = 0; bit < 8; bit++) {
      if (!(bytes[byte]! & (0x80 >> bit))) continue;
      const n = byte * 8 + bit;
      let label: string | undefined;
      for (; cursor < enums.length; cursor++) {
        if (enums[cursor]!.value === n) {
          label = enums[cursor]!.label;
          break;
        }
      }
      out += label === undefined || ctx.options.numericEnums ? `${n} ` : `${label}(${n}) `;
    }
  }
  return out;
}

function ipText(value: string): Uint8Array {
  return Uint8Array.from(value.split('.').map((p) => Number(p) & 255));
}

/** Prints by the value's own type (no MIB information): Net-SNMP's sprint_realloc_by_type. */
function byType(ctx: Ctx, v: SnmpValue, node: MibNode | undefined): string {
  switch (v.type) {
    case 'Integer':
      return prefix(ctx, 'INTEGER: ') + integer(ctx, v.value, node, false);
    case 'OctetString':
      return octetString(ctx, v.value, node, node?.hint);
    case 'Null':
      return 'NULL';
    case 'ObjectIdentifier':
      return prefix(ctx, 'OID: ') + oidValue(ctx, v.value) + units(ctx, node);
    case 'IpAddress':
      return prefix(ctx, 'IpAddress: ') + [...ipText(v.value)].join('.');
    case 'Counter32':
      return `${prefix(ctx, 'Counter32: ')}${v.value >>> 0}${units(ctx, node)}`;
    case 'Gauge32':
      return (
        prefix(ctx, 'Gauge32: ') +
        (node?.hint ? applyIntegerHint(node.hint, v.value, true) : String(v.value >>> 0)) +
        units(ctx, node)
      );
    case 'TimeTicks':
      if (ctx.options.numericTimeticks) return String(v.value >>> 0);
      return `${prefix(ctx, `Timeticks: (${v.value >>> 0}) `)}${timeticksText(v.value >>> 0, ctx.options.quick === true)}${units(ctx, node)}`;
    case 'UInteger32':
      // sprint_realloc_uinteger prints no type label: `5`, an enum's `label(5)`, or the DISPLAY-HINT's text.
      return integer(ctx, v.value >>> 0, node, true);
    case 'Opaque':
      return opaque(ctx, v, node);
    case 'Counter64':
      return `${prefix(ctx, 'Counter64: ')}${v.value}${units(ctx, node)}`;
    case 'NoSuchObject':
      return 'No Such Object available on this agent at this OID';
    case 'NoSuchInstance':
      return 'No Such Instance currently exists at this OID';
    case 'EndOfMibView':
      return 'No more variables left in this MIB View (It is past the end of the MIB tree)';
  }
}

function opaque(ctx: Ctx, v: Extract<SnmpValue, { type: 'Opaque' }>, node: MibNode | undefined): string {
  const special = v.opaque;
  const tail = units(ctx, node);
  if (special?.type === 'Float' || special?.type === 'Double') {
    // Net-SNMP prints floats into a 128-byte buffer: the text of a huge double is cut at 127 characters.
    return `${prefix(ctx, 'Opaque: Float: ')}${cFixed(special.value).slice(0, 127)}${tail}`;
  }
  if (special?.type === 'Integer64') return `${prefix(ctx, 'Opaque: Int64: ')}${special.value}${tail}`;
  if (special?.type === 'Unsigned64') return `${prefix(ctx, 'Opaque: UInt64: ')}${special.value}${tail}`;
  if (special?.type === 'Counter64') return `${prefix(ctx, 'Opaque: Counter64: ')}${special.value}${tail}`;
  return prefix(ctx, 'OPAQUE: ') + hexString(v.value, ctx.options.hexText === true) + tail;
}

function oidValue(ctx: Ctx, oid: string): string {
  const arcs = numericArcs(oid);
  if (!arcs) return oid;
  return formatOid(ctx.mib, arcs, ctx.options.oidFormat ?? 'module', oidOptions(ctx.options));
}

/** The MIB type each printer expects, and Net-SNMP's name for it in "Wrong Type" messages. */
const EXPECTED: Partial<Record<BaseType, [SnmpValue['type'][], string]>> = {
  'OBJECT IDENTIFIER': [['ObjectIdentifier'], 'OBJECT IDENTIFIER'],
  'OCTET STRING': [['OctetString'], 'OCTET STRING'],
  INTEGER: [['Integer'], 'INTEGER'],
  Integer32: [['Integer'], 'INTEGER'],
  NetworkAddress: [['IpAddress'], 'NetworkAddress'],
  IpAddress: [['IpAddress'], 'IpAddress'],
  Counter32: [['Counter32'], 'Counter32'],
  Gauge32: [['Gauge32'], 'Gauge32 or Unsigned32'],
  Unsigned32: [['Gauge32'], 'Gauge32 or Unsigned32'],
  TimeTicks: [['TimeTicks'], 'Timeticks'],
  Opaque: [['Opaque'], 'Opaque'],
  NULL: [['Null'], 'NULL'],
  Counter64: [['Counter64'], 'Counter64'],
  BITS: [['OctetString'], 'BITS'],
  UInteger32: [['UInteger32'], 'UInteger32'],
};

/**
 * Formats a value as snmpget prints it after `OID = `, using what the MIB knows about `node`
 * (pass undefined to print by the value's own type, like Net-SNMP without MIBs).
 */
export function formatValueForNode(
  mib: Mib | undefined,
  node: MibNode | undefined,
  value: SnmpValue,
  options: FormatOptions = {},
): string {
  const ctx: Ctx = { mib, options };
  if (value.type === 'NoSuchObject' || value.type === 'NoSuchInstance' || value.type === 'EndOfMibView') {
    return byType(ctx, value, undefined);
  }
  const expected = node ? EXPECTED[node.type] : undefined;
  // Nodes of no known type print by the value's type, but still with the node's enums, hint and units.
  if (!node || !expected) return byType(ctx, value, node);
  if (!expected[0].includes(value.type)) {
    if (options.noWrongType || options.quickEquals) return byType(ctx, value, undefined);
    return `Wrong Type (should be ${expected[1]}): ${byType(ctx, value, undefined)}`;
  }
  switch (node.type) {
    case 'INTEGER':
    case 'Integer32':
      return prefix(ctx, 'INTEGER: ') + integer(ctx, (value as { value: number }).value, node, false);
    case 'NetworkAddress': {
      const bytes = ipText((value as { value: string }).value);
      return (
        prefix(ctx, 'Network Address: ') +
        [...bytes].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(':')
      );
    }
    case 'BITS':
      return bits(ctx, (value as { value: Uint8Array }).value, node);
    default:
      return byType(ctx, value, node);
  }
}

/** Formats a value for an OID: finds the OID's node in the MIB and prints like snmpget. */
export function formatValue(mib: Mib | undefined, oid: string, value: SnmpValue, options: FormatOptions = {}): string {
  const arcs = mib ? numericArcs(oid) : undefined;
  const found = arcs ? mib?.nodeForArcs(arcs) : undefined;
  return formatValueForNode(mib, found?.node, value, options);
}

/**
 * Net-SNMP's line for a varbind from the texts of its name and value: `NAME = VALUE`,
 * `NAME VALUE` (-Oq), `NAME = VALUE` again with -OQ, or `VALUE` alone (-Ov).
 */
export function varbindLine(name: string, value: string, options: FormatOptions = {}): string {
  if (options.valueOnly) return value;
  return `${name}${options.quick && !options.quickEquals ? ' ' : ' = '}${value}`;
}

/** A whole snmpwalk line, as the options shape it (see `varbindLine`). */
export function formatVarbind(
  mib: Mib | undefined,
  oid: string,
  value: SnmpValue,
  options: FormatOptions = {},
): string {
  const name = options.valueOnly ? '' : formatOid(mib, oid, options.oidFormat ?? 'module', oidOptions(options));
  return varbindLine(name, formatValue(mib, oid, value, options), options);
}
