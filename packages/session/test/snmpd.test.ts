import { compareOids, SnmpValue } from '@snmpkit/ber';
import { runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseError, Session, type SessionOptions } from '../src/index.js';
import {
  SnmpMsg,
  snmpAddNullVar,
  snmpAddVariable,
  snmpPduCreate,
  snmpSessClose,
  snmpSessOpen,
  snmpSessSynchResponse,
} from '../src/raw.js';
import { rawSessionParams } from './helpers.js';
import { type Canonical, canonical, parseNetSnmpOutput } from './net-snmp-output.js';

// Real Net-SNMP snmpd on loopback (packages/testkit). CI installs snmpd and the tools: never skipped.

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';

let agent: SnmpdInstance;
const sessions: Session[] = [];

async function open(options: Partial<SessionOptions> = {}): Promise<Session> {
  const session = await Session.open({
    peer: agent.endpoints.udp!,
    community: 'public',
    timeout: 2000,
    retries: 1,
    ...options,
  });
  sessions.push(session);
  return session;
}

async function netSnmp(tool: 'snmpget' | 'snmpbulkget' | 'snmpbulkwalk' | 'snmpwalk' | 'snmpgetnext', args: string[]) {
  const r = await runNetSnmp(tool, ['-On', '-t', '2', ...args]);
  expect(r.stderr).toBe('');
  return parseNetSnmpOutput(r.stdout);
}

beforeAll(async () => {
  agent = await startSnmpd({ extraConfig: ['sysdescr snmpkit test agent', 'syscontact tests@snmpkit'] });
});

afterAll(async () => {
  await Promise.all(sessions.map((s) => s.close()));
  await agent?.stop();
});

describe('v2c against snmpd', () => {
  it('get returns what snmpget prints', async () => {
    const s = await open();
    const got = await s.get([SYS_DESCR, SYS_NAME, '1.3.6.1.2.1.1.3.0']);
    const expected = await netSnmp('snmpget', ['-v2c', '-c', 'public', agent.endpoints.udp!, SYS_DESCR, SYS_NAME]);
    expect(got.slice(0, 2).map(canonical)).toEqual(expected);
    expect(got[0]!.value).toEqual(SnmpValue.octetString('snmpkit test agent'));
    expect(got[2]!.value.type).toBe('TimeTicks');
  });

  it('get of a missing object gives noSuchObject / noSuchInstance values, not an error', async () => {
    const s = await open();
    const got = await s.get(['1.3.6.1.2.1.1.99.0', '1.3.6.1.2.1.1.1.1']);
    expect(got.map((v) => v.value.type)).toEqual(['NoSuchObject', 'NoSuchInstance']);
  });

  it('getNext and getBulk return what snmpgetnext and snmpbulkget print', async () => {
    const s = await open();
    const next = await s.getNext(['1.3.6.1.2.1.1.1', '1.3.6.1.2.1.2.2.1.2']);
    expect(next.map(canonical)).toEqual(
      await netSnmp('snmpgetnext', [
        '-v2c',
        '-c',
        'public',
        agent.endpoints.udp!,
        '1.3.6.1.2.1.1.1',
        '1.3.6.1.2.1.2.2.1.2',
      ]),
    );
    const bulk = await s.getBulk(['1.3.6.1.2.1.1.1', '1.3.6.1.2.1.1.9.1.2'], { nonRepeaters: 1, maxRepetitions: 4 });
    expect(bulk).toHaveLength(5);
    expect(bulk.map(canonical)).toEqual(
      await netSnmp('snmpbulkget', [
        '-v2c',
        '-c',
        'public',
        '-Cn1',
        '-Cr4',
        agent.endpoints.udp!,
        '1.3.6.1.2.1.1.1',
        '1.3.6.1.2.1.1.9.1.2',
      ]),
    );
  });

  it('set writes the writable object with the read-write community', async () => {
    const s = await open({ community: 'private' });
    const value = SnmpValue.octetString(`rack ${Date.now()}`);
    const reply = await s.set([{ oid: agent.writableOid, value }]);
    expect(reply).toEqual([{ oid: agent.writableOid, value }]);
    const seen = await netSnmp('snmpget', ['-v2c', '-c', 'public', agent.endpoints.udp!, agent.writableOid]);
    expect(seen).toEqual([canonical({ oid: agent.writableOid, value })]);
  });

  it('error statuses: noAccess, notWritable, wrongType as ResponseError with the failed varbind', async () => {
    const ro = await open();
    const rw = await open({ community: 'private' });
    const cases: [Session, string, SnmpValue, string, number][] = [
      [ro, agent.writableOid, SnmpValue.octetString('x'), 'noAccess', 6],
      [rw, SYS_DESCR, SnmpValue.octetString('x'), 'notWritable', 17],
      [rw, agent.writableOid, SnmpValue.integer(5), 'wrongType', 7],
    ];
    for (const [session, oid, value, statusName, status] of cases) {
      const error = await session
        .set([
          { oid: SYS_NAME, value: SnmpValue.octetString('unchanged') },
          { oid, value },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({ statusName, status, code: 'ERR_SNMP_RESPONSE' });
      const e = error as ResponseError;
      // snmpd names the first failing varbind
      expect(e.index).toBeGreaterThan(0);
      expect(e.varbind?.oid).toBe(e.index === 2 ? oid : SYS_NAME);
    }
  });

  it('walks the whole tree with the same varbinds as snmpbulkwalk -On (changing values excepted)', async () => {
    const s = await open();
    // snmpd's tree moves while it is walked (caches expire, counters count, processes come and go): our walk sits
    // between two of snmpbulkwalk's, and a difference counts only if our walk differs from both of them, so that a
    // value that changed in the seconds between two walks on a busy machine is not taken for our mistake.
    const walkWithNetSnmp = () => netSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', agent.endpoints.udp!, '.1']);
    const before = await walkWithNetSnmp();
    const ours = (await s.walkAll('1')).map(canonical);
    const after = await walkWithNetSnmp();
    const [first, second] = [compareWalks(ours, before), compareWalks(ours, after)];
    expect(first.problems.filter((p) => second.problems.includes(p)).slice(0, 10)).toEqual([]);
    const equal = Math.max(first.equal, second.equal);
    expect(equal).toBeGreaterThan(3000);
    expect(equal / ours.length).toBeGreaterThan(0.8);
  });

  it('walk of a subtree and table() agree with each other', async () => {
    const s = await open();
    const walked = await s.walkAll('1.3.6.1.2.1.2.2');
    const rows = await s.table('1.3.6.1.2.1.2.2');
    expect(rows.size).toBeGreaterThan(0);
    const cells = [...rows.values()].reduce((n, row) => n + row.size, 0);
    expect(cells).toBe(walked.length);
    for (const [index, row] of rows) expect(row.get(1)).toEqual(SnmpValue.integer(Number(index))); // ifIndex
  });
});

describe('v1 against snmpd', () => {
  it('get of a missing object is ResponseError noSuchName with index 1', async () => {
    const s = await open({ version: '1' });
    const error = await s.get(['1.3.6.1.2.1.1.99.0']).catch((e: unknown) => e);
    expect(error).toMatchObject({
      statusName: 'noSuchName',
      status: 2,
      index: 1,
      varbind: { oid: '1.3.6.1.2.1.1.99.0' },
    });
  });

  it('SET errors as v1 reports them: noSuchName for no access or not writable, badValue for a wrong type', async () => {
    const ro = await open({ version: '1' });
    const rw = await open({ version: '1', community: 'private' });
    const cases: [Session, string, SnmpValue, string][] = [
      [ro, agent.writableOid, SnmpValue.octetString('x'), 'noSuchName'],
      [rw, SYS_DESCR, SnmpValue.octetString('x'), 'noSuchName'],
      [rw, agent.writableOid, SnmpValue.integer(5), 'badValue'],
    ];
    for (const [session, oid, value, statusName] of cases) {
      await expect(session.set([{ oid, value }])).rejects.toMatchObject({ statusName, index: 1, varbind: { oid } });
    }
  });

  it('walk uses GETNEXT and ends like snmpwalk -v1 (End of MIB / noSuchName)', async () => {
    const s = await open({ version: '1' });
    const ours = (await s.walkAll('1.3.6.1.2.1.1')).map(canonical);
    const theirs = await netSnmp('snmpwalk', ['-v1', '-c', 'public', agent.endpoints.udp!, '1.3.6.1.2.1.1']);
    expect(compareWalks(ours, theirs).problems).toEqual([]);
    // the end of the MIB view: v1 agents answer noSuchName, which ends the walk without an error
    const tail = await s.walkAll('1.3.6.1.6.3.16');
    expect(tail.length).toBeGreaterThan(0);
  });
});

describe('transports against snmpd', () => {
  it('udp6 ([::1]) and tcp give the same answers as udp', async () => {
    const udp = await open();
    const expected = (await udp.walkAll('1.3.6.1.2.1.1')).map(canonical).filter((c) => c.oid !== '1.3.6.1.2.1.1.3.0');
    for (const peer of [agent.endpoints.udp6!, `[::1]:${agent.port}`, agent.endpoints.tcp!]) {
      const s = await open({ peer });
      const got = (await s.walkAll('1.3.6.1.2.1.1')).map(canonical).filter((c) => c.oid !== '1.3.6.1.2.1.1.3.0');
      expect(got).toEqual(expected);
      expect(s.stats.responses).toBeGreaterThan(0);
    }
  });

  it('many requests in flight over tcp are matched to their replies', async () => {
    const s = await open({ peer: agent.endpoints.tcp! });
    const oids = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.4.0', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.7.0'];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => s.get([oids[i % 4]!])));
    expect(results.map((r) => r[0]!.oid)).toEqual(Array.from({ length: 40 }, (_, i) => oids[i % 4]));
    expect(s.stats).toMatchObject({ requests: 40, responses: 40, retransmissions: 0 });
  });
});

describe('raw facade against snmpd', () => {
  it('snmpSessOpen / snmpSessSynchResponse / snmpSessClose, timeouts in µs', async () => {
    const t = await snmpSessOpen(
      rawSessionParams({ retries: 1, timeout: 2_000_000, peername: agent.endpoints.udp!, community: 'private' }),
    );
    try {
      const get = snmpAddNullVar(snmpAddNullVar(snmpPduCreate(SnmpMsg.SNMP_MSG_GET), SYS_DESCR), '.1.3.6.1.2.1.1.4.0');
      expect(await snmpSessSynchResponse(t, get)).toEqual([
        [SYS_DESCR, SnmpValue.octetString('snmpkit test agent')],
        ['1.3.6.1.2.1.1.4.0', SnmpValue.octetString('tests@snmpkit')],
      ]);
      const set = snmpAddVariable(snmpPduCreate(SnmpMsg.SNMP_MSG_SET), SYS_DESCR, SnmpValue.octetString('no'));
      await expect(snmpSessSynchResponse(t, set)).rejects.toMatchObject({ statusName: 'notWritable' });
      const bulk = snmpAddNullVar(snmpPduCreate(SnmpMsg.SNMP_MSG_GETBULK), '1.3.6.1.2.1.1');
      bulk.maxRepetitions = 3;
      expect((await snmpSessSynchResponse(t, bulk)).map(([oid]) => oid)).toEqual([
        SYS_DESCR,
        '1.3.6.1.2.1.1.2.0',
        '1.3.6.1.2.1.1.3.0',
      ]);
      expect(t.session.stats.requests).toBe(3);
    } finally {
      await snmpSessClose(t);
    }
  });
});

// Values that change between two walks a moment apart (uptimes, counters of SNMP and network traffic, load,
// memory, CPU), and tables whose rows come and go (processes, sockets, connections).
const CHANGING_VALUES = [
  '1.3.6.1.2.1.1.3', // sysUpTime
  '1.3.6.1.2.1.2.2.1', // ifTable counters
  '1.3.6.1.2.1.4', // ip statistics
  '1.3.6.1.2.1.5', // icmp
  '1.3.6.1.2.1.6', // tcp
  '1.3.6.1.2.1.7', // udp
  '1.3.6.1.2.1.11', // snmp
  '1.3.6.1.2.1.25.1', // hrSystem: uptime, date, processes
  '1.3.6.1.2.1.25.2', // hrStorage
  '1.3.6.1.2.1.25.3.3', // hrProcessorLoad
  '1.3.6.1.2.1.31.1.1', // ifXTable counters
  '1.3.6.1.4.1.2021.4', // memory
  '1.3.6.1.4.1.2021.9', // disks
  '1.3.6.1.4.1.2021.10', // load averages
  '1.3.6.1.4.1.2021.11', // systemStats
  '1.3.6.1.4.1.2021.13', // diskIO
  '1.3.6.1.4.1.2021.100.4', // versionCDate: the current date
  '1.3.6.1.6.3.10.2.1.3', // snmpEngineTime
  '1.3.6.1.4.1.8072.1.5.3', // nsCacheTable: a cache's status expires (4) and is reloaded (5) on snmpd's own timer
];
const CHANGING_ROWS = [
  '1.3.6.1.2.1.25.4', // hrSWRun
  '1.3.6.1.2.1.25.5', // hrSWRunPerf
  '1.3.6.1.2.1.6.13', // tcpConnTable
  '1.3.6.1.2.1.6.19', // tcpConnectionTable
  '1.3.6.1.2.1.6.20', // tcpListenerTable
  '1.3.6.1.2.1.7.5', // udpTable
  '1.3.6.1.2.1.7.7', // udpEndpointTable
  '1.3.6.1.4.1.2021.13', // diskIO
  '1.3.6.1.2.1.25.2', // hrStorage
  '1.3.6.1.2.1.25.3', // hrDevice
  '1.3.6.1.2.1.4.22', // ipNetToMediaTable (ARP)
  '1.3.6.1.2.1.4.24', // ipForward (routes)
  '1.3.6.1.2.1.4.35', // ipNetToPhysicalTable (neighbours)
];

const under = (oid: string, list: string[]) => list.some((p) => oid === p || oid.startsWith(`${p}.`));

function compareWalks(ours: Canonical[], theirs: Canonical[]): { equal: number; problems: string[] } {
  // Both walks are in increasing OID order: merge them, so that one extra or missing row is reported by its OID.
  const problems: string[] = [];
  let equal = 0;
  let i = 0;
  let j = 0;
  while (i < ours.length || j < theirs.length) {
    const x = ours[i];
    const y = theirs[j];
    const order = !x ? 1 : !y ? -1 : compareOids(x.oid, y.oid);
    if (order !== 0) {
      const extra = (order < 0 ? x : y)!;
      if (!under(extra.oid, CHANGING_ROWS))
        problems.push(`${extra.oid} only in ${order < 0 ? 'our walk' : 'snmpbulkwalk'}`);
      if (order < 0) i++;
      else j++;
      continue;
    }
    i++;
    j++;
    if (x!.type !== y!.type) problems.push(`${x!.oid}: ${x!.type} against ${y!.type}`);
    else if (x!.value === y!.value) equal++;
    else if (!under(x!.oid, CHANGING_VALUES)) problems.push(`${x!.oid}: ${x!.value} against ${y!.value}`);
  }
  return { equal, problems };
}
