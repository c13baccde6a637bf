/** The snmp.conf reader: which files, in which order, and what one line gives. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mibSettingsOf, readSnmpConf, readSnmpConfLines, snmpConfFiles } from '../src/search-path.js';

const dir = mkdtempSync(join(tmpdir(), 'snmpkit-search-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('snmpConfFiles', () => {
  it('SNMPCONFPATH: snmp.conf then snmp.local.conf in each directory, nothing else', () => {
    expect(snmpConfFiles({ SNMPCONFPATH: '/a:/b/' })).toEqual([
      '/a/snmp.conf',
      '/a/snmp.local.conf',
      '/b//snmp.conf',
      '/b//snmp.local.conf',
    ]);
  });

  it("without it: Net-SNMP's directories, ~/.snmp, then the persistent directory", () => {
    const files = snmpConfFiles({ HOME: '/home/op', SNMP_PERSISTENT_DIR: '/p' });
    expect(files.slice(0, 4)).toEqual([
      '/etc/snmp/snmp.conf',
      '/etc/snmp/snmp.local.conf',
      '/usr/share/snmp/snmp.conf',
      '/usr/share/snmp/snmp.local.conf',
    ]);
    expect(files.slice(-4)).toEqual([
      '/home/op/.snmp/snmp.conf',
      '/home/op/.snmp/snmp.local.conf',
      '/p/snmp.conf',
      '/p/snmp.local.conf',
    ]);
    expect(snmpConfFiles({ HOME: '/h' }).at(-1)).toBe('/var/lib/snmp/snmp.local.conf');
  });
});

describe('readSnmpConfLines', () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, 'snmp.conf'), '# comment\n\n  defVersion   2c  \r\nMIBS +IF-MIB\ntimeout\n');
  writeFileSync(join(a, 'snmp.local.conf'), '\tmibdirs /x\n');
  writeFileSync(join(b, 'snmp.conf'), 'mibs +SNMPv2-MIB\nmibfile /m.txt\n');

  it('gives each directive with its file and line, comments and empty lines left out, file after file', () => {
    const lines = readSnmpConfLines({ SNMPCONFPATH: `${a}:${b}` });
    expect(lines).toEqual([
      { file: `${a}/snmp.conf`, line: 3, token: 'defVersion', value: '2c' },
      { file: `${a}/snmp.conf`, line: 4, token: 'MIBS', value: '+IF-MIB' },
      { file: `${a}/snmp.conf`, line: 5, token: 'timeout', value: '' },
      { file: `${a}/snmp.local.conf`, line: 1, token: 'mibdirs', value: '/x' },
      { file: `${b}/snmp.conf`, line: 1, token: 'mibs', value: '+SNMPv2-MIB' },
      { file: `${b}/snmp.conf`, line: 2, token: 'mibfile', value: '/m.txt' },
    ]);
    // The MIB tokens in any case, as Net-SNMP matches them; "+" extends the value before.
    expect(mibSettingsOf(lines)).toEqual({ mibs: '+IF-MIB:SNMPv2-MIB', mibdirs: '/x', mibfiles: ['/m.txt'] });
    expect(readSnmpConf({ SNMPCONFPATH: `${a}:${b}` })).toEqual(mibSettingsOf(lines));
  });
});
