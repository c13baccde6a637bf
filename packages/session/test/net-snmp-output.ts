import { bytesToHex, type VarBind } from '@snmpkit/ber';

/** A varbind reduced to comparable text: the SNMP type and a canonical rendering of the value. */
export interface Canonical {
  oid: string;
  type: string;
  value: string;
}

/**
 * Parses the output of a Net-SNMP tool run with -On (and no MIBs loaded) into canonical varbinds. Values may span
 * lines (strings with newlines, Hex-STRINGs wrapped every 16 bytes).
 */
export function parseNetSnmpOutput(stdout: string): Canonical[] {
  const entries: { oid: string; text: string }[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\.(\d+(?:\.\d+)+) = (.*)$/.exec(line);
    if (m) entries.push({ oid: m[1]!, text: m[2]! });
    else if (entries.length > 0 && line !== '') entries[entries.length - 1]!.text += `\n${line}`;
    else if (entries.length > 0) entries[entries.length - 1]!.text += '\n';
  }
  return (
    entries
      // The endOfMibView that ends a walk of the last subtree: printed by the tools, not a value of the walk.
      .filter(({ text }) => !text.startsWith('No more variables left in this MIB View'))
      .map(({ oid, text }) => ({ oid, ...parseValue(text.replace(/\n+$/, '')) }))
  );
}

function parseValue(text: string): { type: string; value: string } {
  if (text === '""') return { type: 'OctetString', value: '' };
  if (text === 'NULL') return { type: 'Null', value: '' };
  const colon = text.indexOf(': ');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 2);
  switch (kind) {
    case 'STRING': {
      const inner = rest.slice(1, -1).replace(/\\(["\\])/g, '$1');
      return { type: 'OctetString', value: bytesToHex(Buffer.from(inner, 'latin1')) };
    }
    case 'Hex-STRING':
      return { type: 'OctetString', value: rest.replace(/\s+/g, '').toLowerCase() };
    case 'INTEGER':
      return { type: 'Integer', value: rest };
    case 'OID':
      return { type: 'ObjectIdentifier', value: rest.replace(/^\./, '') };
    case 'Timeticks':
      return { type: 'TimeTicks', value: /^\((\d+)\)/.exec(rest)![1]! };
    case 'Counter32':
    case 'Gauge32':
    case 'Counter64':
    case 'IpAddress':
      return { type: kind, value: rest };
    case 'Opaque': {
      const f = /^Float: (.*)$/.exec(rest);
      if (f) return { type: 'OpaqueFloat', value: Number(f[1]).toFixed(6) };
      return { type: 'Opaque', value: rest };
    }
    default:
      return { type: `unparsed ${kind}`, value: rest };
  }
}

/** The same reduction for a varbind from the session. */
export function canonical(vb: VarBind): Canonical {
  const v = vb.value;
  switch (v.type) {
    case 'OctetString':
      return { oid: vb.oid, type: 'OctetString', value: bytesToHex(v.value) };
    case 'Opaque':
      if (v.opaque?.type === 'Float') return { oid: vb.oid, type: 'OpaqueFloat', value: v.opaque.value.toFixed(6) };
      return { oid: vb.oid, type: 'Opaque', value: bytesToHex(v.value) };
    case 'Null':
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      return { oid: vb.oid, type: v.type, value: '' };
    default:
      return { oid: vb.oid, type: v.type, value: String(v.value) };
  }
}
