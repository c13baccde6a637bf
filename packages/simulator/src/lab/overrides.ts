import { oidStartsWith, parseOid, type SnmpValue } from '@snmpkit/ber';
import { Device, type TemplateOverlay, type ValueProvider } from '../device.js';
import { decodeRecordValue, tagOfType } from '../snmprec.js';
import { parseIpv4 } from './addresses.js';

/** What a device's overrides are computed from. */
export interface DeviceIdentity {
  /** The device's number in the lab, from 1 (across groups, in order). */
  readonly n: number;
  /** Its number within its group, from 1. */
  readonly index: number;
  readonly group: string;
  /** The IPv4 address it listens on. */
  readonly address: string;
  /** The (first) port it listens on. */
  readonly port: number;
  /** The address it reports in its IP tables. */
  readonly ipAddress: string;
}

/** Names an override may use for the system group's objects, as snmpd.conf names them (sysName, sysLocation). */
export const NAMED_OBJECTS: Readonly<Record<string, string>> = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
};

const PLACEHOLDER = /\{(\w+)(?::(\d+))?\}/g;
const VARIABLES = ['n', 'index', 'group', 'ip', 'address', 'port', 'value'] as const;

/**
 * Checks an override pattern: `{n}` (the device's number), `{index}` (its number in its group), `{group}`, `{ip}`
 * (the address it reports in its IP tables), `{address}` and `{port}` (where it listens), `{value}` (the template's
 * value); numbers may be zero-padded, `{n:6}` is 000042. Throws RangeError naming an unknown placeholder.
 */
export function checkPattern(pattern: string): void {
  for (const m of pattern.matchAll(PLACEHOLDER)) {
    if (!(VARIABLES as readonly string[]).includes(m[1]!)) {
      throw new RangeError(`unknown placeholder {${m[1]}} (known: ${VARIABLES.map((v) => `{${v}}`).join(' ')})`);
    }
  }
}

/** The pattern with the device's values in place of its placeholders (see checkPattern). */
export function substitute(pattern: string, id: DeviceIdentity, value = ''): string {
  if (!pattern.includes('{')) return pattern;
  return pattern.replace(PLACEHOLDER, (whole, name: string, width: string | undefined) => {
    let text: string;
    switch (name) {
      case 'n':
        text = String(id.n);
        break;
      case 'index':
        text = String(id.index);
        break;
      case 'group':
        text = id.group;
        break;
      case 'ip':
        text = id.ipAddress;
        break;
      case 'address':
        text = id.address;
        break;
      case 'port':
        text = String(id.port);
        break;
      case 'value':
        text = value;
        break;
      default:
        return whole;
    }
    return width === undefined ? text : text.padStart(Number(width), '0');
  });
}

/** A 32-bit number from the lab's seed, so that labs with different seeds differ in every derived identity. */
function seedWord(seed: number): number {
  // FNV-1a over the seed's decimal digits: small seeds spread over the whole word.
  let h = 0x811c9dc5;
  for (const c of String(seed)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A device's snmpEngineID: RFC 3411 format 5 (octets) under Net-SNMP's enterprise (8072), as randomEngineId's, with
 * four bytes from the lab's seed and four from the device's number: distinct for every device of a lab, the same
 * on every start of the same lab.
 */
export function labEngineId(seed: number, n: number): Uint8Array {
  const id = new Uint8Array(13);
  id.set([0x80, 0x00, 0x1f, 0x88, 0x05]);
  const view = new DataView(id.buffer);
  view.setUint32(5, seedWord(seed));
  view.setUint32(9, n >>> 0);
  return id;
}

/**
 * An interface's MAC address: locally administered unicast (02), a byte of the lab's seed, three of the device's
 * number and one of the interface index, so that no two interfaces of a lab (up to 16,777,215 devices) share one.
 */
export function labMac(seed: number, n: number, ifIndex: number): Uint8Array {
  return Uint8Array.of(0x02, seedWord(seed) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ifIndex & 0xff);
}

const IF_PHYS_ADDRESS = '1.3.6.1.2.1.2.2.1.6';
const IF_NUMBER = '1.3.6.1.2.1.2.1.0';
/** The interface tables indexed by ifIndex alone: ifEntry and ifXEntry (`ENTRY.COLUMN.IFINDEX`). */
const IF_TABLES = ['1.3.6.1.2.1.2.2.1', '1.3.6.1.2.1.31.1.1.1'];
const SERIAL_COLUMNS = [
  '1.3.6.1.2.1.47.1.1.1.1.11', // ENTITY-MIB entPhysicalSerialNum
  '1.3.6.1.2.1.43.5.1.1.17', // Printer-MIB prtGeneralSerialNumber
];
const IP_ADDR_ENTRY = '1.3.6.1.2.1.4.20.1';
const IP_ADDRESS_ENTRY = '1.3.6.1.2.1.4.34.1';
const SNMP_ENGINE_ID = '1.3.6.1.6.3.10.2.1.1.0';
const SNMP_ENGINE_BOOTS = '1.3.6.1.6.3.10.2.1.2.0';
const SNMP_ENGINE_TIME = '1.3.6.1.6.3.10.2.1.3.0';

/** What a group's devices change of their template, as given (see LabGroup). */
export interface OverrideSettings {
  /** OID (or a NAMED_OBJECTS name), optionally `|TAG` (snmprec's), to a pattern. */
  values: Readonly<Record<string, string>>;
  /** Pattern of serial numbers (entPhysicalSerialNum, prtGeneralSerialNumber) the template has; '' keeps them. */
  serial: string;
  /** Each interface with a 6-byte ifPhysAddress gets its own MAC (labMac). */
  macs: boolean;
  /** The template's first non-loopback address in ipAddrTable/ipAddressTable becomes the device's. */
  ipTables: boolean;
  /** Fewer interfaces than the template has: rows of ifTable and ifXTable past this ifIndex removed, ifNumber set. */
  interfaces?: number | undefined;
}

interface ValueOverride {
  oid: string;
  tag: number;
  pattern: string;
  template: string;
}

/** What to change in each device, worked out once from the template (a scan of its OIDs) for a whole group. */
export interface OverridePlan {
  readonly values: readonly ValueOverride[];
  readonly serials: readonly { oid: string; value: string }[];
  readonly serialPattern: string;
  readonly macs: readonly { oid: string; ifIndex: number }[];
  /** The template's primary address and the rows that carry it (OID with the address in its index, value). */
  readonly ipRows: readonly { prefix: string; value: SnmpValue }[];
  readonly primaryAddress: string | undefined;
  readonly engineObjects: boolean;
  /** Every fixed OID above, prepared once for the whole group (the IP rows' new OIDs differ per device). */
  readonly overlay: TemplateOverlay;
  /** Each fixed OID's place among the overlay's values. */
  readonly slot: ReadonlyMap<string, number>;
}

function text(value: SnmpValue | undefined): string {
  if (!value) return '';
  if (value.type === 'OctetString' || value.type === 'Opaque') return Buffer.from(value.value).toString('latin1');
  return 'value' in value ? String(value.value) : '';
}

/** Reads an override key: `sysName`, `1.3.6.1.2.1.1.5.0` or `1.3.6.1.4.1.9.1.0|2`. Throws RangeError. */
export function overrideTarget(key: string): { oid: string; tag: number | undefined } {
  const [name, tag, ...rest] = key.split('|');
  const oid = NAMED_OBJECTS[name!] ?? name!.replace(/^\./, '');
  if (rest.length > 0 || !/^\d+(\.\d+)+$/.test(oid)) {
    throw new RangeError(`"${key}" is neither an OID (optionally OID|TAG) nor one of ${Object.keys(NAMED_OBJECTS)}`);
  }
  let canonical: string;
  try {
    canonical = parseOid(oid).join('.');
  } catch {
    throw new RangeError(`"${key}" is not a valid OID`);
  }
  if (tag === undefined) return { oid: canonical, tag: undefined };
  if (!/^\d+$/.test(tag)) throw new RangeError(`"${key}": the tag after | is snmprec's type number (2, 4, 64 ...)`);
  return { oid: canonical, tag: Number(tag) };
}

/** Scans the template once for what the settings change. Throws RangeError for an override that cannot apply. */
export function planOverrides(template: Device, settings: OverrideSettings): OverridePlan {
  const values: ValueOverride[] = [];
  for (const [key, pattern] of Object.entries(settings.values)) {
    const { oid, tag } = overrideTarget(key);
    checkPattern(pattern);
    const current = template.get(oid);
    const type = tag ?? (current ? tagOfType(current.type) : 4);
    values.push({ oid, tag: type, pattern, template: text(current) });
  }
  if (settings.serial !== '') checkPattern(settings.serial);
  const serials: { oid: string; value: string }[] = [];
  const macs: { oid: string; ifIndex: number }[] = [];
  const addressRows: { oid: string; value: SnmpValue }[] = [];
  let engineObjects = false;
  const interfaceRows: string[] = [];
  for (const vb of template.varbinds()) {
    const { oid, value } = vb;
    if (settings.interfaces !== undefined) {
      const table = IF_TABLES.find((t) => oidStartsWith(oid, t));
      const ifIndex = table ? Number(oid.slice(table.length + 1).split('.')[1]) : 0;
      if (ifIndex > settings.interfaces) {
        interfaceRows.push(oid);
        continue;
      }
    }
    if (settings.serial !== '' && SERIAL_COLUMNS.some((c) => oidStartsWith(oid, c)) && text(value) !== '') {
      serials.push({ oid, value: text(value) });
    } else if (settings.macs && oidStartsWith(oid, IF_PHYS_ADDRESS) && value.type === 'OctetString') {
      if (value.value.length === 6) macs.push({ oid, ifIndex: Number(oid.slice(IF_PHYS_ADDRESS.length + 1)) });
    } else if (settings.ipTables && (oidStartsWith(oid, IP_ADDR_ENTRY) || oidStartsWith(oid, IP_ADDRESS_ENTRY))) {
      addressRows.push({ oid, value });
    } else if (oid === SNMP_ENGINE_ID) engineObjects = true;
  }
  // The primary address: the first ipAdEntAddr that is not loopback.
  let primaryAddress: string | undefined;
  for (const row of addressRows) {
    if (oidStartsWith(row.oid, `${IP_ADDR_ENTRY}.1`) && row.value.type === 'IpAddress') {
      if (!row.value.value.startsWith('127.')) {
        primaryAddress = row.value.value;
        break;
      }
    }
  }
  const ipRows: { prefix: string; value: SnmpValue }[] = [];
  if (primaryAddress !== undefined) {
    for (const row of addressRows) {
      // ipAddrTable is indexed by the address; ipAddressTable by type (1: ipv4), length 4 and the address.
      const tail = oidStartsWith(row.oid, IP_ADDR_ENTRY) ? `.${primaryAddress}` : `.1.4.${primaryAddress}`;
      if (row.oid.endsWith(tail)) {
        ipRows.push({ prefix: row.oid.slice(0, row.oid.length - primaryAddress.length), value: row.value });
      }
    }
  }
  const fixed = [
    ...values.map((v) => v.oid),
    ...serials.map((v) => v.oid),
    ...macs.map((v) => v.oid),
    ...(engineObjects ? [SNMP_ENGINE_ID, SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME] : []),
  ];
  const removed = primaryAddress === undefined ? [] : ipRows.map((row) => `${row.prefix}${primaryAddress}`);
  removed.push(...interfaceRows);
  if (settings.interfaces !== undefined && template.get(IF_NUMBER)) {
    values.push({ oid: IF_NUMBER, tag: 2, pattern: String(settings.interfaces), template: '' });
    fixed.push(IF_NUMBER);
  }
  const overlay = Device.overlay(template, fixed, removed);
  const slot = new Map(overlay.oids.map((oid, i) => [oid, i]));
  return {
    values,
    serials,
    serialPattern: settings.serial,
    macs,
    ipRows,
    primaryAddress,
    engineObjects,
    overlay,
    slot,
  };
}

const ENGINE_BOOTS: ValueProvider = (ctx) => ({ type: 'Integer', value: ctx.engine?.().boots ?? 1 });
const ENGINE_TIME: ValueProvider = (ctx) => ({ type: 'Integer', value: ctx.engine?.().time ?? 0 });

/** A device of the group: derived from the template through the group's overlay, with this device's values. */
export function deriveDevice(plan: OverridePlan, id: DeviceIdentity, seed: number, engineId: Uint8Array): Device {
  const values: (SnmpValue | ValueProvider | undefined)[] = new Array(plan.overlay.oids.length).fill(undefined);
  const put = (oid: string, value: SnmpValue | ValueProvider) => {
    values[plan.slot.get(oid)!] = value;
  };
  for (const v of plan.values) put(v.oid, decodeRecordValue(v.tag, substitute(v.pattern, id, v.template), 'plain'));
  for (const s of plan.serials) {
    put(s.oid, { type: 'OctetString', value: Buffer.from(substitute(plan.serialPattern, id, s.value), 'latin1') });
  }
  for (const m of plan.macs) put(m.oid, { type: 'OctetString', value: labMac(seed, id.n, m.ifIndex) });
  if (plan.engineObjects) {
    put(SNMP_ENGINE_ID, { type: 'OctetString', value: engineId });
    put(SNMP_ENGINE_BOOTS, ENGINE_BOOTS);
    put(SNMP_ENGINE_TIME, ENGINE_TIME);
  }
  const device = plan.overlay.derive(values);
  // The template's primary address rows are gone (the overlay removed them): the device's own address in their place.
  if (plan.primaryAddress !== undefined) {
    const ip = parseIpv4(id.ipAddress) !== undefined ? id.ipAddress : plan.primaryAddress;
    for (const row of plan.ipRows) {
      const value: SnmpValue =
        row.value.type === 'IpAddress' && row.value.value === plan.primaryAddress
          ? { type: 'IpAddress', value: ip }
          : row.value;
      device.set(`${row.prefix}${ip}`, value);
    }
  }
  return device;
}
