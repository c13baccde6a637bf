/** The Presenter over @snmpkit/mib: names, enums, DISPLAY-HINTs and units from loaded MIB modules. */
import type { SnmpValue } from '@snmpkit/ber';
import { type FormatOptions, formatOid, formatValue, Mib, MibLookupError, parseOid } from '@snmpkit/mib';
import type { CommonOptions } from './args.js';
import { formatValue as formatWithoutMib, type OutputSettings, varbindLine } from './format.js';
import { OidInputError, parseOidArgument } from './oid-input.js';
import type { Presenter } from './presenter.js';

/** The prefixes -Ou (UCD style) drops from full names, as Net-SNMP's mib.c does. */
const UCD_PREFIXES = [
  '.iso.org.dod.internet.mgmt.mib-2.',
  '.iso.org.dod.internet.experimental.',
  '.iso.org.dod.internet.private.',
];

function ucd(full: string): string {
  const prefix = UCD_PREFIXES.find((p) => full.startsWith(p));
  return prefix ? full.slice(prefix.length) : full;
}

export function mibPresenter(options: CommonOptions, randomAccess: boolean): Presenter {
  const settings = options.output;
  const mib = new Mib({
    ...(options.mibs !== undefined ? { modules: options.mibs } : {}),
    ...(options.mibDirs !== undefined ? { dirs: options.mibDirs } : {}),
  });
  // @snmpkit/mib has no UCD style (-Ou): names are cut from the full path here; OID values print in full.
  const oidFormat = settings.oidStyle === 'ucd' ? 'full' : settings.oidStyle;
  const formatOptions = (shown: OutputSettings): FormatOptions => ({
    oidFormat,
    quick: shown.quick,
    numericEnums: shown.numericEnums,
    numericTimeticks: shown.numericTimeticks,
    noUnits: shown.noUnits,
    stringFormat: shown.strings,
  });
  const oid = (text: string) => {
    if (settings.oidStyle === 'ucd') return ucd(formatOid(mib, text, 'full'));
    if (!settings.noIndexBreakdown || oidFormat === 'numeric') return formatOid(mib, text, oidFormat);
    // -Ob: the node's name, then the instance arcs as numbers, without decoding the table's INDEX.
    const arcs = text.split('.').map(Number);
    const depth = mib.nodeForArcs(arcs)?.depth ?? 0;
    const rest = arcs.slice(depth);
    return `${formatOid(mib, arcs.slice(0, depth), oidFormat)}${rest.length ? `.${rest.join('.')}` : ''}`;
  };
  const value = (name: string, v: SnmpValue, shown: OutputSettings = settings) => {
    const text = formatValue(mib, name, v, formatOptions(shown));
    if (!shown.hexText) return text;
    // -OT (hex text beside hex dumps) is not an @snmpkit/mib option: when the MIB printed the plain hex dump,
    // print it again with its text.
    const plain = formatWithoutMib(v, { ...shown, hexText: false });
    return text === plain ? formatWithoutMib(v, shown) : text;
  };
  return {
    settings,
    hasMibs: true,
    oid,
    value,
    varbind: (vb) => varbindLine(oid(vb.oid), value(vb.oid, vb.value), settings),
    tableColumns(tableOid) {
      const arcs = tableOid.split('.').map(Number);
      const found = mib.nodeForArcs(arcs);
      if (!found || found.depth !== arcs.length) return undefined;
      const entry = found.node.children.find((child) => child.subid === 1);
      if (!entry || entry.children.length === 0) return undefined;
      return entry.children
        .filter((column) => column.access !== 'not-accessible' && column.access !== 'accessible-for-notify')
        .map((column) => ({ label: column.label, oid: `${tableOid}.1.${column.subid}` }));
    },
    parseOid(text) {
      try {
        return parseOidArgument(text);
      } catch {
        try {
          return parseOid(mib, text, { randomAccess }).join('.');
        } catch (error) {
          if (!(error instanceof MibLookupError)) throw error;
          throw new OidInputError(text, error.message.slice(text.length + 2));
        }
      }
    },
  };
}
