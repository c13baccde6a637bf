/**
 * snmpset's TYPE VALUE pairs (Net-SNMP's snmp_add_var without MIB checks): i u t a o s x d b n U I F D.
 * Each failure is Net-SNMP's message after the OID as the user typed it ("OID: Bad value notation (zz)").
 */
import { SnmpValue } from '@snmpkit/ber';
import { MibLookupError } from '@snmpkit/mib/display';
import { parseOidWithoutMibs } from './presenter.js';

export class SetValueError extends Error {
  override readonly name = 'SetValueError';
}

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

/** An unsigned 32-bit value from strtoul's result; Net-SNMP warns and keeps the low 32 bits. */
function unsigned32(value: string, warn: (text: string) => void): number {
  const n = strtoul(value);
  if (n === undefined) throw bad(value);
  if (n > 0xffffffffn) warn('truncating integer value > 32 bits\n');
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

/** BITS: bit numbers separated by commas or spaces; bit 0 is the high bit of the first byte. */
function bits(value: string): Uint8Array {
  const numbers = value.split(/[,\s]+/).filter((p) => p !== '');
  const set: number[] = [];
  for (const p of numbers) {
    if (!/^\d+$/.test(p)) throw outOfRange(value);
    set.push(Number(p));
  }
  const bytes = new Uint8Array(set.length === 0 ? 0 : Math.floor(Math.max(...set) / 8) + 1);
  for (const bit of set) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return bytes;
}

function float(value: string): number {
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value)) throw bad(value);
  return Number(value);
}

/** The typed value for one snmpset TYPE letter and VALUE word; `warn` receives Net-SNMP's warnings. */
export function parseSetValue(
  type: string,
  value: string,
  warn: (text: string) => void = () => {},
  parseOid: (text: string) => string = parseOidWithoutMibs,
): SnmpValue {
  switch (type) {
    case 'i': {
      if (value === '') throw bad(value);
      if (!/^\s*[+-]?\d+$/.test(value)) throw outOfRange(value);
      const n = Number(value);
      if (n < -2147483648 || n > 2147483647) throw outOfRange(value);
      return SnmpValue.integer(n);
    }
    case 'u':
      return SnmpValue.gauge32(unsigned32(value, warn));
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
      return SnmpValue.octetString(value);
    case 'x':
      return SnmpValue.octetString(hexBytes(value));
    case 'd':
      return SnmpValue.octetString(decimalBytes(value));
    case 'b':
      return SnmpValue.octetString(bits(value));
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
    case '=':
      // "Take the type from the MIB": without MIB modules there is none.
      throw new SetValueError(`Bad variable type ("=")`);
    default:
      throw new SetValueError(`Bad object type: ${type}`);
  }
}
