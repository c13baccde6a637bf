import { runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import type { Listener } from '@snmpkit/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, Device, parseViews } from '../src/index.js';

// The same `view` lines in snmpd and in the simulator serving snmpd's own recorded tree: Net-SNMP's walks through
// each view must list the same OIDs. CI installs Net-SNMP (.ci/run): never skipped.

const VIEW_LINES = [
  'view systemonly included .1.3.6.1.2.1.1',
  'view noifdescr included .1.3.6.1.2.1.2',
  'view noifdescr excluded .1.3.6.1.2.1.2.2.1.2',
  'view noifdescr included .1.3.6.1.2.1.1.9.1.3',
  // ifTable's row 1 only: the column (10th sub-identifier) is a wildcard, ifIndex 1 must match.
  'view row1 included .1.3.6.1.2.1.2.2.1.0.1 ff.a0',
  'view row1 included .1.3.6.1.2.1.1.1',
];
const COMMUNITIES: Record<string, string> = { sysro: 'systemonly', noifd: 'noifdescr', row1: 'row1' };

let snmpd: SnmpdInstance;
let agent: Agent;
let listener: Listener;
let simulated: string;

beforeAll(async () => {
  snmpd = await startSnmpd({
    transports: ['udp'],
    extraConfig: [
      ...VIEW_LINES,
      ...Object.entries(COMMUNITIES).map(([c, v]) => `rocommunity ${c} 127.0.0.1 -V ${v}`),
      'createUser viewer',
      'rouser viewer noauth -V noifdescr',
    ],
  });
  // snmpd's own tree (system and interfaces), served by the simulator behind the same views.
  const walk = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', '-On', snmpd.endpoints.udp!, '.1.3.6.1.2.1.1']);
  const ifs = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', '-On', snmpd.endpoints.udp!, '.1.3.6.1.2.1.2']);
  const views = parseViews(VIEW_LINES.join('\n'), 'test');
  agent = new Agent({
    device: Device.fromWalk(walk.stdout + ifs.stdout),
    views,
    communities: Object.entries(COMMUNITIES).map(([name, readView]) => ({ name, readView })),
    users: [{ name: 'viewer', level: 'noAuthNoPriv', readView: 'noifdescr' }],
  });
  listener = await agent.listen('udp:127.0.0.1:0');
  simulated = `udp:127.0.0.1:${listener.port}`;
}, 60_000);

afterAll(async () => {
  await agent?.close();
  await snmpd?.stop();
});

const oidsOf = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('.'))
    .map((l) => l.slice(0, l.indexOf(' ')));

describe('views against snmpd with the same view lines', () => {
  for (const [community, view] of Object.entries(COMMUNITIES)) {
    for (const tool of ['snmpwalk', 'snmpbulkwalk'] as const) {
      it(`${tool} -c ${community} (view ${view}) lists the same OIDs`, async () => {
        const args = ['-v2c', '-c', community, '-On'];
        const real = await runNetSnmp(tool, [...args, snmpd.endpoints.udp!, '.1']);
        const sim = await runNetSnmp(tool, [...args, simulated, '.1']);
        expect(oidsOf(real.stdout).length).toBeGreaterThan(0);
        expect(oidsOf(sim.stdout)).toEqual(oidsOf(real.stdout));
      });
    }
  }

  it('snmpwalk -v1 through a view lists the same OIDs', async () => {
    const real = await runNetSnmp('snmpwalk', ['-v1', '-c', 'noifd', '-On', snmpd.endpoints.udp!, '.1']);
    const sim = await runNetSnmp('snmpwalk', ['-v1', '-c', 'noifd', '-On', simulated, '.1']);
    expect(oidsOf(sim.stdout)).toEqual(oidsOf(real.stdout));
  });

  it('a v3 user with a view: the same OIDs', async () => {
    const args = ['-v3', '-u', 'viewer', '-l', 'noAuthNoPriv', '-On'];
    const real = await runNetSnmp('snmpbulkwalk', [...args, snmpd.endpoints.udp!, '.1']);
    const sim = await runNetSnmp('snmpbulkwalk', [...args, simulated, '.1']);
    expect(oidsOf(real.stdout).length).toBeGreaterThan(0);
    expect(oidsOf(sim.stdout)).toEqual(oidsOf(real.stdout));
  });

  it('GET of an excluded OID: the same answer (noSuchObject in v2c, noSuchName in v1)', async () => {
    for (const version of ['2c', '1']) {
      const args = [`-v${version}`, '-c', 'sysro', '-On'];
      const oid = '.1.3.6.1.2.1.2.1.0';
      const real = await runNetSnmp('snmpget', [...args, snmpd.endpoints.udp!, '.1.3.6.1.2.1.1.1.0', oid]);
      const sim = await runNetSnmp('snmpget', [...args, simulated, '.1.3.6.1.2.1.1.1.0', oid]);
      expect({ out: sim.stdout.split('\n').slice(-2), err: sim.stderr, code: sim.exitCode }).toEqual({
        out: real.stdout.split('\n').slice(-2),
        err: real.stderr,
        code: real.exitCode,
      });
    }
  });
});
