/**
 * Name ⇄ OID translation with Net-SNMP's output forms and its table-index rendering.
 */
import { applyOctetHint } from './hints.js';
import { inetAddressBytes, inetAddressText, isInetAddressIndex, netSnmpInetText } from './inet-address.js';
import type { Mib } from './mib.js';
import type { TreeNode } from './tree.js';
import type { IndexItem, MibNode } from './types.js';

/**
 * How an OID is printed, after Net-SNMP's -O flags:
 * `module` (default) `SNMPv2-MIB::sysDescr.0`, `numeric` (-On) `.1.3.6.1.2.1.1.1.0`,
 * `full` (-Of) `.iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0`, `suffix` (-Os) `sysDescr.0`,
 * `ucd` (-Ou) the full form without the mib-2, experimental or private prefix: `system.sysDescr.0`.
 */
export type OidFormat = 'module' | 'numeric' | 'full' | 'suffix' | 'ucd';

/** The prefixes -Ou strips (Net-SNMP's mib_prefixes), each followed by a dot in the name. */
const UCD_PREFIXES = [
  '.iso.org.dod.internet.mgmt.mib-2.',
  '.iso.org.dod.internet.experimental.',
  '.iso.org.dod.internet.private.',
  '.iso.org.dod.internet.snmpParties.',
  '.iso.org.dod.internet.snmpSecrets.',
];

/**
 * An OID input that does not resolve. `message` is Net-SNMP's whole line (`foo.0: Unknown Object
 * Identifier (Sub-id not found: (top) -> foo)`); `detail` is the part after the input, which
 * snmpset prints after the OID of a bad OID value.
 */
export class MibLookupError extends Error {
  readonly input: string;
  readonly detail: string;
  /** `reason` goes in parentheses after "Unknown Object Identifier"; without one there are none. */
  constructor(input: string, reason?: string) {
    const detail = `Unknown Object Identifier${reason === undefined ? '' : ` (${reason})`}`;
    super(`${input}: ${detail}`);
    this.name = 'MibLookupError';
    this.input = input;
    this.detail = detail;
  }
}

/** The names Net-SNMP knows with no MIB module loaded: the three roots, by their arc. */
const ROOT_LABELS: readonly string[] = ['ccitt', 'iso', 'joint-iso-ccitt'];
const MAX_SUBID = 4294967295;

/**
 * Net-SNMP's OID text with no MIB module: the root's name, then numbers (`iso.3.6.1.2.1.1.1.0`);
 * an OID under no known root is all numbers after a dot, in every form.
 */
function formatOidWithoutMib(arcs: readonly number[], format: Exclude<OidFormat, 'numeric'>): string {
  const root = ROOT_LABELS[arcs[0] ?? -1];
  if (root === undefined) return `.${arcs.join('.')}`;
  const named = arcs.length > 1 ? `${root}.${arcs.slice(1).join('.')}` : root;
  return format === 'full' || format === 'ucd' ? `.${named}` : named;
}

/**
 * OID input with no MIB module, as Net-SNMP reads it then: numbers, optionally after a leading dot,
 * and a root's name in first place (`iso.3.6.1`). Anything else fails with Net-SNMP's message,
 * which quotes the input from the first part it could not read (`1.3.foo.5` -> `(foo.5)`).
 */
function parseOidWithoutMib(input: string): number[] {
  const body = input.startsWith('.') ? input.slice(1) : input;
  const parts = body.split('.');
  const arcs: number[] = [];
  let offset = input.length - body.length;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const root = i === 0 ? ROOT_LABELS.indexOf(part) : -1;
    if (/^\d+$/.test(part)) {
      // A 64-bit Net-SNMP takes such a number, but SNMP sub-ids stop at 2^32-1: refused here.
      if (Number(part) > MAX_SUBID) throw new MibLookupError(input, 'Sub-id out of range');
      arcs.push(Number(part));
    } else if (root >= 0) {
      arcs.push(root);
    } else if (i === 0) {
      throw new MibLookupError(input, `Sub-id not found: (top) -> ${part}`);
    } else {
      throw new MibLookupError(input, input.slice(offset));
    }
    offset += part.length + 1;
  }
  return arcs;
}

/** Arcs of a dotted OID (leading dot optional); undefined when it is not purely numeric. */
export function numericArcs(text: string): number[] | undefined {
  const s = text.startsWith('.') ? text.slice(1) : text;
  if (s.length === 0) return undefined;
  const parts = s.split('.');
  const arcs = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length === 0 || p.length > 10) return undefined;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j);
      if (c < 48 || c > 57) return undefined;
    }
    const v = Number(p);
    if (v > 4294967295) return undefined;
    arcs[i] = v;
  }
  return arcs;
}

function isPrintable(code: number): boolean {
  return code >= 32 && code < 127;
}

/** The index list that applies under a node: its own INDEX, or that of the row it AUGMENTS. */
function indexesOf(mib: Mib, node: TreeNode): IndexItem[] | undefined {
  if (node.indexes) return node.indexes;
  if (node.augments) return mib.treeNode(mib.findNode(node.augments) ?? node).indexes;
  return undefined;
}

/**
 * Quoted text of index arcs; arcs that are not printable ASCII show as '.' as in Net-SNMP. No arcs
 * give no text, unless `evenEmpty` (a length-prefixed string of length 0 prints as `""`).
 */
function quoteArcs(
  arcs: readonly number[],
  quote: string,
  escapeQuotes: boolean | undefined,
  evenEmpty = false,
): string {
  if (arcs.length === 0 && !evenEmpty) return '';
  const mark = escapeQuotes ? `\\${quote}` : quote;
  let s = mark;
  for (const a of arcs) s += a > 254 || !isPrintable(a) ? '.' : String.fromCharCode(a);
  return s + mark;
}

/** Index rendering switches: Net-SNMP's -OX, -Ob and -Oq as they affect names. */
export interface OidFormatOptions {
  /** -OX: each index in brackets, `ifDescr[1]`, strings with a DISPLAY-HINT shown through it. */
  extendedIndex?: boolean;
  /** -Ob: indexes left as numbers, `nsExtendCommand.4.116.101.115.116`. */
  numericIndex?: boolean;
  /** -Oq: drops the "STRING: " that -OX puts before hinted string indexes. */
  quick?: boolean;
  /** -OE: a backslash before each quote around a string index, `skValue.1.\"ab\".10.0.0.1`. */
  escapeQuotes?: boolean;
}

/**
 * Renders the arcs that follow the deepest known node as Net-SNMP's _get_realloc_symbol() does:
 * decoded by the table's INDEX clause as far as it can go, the rest as numbers. The text is built
 * the same way (a trailing dot that the next part may take back), so its odd corners match too:
 * `nsExtendCommand[.4.116.101.115` for a string index cut short under -OX.
 */
function renderIndexes(
  mib: Mib,
  indexes: IndexItem[] | undefined,
  arcs: readonly number[],
  start: number,
  format: OidFormat,
  options: OidFormatOptions,
): string {
  const extended = options.extendedIndex === true;
  let buf = '.';
  let i = start;
  let k = 0;
  while (indexes && !options.numericIndex && k < indexes.length && i < arcs.length) {
    const item = indexes[k]!;
    const def = mib.findNode(item.name);
    if (!def) break;
    if (extended) {
      if (buf.endsWith('.')) buf = buf.slice(0, -1);
      buf += '[';
    }
    const left = arcs.length - i;
    let text: string | undefined;
    switch (def.type) {
      case 'OCTET STRING': {
        const fixed = def.ranges?.length === 1 && def.ranges[0]!.low === def.ranges[0]!.high;
        if (extended && def.hint) {
          let n: number;
          if (item.implied) n = left;
          else if (fixed) n = Number(def.ranges![0]!.low);
          else {
            n = arcs[i]!;
            if (n >= left) break;
            i++;
          }
          if (n > arcs.length - i) break;
          const bytes = Uint8Array.from(arcs.slice(i, i + n), (a) => a & 255);
          const shown = applyOctetHint(def.hint, bytes);
          text = `${options.quick ? '' : 'STRING: '}${shown ?? ''}`;
          i += n;
        } else if (item.implied) {
          text = quoteArcs(arcs.slice(i), "'", options.escapeQuotes);
          i = arcs.length;
        } else if (fixed) {
          const n = Number(def.ranges![0]!.low);
          if (n > left) break;
          text = quoteArcs(arcs.slice(i, i + n), "'", options.escapeQuotes);
          i += n;
        } else {
          const n = arcs[i]! + 1;
          if (n > left) break;
          // An InetAddress after its InetAddressType prints as the address (Net-SNMP's rule, in inet-address.ts).
          const address =
            n > 1 && i > 0 && isInetAddressIndex(mib.treeNode(def))
              ? netSnmpInetText(arcs[i - 1]!, arcs.slice(i + 1, i + n))
              : undefined;
          text =
            address === undefined
              ? quoteArcs(arcs.slice(i + 1, i + n), '"', options.escapeQuotes, true)
              : `"${address}"`;
          i += n;
        }
        break;
      }
      case 'Integer32':
      case 'UInteger32':
      case 'Unsigned32':
      case 'Gauge32':
      case 'INTEGER': {
        const v = arcs[i]!;
        text = def.enums?.find((e) => e.value === (v | 0))?.label ?? String(v);
        i++;
        break;
      }
      case 'OBJECT IDENTIFIER': {
        const n = item.implied ? left : arcs[i]! + 1;
        if (n > left) break;
        const value = arcs.slice(i, i + n);
        // -OX shows an OID index by name (without its length arc); otherwise as numbers.
        text = extended ? formatOid(mib, item.implied ? value : value.slice(1), format) : value.join('.');
        i += n;
        break;
      }
      case 'IpAddress':
        if (left < 4) break;
        text = arcs.slice(i, i + 4).join('.');
        i += 4;
        break;
      case 'NetworkAddress': {
        const kind = arcs[i]!;
        i++;
        buf += `${kind}.`;
        if (kind === 1 && left >= 5) {
          text = arcs.slice(i, i + 4).join('.');
          i += 4;
        }
        break;
      }
      default:
        break;
    }
    if (text === undefined) break;
    buf += text + (extended ? ']' : '.');
    k++;
  }
  if (!buf.endsWith('.')) buf += '.';
  for (; i < arcs.length; i++) buf += `${arcs[i]}.`;
  return buf.slice(0, -1);
}

/**
 * Prints an OID (dotted string or arcs) in one of Net-SNMP's forms. With `mib` undefined it prints
 * what Net-SNMP prints with no MIB module loaded (`iso.3.6.1.2.1.1.1.0`), without needing a `Mib`.
 */
export function formatOid(
  mib: Mib | undefined,
  oid: string | readonly number[],
  format: OidFormat = 'module',
  options: OidFormatOptions = {},
): string {
  const arcs = typeof oid === 'string' ? numericArcs(oid) : oid;
  if (!arcs) throw new MibLookupError(String(oid), 'not a numeric OID');
  if (format === 'numeric') return arcs.length === 0 ? '.' : `.${arcs.join('.')}`;
  if (!mib) return formatOidWithoutMib(arcs, format);
  let current: TreeNode = mib.top;
  let node: TreeNode | undefined;
  let indexes: IndexItem[] | undefined;
  const labels: string[] = [];
  let depth = 0;
  for (; depth < arcs.length; depth++) {
    const next = current.child(arcs[depth]!);
    if (!next) break;
    node = next;
    current = next;
    labels.push(next.isAnonymous ? String(next.subid) : next.label);
    const own = indexesOf(mib, next);
    if (own) indexes = own;
  }
  // Under an unknown root Net-SNMP prints the numbers, dotted, in every form.
  if (!node) return `.${arcs.join('.')}`;
  const rest = depth < arcs.length ? renderIndexes(mib, indexes, arcs, depth, format, options) : '';
  if (format === 'full' || format === 'ucd') {
    const full = `.${labels.join('.')}${rest}`;
    if (format === 'full') return full;
    const prefix = UCD_PREFIXES.find((p) => full.startsWith(p));
    return prefix ? full.slice(prefix.length) : full;
  }
  // An arc only numbered in some OID value (`{ ds1Traps 0 1 }`'s 0) is printed as Net-SNMP prints it: the nearest
  // named node above it, then the numbers (`DS1-MIB::ds1Traps.0`).
  let named: TreeNode = node;
  let numbers = '';
  while (named.isAnonymous && named.parent) {
    numbers = `.${named.subid}${numbers}`;
    named = named.parent;
  }
  const name = named.isAnonymous ? String(named.subid) : named.label;
  // The module is the node's own (SFLOW-MIB's bare `{ enterprises 4300 }` prints as SFLOW-MIB::enterprises.4300).
  const prefix = format === 'module' && node.module ? `${node.module}::` : '';
  return `${prefix}${name}${numbers}${rest}`;
}

/** Splits `a.b."x.y".'z'.5` into components, keeping quoted strings whole (with their quotes). */
function splitComponents(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    const q = text[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      let s = q;
      while (j < text.length && text[j] !== q) {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        s += text[j];
        j++;
      }
      out.push(s + q);
      i = j + 2;
      continue;
    }
    const dot = text.indexOf('.', i);
    const end = dot < 0 ? text.length : dot;
    out.push(text.slice(i, end));
    i = end + 1;
  }
  return out.filter((c, n) => c.length > 0 || n < out.length - 1);
}

export interface ParseOidOptions {
  /**
   * Look a leading label up anywhere in the tree (`sysDescr.0`), as snmpget and snmptranslate -IR
   * do. Default true. When false, names must start at a root (`iso.3.6...`) or name a module.
   */
  randomAccess?: boolean;
}

function parseNumber(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const v = Number(text);
  return v <= 4294967295 ? v : undefined;
}

/**
 * Parses the components after a node, like Net-SNMP's _add_strings_to_oid(): child labels or
 * numbers while the node has children, then the row's INDEX values (numbers, enumeration labels,
 * quoted strings, IP addresses), then plain numbers.
 */
function appendComponents(mib: Mib, input: string, start: TreeNode, components: string[], out: number[]): void {
  let node: TreeNode | undefined = start;
  let c = 0;
  while (c < components.length && node && node.children.length > 0) {
    const comp = components[c]!;
    const num = parseNumber(comp);
    let next: TreeNode | undefined;
    if (num !== undefined) {
      next = node.child(num);
      out.push(num);
    } else {
      next = node.childByLabel(comp);
      if (!next) throw new MibLookupError(input, `Sub-id not found: ${node.label} -> ${comp}`);
      out.push(next.subid);
    }
    c++;
    node = next;
  }
  let indexes: IndexItem[] | undefined;
  if (node && node.children.length === 0 && node.parent) indexes = indexesOf(mib, node.parent);
  let k = 0;
  let lastIndex: string | undefined;
  while (c < components.length && indexes && k < indexes.length) {
    const item = indexes[k++]!;
    lastIndex = item.name;
    const def = mib.findNode(item.name);
    if (!def) break;
    const comp = components[c]!;
    switch (def.type) {
      case 'INTEGER':
      case 'Integer32':
      case 'UInteger32':
      case 'Unsigned32':
      case 'TimeTicks':
      case 'Gauge32': {
        let v = parseNumber(comp);
        if (v === undefined) {
          const e = def.enums?.find((x) => x.label === comp);
          if (!e) throw new MibLookupError(input, `Index out of range: ${comp} (${item.name})`);
          v = e.value >>> 0;
        }
        if (def.ranges && !def.ranges.some((r) => BigInt(v!) >= r.low && BigInt(v!) <= r.high)) {
          throw new MibLookupError(input, `Index out of range: ${comp} (${item.name})`);
        }
        out.push(v);
        c++;
        break;
      }
      case 'IpAddress': {
        // Up to four numbers; fewer are taken as they are, as Net-SNMP does.
        for (let b = 0; b < 4 && c < components.length; b++) {
          const text = components[c]!;
          const v = parseNumber(text);
          if (v === undefined || v > 255) throw new MibLookupError(input, `Index out of range: ${text} (${item.name})`);
          out.push(v);
          c++;
        }
        break;
      }
      case 'OCTET STRING': {
        const quote = comp[0];
        const fixed = def.ranges?.length === 1 && def.ranges[0]!.low === def.ranges[0]!.high;
        if (quote === '"' || quote === "'") {
          // Net-SNMP's rule: "..." for length-prefixed strings, '...' for fixed-length and IMPLIED ones.
          if (quote === '"' && (item.implied || fixed)) {
            throw new MibLookupError(input, '"-quote is for variable length strings');
          }
          if (quote === "'" && !item.implied && !fixed) {
            throw new MibLookupError(input, "'-quote is for fixed length strings");
          }
          // An address index part reads back as the address Net-SNMP prints (Net-SNMP itself reads the text's bytes).
          const address =
            quote === '"' && out.length > 0 && isInetAddressIndex(mib.treeNode(def))
              ? inetAddressBytes(out[out.length - 1]!, comp.slice(1, -1))
              : undefined;
          const bytes = address ?? [...Buffer.from(comp.slice(1, -1), 'latin1')];
          if (!item.implied && !fixed) out.push(bytes.length);
          out.push(...bytes);
          c++;
          break;
        }
        // Written out as numbers: the length (unless fixed or IMPLIED), then the bytes.
        let n: number;
        if (item.implied) n = components.length - c;
        else if (fixed) n = Number(def.ranges![0]!.low);
        else {
          n = parseNumber(comp) ?? -1;
          if (n < 0) throw new MibLookupError(input, `Bad string index (${item.name})`);
          out.push(n);
          c++;
        }
        for (let b = 0; b < n && c < components.length; b++) {
          const v = parseNumber(components[c]!);
          if (v === undefined) throw new MibLookupError(input, `Bad string index (${item.name})`);
          out.push(v);
          c++;
        }
        break;
      }
      default:
        k = indexes.length;
    }
  }
  for (; c < components.length; c++) {
    const v = parseNumber(components[c]!);
    if (v === undefined) {
      // Net-SNMP names the index it was on, or just quotes the component.
      const comp = components[c]!;
      throw new MibLookupError(input, lastIndex ? `Sub-id not found: ${lastIndex} -> ${comp}` : comp);
    }
    out.push(v);
  }
}

const MIB_PREFIXES = [
  'iso.org.dod.internet.mgmt.mib-2',
  'iso.org.dod.internet.experimental',
  'iso.org.dod.internet.private',
];

/**
 * Parses any of the input forms: `.1.3.6.1.2.1.1.1.0`, `1.3.6...`, `iso.3.6.1...`,
 * `.iso.org.dod...`, `SNMPv2-MIB::sysDescr.0`, `sysDescr.0` (random access), with table indexes
 * written as numbers, enumeration labels, `"strings"`, `'fixed strings'` or dotted IP addresses.
 * Modules named with `MODULE::` are loaded on demand. With `mib` undefined only numbers and the
 * root names are read, with Net-SNMP's messages when it has no MIB module.
 */
export function parseOid(mib: Mib | undefined, input: string, options: ParseOidOptions = {}): number[] {
  if (!mib) return parseOidWithoutMib(input);
  const numeric = numericArcs(input);
  if (numeric) return numeric;
  // -OX output (`ifDescr[1]`, `nsExtendCommand["x"]`) reads back too, which Net-SNMP's parser does not do.
  if (input.includes('[') && input.endsWith(']')) {
    const dotted = input.replace(/\[("[^"]*"|'[^']*'|[^\]]*)\]/g, '.$1');
    if (!dotted.includes('[')) return parseOid(mib, dotted, options);
  }
  // A `::` inside a quoted index (`ipv6."fe80::1"`) is no module separator.
  const quoted = input.search(/["']/);
  const sep = input.indexOf('::');
  if (sep > 0 && (quoted < 0 || sep < quoted)) {
    const module = input.slice(0, sep);
    const components = splitComponents(input.slice(sep + 2));
    const first = components.shift() ?? '';
    const node = mib.findNode(first, module);
    if (!node) throw new MibLookupError(input);
    const out = mib.treeNode(node).arcs();
    appendComponents(mib, input, mib.treeNode(node), components, out);
    return out;
  }
  const text = input.startsWith('.') ? input.slice(1) : input;
  const components = splitComponents(text);
  const first = components[0] ?? '';
  // Absolute: the first component names (or numbers) a root.
  const rootNum = parseNumber(first);
  const root = rootNum !== undefined ? mib.top.child(rootNum) : mib.top.childByLabel(first);
  if (root) {
    const out = [root.subid];
    appendComponents(mib, input, root, components.slice(1), out);
    return out;
  }
  if (!input.startsWith('.')) {
    if (options.randomAccess ?? true) {
      const node = mib.findNode(first);
      if (node) {
        const out = mib.treeNode(node).arcs();
        appendComponents(mib, input, mib.treeNode(node), components.slice(1), out);
        return out;
      }
    } else {
      for (const prefix of MIB_PREFIXES) {
        try {
          return parseOid(mib, `${prefix}.${text}`, options);
        } catch {
          // try the next prefix
        }
      }
    }
  }
  throw new MibLookupError(input, `Sub-id not found: (top) -> ${first}`);
}

/** Decoded table index values of an instance OID, one per INDEX item. */
export interface IndexValue {
  /** The INDEX object's name. */
  name: string;
  /** Numbers for integer indexes, bytes for strings (addresses too), dotted text for IP addresses and OIDs. */
  value: number | Uint8Array | string;
  implied: boolean;
  /** The part as Net-SNMP writes it in a name: `ipv4`, `"127.0.0.1"`, `"eth0"`, `'abc'`, `7`, `10.0.0.1`. */
  text: string;
  /** The enumeration label of an integer index (`ipv4` for an InetAddressType of 1). */
  label?: string;
  /** An InetAddress index after its InetAddressType, as an address: `127.0.0.1`, `fe80::1`, `fe80::1%2`. */
  address?: string;
}

/** The row node (the one with INDEX or AUGMENTS) that governs a column node, if any. */
function rowOf(mib: Mib, node: MibNode): TreeNode | undefined {
  for (let n: TreeNode | undefined = mib.treeNode(node); n; n = n.parent) {
    if (n.indexes || n.augments) return n;
  }
  return undefined;
}

function isFixedLength(def: MibNode): boolean {
  return def.ranges?.length === 1 && def.ranges[0]!.low === def.ranges[0]!.high;
}

/**
 * Splits an instance OID into its column node and decoded INDEX values, every index syntax of RFC 2578 §7.7
 * (integers and enumerations, fixed-length, length-prefixed and IMPLIED strings, IpAddress, OIDs) and RFC 4001's
 * InetAddressType + InetAddress pairs. Arcs the INDEX clause cannot account for are left in `rest`.
 */
export function decodeIndex(
  mib: Mib,
  oid: string | readonly number[],
): { node: MibNode; indexes: IndexValue[]; rest: number[] } | undefined {
  const arcs = typeof oid === 'string' ? numericArcs(oid) : oid;
  if (!arcs) return undefined;
  const found = mib.nodeForArcs(arcs);
  if (!found) return undefined;
  const row = rowOf(mib, found.node);
  const items = row ? indexesOf(mib, row) : undefined;
  const values: IndexValue[] = [];
  let i = found.depth;
  for (const item of items ?? []) {
    const def = mib.findNode(item.name);
    if (!def || i >= arcs.length) break;
    const implied = item.implied;
    if (def.type === 'OCTET STRING' || def.type === 'Opaque') {
      const fixed = isFixedLength(def);
      const start = i;
      const n = implied ? arcs.length - i : fixed ? Number(def.ranges![0]!.low) : arcs[i++]!;
      if (i + n > arcs.length || arcs.slice(i, i + n).some((a) => a > 255)) {
        i = start;
        break;
      }
      const part = arcs.slice(i, i + n);
      const value: IndexValue = { name: item.name, value: Uint8Array.from(part), implied, text: '' };
      const type = arcs[start - 1];
      const inet =
        !implied && !fixed && n > 0 && type !== undefined && isInetAddressIndex(mib.treeNode(def))
          ? netSnmpInetText(type, part)
          : undefined;
      if (inet !== undefined) {
        value.text = `"${inet}"`;
        value.address = inetAddressText(type!, part);
      } else {
        value.text = quoteArcs(part, implied || fixed ? "'" : '"', false, !implied && !fixed);
      }
      values.push(value);
      i += n;
    } else if (def.type === 'IpAddress') {
      if (i + 4 > arcs.length) break;
      const text = arcs.slice(i, i + 4).join('.');
      values.push({ name: item.name, value: text, implied: false, text });
      i += 4;
    } else if (def.type === 'OBJECT IDENTIFIER') {
      const start = i;
      const n = implied ? arcs.length - i : arcs[i++]!;
      if (i + n > arcs.length) {
        i = start;
        break;
      }
      const value = arcs.slice(i, i + n).join('.');
      values.push({ name: item.name, value, implied, text: arcs.slice(start, i + n).join('.') });
      i += n;
    } else {
      const v = arcs[i++]!;
      const label = def.enums?.find((e) => e.value === (v | 0))?.label;
      values.push({ name: item.name, value: v, implied: false, text: label ?? String(v), ...(label ? { label } : {}) });
    }
  }
  return { node: found.node, indexes: values, rest: arcs.slice(i) };
}

/** Builds the OID arcs of a row instance from INDEX values (the inverse of decodeIndex). */
export function encodeIndex(mib: Mib, column: MibNode, values: ReadonlyArray<number | string | Uint8Array>): number[] {
  const row = rowOf(mib, column);
  const items = row ? indexesOf(mib, row) : undefined;
  if (!items) throw new MibLookupError(column.label, 'not a table column');
  if (values.length !== items.length) {
    throw new MibLookupError(column.label, `expected ${items.length} index values, got ${values.length}`);
  }
  const out = mib.treeNode(column).arcs();
  items.forEach((item, k) => {
    const def = mib.findNode(item.name);
    const v = values[k]!;
    const type = def?.type ?? 'INTEGER';
    if (type === 'OCTET STRING' || type === 'Opaque') {
      // An InetAddress after its type takes the address's text (`fe80::1%2`); other text is the string's bytes.
      const address =
        typeof v === 'string' && def && isInetAddressIndex(mib.treeNode(def))
          ? inetAddressBytes(out[out.length - 1]!, v)
          : undefined;
      const bytes = address ?? (typeof v === 'string' ? Buffer.from(v, 'utf8') : v instanceof Uint8Array ? v : [v]);
      const fixed = def ? isFixedLength(def) : false;
      if (!item.implied && !fixed) out.push(bytes.length);
      out.push(...bytes);
    } else if (type === 'IpAddress' || type === 'OBJECT IDENTIFIER') {
      const arcs = typeof v === 'string' ? numericArcs(v) : v instanceof Uint8Array ? [...v] : [v];
      if (!arcs) throw new MibLookupError(String(v), `bad ${type} index value`);
      if (type === 'OBJECT IDENTIFIER' && !item.implied) out.push(arcs.length);
      out.push(...arcs);
    } else {
      const n = typeof v === 'number' ? v : def?.enums?.find((e) => e.label === v)?.value;
      if (n === undefined) throw new MibLookupError(String(v), `bad index value for ${item.name}`);
      out.push(n >>> 0);
    }
  });
  return out;
}
