/** The Presenter over @snmpkit/mib: names, enums, DISPLAY-HINTs and units from loaded MIB modules. */
import type { SnmpValue } from '@snmpkit/ber';
import { type FormatOptions, formatOid, formatValue, Mib, MibLookupError, parseOid } from '@snmpkit/mib';
import type { CommonOptions } from './args.js';
import { formatValue as formatWithoutMib, varbindLine } from './format.js';
import { OidInputError, parseOidArgument } from './oid-input.js';
import type { Presenter } from './presenter.js';

export function mibPresenter(options: CommonOptions, randomAccess: boolean): Presenter {
  const settings = options.output;
  const mib = new Mib({
    ...(options.mibs !== undefined ? { modules: options.mibs } : {}),
    ...(options.mibDirs !== undefined ? { dirs: options.mibDirs } : {}),
  });
  // @snmpkit/mib has no UCD style (-Ou): the full path is the closest, and what Net-SNMP prints outside mib-2.
  const oidFormat = settings.oidStyle === 'ucd' ? 'full' : settings.oidStyle;
  const formatOptions: FormatOptions = {
    oidFormat,
    quick: settings.quick,
    numericEnums: settings.numericEnums,
    numericTimeticks: settings.numericTimeticks,
    noUnits: settings.noUnits,
    stringFormat: settings.strings,
  };
  const oid = (text: string) => {
    if (!settings.noIndexBreakdown || oidFormat === 'numeric') return formatOid(mib, text, oidFormat);
    // -Ob: the node's name, then the instance arcs as numbers, without decoding the table's INDEX.
    const arcs = text.split('.').map(Number);
    const depth = mib.nodeForArcs(arcs)?.depth ?? 0;
    const rest = arcs.slice(depth);
    return `${formatOid(mib, arcs.slice(0, depth), oidFormat)}${rest.length ? `.${rest.join('.')}` : ''}`;
  };
  const value = (name: string, v: SnmpValue) => {
    const shown = formatValue(mib, name, v, formatOptions);
    if (!settings.hexText) return shown;
    // -OT (hex text beside hex dumps) is not an @snmpkit/mib option: when the MIB printed the plain hex dump,
    // print it again with its text.
    const plain = formatWithoutMib(v, { ...settings, hexText: false });
    return shown === plain ? formatWithoutMib(v, settings) : shown;
  };
  return {
    settings,
    oid,
    value,
    varbind: (vb) => varbindLine(oid(vb.oid), value(vb.oid, vb.value), settings),
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
