/**
 * InetAddress table indexes (RFC 4001): an `InetAddressType` value followed by a length-prefixed `InetAddress`.
 * Net-SNMP prints such an index part as an address (`ipAddressIfIndex.ipv4."127.0.0.1"`, IPv6 as 16 hex bytes
 * joined by colons, `%zone` after a zoned address) instead of as a quoted string of unprintable bytes, and these
 * functions do the same, with the same rule for when it applies.
 */
import type { TreeNode } from './tree.js';

/** RFC 4001's InetAddressType values that carry a binary address. */
const IPV4 = 1;
const IPV6 = 2;
const IPV4Z = 3;
const IPV6Z = 4;

/**
 * Net-SNMP's test (mib.c, _get_realloc_symbol): the index object's syntax is the TC `InetAddress` and the object
 * just below it among its siblings (Net-SNMP's `next_peer`, its child lists running from high to low
 * sub-identifiers) is an `InetAddressType`. The type then read is the arc before the address's length, whatever
 * object it belonged to; that is Net-SNMP's rule too.
 */
export function isInetAddressIndex(def: TreeNode): boolean {
  if (def.tc?.name !== 'InetAddress' || !def.parent) return false;
  const siblings = def.parent.children;
  const at = siblings.indexOf(def);
  const below = at > 0 ? siblings[at - 1] : undefined;
  return below?.tc?.name === 'InetAddressType';
}

function zoneOf(bytes: ArrayLike<number>, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Net-SNMP's text for an address index part (without the quotes), or undefined where Net-SNMP falls back to the
 * quoted-string form: an unknown or DNS type, a length that does not fit the type, an arc above 255.
 */
export function netSnmpInetText(type: number, arcs: readonly number[]): string | undefined {
  if (arcs.some((a) => a > 255)) return undefined;
  if ((type === IPV4 && arcs.length === 4) || (type === IPV4Z && arcs.length === 8)) {
    const text = arcs.slice(0, 4).join('.');
    return type === IPV4Z ? `${text}%${zoneOf(arcs, 4)}` : text;
  }
  if ((type === IPV6 && arcs.length === 16) || (type === IPV6Z && arcs.length === 20)) {
    const text = arcs
      .slice(0, 16)
      .map((a) => a.toString(16).padStart(2, '0'))
      .join(':');
    return type === IPV6Z ? `${text}%${zoneOf(arcs, 16)}` : text;
  }
  return undefined;
}

/** An IPv6 address in RFC 5952's text form: lower-case groups, the longest run of two or more zero groups as `::`. */
function ipv6Text(bytes: ArrayLike<number>): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * The usual text of an address of a given InetAddressType (`127.0.0.1`, `fe80::1%2`), for programs rather than
 * Net-SNMP's printer; undefined when the bytes do not fit the type (DNS names are text, not decoded here).
 */
export function inetAddressText(type: number, bytes: ArrayLike<number>): string | undefined {
  const length = bytes.length;
  if ((type === IPV4 && length === 4) || (type === IPV4Z && length === 8)) {
    const text = `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
    return type === IPV4Z ? `${text}%${zoneOf(bytes, 4)}` : text;
  }
  if ((type === IPV6 && length === 16) || (type === IPV6Z && length === 20)) {
    const text = ipv6Text(bytes);
    return type === IPV6Z ? `${text}%${zoneOf(bytes, 16)}` : text;
  }
  return undefined;
}

function zoneBytes(zone: string | undefined): number[] | undefined {
  if (zone === undefined || !/^\d{1,10}$/.test(zone) || Number(zone) > 0xffffffff) return undefined;
  const z = Number(zone);
  return [(z >>> 24) & 255, (z >>> 16) & 255, (z >>> 8) & 255, z & 255];
}

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.map(Number);
}

function ipv6Bytes(text: string): number[] | undefined {
  // Net-SNMP's own form: 16 two-digit hex bytes joined by colons.
  const netSnmp = text.split(':');
  if (netSnmp.length === 16 && netSnmp.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) {
    return netSnmp.map((p) => Number.parseInt(p, 16));
  }
  // RFC 4291 text: up to eight groups, one `::`, an IPv4 tail.
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      if (i === pieces.length - 1 && p.includes('.')) {
        const v4 = ipv4Bytes(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.flatMap((g) => [g >> 8, g & 255]);
}

/**
 * The bytes of an address written for an index of a given InetAddressType: Net-SNMP's printed form
 * (`127.0.0.1`, `fe:80:00:…:01`, `…%2`) and the usual one (`fe80::1%2`). Undefined when the text is not an address
 * of that type; the caller then takes the text as a string's bytes, as Net-SNMP always does.
 */
export function inetAddressBytes(type: number, text: string): number[] | undefined {
  const percent = text.indexOf('%');
  const address = percent < 0 ? text : text.slice(0, percent);
  const zone = percent < 0 ? undefined : text.slice(percent + 1);
  const zoned = type === IPV4Z || type === IPV6Z;
  if (zoned !== (zone !== undefined)) return undefined;
  const bytes =
    type === IPV4 || type === IPV4Z
      ? ipv4Bytes(address)
      : type === IPV6 || type === IPV6Z
        ? ipv6Bytes(address)
        : undefined;
  if (!bytes) return undefined;
  if (!zoned) return bytes;
  const z = zoneBytes(zone);
  return z ? [...bytes, ...z] : undefined;
}
