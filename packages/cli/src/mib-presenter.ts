/** The Presenter over loaded MIB modules: names, enums, DISPLAY-HINTs and units from @snmpkit/mib. */
import { Mib, parseOid, type SnmpConfMibSettings } from '@snmpkit/mib';
import type { CommonOptions } from './args.js';
import type { OutputSettings } from './output-flags.js';
import { oidArgument, type Presenter, printerOver } from './presenter.js';

export function mibPresenter(options: CommonOptions, randomAccess: boolean, conf: SnmpConfMibSettings): Presenter {
  const mib = new Mib({
    ...(options.mibs !== undefined ? { modules: options.mibs } : {}),
    ...(options.mibDirs !== undefined ? { dirs: options.mibDirs } : {}),
    // snmp.conf's mibs, mibdirs and mibfile, below -m/-M and MIBS/MIBDIRS, as Net-SNMP ranks them.
    conf,
  });
  return presenterOverMib(mib, options.output, randomAccess);
}

/** The Presenter over a Mib made elsewhere (translate's, for a MODULE::name argument without MIBS). */
export function presenterOverMib(mib: Mib, settings: OutputSettings, randomAccess: boolean): Presenter {
  return {
    settings,
    hasMibs: true,
    mib,
    ...printerOver(mib, settings),
    parseOid: (text, oidOptions) => oidArgument(text, parseOid(mib, text, { randomAccess }), oidOptions),
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
  };
}
