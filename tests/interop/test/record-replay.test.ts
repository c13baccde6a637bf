import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VarBind } from '@snmpkit/ber';
import { Session, type SessionOptions } from '@snmpkit/session';
import { Agent, Device, recordSnmprec, startSimulator } from '@snmpkit/simulator';
import { runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `snmpkit record` as a library: @snmpkit/session's walk, written by @snmpkit/simulator's recordSnmprec. Records a
// real snmpd and replays it. CI installs Net-SNMP (.ci/run): never skipped. (Moved from the simulator's tests with
// the walk it used to carry.)

/** The session's walk of a subtree, as record does it (no GET of the root of an empty subtree). */
async function walk(options: SessionOptions, root = '1.3.6.1'): Promise<VarBind[]> {
  const session = await Session.open(options);
  try {
    return await session.walkAll(root, { getRootIfEmpty: false });
  } finally {
    await session.close();
  }
}
const record = async (options: SessionOptions, root?: string) => recordSnmprec(await walk(options, root));

let snmpd: SnmpdInstance;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-record-'));
  snmpd = await startSnmpd({
    transports: ['udp', 'tcp'],
    extraArgs: ['-I', '-smux'],
    users: [
      {
        name: 'recorder',
        authProtocol: 'SHA',
        authPassword: 'authpass123',
        privProtocol: 'AES',
        privPassword: 'privpass123',
      },
    ],
  });
});

afterAll(async () => {
  await snmpd?.stop();
  await rm(dir, { recursive: true, force: true });
});

const bulkwalk = async (endpoint: string, community: string) => {
  const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', community, '-On', endpoint, '1.3.6.1'], {
    timeoutMs: 60_000,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
};

const oidOf = (line: string) => line.slice(0, line.indexOf(' = '));

describe('record (session walk + recordSnmprec), then simulate', () => {
  it('snmpbulkwalk -On prints the same lines from the replay as from snmpd (but for values snmpd itself changed)', async () => {
    const before = await bulkwalk(snmpd.endpoints.udp!, 'public');
    const text = await record({ peer: snmpd.endpoints.udp!, version: '2c', community: 'public' });
    const after = await bulkwalk(snmpd.endpoints.udp!, 'public');
    const file = join(dir, 'snmpd.snmprec');
    await writeFile(file, text, 'latin1');
    const sim = await startSimulator({ data: file, listen: ['udp:127.0.0.1:0'] });
    try {
      const replay = await bulkwalk(sim.endpoints[0]!, 'public');
      // Lines that differ between two walks of snmpd changed at the source: uptimes, traffic counters, load, and
      // rows of the process and socket tables that come and go with other processes on the machine (compared by
      // OID, so that a row appearing shifts nothing).
      // (First occurrence per OID: snmpbulkwalk repeats the last OID on its "No more variables" line.)
      const byOid = (lines: string[]) => {
        const map = new Map<string, string>();
        for (const line of lines) if (!map.has(oidOf(line))) map.set(oidOf(line), line);
        return map;
      };
      const afterByOid = byOid(after);
      // Values that can go and come back between the walks (load averages printed to two decimals, CPU
      // statistics; nsCacheTable's status, which flips on snmpd's own timer) are not taken as stable even when the
      // two walks agree.
      const wandering = [
        '.1.3.6.1.4.1.2021.10.',
        '.1.3.6.1.4.1.2021.11.',
        '.1.3.6.1.2.1.25.3.3.',
        '.1.3.6.1.4.1.8072.1.5.3.',
      ];
      const stable = new Set(
        before
          .filter((line) => afterByOid.get(oidOf(line)) === line)
          .map(oidOf)
          .filter((oid) => !wandering.some((prefix) => `${oid}.`.startsWith(prefix))),
      );
      expect(before.length).toBeGreaterThan(100);
      expect(stable.size).toBeGreaterThan((before.length * 3) / 4);
      const replayByOid = byOid(replay);
      // Every line that was the same before and after the recording is printed the same from the replay...
      for (const line of byOid(before).values())
        if (stable.has(oidOf(line))) expect(replayByOid.get(oidOf(line))).toBe(line);
      // ...and the replay holds nothing that snmpd did not have at one of the two walks, but for rows of the tables
      // of sockets and processes, where another process's socket may live just while the recording runs.
      const coming = ['.1.3.6.1.2.1.6.13.', '.1.3.6.1.2.1.6.19.', '.1.3.6.1.2.1.6.20.', '.1.3.6.1.2.1.7.5.'];
      coming.push('.1.3.6.1.2.1.7.7.', '.1.3.6.1.2.1.25.4.', '.1.3.6.1.2.1.25.5.');
      const known = new Set([...before, ...after].map(oidOf));
      const unknown = replay.map(oidOf).filter((oid) => !known.has(oid));
      expect(unknown.filter((oid) => !coming.some((prefix) => oid.startsWith(prefix)))).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('records over v1 (GETNEXT), v2c over TCP and v3 authPriv alike', async () => {
    const system = '1.3.6.1.2.1.1';
    const v2 = await walk({ peer: snmpd.endpoints.udp!, version: '2c' }, system);
    const v1 = await walk({ peer: snmpd.endpoints.udp!, version: '1' }, system);
    const tcp = await walk({ peer: snmpd.endpoints.tcp!, version: '2c', maxRepetitions: 3 }, system);
    const v3 = await walk(
      {
        peer: snmpd.endpoints.udp!,
        version: 3,
        user: {
          name: 'recorder',
          level: 'authPriv',
          authProtocol: 'sha',
          authPassword: 'authpass123',
          privProtocol: 'aes',
          privPassword: 'privpass123',
        },
      },
      system,
    );
    const stable = (vbs: typeof v2) => vbs.filter((vb) => vb.oid !== '1.3.6.1.2.1.1.3.0');
    expect(v2.length).toBeGreaterThan(5);
    expect(stable(v1)).toEqual(stable(v2));
    expect(stable(tcp)).toEqual(stable(v2));
    expect(stable(v3)).toEqual(stable(v2));
  });

  it('records the simulator itself over v3 (every value round-trips)', async () => {
    const device = Device.fromSnmprec(
      '1.3.6.1.4.1.1.1.0|4x|00ff10\n1.3.6.1.4.1.1.2.0|70|18446744073709551615\n1.3.6.1.4.1.1.3.0|64|1.2.3.4\n1.3.6.1.4.1.1.4.0|68x|0102\n',
    );
    const sim = await startSimulator({
      data: device,
      listen: ['udp:127.0.0.1:0'],
      users: ['rec:SHA-512:authpass123:AES-256-C:privpass123'],
    });
    try {
      const text = await record({
        peer: sim.endpoints[0]!,
        version: 3,
        user: {
          name: 'rec',
          level: 'authPriv',
          authProtocol: 'sha512',
          authPassword: 'authpass123',
          privProtocol: 'aes256c',
          privPassword: 'privpass123',
        },
      });
      expect(text).toBe(device.toSnmprec());
    } finally {
      await sim.close();
    }
  });

  it('takes the users the Agent takes (Net-SNMP spellings, lower case), as the session does', async () => {
    const user = {
      name: 'lower',
      level: 'authpriv',
      authProtocol: 'sha-512',
      authPassword: 'authpass123',
      privProtocol: 'aes-256-c',
      privPassword: 'privpass123',
    } as const;
    const device = Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|named users\n');
    const agent = new Agent({ device, users: [user] });
    const { endpoint } = await agent.listen('udp:127.0.0.1:0');
    try {
      const text = await record({ peer: endpoint, version: 3, user }, '1.3.6.1.2.1.1');
      expect(text).toBe('1.3.6.1.2.1.1.1.0|4|named users\n');
    } finally {
      await agent.close();
    }
  });
});
