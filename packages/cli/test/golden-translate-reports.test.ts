/**
 * Golden comparisons of snmptranslate's -T reports: `snmptranslate ARGS` and `snmpkit translate ARGS` read the same
 * module files and must print the same stdout and stderr and exit with the same code. -Td (a node's definition), -Tp
 * (the tree), the per-node listings -Tl, -To, -Ts, -Tz, -Tt, and the errors: unknown modules and names, unknown
 * roots, bad -T letters.
 *
 * Modules: SNMPv2-MIB and IF-MIB come from the net-snmp npm package (Debian's `snmp` ships no IETF modules, only
 * Net-SNMP's own, which are used too), plus the CLI's test module (test/mibs).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNetSnmp } from '@snmpkit/testkit';
import { describe, expect, it } from 'vitest';
import { compareWithNetSnmp } from './golden-compare.js';
import { NO_MIBS, runSnmpkit } from './run-snmpkit.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const NPM_MIBS = join(HERE, '../../../node_modules/net-snmp/lib/mibs');
const DEBIAN_MIBS = '/usr/share/snmp/mibs';
const TEST_MIB_DIR = join(HERE, 'mibs');
const IF = ['-M', NPM_MIBS, '-m', 'IF-MIB'];
const V2 = ['-M', NPM_MIBS, '-m', 'SNMPv2-MIB'];
const SK = ['-M', TEST_MIB_DIR, '-m', 'SNMPKIT-CLI-TEST-MIB'];
/**
 * Debian's Net-SNMP modules import HCNUM-TC and SNMP-FRAMEWORK-MIB, which Debian does not ship: Net-SNMP complains
 * on stderr while loading, snmpkit prints no load diagnostics (and has those modules built in). -Ln turns Net-SNMP's
 * log off, so that only the reports are compared; these cases all succeed, so no error message is lost with it.
 */
const DEBIAN = ['-Ln', '-M', `${DEBIAN_MIBS}:${NPM_MIBS}`];

const compare = (args: string[]) => compareWithNetSnmp('snmptranslate', args);

describe('snmpkit translate -T, against snmptranslate', () => {
  it('finds the module files', () => {
    expect(existsSync(join(NPM_MIBS, 'IF-MIB.mib'))).toBe(true);
    expect(existsSync(join(DEBIAN_MIBS, 'UCD-SNMP-MIB.txt'))).toBe(true);
  });

  describe('-Td: the definition of a node', () => {
    it.each([
      [[...IF, '-Td', 'SNMPv2-MIB::sysDescr']],
      [[...IF, '-Td', 'IF-MIB::ifOperStatus.3']],
      [[...IF, '-Td', 'IF-MIB::ifEntry']],
      [[...IF, '-Td', 'IF-MIB::ifXEntry']],
      [[...IF, '-Td', 'IF-MIB::linkDown']],
      [[...IF, '-Td', 'IF-MIB::ifCompliance3']],
      [[...IF, '-Td', 'IF-MIB::ifMIB']],
      [[...IF, '-Td', 'IF-MIB::ifIndex', 'SNMPv2-MIB::sysName', 'IF-MIB::ifStackStatus']],
      [[...IF, '-On', '-Td', 'IF-MIB::ifInOctets']],
      [[...IF, '-Of', '-Td', 'SNMPv2-MIB::snmpTrapOID.0']],
      [[...IF, '-IR', '-Os', '-Td', 'ifInOctets.7']],
      // Below a known node, and under a root nobody defined.
      [[...IF, '-Td', '.1.3.6.1.99.7']],
      [[...IF, '-Td', '.5.1', 'iso']],
      [['-Td', 'iso.3.6']],
      [[...SK, '-Td', 'SNMPKIT-CLI-TEST-MIB::skTemperature.0']],
      [[...SK, '-Td', 'SNMPKIT-CLI-TEST-MIB::skEntry']],
      [
        [
          ...SK,
          '-Td',
          'SNMPKIT-CLI-TEST-MIB::skWhen',
          'SNMPKIT-CLI-TEST-MIB::skOctets',
          'SNMPKIT-CLI-TEST-MIB::skTestMIB',
        ],
      ],
      [[...DEBIAN, '-m', 'UCD-SNMP-MIB', '-Td', 'UCD-SNMP-MIB::memTotalReal.0']],
      [[...DEBIAN, '-m', 'NET-SNMP-EXTEND-MIB', '-Td', 'NET-SNMP-EXTEND-MIB::nsExtendStatus']],
    ])('%j', (args) => compare(args));
  });

  describe('-Tp: the tree', () => {
    it.each([
      [[...IF, '-Tp', 'IF-MIB::ifTable']],
      [[...IF, '-Tp', 'SNMPv2-MIB::system', 'IF-MIB::ifConformance']],
      [[...IF, '-IR', '-Tp', 'ifXTable']],
      // An instance prints its object; an OID below a known node prints that node's tree.
      [[...IF, '-Tp', 'SNMPv2-MIB::sysDescr.0']],
      [[...IF, '-Tp', '.1.3.6.1.6.99']],
      // -O changes nothing in a tree.
      [[...IF, '-On', '-Tp', 'IF-MIB::ifStackTable']],
      // Whole trees: a small module's, the test module's, and no module at all (the bare iso root).
      [[...V2, '-Tp']],
      [[...SK, '-Tp']],
      [['-Tp']],
      [['-Tp', '.2.5']],
      [[...DEBIAN, '-m', 'UCD-SNMP-MIB', '-Tp', 'UCD-SNMP-MIB::memory']],
      [[...DEBIAN, '-m', 'NET-SNMP-EXTEND-MIB', '-Tp', 'NET-SNMP-EXTEND-MIB::nsExtendObjects']],
      // -Tp before -Td.
      [[...IF, '-Tpd', 'IF-MIB::ifStackEntry']],
    ])('%j', (args) => compare(args));
  });

  describe('-Tl, -To, -Ts, -Tz, -Tt: every node, one line per letter', () => {
    it.each([
      [[...SK, '-Tl']],
      [[...SK, '-To']],
      [[...SK, '-Ts']],
      [[...SK, '-Tz']],
      [[...SK, '-Tt']],
      [[...V2, '-To']],
      [[...IF, '-Tt']],
      [[...IF, '-Tz']],
      // Several letters: each node's lines together, always in the order l o s z t.
      [[...V2, '-Ttzsol']],
      [[...SK, '-Ts', '-Tl']],
      [[...DEBIAN, '-m', 'UCD-SNMP-MIB:IF-MIB', '-Tt']],
      // A listing turns -Tp off; with OIDs the listings are ignored and the OIDs translated.
      [[...V2, '-Tpo']],
      [[...IF, '-Tpo', 'IF-MIB::ifTable']],
      [[...IF, '-Tod', 'IF-MIB::ifType']],
      [['-To']],
    ])('%j', (args) => compare(args));
  });

  describe('errors', () => {
    it.each([
      // A module not on the path: the search path once, the module, then the name, exit code 2.
      [[...SK, '-Td', 'NOPE::x']],
      [[...IF, '-Tp', 'NOPE::x']],
      // Looked for again, reported again, unless it was the module looked for last.
      [[...SK, '-m', 'NOPE:SNMPKIT-CLI-TEST-MIB', '-Td', 'NOPE::x']],
      [['-M', TEST_MIB_DIR, '-m', 'NOPE:NOPE2', 'NOPE2::x']],
      [['-M', TEST_MIB_DIR, '-m', 'NOPE', 'SNMPKIT-CLI-TEST-MIB::skName', 'NOPE::x']],
      // No MIB modules at all (MIBS empty, MIBDIRS /nonexistent): the module is still looked for, on no path.
      [['-Td', 'NOPE::x']],
      [['.1.3', 'NOPE::x']],
      // Asked for with -m: reported before the output.
      [['-M', NPM_MIBS, '-m', 'NOPE:IF-MIB', '-Td', 'IF-MIB::ifIndex']],
      // The first unknown name ends the run; what came before it is printed.
      [[...IF, '-Td', 'SNMPv2-MIB::sysDescr', 'IF-MIB::nothing', 'IF-MIB::ifIndex']],
      [[...IF, '-Tp', 'SNMPv2-MIB::sysDescr', 'SNMPv2-MIB::nothing']],
      [[...IF, 'IF-MIB::ifTable', 'nothing', 'IF-MIB::ifIndex']],
      // -IR words its failure its own way.
      [[...IF, '-IR', '-Td', 'nothing.0']],
      [[...IF, '-IR', 'IF-MIB::nothing']],
      // -Tp under an unknown root: exit code 1.
      [[...IF, '-Tp', 'IF-MIB::ifTable', '.5.1', 'IF-MIB::ifIndex']],
      // A letter -T does not know: snmptranslate's message (with its "<lostpad>"), then the usage.
      [['-Tq', '.1.3']],
      [[...IF, '-Tdx', 'IF-MIB::ifTable']],
    ])('%j', (args) => compare(args));

    it('without MIBS, a MODULE::name argument reads its module from MIBDIRS, as snmptranslate does', async () => {
      // Names before it are printed without modules, those after it with the module's names.
      const args = [
        '.1.3.6.1.2.1.1.1.0',
        'SNMPv2-MIB::sysDescr.0',
        '.1.3.6.1.2.1.1.1.0',
        'IF-MIB::ifIndex.1',
        '.1.3.6.1.2.1.2.2.1.1.1',
      ];
      for (const argv of [
        args,
        ['-Td', 'IF-MIB::ifIndex'],
        ['-Tp', 'SNMPv2-MIB::system'],
        ['IF-MIB::ifIndex', 'NOPE::x'],
      ]) {
        const env = { MIBS: '', MIBDIRS: NPM_MIBS };
        const theirs = await runNetSnmp('snmptranslate', argv, { env });
        const ours = await runSnmpkit(['translate', ...argv], { env });
        expect(theirs.stdout).not.toBe('');
        const { stdout, stderr, exitCode } = theirs;
        expect({ stdout: ours.stdout, stderr: ours.stderr, exitCode: ours.exitCode }).toEqual({
          stdout,
          stderr,
          exitCode,
        });
      }
    });

    it('-Td without an OID: exit code 1 and the usage, as snmptranslate (which prints the usage alone)', async () => {
      const theirs = await runNetSnmp('snmptranslate', [...IF, '-Td'], { env: NO_MIBS });
      const ours = await runSnmpkit(['translate', ...IF, '-Td']);
      expect(ours.exitCode).toBe(theirs.exitCode);
      expect(theirs.stderr).toMatch(/^USAGE: snmptranslate /);
      // snmpkit says why before its usage, as for `snmpkit translate` without any argument.
      expect(ours.stderr).toMatch(/^Missing object name\nUSAGE: snmpkit translate /);
      expect(ours.stdout).toBe('');
    });

    it.each([
      [[...IF, '-TB', 'Octets']],
      [[...IF, '-TB', 'if.*Octets']],
      [[...IF, '-TB', '^ifIn']],
      [[...IF, '-TB', 'sys']],
      [[...IF, '-TBd', 'if.*Octets']],
      [[...IF, '-On', '-TB', 'ifIn.*s$', 'ignored']],
      [[...IF, '-TB', 'zzzq']],
      [[...IF, '-TB', '(']],
      [[...IF, '-IR', '-TB', 'ifInOctets.1']],
      [[...SK, '-TB', 'sk']],
      [[...DEBIAN, '-m', 'UCD-SNMP-MIB', '-TB', 'mem.*Real']],
    ])('-TB (objects matching a regular expression, in snmptranslate order): %j', async (args) => {
      await compare(args);
    });

    it('-TB over many modules: the objects snmptranslate finds (their order across modules may differ)', async () => {
      for (const pattern of ['ifIn.*s$', '^[a-c]', 'e']) {
        const args = [...DEBIAN, '-m', 'ALL', '-TB', pattern];
        const theirs = await runNetSnmp('snmptranslate', args);
        const ours = await runSnmpkit(['translate', ...args]);
        expect(ours.exitCode).toBe(theirs.exitCode);
        const lines = (text: string) => text.trimEnd().split('\n').sort();
        expect(lines(ours.stdout)).toEqual(lines(theirs.stdout));
        expect(lines(theirs.stdout).length).toBeGreaterThan(5);
      }
    });

    it('-Ta: refused with exit code 1 where it would decide the output (not implemented)', async () => {
      // -Ta dumps Net-SNMP's tree in the order of its internal child lists: not reproduced, so snmpkit says so
      // instead of printing something else.
      const ascii = await runSnmpkit(['translate', ...IF, '-Ta']);
      expect(ascii).toMatchObject({
        exitCode: 1,
        stdout: '',
        stderr: '-Ta (the ASCII symbol table) is not supported by snmpkit translate\n',
      });
      // Where another letter decides, it is accepted, as snmptranslate accepts it.
      await compare([...IF, '-Tap']);
      await compare([...SK, '-TBo']);
      await compare([...IF, '-Ta', 'IF-MIB::ifTable']);
    });

    it('-T belongs to translate alone: the other commands refuse it (Net-SNMP has -T LAYER=VALUE there)', async () => {
      const get = await runSnmpkit(['get', '-Tp', '-v2c', '-c', 'public', '127.0.0.1:1', '1.3.6.1.2.1.1.1.0']);
      expect(get.exitCode).toBe(1);
      expect(get.stderr).toMatch(/^snmpkit get: invalid option -- 'T'\nUSAGE: snmpkit get /);
    });
  });
});
