import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeNode, formatOid, listNodes, Mib, numericArcs, parseOid, printTree } from '../src/index.js';

/*
 * The IETF and IANA modules as Debian's snmp-mibs-downloader extracts them from the RFCs (300 IETF modules, 15 IANA
 * ones: IF-MIB, IP-MIB, TCP-MIB, UDP-MIB, HOST-RESOURCES-MIB, ENTITY-MIB, BRIDGE-MIB, RMON-MIB, DISMAN-*, ...),
 * read in place beside libsnmp-base's, against Net-SNMP's snmptranslate reading the same files. The package is in
 * Debian's non-free section (the RFCs' licence forbids modifying them), so it is not on every machine: .ci/run
 * installs it; elsewhere these tests are skipped and say why.
 */
const IETF = '/usr/share/snmp/mibs/ietf';
const IANA = '/usr/share/snmp/mibs/iana';
const DIRS = ['/usr/share/snmp/mibs', IANA, IETF].join(':');
const present = existsSync(`${IETF}/IF-MIB`) && existsSync(`${IANA}/IANAifType-MIB`);
// Why the two describe blocks below may be skipped: they read the IETF/IANA module files, which only Debian's
// snmp-mibs-downloader provides (non-free). They run wherever /usr/share/snmp/mibs/ietf/IF-MIB and
// /usr/share/snmp/mibs/iana/IANAifType-MIB exist; in CI, .ci/run installs snmp-mibs-downloader from Debian's non-free
// section before `npm test`, so there they always run (CI's log shows them passed, not skipped).
const why = 'needs the IETF/IANA MIBs of Debian snmp-mibs-downloader (non-free; .ci/run installs it)';

/**
 * Modules both Net-SNMP and snmpkit refuse as written (checked below): DPI20-MIB's IMPORTS lack the closing `;`,
 * so the rest of the module reads as imports.
 */
const UNREADABLE = ['DPI20-MIB'];

function snmptranslate(args: string[], modules = 'ALL'): string {
  return execFileSync('snmptranslate', ['-M', DIRS, '-m', modules, ...args], {
    encoding: 'utf8',
    // SNMPv2-PDU's `INTEGER (-214783648..214783647)` draws "Bad operator" from Net-SNMP on stderr; it loads all the same.
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 29,
  });
}

/** Whether snmptranslate reads a name (it exits 2, "Unknown Object Identifier", when it does not). */
function netSnmpReads(name: string, modules = 'ALL'): boolean {
  return spawnSync('snmptranslate', ['-M', DIRS, '-m', modules, '-On', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Where snmptranslate -Td is wrong and snmpkit prints the module as written (13 of 333,365 lines here): an
 * enumeration label that is one of Net-SNMP's keywords is dropped (TPM-MIB's `current(1)`, `mandatory(2)`,
 * `optional(2)`); a range bound above 2^31-1 wraps negative (`(-1..2147483648)`); a DEFVAL of 2^63 or more wraps
 * or loses its high bits. Each differing line must be one of these.
 */
function netSnmpDefect(ours: string, theirs: string): boolean {
  const enums = /^ {2}SYNTAX\tINTEGER \{(.*)\} $/;
  const [, mine] = enums.exec(ours) ?? [];
  const [, its] = enums.exec(theirs) ?? [];
  if (mine !== undefined && its !== undefined) {
    const keywords = /^(current|deprecated|obsolete|mandatory|optional)\(/;
    return (
      mine
        .split(', ')
        .filter((item) => !keywords.test(item))
        .join(', ') === its
    );
  }
  const range = /^ {2}SYNTAX\tINTEGER \((-?\d+)\.\.(-?\d+)\) $/;
  const [, lowA, highA] = range.exec(ours) ?? [];
  const [, lowB, highB] = range.exec(theirs) ?? [];
  if (highA !== undefined && highB !== undefined) {
    return lowA === lowB && BigInt(highA) > 0x7fffffffn && BigInt.asIntN(32, BigInt(highA)) === BigInt(highB);
  }
  const defval = /^ {2}DEFVAL\t\{ (\d+) \}$/;
  const [, big] = defval.exec(ours) ?? [];
  return big !== undefined && BigInt(big) >= 2n ** 63n && /^ {2}DEFVAL\t\{ -?\d+ \}$/.test(theirs);
}

// Skipped where /usr/share/snmp/mibs/ietf and iana are missing (Debian's non-free snmp-mibs-downloader); runs in CI:
// .ci/run installs that package before npm test.
describe.skipIf(!present)(`the IETF and IANA modules, against snmptranslate (${present ? 'present' : why})`, () => {
  const mib = new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} });
  mib.load();
  const oids = present ? snmptranslate(['-To']).trim().split('\n') : [];

  it('loads every module; the only one it cannot read Net-SNMP cannot read either', () => {
    const files = [IETF, IANA].flatMap((d) => readdirSync(d));
    expect(files.length).toBeGreaterThanOrEqual(300);
    expect(mib.loadedModules().length).toBeGreaterThanOrEqual(files.length);
    const refused = [...new Set(mib.diagnostics.map((d) => d.module))];
    expect(refused).toEqual(UNREADABLE);
    // Net-SNMP does not know the module's first object either.
    expect(netSnmpReads('DPI20-MIB::dpiPortForUDP', 'DPI20-MIB')).toBe(false);
    expect(oids.length).toBeGreaterThan(10_000);
  });

  for (const [flag, format] of [
    ['-On', 'numeric'],
    ['-Of', 'full'],
    ['', 'module'],
    ['-Os', 'suffix'],
  ] as const) {
    it(`names every node like snmptranslate ${flag || '(default)'}`, () => {
      const expected = snmptranslate([...(flag ? [flag] : []), ...oids])
        .trim()
        .split(/\n+/);
      expect(oids.map((o) => formatOid(mib, o, format))).toEqual(expected);
    });
  }

  it('reads every MODULE::name back to its OID, except those snmptranslate cannot read back either', () => {
    const names = snmptranslate(oids).trim().split(/\n+/);
    const unread: string[] = [];
    names.forEach((name, i) => {
      try {
        expect(`.${parseOid(mib, name).join('.')}`).toBe(oids[i]);
      } catch {
        unread.push(name);
      }
    });
    // SFLOW-MIB::enterprises.4300: the module's bare `{ enterprises 4300 }`, printed as Net-SNMP prints it.
    expect(unread.length).toBeLessThan(5);
    for (const name of unread) expect(netSnmpReads(name), name).toBe(false);
  });

  it('describes every node like snmptranslate -Td, DESCRIPTIONs included', () => {
    const expected = snmptranslate(['-Td', ...oids]).split('\n');
    const mine = oids
      .map((o) => describeNode(mib, numericArcs(o)!, formatOid(mib, o)))
      .join('\n')
      .split('\n');
    expect(mine.length).toBe(expected.length);
    const differing = mine.flatMap((line, i) => (line === expected[i] ? [] : [[line, expected[i]!] as const]));
    expect(differing.length).toBeLessThan(20);
    for (const [ours, theirs] of differing) expect(netSnmpDefect(ours, theirs), `${ours} | ${theirs}`).toBe(true);
  });

  it('lists and draws the tree like snmptranslate -Ts and -Tp', () => {
    expect(listNodes(mib, 'symbolic')).toEqual(snmptranslate(['-Ts']).trim().split('\n'));
    expect(printTree(mib, mib.findNode('entityMIB', 'ENTITY-MIB'))).toBe(
      snmptranslate(['-Tp', 'ENTITY-MIB::entityMIB']),
    );
  });
});

// Skipped, like the suite above, without snmp-mibs-downloader's modules; runs in CI, where .ci/run installs them.
describe.skipIf(!present)(`a few modules named, as users load them (${present ? 'present' : why})`, () => {
  const modules = ['IF-MIB', 'IP-MIB', 'TCP-MIB', 'UDP-MIB', 'HOST-RESOURCES-MIB', 'ENTITY-MIB', 'IP-FORWARD-MIB'];
  const mib = new Mib({ dirs: DIRS, modules, env: {} });

  it('loads them and what they import, and translates their objects as snmptranslate -m does', () => {
    const names = ['IF-MIB::ifHCInOctets.7', 'HOST-RESOURCES-MIB::hrStorageUsed.31', 'ENTITY-MIB::entPhysicalClass.1'];
    const expected = snmptranslate(['-On', ...names], modules.join(':'))
      .trim()
      .split(/\n+/);
    expect(names.map((n) => `.${mib.oidOf(n).join('.')}`)).toEqual(expected);
    // An InetAddress index reads back as snmpwalk prints it (4 address bytes after the length), where snmptranslate
    // would read the quoted text as a 9-character string.
    const address = 'IP-MIB::ipAddressIfIndex.ipv4."127.0.0.1"';
    expect(mib.oidOf(address).join('.')).toBe('1.3.6.1.2.1.4.34.1.3.1.4.127.0.0.1');
    expect(mib.nameOf(mib.oidOf(address))).toBe(address);
    expect(mib.loadedModules()).toEqual(expect.arrayContaining([...modules, 'INET-ADDRESS-MIB', 'IANAifType-MIB']));
    expect(mib.diagnostics).toEqual([]);
  });
});
