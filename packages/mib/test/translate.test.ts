import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeNode,
  formatOid,
  listNodes,
  Mib,
  numericArcs,
  parseOid,
  printTree,
  reportNodes,
  scanEndLine,
} from '../src/index.js';

// Debian's libsnmp-base modules and the net-snmp npm package's modules, read in place.
const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;
// Plus snmpkit's own test module (IMPLIED and fixed-length indexes, DEFVAL, UNITS, hints).
const FIXTURES = new URL('./fixtures', import.meta.url).pathname;
const DIRS = `/usr/share/snmp/mibs:${NPM_MIBS}:${FIXTURES}`;

function snmptranslate(args: string[]): string {
  return execFileSync('snmptranslate', ['-M', DIRS, '-m', 'ALL', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 28,
  });
}

describe('every object in the Debian and net-snmp modules (and the test module), against snmptranslate', () => {
  expect(existsSync(NPM_MIBS)).toBe(true);
  const mib = new Mib({ dirs: DIRS, modules: 'ALL', builtins: false, env: {} });
  // snmptranslate -To lists the numeric OID of every node it loaded (two twins at .0.0 come last).
  const oids = snmptranslate(['-To']).trim().split('\n');

  it('loads every module and parses all without error', () => {
    // One module per file in each directory (13 from libsnmp-base, 11 from net-snmp, 1 fixture here).
    const files = DIRS.split(':').flatMap((d) =>
      readdirSync(d, { withFileTypes: true }).filter((f) => f.isFile() && !f.name.startsWith('.')),
    );
    expect(mib.availableModules().length).toBe(files.length);
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(mib.loadedModules().sort()).toEqual(mib.availableModules().sort());
    expect(mib.diagnostics.filter((d) => !/Cannot find module|Did not find/.test(d.message))).toEqual([]);
    expect(oids.length).toBeGreaterThan(700);
  });

  for (const [flag, format] of [
    ['-On', 'numeric'],
    ['-Of', 'full'],
    ['', 'module'],
    ['-Os', 'suffix'],
    ['-Ou', 'ucd'],
  ] as const) {
    it(`prints names like snmptranslate ${flag || '(default)'}`, () => {
      const expected = snmptranslate([...(flag ? [flag] : []), ...oids])
        .trim()
        .split(/\n+/);
      expect(oids.map((o) => formatOid(mib, o, format))).toEqual(expected);
    });
  }

  it('parses the MODULE::name, full and numeric forms back to the same OIDs', () => {
    const names = snmptranslate(oids).trim().split(/\n+/);
    const full = snmptranslate(['-Of', ...oids])
      .trim()
      .split(/\n+/);
    expect(names.map((n) => `.${parseOid(mib, n).join('.')}`)).toEqual(oids);
    expect(full.map((n) => `.${parseOid(mib, n).join('.')}`)).toEqual(oids);
  });

  it('describes every node like snmptranslate -Td', () => {
    const expected = snmptranslate(['-Td', ...oids]);
    const mine = oids.map((o) => describeNode(mib, numericArcs(o)!, formatOid(mib, o))).join('\n');
    expect(mine.split('\n')).toEqual(expected.split('\n'));
  });

  it('lists the nodes like snmptranslate -To, -Ts and -Tl', () => {
    expect(listNodes(mib, 'numeric')).toEqual(oids);
    expect(listNodes(mib, 'symbolic')).toEqual(snmptranslate(['-Ts']).trim().split('\n'));
    expect(listNodes(mib, 'labeled')).toEqual(snmptranslate(['-Tl']).trim().split('\n'));
  });

  it('lists child OIDs and types like snmptranslate -Tz and -Tt (type and convention numbers included)', () => {
    expect(listNodes(mib, 'child')).toEqual(snmptranslate(['-Tz']).trim().split('\n'));
    expect(listNodes(mib, 'typed')).toEqual(snmptranslate(['-Tt']).trimEnd().split('\n'));
  });

  it('prints one line per letter for each node, in the order l o s z t whatever order the letters came in', () => {
    const all = reportNodes(mib, ['typed', 'child', 'symbolic', 'numeric', 'labeled']);
    expect(all).toEqual(snmptranslate(['-Ttzsol']).trimEnd().split('\n'));
    expect(all.length).toBe(oids.length * 5);
  });

  it('prints the tree like snmptranslate -Tp, whole and for a subtree', () => {
    expect(printTree(mib).split('\n')).toEqual(snmptranslate(['-Tp']).split('\n'));
    const ifTable = mib.findNode('ifTable', 'IF-MIB')!;
    expect(printTree(mib, ifTable)).toBe(snmptranslate(['-Tp', 'IF-MIB::ifTable']));
    expect(mib.tree('SNMPv2-MIB::system')).toBe(snmptranslate(['-Tp', 'SNMPv2-MIB::system']));
    expect(mib.describe('IF-MIB::ifOperStatus.2')).toBe(snmptranslate(['-Td', 'IF-MIB::ifOperStatus.2']));
    expect(mib.describe('sysDescr.0', { format: 'numeric' })).toBe(
      snmptranslate(['-On', '-Td', 'SNMPv2-MIB::sysDescr.0']),
    );
    expect(mib.nameOf(mib.oidOf('ifInOctets.3'), 'suffix')).toBe('ifInOctets.3');
    // Under a root nobody defined there is no node to describe.
    expect(describeNode(mib, [5, 1], '.5.1')).toBe(snmptranslate(['-Td', '.5.1']));
  });

  it('translates instance OIDs with decoded indexes like snmptranslate', () => {
    const inputs = [
      '.1.3.6.1.2.1.2.2.1.8.5',
      '.1.3.6.1.2.1.4.22.1.2.1.10.0.0.1',
      '.1.3.6.1.4.1.8072.1.3.2.2.1.2.4.116.101.115.116',
      '.1.3.6.1.4.1.8072.1.3.2.2.1.2.4.116.101.115',
      '.1.3.6.1.2.1.1.1.0.5',
      '.1.3.6.1.2.1.99.1',
      '.0.1',
      '.1.3.6.1.2.1.11.0.3',
      '.1.3.6.1.2.1.31.1.2.1.3.1.2',
      '.5.1',
      '.0.0',
      '.2',
      '.1.3.6.1.4.1.99999.5',
      '.1.3.6.1.2.1.4.21.1.1.10.0.0.1',
    ];
    for (const [flag, format] of [
      ['', 'module'],
      ['-Of', 'full'],
      ['-Os', 'suffix'],
    ] as const) {
      const expected = snmptranslate([...(flag ? [flag] : []), ...inputs])
        .trim()
        .split(/\n+/);
      expect(inputs.map((o) => formatOid(mib, o, format))).toEqual(expected);
    }
    expect(parseOid(mib, 'NET-SNMP-EXTEND-MIB::nsExtendCommand."test"').join('.')).toBe(
      '1.3.6.1.4.1.8072.1.3.2.2.1.2.4.116.101.115.116',
    );
    expect(parseOid(mib, 'iso.3.6.1.2.1.1.1.0').join('.')).toBe('1.3.6.1.2.1.1.1.0');
    expect(parseOid(mib, 'ifDescr.1').join('.')).toBe('1.3.6.1.2.1.2.2.1.2.1');
    expect(() => parseOid(mib, 'ifDescr.1', { randomAccess: false })).toThrow(/Unknown Object Identifier/);
    expect(() => parseOid(mib, 'NOPE-MIB::x')).toThrow(/Unknown Object Identifier/);
    // Error messages are snmptranslate's, word for word.
    const bad = [
      'IF-MIB::ifTable.foo',
      'IF-MIB::ifTable.ifEntry.bar.1',
      'foo',
      'iso.foo',
      '.iso.org.bogus',
      'SNMPv2-MIB::sysDescr.x',
      'IF-MIB::ifDescr.x',
      'IF-MIB::ifDescr.1.x',
      'sysDescr.0',
    ];
    for (const input of bad) {
      const run = spawnSync('snmptranslate', ['-M', DIRS, '-m', 'ALL', '-On', input], { encoding: 'utf8' });
      expect(run.status).not.toBe(0);
      const theirs = run.stderr.trim().split('\n').pop()!;
      expect(() => parseOid(mib, input, { randomAccess: false })).toThrow(theirs);
    }
  });
});

describe('scanEndLine: the line of "Cannot find module (X): At line N in (none)"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-scan-line-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** snmptranslate's N for a directory holding `files`, and scanEndLine's, both for `dir`. */
  function lines(files: Record<string, string>): [number, number] {
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const run = spawnSync('snmptranslate', ['-M', dir, 'NOPE::x'], { encoding: 'utf8', env: { MIBS: '' } });
    const theirs = Number(/At line (\d+) in \(none\)/.exec(run.stderr)?.[1]);
    return [scanEndLine([dir]), theirs];
  }

  it.each([
    ['a module header on line 3, after comments', { 'a.txt': '-- one\n-- two\nA-MIB DEFINITIONS ::= BEGIN\nEND\n' }],
    ['the name and DEFINITIONS lines apart', { 'a.txt': 'A-MIB\n\n\nDEFINITIONS ::= BEGIN\nEND\n' }],
    ['a comment closed by -- on its line', { 'a.txt': '-- c -- A-MIB\nDEFINITIONS ::= BEGIN\nEND\n' }],
    ['an empty file', { 'a.txt': '' }],
    ['a file of one word', { 'a.txt': 'word\n' }],
    ['blank lines only', { 'a.txt': '\n\n\n' }],
    ['punctuation first', { 'a.txt': '::=\n\nB\n' }],
    ['the last file in name order counts', { 'b.txt': 'B-MIB DEFINITIONS ::= BEGIN\nEND\n', 'a.txt': '\n\nx y\n' }],
    ['dot files are not looked into', { 'a.txt': '\n\nA-MIB DEFINITIONS ::= BEGIN\nEND\n', '.z': '\n\n\n\n\n' }],
  ])('%s', (_, files) => {
    const [mine, theirs] = lines(files);
    expect(mine).toBe(theirs);
  });

  it('is 0 without any file to look into', () => {
    expect(scanEndLine(['/nonexistent'])).toBe(0);
  });
});
