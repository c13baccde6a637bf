import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOid, Mib, MibParseError, parseModules, parseOid, readSnmpConf } from '../src/index.js';
import { tokenize } from '../src/lexer.js';

const NPM_MIBS = new URL('../../../node_modules/net-snmp/lib/mibs', import.meta.url).pathname;
const BROKEN = new URL('./fixtures/broken', import.meta.url).pathname;

describe('lexer', () => {
  it('ends a comment at the end of the line or at the next "--"', () => {
    const t = tokenize('a -- comment -- b\nc -- to the end\nd');
    expect(t.texts).toEqual(['a', 'b', 'c', 'd']);
    expect(t.lines).toEqual([1, 1, 2, 3]);
  });

  it("reads 'hex'H and 'binary'B constants as numbers and keeps line breaks in strings", () => {
    const t = tokenize(`x 'FF'H 'y'h '101'B ''H "two\r\nlines" ::= ..`);
    expect(t.texts).toEqual(['x', '255', "'y'h", '5', '0', 'two\nlines', '::=', '..']);
  });
});

describe('parser', () => {
  it('reads SMIv2 and SMIv1 macros into definitions', () => {
    const text = `
      T-MIB DEFINITIONS ::= BEGIN
      IMPORTS OBJECT-TYPE, enterprises FROM SNMPv2-SMI DisplayString FROM SNMPv2-TC;
      Small ::= TEXTUAL-CONVENTION DISPLAY-HINT "d-1" STATUS current DESCRIPTION "x" SYNTAX INTEGER (0..100 | 200)
      Entry ::= SEQUENCE { a INTEGER }
      t OBJECT IDENTIFIER ::= { enterprises 1 }
      row OBJECT-TYPE SYNTAX Entry MAX-ACCESS not-accessible STATUS current DESCRIPTION "r"
          INDEX { a, IMPLIED b } ::= { t 1 }
      col OBJECT-TYPE SYNTAX OCTET STRING (SIZE (0..8)) UNITS "u" ACCESS read-write STATUS mandatory
          DEFVAL { "x" } ::= { row 2 }
      trap TRAP-TYPE ENTERPRISE t VARIABLES { col } DESCRIPTION "d" ::= 3
      END`;
    const { modules, errors } = parseModules(text, 't.txt');
    expect(errors).toEqual([]);
    const [m] = modules;
    expect(m!.name).toBe('T-MIB');
    expect(m!.imports).toEqual([
      { module: 'SNMPv2-SMI', symbols: ['enterprises'], line: 3 },
      { module: 'SNMPv2-TC', symbols: ['DisplayString'], line: 3 },
    ]);
    const defs = m!.items.flatMap((i) => ('definition' in i ? [i.definition] : []));
    expect(defs.map((d) => d.name)).toEqual(['t', 'row', 'col', 'trap']);
    expect(defs[1]!.indexes).toEqual([
      { name: 'a', implied: false },
      { name: 'b', implied: true },
    ]);
    expect(defs[2]).toMatchObject({ units: 'u', access: 'read-write', status: 'mandatory', defval: '\\"x\\"' });
    expect(defs[2]!.syntax).toEqual({ base: 'OCTET STRING', ranges: [{ low: 0n, high: 8n }] });
    expect(defs[3]).toMatchObject({ kind: 'trap-type', trap: { enterprise: 't', number: 3 }, objects: ['col'] });
    const tcs = m!.items.flatMap((i) => ('typeAssignment' in i ? [i.typeAssignment] : []));
    expect(tcs[0]).toMatchObject({ name: 'Small', hint: 'd-1' });
    expect(tcs[0]!.syntax!.ranges).toEqual([
      { low: 0n, high: 100n },
      { low: 200n, high: 200n },
    ]);
    expect(tcs[1]!.syntax).toBeUndefined();
  });

  it('reports a broken module with file and line, and keeps the next module in the same file', () => {
    const text = `A-MIB DEFINITIONS ::= BEGIN
      x OBJECT-TYPE SYNTAX INTEGER MAX-ACCESS sometimes STATUS current ::= { iso 9 }
      END
      B-MIB DEFINITIONS ::= BEGIN
      y OBJECT IDENTIFIER ::= { iso 8 }
      END`;
    const { modules, errors } = parseModules(text, '/some/where/AB.txt');
    expect(modules.map((m) => m.name)).toEqual(['B-MIB']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ module: 'A-MIB', file: '/some/where/AB.txt', line: 2 });
    expect(errors[0]!.message).toMatch(/Bad ACCESS value "sometimes" at line 2 in \/some\/where\/AB.txt/);
    expect(new MibParseError('m', 'f', 3)).toBeInstanceOf(Error);
  });

  it('a module that fails to parse does not stop the others on the path from loading', () => {
    const mib = new Mib({ dirs: [BROKEN, NPM_MIBS], modules: 'ALL', builtins: false, env: {} });
    expect(mib.isLoaded('GOOD-MIB')).toBe(true);
    expect(mib.isLoaded('BROKEN-MIB')).toBe(false);
    expect(mib.isLoaded('IF-MIB')).toBe(true);
    const problem = mib.diagnostics.find((d) => d.module === 'BROKEN-MIB');
    expect(problem).toMatchObject({ file: join(BROKEN, 'BROKEN-MIB.txt'), line: 8 });
    expect(formatOid(mib, '1.3.6.1.4.1.99998.1')).toBe('GOOD-MIB::goodLeaf');
  });

  it('resolves imports across modules and links nodes whose parent comes from another module', () => {
    const mib = new Mib({ dirs: [NPM_MIBS], modules: ['IF-MIB'], builtins: false, env: {} });
    expect(mib.loadedModules()).toEqual(
      expect.arrayContaining(['IF-MIB', 'SNMPv2-SMI', 'SNMPv2-TC', 'SNMPv2-MIB', 'IANAifType-MIB']),
    );
    const ifType = mib.findNode('ifType', 'IF-MIB')!;
    expect(ifType.tc?.name).toBe('IANAifType');
    expect(ifType.enums?.find((e) => e.value === 6)?.label).toBe('ethernetCsmacd');
    expect(mib.findNode('ifPhysAddress')!.hint).toBe('1x:');
    expect(mib.findNode('ifXEntry')!.augments).toBe('ifEntry');
  });
});

describe('search path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-mibpath-'));
  const first = join(dir, 'first');
  const second = join(dir, 'second');
  mkdirSync(first);
  mkdirSync(second);
  const module = (name: string, arc: number) =>
    `-- header comment\n${name} DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\n` +
    `${name.toLowerCase().replace(/-/g, '')} OBJECT IDENTIFIER ::= { enterprises ${arc} }\nEND\n`;
  writeFileSync(join(first, 'ONE-MIB.my'), module('ONE-MIB', 1001));
  writeFileSync(join(first, 'TWO-MIB'), module('TWO-MIB', 1002));
  writeFileSync(join(second, 'TWO-MIB.txt'), module('TWO-MIB', 2002));
  writeFileSync(join(first, 'notes.txt'), 'not a module at all\n');
  writeFileSync(join(first, 'THREE-MIB.txt~'), module('THREE-MIB', 1003));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes modules by name, skipping backups and non-modules; a later directory wins', () => {
    const mib = new Mib({ dirs: [first, second, NPM_MIBS], builtins: false, env: {} });
    expect(mib.availableModules()).toEqual(expect.arrayContaining(['ONE-MIB', 'TWO-MIB', 'SNMPv2-SMI']));
    expect(mib.availableModules()).not.toContain('THREE-MIB');
    expect(mib.moduleFile('TWO-MIB')).toBe(join(second, 'TWO-MIB.txt'));
    expect(parseOid(mib, 'TWO-MIB::twomib').join('.')).toBe('1.3.6.1.4.1.2002');
  });

  it('loads modules on demand when a name asks for them', () => {
    const mib = new Mib({ dirs: [first, NPM_MIBS], modules: [], builtins: false, env: {} });
    expect(mib.isLoaded('ONE-MIB')).toBe(false);
    expect(parseOid(mib, 'ONE-MIB::onemib.5').join('.')).toBe('1.3.6.1.4.1.1001.5');
    expect(mib.isLoaded('ONE-MIB')).toBe(true);
    expect(formatOid(mib, '1.3.6.1.4.1.1001.5')).toBe('ONE-MIB::onemib.5');
  });

  it('takes MIBDIRS and MIBS from the environment, with "+" adding to the defaults', () => {
    const env = { MIBDIRS: `${first}:${NPM_MIBS}`, MIBS: '+ONE-MIB', HOME: dir };
    const mib = new Mib({ builtins: false, env });
    expect(mib.dirs).toEqual([first, NPM_MIBS]);
    expect(mib.isLoaded('ONE-MIB')).toBe(true);
    expect(mib.isLoaded('SNMPv2-MIB')).toBe(true);
    const plus = new Mib({ dirs: `+${first}`, modules: [], env: { HOME: dir } });
    expect(plus.dirs[0]).toBe(first);
    expect(plus.dirs).toContain('/usr/share/snmp/mibs');
    expect(plus.dirs).toContain(join(dir, '.snmp', 'mibs'));
    expect(plus.dirs).toContain('/usr/share/mibs');
    const all = new Mib({ dirs: [first, NPM_MIBS], modules: 'ALL', builtins: false, env: {} });
    expect(all.isLoaded('TWO-MIB')).toBe(true);
    expect(all.isLoaded('RFC1213-MIB')).toBe(true);
  });

  it('reports a module that cannot be found', () => {
    const mib = new Mib({ dirs: [first], modules: ['NO-SUCH-MIB', 'ONE-MIB'], builtins: false, env: {} });
    expect(mib.loadModule('NO-SUCH-MIB')).toBe(false);
    expect(mib.diagnostics).toContainEqual({
      module: 'NO-SUCH-MIB',
      file: '(none)',
      line: 0,
      message: 'Cannot find module (NO-SUCH-MIB)',
    });
    expect(mib.diagnostics.some((d) => d.message === 'Cannot find module (SNMPv2-SMI)')).toBe(true);
    // ONE-MIB's parent is unknown without SNMPv2-SMI: it stays unlinked, as in Net-SNMP.
    expect(mib.unlinked()).toContainEqual({ label: 'onemib', parent: 'enterprises', module: 'ONE-MIB' });
  });
});

describe('vendor sloppiness', () => {
  it('accepts underscores, clauses out of order, SIZE-less string ranges, trailing commas and odd comments', () => {
    const text = `-- leading comment
    SLOPPY-MIB DEFINITIONS ::= BEGIN
    IMPORTS enterprises, Counter32 FROM SNMPv2-SMI;
    sloppy_root OBJECT IDENTIFIER ::= { enterprises 4242 }
    sloppy-thing OBJECT-TYPE
        MAX-ACCESS read-only   -- access before syntax -- STATUS deprecated
        SYNTAX OCTET STRING (0..32)
        STATUS current
        DESCRIPTION "no REFERENCE, fine"
        ::=
        { sloppy_root 1 }
    sloppyEnum OBJECT-TYPE
        SYNTAX INTEGER { a(1), b(2), }
        ACCESS read-write
        STATUS mandatory
        ::= { sloppy_root 2 }
    sloppyNumbers OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 4 1 4242 3 }
    END`;
    const mib = new Mib({ dirs: [NPM_MIBS], modules: [], builtins: false, env: {} });
    expect(mib.loadText(text, 'sloppy.txt')).toEqual(['SLOPPY-MIB']);
    expect(mib.diagnostics).toEqual([]);
    const thing = mib.findNode('sloppy-thing', 'SLOPPY-MIB')!;
    // The comment ends at its second "--", so "STATUS deprecated" is live text, and the first STATUS wins.
    expect(thing).toMatchObject({ type: 'OCTET STRING', access: 'read-only', status: 'deprecated' });
    expect(thing.ranges).toEqual([{ low: 0n, high: 32n }]);
    expect(mib.findNode('sloppyEnum')!.enums).toEqual([
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
    ]);
    expect(formatOid(mib, '1.3.6.1.4.1.4242.1.0')).toBe('SLOPPY-MIB::sloppy-thing.0');
    expect(formatOid(mib, '1.3.6.1.4.1.4242.3', 'full')).toBe(
      '.iso.org.dod.internet.private.enterprises.sloppy_root.sloppyNumbers',
    );
  });
});

describe('snmp.conf and file paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-snmpconf-'));
  const etc = join(dir, 'etc');
  const home = join(dir, 'home');
  mkdirSync(etc);
  mkdirSync(join(home, '.snmp'), { recursive: true });
  const extra = join(dir, 'EXTRA-MIB.txt');
  writeFileSync(
    extra,
    'EXTRA-MIB DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\nextra OBJECT IDENTIFIER ::= { enterprises 777 }\nEND\n',
  );
  writeFileSync(join(etc, 'snmp.conf'), `# system file\nmibs :\nmibdirs ${NPM_MIBS}\n`);
  writeFileSync(join(home, '.snmp', 'snmp.conf'), `mibs +IF-MIB\nmibfile ${extra}\n`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads mibs, mibdirs and mibfile with "+" extending the earlier value', () => {
    const conf = readSnmpConf({ SNMPCONFPATH: `${etc}:${join(home, '.snmp')}`, HOME: home });
    expect(conf).toEqual({ mibs: '::IF-MIB', mibdirs: NPM_MIBS, mibfiles: [extra] });
    const mib = new Mib({ conf, builtins: false, env: {} });
    expect(mib.dirs).toEqual([NPM_MIBS]);
    expect(mib.isLoaded('IF-MIB')).toBe(true);
    expect(mib.isLoaded('SNMPv2-MIB')).toBe(true); // imported by IF-MIB
    expect(formatOid(mib, '1.3.6.1.4.1.777')).toBe('EXTRA-MIB::extra');
    // The environment and the options still come first.
    expect(new Mib({ conf, builtins: false, env: { MIBS: 'RFC1213-MIB' } }).isLoaded('RFC1213-MIB')).toBe(true);
  });

  it('"mibs :" alone loads nothing, like Debian\'s default snmp.conf', () => {
    const mib = new Mib({ conf: { mibs: ':', mibfiles: [] }, dirs: [NPM_MIBS], env: {} });
    expect(mib.loadedModules()).toEqual([]);
    expect(formatOid(mib, '1.3.6.1.2.1.1.1.0')).toBe('iso.3.6.1.2.1.1.1.0');
  });

  it('takes a module list entry with a "/" as a file path', () => {
    const mib = new Mib({ dirs: [NPM_MIBS], modules: ['SNMPv2-SMI', extra], builtins: false, env: {} });
    expect(formatOid(mib, '1.3.6.1.4.1.777.1')).toBe('EXTRA-MIB::extra.1');
  });
});

describe('replacement modules', () => {
  it('reads the newer module for a missing old one, per imported symbol, as Net-SNMP does', () => {
    const text = `OLD-STYLE-MIB DEFINITIONS ::= BEGIN
      IMPORTS ifEntry, system FROM RFC1213-MIB;
      oldIfThing OBJECT IDENTIFIER ::= { ifEntry 99 }
      oldSysThing OBJECT IDENTIFIER ::= { system 99 }
      END`;
    // No files at all: RFC1213-MIB is missing, its replacements (IF-MIB for "if...", SNMPv2-MIB for
    // "sys...") come from the built-in modules.
    const mib = new Mib({ dirs: [], modules: [], env: {} });
    expect(mib.loadText(text, 'old.txt')).toEqual(['OLD-STYLE-MIB']);
    expect(mib.isLoaded('IF-MIB')).toBe(true);
    expect(mib.isLoaded('SNMPv2-MIB')).toBe(true);
    expect(mib.diagnostics).toEqual([]);
    expect(formatOid(mib, '1.3.6.1.2.1.2.2.1.99')).toBe('OLD-STYLE-MIB::oldIfThing');
    expect(formatOid(mib, '1.3.6.1.2.1.1.99')).toBe('OLD-STYLE-MIB::oldSysThing');
  });
});

describe('a module cut short', () => {
  it('keeps the definitions before a missing END and reports the file', () => {
    const { modules, errors } = parseModules(
      'CUT-MIB DEFINITIONS ::= BEGIN\nIMPORTS enterprises FROM SNMPv2-SMI;\ncut OBJECT IDENTIFIER ::= { enterprises 5 }\n',
      'cut.txt',
    );
    expect(modules.map((m) => m.name)).toEqual(['CUT-MIB']);
    expect(modules[0]!.items).toHaveLength(1);
    expect(errors).toEqual([
      {
        module: 'CUT-MIB',
        file: 'cut.txt',
        line: 3,
        message: 'Missing END of module at line 3 in cut.txt (module CUT-MIB)',
      },
    ]);
  });
});
