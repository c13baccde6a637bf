import { bytesToHex, bytesToText, type SnmpValue } from '@snmpkit/ber';

/**
 * The text of an OCTET STRING value (UTF-8, invalid sequences replaced); undefined for any other type, so that
 * `octetStringText(vb.value) ?? fallback` reads well.
 */
export function octetStringText(value: SnmpValue): string | undefined {
  return value.type === 'OctetString' ? bytesToText(value.value) : undefined;
}

/**
 * The bytes of an OCTET STRING (or Opaque) value as hex; `separator` between bytes (':' for MAC addresses, ' ' for
 * Net-SNMP's Hex-STRING look with `upperCase`). Undefined for any other type.
 */
export function octetStringHex(value: SnmpValue, separator = '', upperCase = false): string | undefined {
  if (value.type !== 'OctetString' && value.type !== 'Opaque') return undefined;
  const hex = bytesToHex(value.value, separator);
  return upperCase ? hex.toUpperCase() : hex;
}
