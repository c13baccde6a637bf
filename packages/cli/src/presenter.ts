/**
 * How a command turns OIDs and values into text and OID arguments into OIDs: without MIB modules (format.ts and
 * oid-input.ts: Net-SNMP's output when it has no MIB files), or with @snmpkit/mib's tree, enums and hints.
 *
 * MIB modules load unless the user asked for none (MIBS set to the empty string, and no -m or -M), as Net-SNMP
 * loads its default modules. @snmpkit/mib falls back to built-in core modules (SNMPv2-MIB, IF-MIB, ...) when a
 * module's file is missing, so names work on machines without MIB files, where Net-SNMP prints numbers.
 */
import type { SnmpValue, VarBind } from '@snmpkit/ber';
import type { CommonOptions } from './args.js';
import { formatOid, formatValue, type OutputSettings, varbindLine } from './format.js';
import { parseOidArgument } from './oid-input.js';

export interface Presenter {
  readonly settings: OutputSettings;
  /** True when MIB modules are in use. */
  readonly hasMibs: boolean;
  /** The OID as the -O flags want it. */
  oid(oid: string): string;
  /** The value part of a varbind line (`settings`: other -O settings than the command's, as snmptable's -Oq). */
  value(oid: string, value: SnmpValue, settings?: OutputSettings): string;
  /** The whole line, as snmpget prints it (without the newline). */
  varbind(vb: VarBind): string;
  /** An OID argument to dotted decimal; throws OidInputError with Net-SNMP's message. */
  parseOid(text: string): string;
  /**
   * The accessible columns of a conceptual table (the MIB's table node: its entry's children), in sub-identifier
   * order; undefined when no loaded MIB module says the OID is a table.
   */
  tableColumns(tableOid: string): { label: string; oid: string }[] | undefined;
}

export function noMibPresenter(settings: OutputSettings): Presenter {
  return {
    settings,
    hasMibs: false,
    oid: (oid) => formatOid(oid, settings),
    value: (_oid, value, other) => formatValue(value, other ?? settings),
    varbind: (vb) => varbindLine(formatOid(vb.oid, settings), formatValue(vb.value, settings), settings),
    parseOid: parseOidArgument,
    tableColumns: () => undefined,
  };
}

/** True when the user asked for no MIB modules at all: MIBS is set and empty, and neither -m nor -M was given. */
export function wantsNoMibs(options: CommonOptions, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.mibs === undefined && options.mibDirs === undefined && env.MIBS === '';
}

/**
 * `randomAccess`: find a leading label anywhere in the tree (`sysDescr.0`), as snmpget does; snmptranslate does it
 * only with -IR.
 */
export async function createPresenter(options: CommonOptions, randomAccess = true): Promise<Presenter> {
  if (wantsNoMibs(options)) return noMibPresenter(options.output);
  const { mibPresenter } = await import('./mib-presenter.js');
  return mibPresenter(options, randomAccess);
}
