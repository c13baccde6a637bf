import { BerError } from './errors.js';
import type { SnmpValue as Value } from './types.js';
import { encodeOpaqueSpecial } from './values.js';

/** A typed SNMP value (see types.ts); the same name carries the builders below. */
export type SnmpValue = Value;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8');

type Of<T extends Value['type']> = Extract<Value, { type: T }>;

/** Builders for typed values: `SnmpValue.integer(5)`, `SnmpValue.octetString('text')`, `SnmpValue.counter64(1n)`. */
export const SnmpValue = {
  integer: (value: number): Of<'Integer'> => ({ type: 'Integer', value }),
  /** Text is encoded as UTF-8; bytes are used as they are. */
  octetString: (value: string | Uint8Array): Of<'OctetString'> => ({
    type: 'OctetString',
    value: typeof value === 'string' ? textEncoder.encode(value) : value,
  }),
  null: (): Of<'Null'> => ({ type: 'Null' }),
  objectIdentifier: (value: string): Of<'ObjectIdentifier'> => ({
    type: 'ObjectIdentifier',
    value: value.startsWith('.') ? value.slice(1) : value,
  }),
  ipAddress: (value: string): Of<'IpAddress'> => ({ type: 'IpAddress', value }),
  counter32: (value: number): Of<'Counter32'> => ({ type: 'Counter32', value }),
  gauge32: (value: number): Of<'Gauge32'> => ({ type: 'Gauge32', value }),
  unsigned32: (value: number): Of<'Gauge32'> => ({ type: 'Gauge32', value }),
  timeTicks: (value: number): Of<'TimeTicks'> => ({ type: 'TimeTicks', value }),
  opaque: (value: Uint8Array): Of<'Opaque'> => ({ type: 'Opaque', value }),
  counter64: (value: bigint): Of<'Counter64'> => ({ type: 'Counter64', value }),
  /** Net-SNMP's opaque float (snmpset type F). */
  opaqueFloat: (value: number): Of<'Opaque'> => opaqueOf({ type: 'Float', value }),
  /** Net-SNMP's opaque double (snmpset type D). */
  opaqueDouble: (value: number): Of<'Opaque'> => opaqueOf({ type: 'Double', value }),
  /** Net-SNMP's opaque int64 (snmpset type I). */
  opaqueInt64: (value: bigint): Of<'Opaque'> => opaqueOf({ type: 'Integer64', value }),
  /** Net-SNMP's opaque uint64 (snmpset type U). */
  opaqueUint64: (value: bigint): Of<'Opaque'> => opaqueOf({ type: 'Unsigned64', value }),
  noSuchObject: (): Of<'NoSuchObject'> => ({ type: 'NoSuchObject' }),
  noSuchInstance: (): Of<'NoSuchInstance'> => ({ type: 'NoSuchInstance' }),
  endOfMibView: (): Of<'EndOfMibView'> => ({ type: 'EndOfMibView' }),
} as const;

function opaqueOf(special: NonNullable<Of<'Opaque'>['opaque']>): Of<'Opaque'> {
  const value = encodeOpaqueSpecial(special);
  // Float loses precision: report what the bytes hold, which is what a receiver will see.
  const opaque =
    special.type === 'Float' ? { type: 'Float' as const, value: new DataView(value.buffer).getFloat32(3) } : special;
  return { type: 'Opaque', value, opaque };
}

/** True for noSuchObject, noSuchInstance and endOfMibView. */
export function isException(v: Value): boolean {
  return v.type === 'NoSuchObject' || v.type === 'NoSuchInstance' || v.type === 'EndOfMibView';
}

/** OCTET STRING bytes as text (UTF-8, invalid sequences replaced). */
export function bytesToText(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/** Bytes as lower-case hex without separators, or with `separator` between bytes. */
export function bytesToHex(bytes: Uint8Array, separator = ''): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && separator) s += separator;
    s += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  }
  return s;
}

/**
 * Hex to bytes; spaces, colons and a 0x prefix are ignored. Throws BerError (the codec's one error) on odd length
 * or non-hex characters, quoting the text (cut short when long).
 */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new BerError('whole bytes of hex digits', undefined, `"${hex.length > 40 ? `${hex.slice(0, 40)}...` : hex}"`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
