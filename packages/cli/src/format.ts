/**
 * Net-SNMP's text for OIDs and values (snmplib/mib.c: sprint_realloc_objid, sprint_realloc_by_type and friends)
 * for a session that knows no MIB module: what snmpget prints with MIBS empty. The -O flags change it as
 * Net-SNMP's snmp_out_options does: some letters set a mode (f n s S u a x), the others toggle.
 *
 * This belongs in @snmpkit/mib (which will know names, enums, DISPLAY-HINTs and units); it lives here until that
 * package exports a formatter. Names come from `OidNamer`, so a MIB tree can plug in without touching this file.
 */
import type { SnmpValue, VarBind } from '@snmpkit/ber';

export type OidStyle = 'module' | 'suffix' | 'full' | 'numeric' | 'ucd';

/** Net-SNMP's output settings (the NETSNMP_DS_LIB_* booleans and ints that -O sets). */
export interface OutputSettings {
  oidStyle: OidStyle;
  /** -Oq (QUICK_PRINT): no type prefixes, ' ' between OID and value. */
  quick: boolean;
  /** -OQ (QUICKE_PRINT): with quick, ' = ' between OID and value. */
  quickEquals: boolean;
  /** -Ov: the value alone. */
  bareValue: boolean;
  /** -Ot: TimeTicks as a bare number. */
  numericTimeticks: boolean;
  /** -OT: hex strings followed by their printable text. */
  hexText: boolean;
  /** -Oa / -Ox: how OCTET STRINGs print; 'guess' (the default) picks hex when a byte is not printable. */
  strings: 'guess' | 'ascii' | 'hex';
  /** -Oe, -OU, -Ob, -OE, -OX, -O0: need MIB information (enums, units, indexes); recorded for a MIB-aware printer. */
  numericEnums: boolean;
  noUnits: boolean;
  noIndexBreakdown: boolean;
  escapeQuotes: boolean;
  extendedIndex: boolean;
  twoDigitHex: boolean;
}

export function defaultOutputSettings(): OutputSettings {
  return {
    oidStyle: 'module',
    quick: false,
    quickEquals: false,
    bareValue: false,
    numericTimeticks: false,
    hexText: false,
    strings: 'guess',
    numericEnums: false,
    noUnits: false,
    noIndexBreakdown: false,
    escapeQuotes: false,
    extendedIndex: false,
    twoDigitHex: false,
  };
}

/**
 * Applies one -O argument to `settings`; returns the first letter Net-SNMP would reject, or undefined.
 * (Net-SNMP's `-Op PRECISION` is not supported: it returns 'p'.)
 */
export function applyOutputFlags(settings: OutputSettings, flags: string): string | undefined {
  for (const letter of flags) {
    switch (letter) {
      case 'f':
        settings.oidStyle = 'full';
        break;
      case 'n':
        settings.oidStyle = 'numeric';
        break;
      case 's':
        settings.oidStyle = 'suffix';
        break;
      case 'S':
        settings.oidStyle = 'module';
        break;
      case 'u':
        settings.oidStyle = 'ucd';
        break;
      case 'a':
        settings.strings = 'ascii';
        break;
      case 'x':
        settings.strings = 'hex';
        break;
      case 'q':
        settings.quick = !settings.quick;
        break;
      case 'Q':
        settings.quickEquals = !settings.quickEquals;
        settings.quick = !settings.quick;
        break;
      case 'v':
        settings.bareValue = !settings.bareValue;
        break;
      case 't':
        settings.numericTimeticks = !settings.numericTimeticks;
        break;
      case 'T':
        settings.hexText = !settings.hexText;
        break;
      case 'e':
        settings.numericEnums = !settings.numericEnums;
        break;
      case 'U':
        settings.noUnits = !settings.noUnits;
        break;
      case 'b':
        settings.noIndexBreakdown = !settings.noIndexBreakdown;
        break;
      case 'E':
        settings.escapeQuotes = !settings.escapeQuotes;
        break;
      case 'X':
        settings.extendedIndex = !settings.extendedIndex;
        break;
      case '0':
        settings.twoDigitHex = !settings.twoDigitHex;
        break;
      default:
        return letter;
    }
  }
  return undefined;
}

/**
 * Gives symbolic names to OIDs. Without MIBs only the three roots are known (ccitt, iso, joint-iso-ccitt), and
 * Net-SNMP prints the first arc's name followed by the other arcs as numbers.
 */
export interface OidNamer {
  /** The OID (dotted, no leading dot) in `style`, for every style but 'numeric'. */
  name(oid: string, style: Exclude<OidStyle, 'numeric'>): string;
}

const ROOT_NAMES = ['ccitt', 'iso', 'joint-iso-ccitt'];

/** The namer of a session without MIB modules. */
export const rootOnlyNamer: OidNamer = {
  name(oid, style) {
    const dot = oid.indexOf('.');
    const first = dot < 0 ? oid : oid.slice(0, dot);
    const rest = dot < 0 ? '' : oid.slice(dot);
    const root = ROOT_NAMES[Number(first)];
    const named = root === undefined ? oid : `${root}${rest}`;
    // Full and UCD styles start with a dot; UCD would drop a known mib-2 prefix, which needs MIB names.
    return style === 'full' || style === 'ucd' ? `.${named}` : named;
  },
};

export function formatOid(oid: string, settings: OutputSettings, namer: OidNamer = rootOnlyNamer): string {
  if (settings.oidStyle === 'numeric') return `.${oid}`;
  return namer.name(oid, settings.oidStyle);
}

/** C's isprint() || isspace() in the C locale: bytes Net-SNMP shows as they are. */
function isPrintableOrSpace(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e) || (byte >= 0x09 && byte <= 0x0d);
}

const HEX_DIGITS = '0123456789ABCDEF';

/** Net-SNMP's hex dump: "%02X " per byte, 16 bytes a line, lines joined by '\n'; -OT adds "  [text]". */
export function hexString(bytes: Uint8Array, withText: boolean): string {
  const lines: string[] = [];
  const lineLength = 16;
  for (let start = 0; start < bytes.length || start === 0; start += lineLength) {
    const end = Math.min(bytes.length, start + lineLength);
    let line = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      line += `${HEX_DIGITS[b >> 4]}${HEX_DIGITS[b & 15]} `;
    }
    if (withText) {
      line += '  [';
      for (let i = start; i < end; i++) {
        const b = bytes[i]!;
        line += isPrintableOrSpace(b) ? String.fromCharCode(b) : '.';
      }
      line += ']';
    }
    lines.push(line);
    if (end >= bytes.length) break;
  }
  return lines.join('\n');
}

/** Net-SNMP's sprint_realloc_asciistring: printable bytes as they are ('"' and '\' escaped), others as '.'. */
function asciiString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (isPrintableOrSpace(b)) {
      if (b === 0x22 || b === 0x5c) s += '\\';
      s += String.fromCharCode(b);
    } else {
      s += '.';
    }
  }
  return s;
}

/** Would Net-SNMP print these bytes as a STRING (true) or as a Hex-STRING (false)? */
export function looksLikeText(bytes: Uint8Array): boolean {
  for (const b of bytes) if (!isPrintableOrSpace(b)) return false;
  return true;
}

function octetString(bytes: Uint8Array, settings: OutputSettings): string {
  if (bytes.length === 0) return '""';
  const hex = settings.strings === 'hex' || (settings.strings === 'guess' && !looksLikeText(bytes));
  if (hex) {
    const dump = hexString(bytes, settings.hexText);
    return settings.quick ? `"${dump}"` : `Hex-STRING: ${dump}`;
  }
  return `${settings.quick ? '' : 'STRING: '}"${asciiString(bytes)}"`;
}

/** Net-SNMP's uptimeString: "1 day, 3:04:05.06"; quick print: "1:3:04:05.06". */
export function timeticksText(ticks: number, quick: boolean): string {
  const centis = ticks % 100;
  let seconds = Math.floor(ticks / 100);
  const days = Math.floor(seconds / 86400);
  seconds %= 86400;
  const hours = Math.floor(seconds / 3600);
  seconds %= 3600;
  const minutes = Math.floor(seconds / 60);
  seconds %= 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (quick) return `${days}:${hours}:${two(minutes)}:${two(seconds)}.${two(centis)}`;
  const clock = `${hours}:${two(minutes)}:${two(seconds)}.${two(centis)}`;
  if (days === 0) return clock;
  return `${days} ${days === 1 ? 'day' : 'days'}, ${clock}`;
}

/**
 * C's printf("%f"): the exact decimal value of the double rounded to 6 places, ties to even (glibc), which
 * Number.prototype.toFixed does not do for large values or exact ties.
 */
export function printfFixed6(x: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const scale = 1_000_000n;
  let micros: bigint;
  if (exponent >= 0) {
    micros = (mantissa << BigInt(exponent)) * scale;
  } else {
    const numerator = mantissa * scale;
    const denominator = 1n << BigInt(-exponent);
    micros = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && micros % 2n === 1n)) micros += 1n;
  }
  const digits = micros.toString().padStart(7, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}

/** Net-SNMP formats floats into a 128-byte buffer: longer text is cut. */
function cFloat(x: number): string {
  return printfFixed6(x).slice(0, 127);
}

function opaque(value: Extract<SnmpValue, { type: 'Opaque' }>, settings: OutputSettings): string {
  const special = value.opaque;
  const prefix = (label: string) => (settings.quick ? '' : `Opaque: ${label}: `);
  if (special) {
    switch (special.type) {
      case 'Float':
      case 'Double':
        return `${prefix('Float')}${cFloat(special.value)}`;
      case 'Integer64':
        return `${prefix('Int64')}${special.value}`;
      case 'Unsigned64':
        return `${prefix('UInt64')}${special.value}`;
      case 'Counter64':
        return `${prefix('Counter64')}${special.value}`;
    }
  }
  const dump = hexString(value.value, settings.hexText);
  return settings.quick ? dump : `OPAQUE: ${dump}`;
}

/** The value part of a varbind line, as Net-SNMP's sprint_realloc_by_type prints it. */
export function formatValue(value: SnmpValue, settings: OutputSettings, namer: OidNamer = rootOnlyNamer): string {
  const typed = (label: string, text: string) => (settings.quick ? text : `${label}: ${text}`);
  switch (value.type) {
    case 'Integer':
      return typed('INTEGER', String(value.value));
    case 'OctetString':
      return octetString(value.value, settings);
    case 'Null':
      return 'NULL';
    case 'ObjectIdentifier':
      return typed('OID', formatOid(value.value, settings, namer));
    case 'IpAddress':
      return typed('IpAddress', value.value);
    case 'Counter32':
      return typed('Counter32', String(value.value));
    case 'Gauge32':
      return typed('Gauge32', String(value.value));
    case 'TimeTicks':
      if (settings.numericTimeticks) return String(value.value);
      return settings.quick
        ? timeticksText(value.value, true)
        : `Timeticks: (${value.value}) ${timeticksText(value.value, false)}`;
    case 'Opaque':
      return opaque(value, settings);
    case 'Counter64':
      return typed('Counter64', value.value.toString());
    case 'NoSuchObject':
      return 'No Such Object available on this agent at this OID';
    case 'NoSuchInstance':
      return 'No Such Instance currently exists at this OID';
    case 'EndOfMibView':
      return 'No more variables left in this MIB View (It is past the end of the MIB tree)';
  }
}

/** print_variable's line from the name and value texts: `NAME = VALUE`, `NAME VALUE` (-Oq) or `VALUE` (-Ov). */
export function varbindLine(name: string, value: string, settings: OutputSettings): string {
  if (settings.bareValue) return value;
  return `${name}${settings.quick && !settings.quickEquals ? ' ' : ' = '}${value}`;
}

/** A whole varbind line (without the newline), as print_variable prints it. */
export function formatVarbind(vb: VarBind, settings: OutputSettings, namer: OidNamer = rootOnlyNamer): string {
  return varbindLine(formatOid(vb.oid, settings, namer), formatValue(vb.value, settings, namer), settings);
}
