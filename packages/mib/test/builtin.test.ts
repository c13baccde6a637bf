import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_MODULE_NAMES,
  DEFAULT_MODULES,
  formatOid,
  formatVarbind,
  Mib,
  NET_SNMP_DEFAULT_MODULES,
  parseOid,
} from '../src/index.js';

const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;

describe('built-in core names, with no MIB files at all', () => {
  const mib = new Mib({ dirs: [], env: {} });

  it('loads the default modules from the built-in data', () => {
    expect(mib.loadedModules().sort()).toEqual(
      expect.arrayContaining([...DEFAULT_MODULES, 'SNMPv2-SMI', 'SNMPv2-TC', 'IANAifType-MIB'].sort()),
    );
    expect(mib.diagnostics).toEqual([]);
    expect(mib.unlinked()).toEqual([]);
  });

  it('names and parses the core objects', () => {
    const cases: Array<[string, string]> = [
      ['1.3.6.1.2.1.1.1.0', 'SNMPv2-MIB::sysDescr.0'],
      ['1.3.6.1.2.1.1.9.1.2.3', 'SNMPv2-MIB::sysORID.3'],
      ['1.3.6.1.2.1.11.30.0', 'SNMPv2-MIB::snmpEnableAuthenTraps.0'],
      ['1.3.6.1.6.3.1.1.4.1.0', 'SNMPv2-MIB::snmpTrapOID.0'],
      ['1.3.6.1.6.3.1.1.5.1', 'SNMPv2-MIB::coldStart'],
      ['1.3.6.1.2.1.2.2.1.8.2', 'IF-MIB::ifOperStatus.2'],
      ['1.3.6.1.2.1.31.1.1.1.6.3', 'IF-MIB::ifHCInOctets.3'],
      ['1.3.6.1.6.3.1.1.5.4', 'IF-MIB::linkUp'],
      ['1.3.6.1.2.1.4.20.1.1.10.0.0.1', 'IP-MIB::ipAdEntAddr.10.0.0.1'],
      ['1.3.6.1.2.1.25.1.1.0', 'HOST-RESOURCES-MIB::hrSystemUptime.0'],
      ['1.3.6.1.2.1.25.2.3.1.3.1', 'HOST-RESOURCES-MIB::hrStorageDescr.1'],
      ['1.3.6.1.6.3.10.2.1.1.0', 'SNMP-FRAMEWORK-MIB::snmpEngineID.0'],
      ['1.3.6.1.6.3.11.2.1.3.0', 'SNMP-MPD-MIB::snmpUnknownPDUHandlers.0'],
      ['1.3.6.1.6.3.15.1.1.4.0', 'SNMP-USER-BASED-SM-MIB::usmStatsUnknownEngineIDs.0'],
      ['1.3.6.1.6.3.15.1.1.2.0', 'SNMP-USER-BASED-SM-MIB::usmStatsNotInTimeWindows.0'],
    ];
    for (const [oid, name] of cases) {
      expect(formatOid(mib, oid)).toBe(name);
      expect(parseOid(mib, name).join('.')).toBe(oid);
    }
    expect(formatOid(mib, '1.3.6.1.2.1.1.3.0', 'full')).toBe('.iso.org.dod.internet.mgmt.mib-2.system.sysUpTime.0');
  });

  it('shows values with the built-in enumerations and hints', () => {
    expect(formatVarbind(mib, '1.3.6.1.2.1.2.2.1.8.2', { type: 'Integer', value: 1 })).toBe(
      'IF-MIB::ifOperStatus.2 = INTEGER: up(1)',
    );
    expect(formatVarbind(mib, '1.3.6.1.2.1.2.2.1.3.1', { type: 'Integer', value: 24 })).toBe(
      'IF-MIB::ifType.1 = INTEGER: softwareLoopback(24)',
    );
    expect(
      formatVarbind(mib, '1.3.6.1.2.1.2.2.1.6.2', { type: 'OctetString', value: Uint8Array.from([0, 0x1b, 0x21, 1]) }),
    ).toBe('IF-MIB::ifPhysAddress.2 = STRING: 0:1b:21:1');
    const date = Uint8Array.from([0x07, 0xea, 11, 23, 21, 47, 10, 0, 0x2b, 1, 0]);
    expect(formatVarbind(mib, '1.3.6.1.2.1.25.1.2.0', { type: 'OctetString', value: date })).toBe(
      'HOST-RESOURCES-MIB::hrSystemDate.0 = STRING: 2026-11-23,21:47:10.0,+1:0',
    );
    expect(formatVarbind(mib, '1.3.6.1.2.1.1.1.0', { type: 'OctetString', value: Buffer.from('Linux box') })).toBe(
      'SNMPv2-MIB::sysDescr.0 = STRING: Linux box',
    );
  });

  it("Net-SNMP's own default list is what its snmptranslate loads without configuration", () => {
    const trace = spawnSync('snmptranslate', ['-Dinit_mib', '.1'], {
      encoding: 'utf8',
      env: { ...process.env, SNMPCONFPATH: '/nonexistent', MIBS: undefined },
    }).stderr;
    const list = /Seen MIBS: Looking in ':?([^']*)'/.exec(trace)?.[1];
    expect(list?.split(':')).toEqual([...NET_SNMP_DEFAULT_MODULES]);
  });

  it('-m ALL without the files loads every built-in module, as a named module falls back to its built-in data', () => {
    const all = new Mib({ dirs: [], modules: 'ALL', env: {} });
    expect(all.loadedModules().sort()).toEqual([...BUILTIN_MODULE_NAMES].sort());
    expect(formatOid(all, [1, 3, 6, 1, 2, 1, 1, 5, 0], 'module')).toBe('SNMPv2-MIB::sysName.0');
    expect(parseOid(all, 'sysName.0')).toEqual([1, 3, 6, 1, 2, 1, 1, 5, 0]);
    expect(all.diagnostics).toEqual([]);
    // Without built-ins, -m ALL is the files on the path alone (none here), as Net-SNMP's.
    expect(new Mib({ dirs: [], modules: 'ALL', builtins: false, env: {} }).loadedModules()).toEqual([]);
  });

  it('-m ALL takes a module from its file where there is one, the built-in data for the others', () => {
    const all = new Mib({ dirs: [NPM_MIBS], modules: 'ALL', env: {} });
    expect(all.findNode('ifHCInOctets')!.file).toBe(all.moduleFile('IF-MIB'));
    expect(all.moduleFile('HOST-RESOURCES-MIB')).toBeUndefined();
    expect(all.findNode('hrSystemUptime')?.file).toBe('<builtin HOST-RESOURCES-MIB>');
    for (const name of BUILTIN_MODULE_NAMES) expect(all.isLoaded(name), name).toBe(true);
  });

  it('files on the path take precedence over the built-in data', () => {
    const withFiles = new Mib({ dirs: [NPM_MIBS], modules: ['IF-MIB'], env: {} });
    expect(withFiles.moduleFile('IF-MIB')).toBeDefined();
    expect(withFiles.findNode('ifDescr')!.file).toBe(withFiles.moduleFile('IF-MIB'));
  });

  it('agrees with the real modules on every object both define (OIDs, types, access, enumerations)', () => {
    const real = new Mib({ dirs: [NPM_MIBS], modules: ['SNMPv2-MIB', 'IF-MIB'], builtins: false, env: {} });
    let checked = 0;
    for (const module of ['SNMPv2-SMI', 'SNMPv2-MIB', 'IF-MIB']) {
      expect(BUILTIN_MODULE_NAMES.has(module)).toBe(true);
      const visit = (node: ReturnType<Mib['findNode']>): void => {
        if (!node) return;
        for (const child of node.children) visit(child);
        if (node.module !== module) return;
        const twin = real.findNode(node.label, module);
        expect(twin, `${module}::${node.label} exists in the real module`).toBeDefined();
        expect(formatOid(real, mib.treeNode(twin!).arcs(), 'numeric')).toBe(
          formatOid(mib, mib.treeNode(node).arcs(), 'numeric'),
        );
        expect(node.type).toBe(twin!.type);
        expect(node.access).toBe(twin!.access);
        for (const e of node.enums ?? []) {
          const same = twin!.enums?.find((x) => x.value === e.value);
          if (same) expect(same.label).toBe(e.label);
        }
        expect(node.indexes).toEqual(twin!.indexes);
        checked++;
      };
      visit(mib.findNode('iso'));
    }
    expect(checked).toBeGreaterThan(90);
  });

  it('places the IP-MIB basics where RFC1213-MIB puts the same objects', () => {
    const rfc1213 = new Mib({ dirs: [NPM_MIBS], modules: ['RFC1213-MIB'], builtins: false, env: {} });
    const ip = mib.findNode('ip', 'IP-MIB')!;
    const labels: string[] = [];
    const collect = (n: typeof ip): void => {
      labels.push(n.label);
      for (const c of n.children) collect(c);
    };
    collect(ip);
    collect(mib.findNode('icmp', 'IP-MIB')!);
    // RFC 4293's IP-version-neutral tables are not in RFC1213-MIB (inet-index.test.ts checks them against snmpd).
    for (const label of labels.filter((l) => !/^ip(Address[A-Z]|AddressTable|NetToPhysical)/.test(l))) {
      const twin = rfc1213.findNode(label, 'RFC1213-MIB');
      expect(twin, label).toBeDefined();
      expect(rfc1213.treeNode(twin!).arcs()).toEqual(mib.treeNode(mib.findNode(label, 'IP-MIB')!).arcs());
    }
    expect(labels.length).toBeGreaterThan(35);
  });
});
