import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Device,
  findDataFiles,
  indexDevice,
  loadData,
  parseDump,
  parseSapwalk,
  selectionCandidates,
} from '../src/index.js';
import { show } from './helpers.js';

// The data forms snmpsim reads (0.4 and later), each checked against what snmpsim serves for it (the side-by-side
// test, snmpsim.test.ts, runs snmpsim itself on the same forms).

describe('.snmprec as snmprec 0.4 and 1.x wrote it', () => {
  it('strips each line as snmpsim does: blanks before the OID and after the value go, blanks after | stay', () => {
    const device = Device.fromSnmprec(
      ['  1.3.6.1.2.1.1.1.0|4|  padded value  \t', '   # an indented comment', '1.3.6.1.2.1.1.7.0|2| 72 \r', ''].join(
        '\n',
      ),
    );
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:  padded value',
      '1.3.6.1.2.1.1.7.0 = Integer:72',
    ]);
  });

  it('reads an IpAddress of four characters as its four raw bytes, and dotted text with blanks', () => {
    const device = Device.fromSnmprec(
      [
        '1.3.6.1.2.1.1.5.0|64|abcd',
        '1.3.6.1.2.1.1.6.0|64| 10.0.0.1',
        '1.3.6.1.2.1.1.8.0|64e|\\x7f\\x00\\x00\\x01',
      ].join('\n'),
    );
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.5.0 = IpAddress:97.98.99.100',
      '1.3.6.1.2.1.1.6.0 = IpAddress:10.0.0.1',
      '1.3.6.1.2.1.1.8.0 = IpAddress:127.0.0.1',
    ]);
  });

  it('takes leading zeros in an arc and serves the OID without them (snmpsim loads it, then its walk breaks there)', () => {
    const device = Device.fromSnmprec('1.3.06.1.2.1.1.4.0|4|zero\n1.3.6.1.2.1.1.5.0|4|next\n');
    expect(device.get('1.3.6.1.2.1.1.4.0')).toEqual({ type: 'OctetString', value: new TextEncoder().encode('zero') });
    expect(show(device.varbinds())).toHaveLength(2);
  });

  it('refuses the database modules by name, not as an unknown tag (serving as snmpsim: warns and serves the rest)', () => {
    expect(() => Device.fromSnmprec('1.3.6.1.2.1|:sql|snmprec\n')).toThrow(
      /1: 1\.3\.6\.1\.2\.1: snmpsim's variation module "sql" is not supported/,
    );
    expect(() => Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4:redis|key=x\n')).toThrow(
      /variation module "redis" is not supported/,
    );
    // Served as snmpsim serves them (it cannot load these modules without their database): the rest of the file is.
    const served = Device.fromSnmprec(
      '1.3.6.1.2.1|:sql|snmprec\n1.3.6.1.2.1.1.1.0|4:redis|key=x\n1.3.6.1.4.1.1.0|2|1\n',
      {
        badRecords: 'serve',
      },
    );
    expect(show(served.varbinds())).toEqual(['1.3.6.1.4.1.1.0 = Integer:1']);
    expect(served.warnings).toEqual([
      `1: 1.3.6.1.2.1: snmpsim's variation module "sql" is not supported: it serves values from an SQL database; ` +
        'export the table to .snmprec instead (its subtree answers noSuchInstance, as snmpsim)',
      `2: 1.3.6.1.2.1.1.1.0: snmpsim's variation module "redis" is not supported: it serves values from a Redis ` +
        'database; export the keys to .snmprec instead (answers noSuchInstance, as snmpsim)',
    ]);
  });

  it("with badRecords 'serve', a value snmpsim cannot serve answers noSuchInstance and the rest loads, warned", () => {
    const device = Device.fromSnmprec(
      [
        '1.3.6.1.2.1.11.14.0|65:numeric|rate=0.001cumulative=1',
        '1.3.6.1.2.1.31.1.1.1.1.1|2|Fa3/0/1',
        '1.3.6.1.2.1.31.1.1.1.1.2|4|eth0',
      ].join('\n'),
      { badRecords: 'serve', source: 'x.snmprec' },
    );
    expect(show(device.varbinds())).toEqual(['1.3.6.1.2.1.31.1.1.1.1.2 = OctetString:eth0']);
    expect(device.get('1.3.6.1.2.1.31.1.1.1.1.1')).toBeUndefined();
    expect(device.warnings).toEqual([
      'x.snmprec:1: 1.3.6.1.2.1.11.14.0: numeric: rate=0.001cumulative=1 is not a number (answers noSuchInstance, as snmpsim)',
      'x.snmprec:2: 1.3.6.1.2.1.31.1.1.1.1.1: Integer value "Fa3/0/1" is not a whole number from -2147483648 to ' +
        '2147483647 (answers noSuchInstance, as snmpsim)',
    ]);
  });
});

describe('walk output as snmpsim reads it', () => {
  it('reads a value printed through a DISPLAY-HINT ("1x:") as its bytes, BITS by their hex bytes only', () => {
    const device = Device.fromWalk(
      [
        '# recorded with snmpwalk -On',
        '.1.3.6.1.2.1.2.2.1.6.2 = STRING: 0:12:79:62:f9:40',
        '.1.3.6.1.2.1.2.2.1.6.3 = STRING: 2026-12-7,13:30:26.0',
        '.1.3.6.1.2.1.88.1.4.2.1.3.1 = BITS: A0 0 2 ',
        '.1.3.6.1.2.1.1.3.0 = TIMETICKS: (5) 0:00:00.05',
        '.1.3.6.1.2.1.4.13.0 = INTEGER: 60 seconds',
        '.1.3.6.1.2.1.25.4.2.1.4.384 = STRING: "C:\\\\WINDOWS\\\\"',
      ].join('\n'),
      { liveSysUpTime: false },
    );
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:5',
      '1.3.6.1.2.1.2.2.1.6.2 = OctetString:\u0000\u0012yb\u00f9@',
      '1.3.6.1.2.1.2.2.1.6.3 = OctetString:2026-12-7,13:30:26.0',
      '1.3.6.1.2.1.4.13.0 = Integer:60',
      // Net-SNMP escapes \ and " in what it prints: one backslash each (snmpsim keeps both).
      '1.3.6.1.2.1.25.4.2.1.4.384 = OctetString:C:\\WINDOWS\\',
      '1.3.6.1.2.1.88.1.4.2.1.3.1 = OctetString:\u00a0',
    ]);
  });

  it('reads SimpleAgentPro .sapwalk lines', () => {
    const records = parseSapwalk(
      [
        '1.3.6.1.2.1.1.2.0             , ObjectID    , 1.3.6.1.4.1.311.1.1.3.1.1',
        '1.3.6.1.2.1.1.6.0             , OctetString , Moscow, Russia',
        '1.3.6.1.2.1.2.2.1.6.1         , OctetString , ',
        '1.3.6.1.2.1.2.2.1.6.65539     , OctetString , 0x000e35d33d53',
        '1.3.6.1.2.1.2.2.1.5.1         , Gauge       , 10000000',
      ].join('\n'),
    );
    expect(show(Device.fromRecords(records).varbinds())).toEqual([
      '1.3.6.1.2.1.1.2.0 = ObjectIdentifier:1.3.6.1.4.1.311.1.1.3.1.1',
      '1.3.6.1.2.1.1.6.0 = OctetString:Moscow, Russia',
      '1.3.6.1.2.1.2.2.1.5.1 = Gauge32:10000000',
      '1.3.6.1.2.1.2.2.1.6.1 = OctetString',
      '1.3.6.1.2.1.2.2.1.6.65539 = OctetString:\u0000\u000e5\u00d3=S',
    ]);
    expect(() => parseSapwalk('1.3.6.1.1.0, Float, 1.5', 'w.sapwalk')).toThrow(
      /w\.sapwalk:1: 1\.3\.6\.1\.1\.0: unknown type "Float"/,
    );
  });

  it('reads .dump/.MVC lines (type codes 0-9, hex: strings)', () => {
    const records = parseDump(
      [
        '1.3.6.1.2.1.1.1.0|6|"quoted text"',
        '1.3.6.1.2.1.1.4.0|6|hex: 0.ff.41',
        '1.3.6.1.2.1.1.5.0|3|10.0.0.1',
        '1.3.6.1.2.1.1.9.0|9|7',
      ].join('\n'),
    );
    expect(show(Device.fromRecords(records).varbinds())).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:quoted text',
      '1.3.6.1.2.1.1.4.0 = OctetString:\u0000\u00ffA',
      '1.3.6.1.2.1.1.5.0 = IpAddress:10.0.0.1',
      '1.3.6.1.2.1.1.9.0 = Counter64:7',
    ]);
  });
});

describe('data directories as snmpsim lays them out', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snmpkit-datadir-'));
    await mkdir(join(dir, 'recorded'));
    await mkdir(join(dir, 'public', '1.3.6.1.6.1.1.0'), { recursive: true });
    await writeFile(join(dir, 'README.txt'), 'This directory is a repository of .snmprec files\n');
    await writeFile(join(dir, 'public', 'README-v2c.txt'), 'notes\n');
    await writeFile(join(dir, 'public.snmprec'), '1.3.6.1.2.1.1.1.0|4|public device\n');
    await writeFile(join(dir, 'public.snmpwalk'), '.1.3.6.1.2.1.1.1.0 = STRING: "second"\n');
    await writeFile(join(dir, 'recorded', 'linux.snmpwalk'), '.1.3.6.1.2.1.1.1.0 = STRING: "linux"\n');
    await writeFile(join(dir, 'recorded', 'walk.txt'), '.1.3.6.1.2.1.1.1.0 = STRING: "from txt"\n');
    await writeFile(join(dir, 'public', '1.3.6.1.6.1.1.0', '127.0.0.1.snmprec'), '1.3.6.1.2.1.1.1.0|4|by address\n');
    await symlink(join(dir, 'recorded'), join(dir, 'linked'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds data files recursively, names them by relative path, ignores other files and skips a second file for a name', async () => {
    const { files, skipped } = await findDataFiles(dir);
    expect(files.map((f) => f.name)).toEqual([
      'linked/linux',
      'linked/walk',
      'public',
      'public/1.3.6.1.6.1.1.0/127.0.0.1',
      'recorded/linux',
      'recorded/walk',
    ]);
    expect(files.find((f) => f.name === 'public')!.path).toBe(join(dir, 'public.snmprec'));
    expect(skipped).toEqual([
      { path: join(dir, 'public.snmpwalk'), reason: `"public" is served from ${join(dir, 'public.snmprec')} already` },
    ]);
    const data = await loadData(dir);
    expect('devices' in data && data.devices.get('public/1.3.6.1.6.1.1.0/127.0.0.1')?.get('1.3.6.1.2.1.1.1.0')).toEqual(
      {
        type: 'OctetString',
        value: new TextEncoder().encode('by address'),
      },
    );
  });
});

describe("snmpsim's agent selection and index", () => {
  it('tries NAME/TRANSPORT/ADDRESS, NAME/TRANSPORT, NAME (IPv6 with _ for :, empty parts left out)', () => {
    expect(selectionCandidates('public', '1.3.6.1.6.1.1.0', '127.0.0.1')).toEqual([
      'public/1.3.6.1.6.1.1.0/127.0.0.1',
      'public/1.3.6.1.6.1.1.0',
      'public',
    ]);
    expect(selectionCandidates('public', '1.3.6.1.2.1.100.1.2.0', '::1')).toEqual([
      'public/1.3.6.1.2.1.100.1.2.0/__1',
      'public/1.3.6.1.2.1.100.1.2.0',
      'public',
    ]);
    expect(selectionCandidates('', '1.3.6.1.6.1.1.0', '127.0.0.1')).toEqual([
      '1.3.6.1.6.1.1.0/127.0.0.1',
      '1.3.6.1.6.1.1.0',
    ]);
    expect(selectionCandidates('public', undefined, '127.0.0.1')).toEqual(['public']);
  });

  it('lists the data files under 1.3.6.1.4.1.20408.999.1: path, community, MD5 of the community', () => {
    const index = indexDevice([
      { name: 'public', path: '/data/public.snmprec' },
      { name: 'recorded/linux', path: '/data/recorded/linux.snmpwalk' },
    ]);
    expect(show(index.varbinds())).toEqual([
      '1.3.6.1.4.1.20408.999.1.1.1 = OctetString:/data/public.snmprec',
      '1.3.6.1.4.1.20408.999.1.1.2 = OctetString:/data/recorded/linux.snmpwalk',
      '1.3.6.1.4.1.20408.999.1.2.1 = OctetString:public',
      '1.3.6.1.4.1.20408.999.1.2.2 = OctetString:recorded/linux',
      '1.3.6.1.4.1.20408.999.1.3.1 = OctetString:4c9184f37cff01bcdc32dc486ec36961',
      '1.3.6.1.4.1.20408.999.1.3.2 = OctetString:0dc415cb4cbb7c4304516ffe70fe7d3b',
    ]);
  });
});
