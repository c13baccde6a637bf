/**
 * OIDs as users type them on the command line: `1.3.6.1.2.1.1.1.0`, `.1.3.6.1.2.1.1.1.0`, `iso.3.6.1.2.1.1.1.0`.
 * Without MIB modules only the three roots have names; anything else fails with Net-SNMP's message.
 * Symbolic names (sysDescr.0, SNMPv2-MIB::sysDescr.0) need @snmpkit/mib's name ⇄ OID translation.
 */

/** `message` is Net-SNMP's whole line ("foo: Unknown Object Identifier (...)"); `detail` the part after the name. */
export class OidInputError extends Error {
  override readonly name = 'OidInputError';
  constructor(
    readonly input: string,
    readonly detail: string,
  ) {
    super(`${input}: ${detail}`);
  }
}

const ROOTS: Record<string, number> = { ccitt: 0, iso: 1, 'joint-iso-ccitt': 2 };
const MAX_SUBID = 4294967295;

/** Parses an OID argument into dotted decimal (no leading dot); throws OidInputError with Net-SNMP's text. */
export function parseOidArgument(text: string): string {
  const body = text.startsWith('.') ? text.slice(1) : text;
  const parts = body.split('.');
  const arcs: string[] = [];
  let offset = text.length - body.length;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (/^\d+$/.test(part)) {
      if (Number(part) > MAX_SUBID) throw new OidInputError(text, 'Unknown Object Identifier (Sub-id out of range)');
      arcs.push(String(Number(part)));
    } else if (i === 0 && part in ROOTS) {
      arcs.push(String(ROOTS[part]));
    } else if (i === 0) {
      throw new OidInputError(text, `Unknown Object Identifier (Sub-id not found: (top) -> ${part})`);
    } else {
      throw new OidInputError(text, `Unknown Object Identifier (${text.slice(offset)})`);
    }
    offset += part.length + 1;
  }
  if (arcs.length < 2) {
    // BER cannot encode a single arc; Net-SNMP would send something else entirely.
    throw new OidInputError(text, 'Unknown Object Identifier (an OID needs at least two sub-ids)');
  }
  return arcs.join('.');
}
