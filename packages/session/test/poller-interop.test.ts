/**
 * The Poller against real agents on loopback: three snmpd processes (v2c over UDP and TCP, and v3 authPriv, each
 * snmpd its own engine) and a lab of simulated devices (startLab, v2c and v3, each device its own engine ID), in one
 * poll over one UDP socket; snmpd's ifTable as Net-SNMP's snmpbulkwalk reads it.
 */
import { type Lab, startLab } from '@snmpkit/simulator';
import { runNetSnmp, type SnmpdInstance, startSnmpd, testUser } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToText, Poller, type PollResult, type PollTarget } from '../src/index.js';
import { deviceNamed } from './poller-network.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const IF_TABLE = '1.3.6.1.2.1.2.2';
const user = testUser('SHA', 'AES');

let snmpds: SnmpdInstance[] = [];
let lab: Lab | undefined;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) snmpds.push(await startSnmpd({ transports: ['udp', 'tcp'], users: [user] }));
  lab = await startLab({ groups: [{ template: deviceNamed('lab', 4), count: 40, port: 0, users: [user] }] });
}, 120_000);
afterAll(async () => {
  await lab?.close();
  for (const snmpd of snmpds) await snmpd.stop();
  snmpds = [];
});

describe('Poller interop', () => {
  it('polls three snmpd (v2c UDP, v2c TCP, v3) and 40 lab devices (v2c and v3) at once, each target once', async () => {
    const targets: PollTarget[] = [];
    for (const [i, snmpd] of snmpds.entries()) {
      targets.push({ peer: snmpd.endpoints.udp!, tag: `snmpd${i} v2c` });
      targets.push({ peer: snmpd.endpoints.tcp!, tag: `snmpd${i} tcp` });
      targets.push({ peer: snmpd.endpoints.udp!, version: '3', user, tag: `snmpd${i} v3` });
    }
    for (const device of lab!.devices) {
      const peer = device.endpoints[0]!;
      targets.push({ peer, tag: `lab${device.number} v2c` });
      if (device.number % 4 === 0) targets.push({ peer, version: '3', user, tag: `lab${device.number} v3` });
    }
    const poller = new Poller({ defaults: { timeout: 2000, retries: 2 }, maxInFlight: 20 });
    const results: PollResult<PollTarget>[] = [];
    let sockets = 0;
    try {
      for await (const r of poller.poll(targets, { get: [SYS_DESCR, SYS_NAME], walk: [IF_TABLE] })) results.push(r);
      sockets = poller.sockets;
    } finally {
      await poller.close();
    }
    expect(results).toHaveLength(targets.length);
    expect(new Set(results.map((r) => r.target)).size).toBe(targets.length);
    const byTag = new Map(results.map((r) => [r.target.tag as string, r]));
    for (const r of results) {
      if (!r.ok) throw new Error(`${String(r.target.tag)}: ${r.error.message}`);
      expect(r.varbinds[0]!.oid).toBe(SYS_DESCR);
    }
    // The three ways to one snmpd give the same ifTable.
    for (let i = 0; i < snmpds.length; i++) {
      const [v2c, tcp, v3] = ['v2c', 'tcp', 'v3'].map((how) => byTag.get(`snmpd${i} ${how}`)!);
      const oids = (r: PollResult<PollTarget>) => (r.ok ? r.varbinds.map((vb) => vb.oid) : []);
      expect(oids(tcp!)).toEqual(oids(v2c!));
      expect(oids(v3!)).toEqual(oids(v2c!));
    }
    // And Net-SNMP's snmpbulkwalk reads the same ifTable objects.
    const walk = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', snmpds[0]!.endpoints.udp!, IF_TABLE]);
    const netSnmpOids = walk.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' = ')[0]!.slice(1));
    const ours = byTag.get('snmpd0 v2c')!;
    expect(ours.ok && ours.varbinds.slice(2).map((vb) => vb.oid)).toEqual(netSnmpOids);
    // Lab devices: each its own sysName, over v2c and v3 (each device a different engine ID).
    for (const device of lab!.devices) {
      const r = byTag.get(`lab${device.number} v2c`)!;
      const value = r.ok ? r.varbinds[1]!.value : undefined;
      const name = value?.type === 'OctetString' ? bytesToText(value.value) : '';
      expect(name).toBe(`lab-${device.number}`);
      expect(r.ok && r.varbinds).toHaveLength(2 + 12);
      if (device.number % 4 === 0) {
        const v3 = byTag.get(`lab${device.number} v3`)!;
        expect(v3.ok && v3.varbinds).toEqual(r.ok && r.varbinds);
      }
    }
    // Two UDP sockets at most carried every UDP target (a second one while an agent's v2c and v3 targets, at one
    // address and port, were polled at once); the TCP connections were closed with their targets.
    expect(sockets).toBeGreaterThanOrEqual(1);
    expect(sockets).toBeLessThanOrEqual(2);
  }, 120_000);
});
