/**
 * How a command turns OIDs and values into text and OID arguments into OIDs: through @snmpkit/mib's formatter
 * and parser, with MIB modules (names, enums, DISPLAY-HINTs) or without any (Net-SNMP's output when it has no MIB
 * files, byte for byte).
 *
 * MIB modules load unless the user asked for none (MIBS set to the empty string, or snmp.conf's `mibs :`, and no -m or -M), as Net-SNMP
 * loads its default modules. @snmpkit/mib falls back to built-in core modules (SNMPv2-MIB, IF-MIB, ...) when a
 * module's file is missing, so names work on machines without MIB files, where Net-SNMP prints numbers. Without
 * modules no `Mib` is made and mib-presenter.ts (which reads them) is never loaded: that keeps startup short.
 */

import { appendFileSync } from 'node:fs';
import type { SnmpValue, VarBind } from '@snmpkit/ber';
import type { Mib } from '@snmpkit/mib';
import {
  formatOid,
  formatValue,
  formatVarbind,
  MibLookupError,
  parseOid,
  readSnmpConf,
  type SnmpConfMibSettings,
} from '@snmpkit/mib/display';
import type { CommonOptions } from './args.js';
import type { Io } from './io.js';
import { MODULE_PREFIX } from './missing-modules.js';
import type { OutputSettings } from './output-flags.js';

export interface Presenter {
  readonly settings: OutputSettings;
  /** True when MIB modules are in use. */
  readonly hasMibs: boolean;
  /** The loaded MIB modules (with hasMibs), for commands that need more than names: set's value checks. */
  readonly mib?: Mib;
  /** The OID as the -O flags want it (`settings`: other -O settings than the command's, as snmptable's -Oq). */
  oid(oid: string, settings?: OutputSettings): string;
  /** The value part of a varbind line (`settings`: other -O settings than the command's, as snmptable's -Oq). */
  value(oid: string, value: SnmpValue, settings?: OutputSettings): string;
  /** The whole line, as snmpget prints it (without the newline). */
  varbind(vb: VarBind): string;
  /**
   * An OID argument to dotted decimal; throws MibLookupError with Net-SNMP's message. A single arc (`.1`, `iso`) is
   * refused unless `singleArc` (a walk's root, snmptranslate): BER cannot encode it in a request.
   */
  parseOid(text: string, options?: OidArgumentOptions): string;
  /**
   * The accessible columns of a conceptual table (the MIB's table node: its entry's children), in sub-identifier
   * order; undefined when no loaded MIB module says the OID is a table.
   */
  tableColumns(tableOid: string): { label: string; oid: string }[] | undefined;
}

/** OID and value text through @snmpkit/mib, with `mib`'s names or (undefined) with none. */
export function printerOver(
  mib: Mib | undefined,
  settings: OutputSettings,
): Pick<Presenter, 'oid' | 'value' | 'varbind'> {
  return {
    oid: (oid, shown = settings) => formatOid(mib, oid, shown.oidFormat, shown),
    value: (oid, value, shown = settings) => formatValue(mib, oid, value, shown),
    varbind: (vb) => formatVarbind(mib, vb.oid, vb.value, settings),
  };
}

export interface OidArgumentOptions {
  /** Accept a single arc (`.1`, `iso`): a walk's root or snmptranslate's input, never sent as it is. */
  singleArc?: boolean;
}

/** Arcs of an OID argument as dotted decimal, a lone arc refused unless asked for (see Presenter.parseOid). */
export function oidArgument(text: string, arcs: readonly number[], options: OidArgumentOptions = {}): string {
  // BER cannot encode a single arc (Net-SNMP's encoder sends .1 as 0.1, another OID).
  if (arcs.length < 2 && !options.singleArc) throw new MibLookupError(text, 'an OID needs at least two sub-ids');
  return arcs.join('.');
}

/** An OID argument read without MIB modules (numbers and the root names), as dotted decimal. */
export function parseOidWithoutMibs(text: string, options?: OidArgumentOptions): string {
  return oidArgument(text, parseOid(undefined, text), options);
}

export function noMibPresenter(settings: OutputSettings): Presenter {
  return {
    settings,
    hasMibs: false,
    ...printerOver(undefined, settings),
    parseOid: parseOidWithoutMibs,
    tableColumns: () => undefined,
  };
}

/**
 * True when the user asked for no MIB modules at all, as Net-SNMP reads it: neither -m nor -M, and MIBS set and
 * empty; or, MIBS unset, snmp.conf's `mibs` naming none (Debian's /etc/snmp/snmp.conf says `mibs :`, as Debian
 * ships no MIB files: its snmpget then prints numeric OIDs, and so does snmpkit) and no `mibfile`.
 */
export function wantsNoMibs(
  options: CommonOptions,
  conf: SnmpConfMibSettings,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (options.mibs !== undefined || options.mibDirs !== undefined) return false;
  if (env.MIBS !== undefined) return env.MIBS === '';
  const { mibs, mibfiles } = conf;
  if (mibs === undefined || mibs.startsWith('+') || mibfiles.length > 0) return false;
  return mibs.split(':').every((name) => name.trim() === '');
}

/**
 * `randomAccess`: find a leading label anywhere in the tree (`sysDescr.0`), as snmpget does; snmptranslate does it
 * only with -IR. `conf`: snmp.conf's MIB settings when the command has read the files already (the agent commands
 * read them once for these and their session defaults).
 */
export async function createPresenter(
  options: CommonOptions,
  randomAccess = true,
  conf: SnmpConfMibSettings = readSnmpConf(),
  oidArguments: readonly string[] = [],
): Promise<Presenter> {
  // snmp.conf is read once: it decides whether modules load, and then which.
  if (wantsNoMibs(options, conf)) {
    if (!oidArguments.some((text) => MODULE_PREFIX.test(text)))
      return withAffixes(noMibPresenter(options.output), options);
    // No modules asked for, but an argument names one (`IF-MIB::ifDescr.1`): Net-SNMP reads that module from the
    // path and names what it defines; snmpkit does too, and falls back to its built-in copy of a core module
    // where the file is missing (Debian ships none), so that a module named explicitly always works.
    const [{ Mib }, { presenterOverMib }] = await Promise.all([import('@snmpkit/mib'), import('./mib-presenter.js')]);
    return withAffixes(presenterOverMib(new Mib({ modules: [], conf }), options.output, randomAccess), options);
  }
  const { mibPresenter } = await import('./mib-presenter.js');
  return withAffixes(mibPresenter(options, randomAccess, conf), options);
}

/** -IS PREFIX and -Is SUFFIX: every OID argument is read with them around it, as Net-SNMP's tools read it. */
function withAffixes(presenter: Presenter, options: CommonOptions): Presenter {
  const { oidPrefix = '', oidSuffix = '' } = options;
  if (oidPrefix === '' && oidSuffix === '') return presenter;
  const parse = presenter.parseOid;
  return { ...presenter, parseOid: (text, oidOptions) => parse(oidPrefix + text + oidSuffix, oidOptions) };
}

/**
 * Where Net-SNMP's log messages go for these options (-L): MIB complaints and unknown OIDs, which its tools log,
 * while timeouts and error-status messages are plain stderr. An Io like `io` whose `err` writes there.
 */
export function logIo(options: CommonOptions, io: Io): Io {
  const log = options.log;
  if (log === undefined || (log.to === 'stderr' && log.errors)) return io;
  const write = (text: string): void => {
    if (!log.errors || log.to === 'none') return;
    if (log.to === 'stdout') io.out(text);
    else if (log.to === 'stderr') io.err(text);
    else appendFileSync(log.file!, text);
  };
  return { ...io, err: write };
}
