import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage } from '@snmpkit/ber';
import { runNetSnmp, type SnmpsimInstance, startSnmpsim } from '@snmpkit/testkit';
import { listen } from '@snmpkit/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';
import { show } from './helpers.js';

// snmpsim and this simulator side by side on the same data directory, both read with Net-SNMP's tools. CI installs
// snmpsim (.ci/run); without it startSnmpsim throws, so these tests fail rather than skip.

const FILES: Record<string, string> = {
  'README.txt': 'This directory is a repository of .snmprec files, picked by community name.\n',
  // snmprec 0.4 forms: blanks, a raw 4-byte IpAddress, hex and escaped values, CRLF, an indented comment.
  'forms.snmprec': [
    '1.3.6.1.2.1.1.1.0|4|  padded value   ',
    '1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10',
    '  # an indented comment',
    '1.3.6.1.2.1.1.4.0|4x|00ff417a\r',
    '1.3.6.1.2.1.1.5.0|64|abcd',
    '1.3.6.1.2.1.1.6.0|64| 10.0.0.1',
    '1.3.6.1.2.1.1.7.0|2| 72',
    '1.3.6.1.2.1.1.8.0|67|100',
    '1.3.6.1.2.1.1.9.0|4e|tab\\there',
    '1.3.6.1.2.1.2.2.1.5.1|66|10000000',
    '1.3.6.1.2.1.31.1.1.1.6.1|70|12345678901234567',
    '',
  ].join('\n'),
  // Walk output with values printed through DISPLAY-HINTs, enums and units.
  'sub/walks/linux.snmpwalk': [
    '.1.3.6.1.2.1.1.1.0 = STRING: Linux box 5.10',
    '.1.3.6.1.2.1.1.3.0 = 121722922',
    '.1.3.6.1.2.1.2.2.1.3.2 = INTEGER: ethernetCsmacd(6)',
    '.1.3.6.1.2.1.2.2.1.6.2 = STRING: 0:12:79:62:f9:40',
    '.1.3.6.1.2.1.2.2.1.10.2 = Counter32: 3918',
    '.1.3.6.1.2.1.4.13.0 = INTEGER: 60 seconds',
    '.1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress: 10.0.0.1',
    '.1.3.6.1.2.1.25.1.1.0 = Timeticks: (4242) 0:00:42.42',
    '.1.3.6.1.2.1.31.1.1.1.15.2 = Gauge32: 1000',
    '',
  ].join('\n'),
  'sap.sapwalk': [
    '1.3.6.1.2.1.1.1.0             , OctetString , Hardware: x86 - Software: Windows 2000',
    '1.3.6.1.2.1.1.2.0             , ObjectID    , 1.3.6.1.4.1.311.1.1.3.1.1',
    '1.3.6.1.2.1.1.3.0             , TimeTicks   , 200846',
    '1.3.6.1.2.1.2.2.1.5.1         , Gauge       , 10000000',
    '1.3.6.1.2.1.2.2.1.6.65539     , OctetString , 0x000e35d33d53',
    '1.3.6.1.2.1.4.20.1.1.10.0.0.1 , IpAddress   , 10.0.0.1',
    '',
  ].join('\n'),
  // Variations whose reads do not depend on time, and a record snmpsim cannot serve.
  'variation/mixed.snmprec': [
    '1.3.6.1.2.1.1.1.0|4|mixed',
    '1.3.6.1.2.1.2.2.1.1.1|2:error|op=set,status=commitfailed,value=1',
    '1.3.6.1.2.1.2.2.1.2.1|4:error|op=set,status=noaccess',
    '1.3.6.1.2.1.2.2.1.3.1|2:numeric|rate=0,initial=5',
    '1.3.6.1.2.1.2.2.1.4.1|66:numeric|function=pow%<time>%2,scale=0,offset=7',
    '1.3.6.1.2.1.2.2.1.6.1|4:writecache|hexvalue=00127962f940',
    '1.3.6.1.2.1.2.2.1.7.1|2:delay|value=1,wait=10',
    '1.3.6.1.2.1.2.2.1.8.1|2|1',
    // Last: snmpsim's walk ends at a record it cannot serve (ours passes over it; tested below).
    '1.3.6.1.2.1.2.2.1.9.1|2|Fa3/0/1',
    '',
  ].join('\n'),
  // multiplex: the subtree from numbered snapshots, the first for the first 1000 s.
  'mux.snmprec':
    '1.3.6.1.2.1.1.1.0|4|mux\n1.3.6.1.2.1.2|:multiplex|dir=mux/snapshots,period=1000\n1.3.6.1.2.1.3.1.0|2|3\n',
  'mux/snapshots/00000.snmprec':
    '1.3.6.1.2.1.2.1.0|2|2\n1.3.6.1.2.1.2.2.1.10.1|65|1000\n1.3.6.1.2.1.2.2.1.10.2|65|2000\n',
  'mux/snapshots/00001.snmprec':
    '1.3.6.1.2.1.2.1.0|2|2\n1.3.6.1.2.1.2.2.1.10.1|65|1100\n1.3.6.1.2.1.2.2.1.10.2|65|2200\n',
  // subprocess: the value a program prints (the simulator runs it only when allowed).
  'variation/subprocess.snmprec': '1.3.6.1.2.1.1.3.0|2:subprocess|echo 123455\n1.3.6.1.2.1.1.5.0|4|name\n',
  'variation/denied.snmprec': [
    '1.3.6.1.2.1.1.1.0|4|denied',
    '1.3.6.1.2.1.1.2.0|6:error|op=get,status=authorizationError,value=1.3.6.1',
    '',
  ].join('\n'),
};
const COMMUNITIES = ['forms', 'sub/walks/linux', 'sap', 'variation/mixed', 'mux', 'variation/subprocess'];

let dir: string;
let snmpsim: SnmpsimInstance;
let sim: Simulator;
let ours: string;
let theirs: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpsim-data-'));
  for (const [name, text] of Object.entries(FILES)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text, 'latin1');
  }
  snmpsim = await startSnmpsim({ dataDir: dir, probeCommunity: 'forms' });
  theirs = snmpsim.endpoints[0]!;
  sim = await startSimulator({
    data: dir,
    listen: ['udp:127.0.0.1:0'],
    deviceOptions: { badRecords: 'serve', liveSysUpTime: false, allowSubprocess: true },
  });
  ours = sim.endpoints[0]!.replace(/^udp:/, '');
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await snmpsim?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Both agents' output (stdout without snmpsim's extra endOfMibView lines: its GETBULK repeats them), stderr, code. */
async function both(tool: 'snmpbulkwalk' | 'snmpwalk' | 'snmpget', args: string[], after: string[] = []) {
  const withTarget = async (endpoint: string) => {
    const r = await runNetSnmp(tool, [...args, `udp:${endpoint}`, ...after]);
    const out = r.stdout
      .split('\n')
      .filter((line) => !line.includes('= No more variables left in this MIB View'))
      .join('\n');
    return { out, err: r.stderr, code: r.exitCode };
  };
  return { snmpsim: await withTarget(theirs), snmpkit: await withTarget(ours) };
}

describe('the same data directory served by snmpsim and by the simulator', () => {
  it('serves the same communities (the relative paths), and neither serves the README', () => {
    expect(sim.dataFiles.map((f) => f.name)).toEqual([
      'forms',
      'mux',
      'mux/snapshots/00000',
      'mux/snapshots/00001',
      'sap',
      'sub/walks/linux',
      'variation/denied',
      'variation/mixed',
      'variation/subprocess',
    ]);
    for (const name of COMMUNITIES) expect(snmpsim.log()).toContain(`community name: ${name}`);
  });

  for (const community of COMMUNITIES) {
    it(`snmpbulkwalk -v2c -On -c ${community}: the same lines`, async () => {
      const r = await both('snmpbulkwalk', ['-v2c', '-On', '-Cr25', '-c', community], ['.1']);
      expect(r.snmpkit.out.length).toBeGreaterThan(0);
      expect(r.snmpkit).toEqual(r.snmpsim);
    });

    it(`snmpwalk -v1 -On -c ${community}: the same lines`, async () => {
      const r = await both('snmpwalk', ['-v1', '-On', '-c', community], ['.1']);
      expect(r.snmpkit).toEqual(r.snmpsim);
    });
  }

  it('snmpget: the same values, noSuchInstance for what is not there and for a value it cannot serve', async () => {
    const r = await both(
      'snmpget',
      ['-v2c', '-On', '-c', 'variation/mixed'],
      [
        '1.3.6.1.2.1.1.1.0',
        '1.3.6.1.2.1.2.2.1.2.1',
        '1.3.6.1.2.1.2.2.1.9.1',
        '1.3.6.1.2.1.2.2.1.7.1',
        '1.3.6.1.2.1.2.2.1.1.2',
      ],
    );
    expect(r.snmpkit.out).toContain('.1.3.6.1.2.1.2.2.1.9.1 = No Such Instance currently exists at this OID');
    expect(r.snmpkit).toEqual(r.snmpsim);
  });

  it('where snmpsim is wrong: noSuchInstance for an OID under no object at all (RFC 3416: noSuchObject)', async () => {
    const r = await both('snmpget', ['-v2c', '-On', '-c', 'forms'], ['1.3.6.1.4.1.99.1.0']);
    expect(r.snmpsim.out).toBe('.1.3.6.1.4.1.99.1.0 = No Such Instance currently exists at this OID\n');
    expect(r.snmpkit.out).toBe('.1.3.6.1.4.1.99.1.0 = No Such Object available on this agent at this OID\n');
  });

  it('snmpget: an error variation answers its status with the failed object', async () => {
    const r = await both(
      'snmpget',
      ['-v2c', '-On', '-c', 'variation/denied'],
      ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0'],
    );
    expect(r.snmpkit.err).toContain('authorizationError');
    expect(r.snmpkit).toEqual(r.snmpsim);
  });

  it('a community that names no data file is not answered by either', async () => {
    const r = await both('snmpget', ['-v2c', '-On', '-t', '0.3', '-r', '0', '-c', 'README'], ['1.3.6.1.2.1.1.1.0']);
    expect(r.snmpkit.err).toContain('Timeout');
    expect(r.snmpsim.err).toContain('Timeout');
  });
});

describe('agent selection by transport ID and source address, as snmpsim --v2c-arch selects', () => {
  const SELECTION: Record<string, string> = {
    'public.snmprec': '1.3.6.1.2.1.1.1.0|4|by community\n',
    'public/1.3.6.1.6.1.1.0/127.0.0.1.snmprec': '1.3.6.1.2.1.1.1.0|4|by community, endpoint 0 and address\n',
    'public/1.3.6.1.6.1.1.1.snmprec': '1.3.6.1.2.1.1.1.0|4|by community and endpoint 1\n',
    '1.3.6.1.6.1.1.0/127.0.0.1.snmprec': '1.3.6.1.2.1.1.1.0|4|empty community, endpoint 0 and address\n',
  };
  let selectionDir: string;
  let v2cArch: SnmpsimInstance;
  let selecting: Simulator;

  beforeAll(async () => {
    selectionDir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpsim-select-'));
    for (const [name, text] of Object.entries(SELECTION)) {
      await mkdir(join(selectionDir, name, '..'), { recursive: true });
      await writeFile(join(selectionDir, name), text);
    }
    v2cArch = await startSnmpsim({
      dataDir: selectionDir,
      probeCommunity: 'public',
      extraEndpoints: 1,
      args: ['--v2c-arch'],
    });
    selecting = await startSimulator({ data: selectionDir, listen: ['udp:127.0.0.1:0', 'udp:127.0.0.1:0'] });
  }, 120_000);

  afterAll(async () => {
    await selecting?.close();
    await v2cArch?.stop();
    await rm(selectionDir, { recursive: true, force: true });
  });

  const cases: [string, number, string, string][] = [
    ['public', 0, '127.0.0.1', 'by community, endpoint 0 and address'],
    ['public', 0, '127.0.0.2', 'by community'],
    ['public', 1, '127.0.0.1', 'by community and endpoint 1'],
    ['', 0, '127.0.0.1', 'empty community, endpoint 0 and address'],
  ];
  for (const [community, endpoint, from, expected] of cases) {
    it(`community "${community}" on endpoint ${endpoint} from ${from}: ${expected}`, async () => {
      const get = async (target: string) =>
        (
          await runNetSnmp('snmpget', [
            '-v2c',
            '-On',
            '-c',
            community,
            `--clientaddr=${from}`,
            `udp:${target.replace(/^udp:/, '')}`,
            '1.3.6.1.2.1.1.1.0',
          ])
        ).stdout;
      const line = `.1.3.6.1.2.1.1.1.0 = STRING: "${expected}"\n`;
      expect(await get(selecting.endpoints[endpoint]!)).toBe(line);
      expect(await get(v2cArch.endpoints[endpoint]!)).toBe(line);
    });
  }
});

describe('notification: the traps snmpsim sends and the simulator sends for the same record', () => {
  it('v2c trap on GET and v1 trap on SET: the same PDU fields and varbinds', async () => {
    const received: Uint8Array[] = [];
    const receiver = await listen('udp:127.0.0.1:0', { onMessage: (message) => received.push(message) });
    const ntfDir = await mkdtemp(join(tmpdir(), 'snmpkit-snmpsim-ntf-'));
    let theirsNtf: SnmpsimInstance | undefined;
    let oursNtf: Simulator | undefined;
    try {
      const target = `host=127.0.0.1,port=${receiver.port}`;
      await writeFile(
        join(ntfDir, 'ntf.snmprec'),
        [
          `1.3.6.1.2.1.1.1.0|4:notification|op=get,version=2c,community=traps,${target},ntftype=trap,trapoid=1.3.6.1.4.1.20408.4.1.1.2.0.432,uptime=12345,varbinds=1.3.6.1.4.1.20408.1.1.0:s:snmpsim agent:1.3.6.1.4.1.20408.1.2.0:i:42,value=sender`,
          `1.3.6.1.2.1.1.2.0|6:notification|op=set,vlist=eq:1.3.6.1.1.2,version=1,community=v1traps,${target},ntftype=trap,trapoid=1.3.6.1.4.1.20408.4.1.1.2.0.432,uptime=777,agentaddress=127.0.0.1,enterprise=1.3.6.1.4.1.20408.4.1.1.2,value=1.3.6.1.1.1`,
          '',
        ].join('\n'),
      );
      theirsNtf = await startSnmpsim({ dataDir: ntfDir, probeCommunity: 'ntf' });
      oursNtf = await startSimulator({ data: ntfDir, listen: ['udp:127.0.0.1:0'], rwCommunities: ['ntf'] });
      const decoded: Record<string, unknown>[] = [];
      for (const endpoint of [`udp:${theirsNtf.endpoints[0]}`, oursNtf.endpoints[0]!]) {
        received.length = 0;
        await runNetSnmp('snmpget', ['-v2c', '-c', 'ntf', '-On', endpoint, '1.3.6.1.2.1.1.1.0']);
        await runNetSnmp('snmpset', ['-v2c', '-c', 'ntf', '-On', endpoint, '1.3.6.1.2.1.1.2.0', 'o', '1.3.6.1.1.2']);
        const deadline = Date.now() + 20_000;
        while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        decoded.push(
          Object.fromEntries(
            received.map((bytes) => {
              const m = decodeMessage(bytes);
              if (m.version === 3) return ['v3', undefined];
              const pdu = m.pdu;
              const fields =
                pdu.type === 'TrapV1'
                  ? [
                      pdu.enterprise,
                      pdu.agentAddress,
                      pdu.genericTrap,
                      pdu.specificTrap,
                      pdu.timestamp,
                      show(pdu.varbinds),
                    ]
                  : [pdu.type, show(pdu.varbinds)];
              return [`v${m.version}:${m.community}`, fields];
            }),
          ),
        );
      }
      expect(Object.keys(decoded[0]!).sort()).toEqual(['v0:v1traps', 'v1:traps']);
      // snmpsim sends sysUpTime.0 twice in the v2c trap (its module adds `uptime` after the header that has it);
      // the simulator once, at the place RFC 3416 §4.2.6 gives it.
      const [type, theirVarbinds] = decoded[0]!['v1:traps'] as [string, string[]];
      expect(theirVarbinds[2]).toBe(theirVarbinds[0]);
      expect(decoded[1]).toEqual({ ...decoded[0], 'v1:traps': [type, theirVarbinds.filter((_, i) => i !== 2)] });
    } finally {
      await oursNtf?.close();
      await theirsNtf?.stop();
      await receiver.close();
      await rm(ntfDir, { recursive: true, force: true });
    }
  });
});
