import { freeUdpPort, netSnmpUserArgs, runNetSnmp, snmpkitUser, testUser } from '@snmpkit/testkit';
import { listen, sharedUdpUnavailable } from '@snmpkit/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Device, type Lab, LabError, startLab } from '../src/index.js';
import { sysName, TEMPLATE } from './lab-template.js';

// The lab's UDP devices of one port behind one socket (@snmpkit/transport's listenUdpShared: IP_PKTINFO through
// the @snmpkit/udp-pktinfo addon). Where the addon is not built (not Linux, no C compiler at install) the lab binds
// a socket per device and these tests skip, saying why; CI (Debian, with make and g++: .ci/run) builds it and runs them.
const unavailable = sharedUdpUnavailable();

/** A /16 of loopback of its own for each run, so that parallel runs do not meet. */
const NET = `127.${100 + Math.floor(Math.random() * 100)}`;
const COUNT = 300;
const V3 = testUser('SHA-256', 'AES');

// Skipped where @snmpkit/udp-pktinfo's addon did not build (not Linux, no C compiler at install); runs in CI:
// .ci/run installs make, g++ and python3, and fails when npm ci did not build the addon.
describe.skipIf(unavailable !== undefined)(
  `a lab behind one UDP socket${unavailable ? ` (${unavailable})` : ''}`,
  () => {
    let lab: Lab;
    let port: number;

    beforeAll(async () => {
      port = await freeUdpPort();
      lab = await startLab({
        groups: [
          {
            name: 'routers',
            template: Device.fromSnmprec(TEMPLATE),
            count: COUNT - 2,
            address: `${NET}.0.1`,
            port,
            users: [snmpkitUser(V3)],
            overrides: { sysName: 'r{n}' },
          },
          // A second group on the same port shares the socket.
          { name: 'edge', template: Device.fromSnmprec(TEMPLATE), count: 2, address: `${NET}.9.1`, port },
        ],
      });
    }, 60_000);

    afterAll(async () => {
      await lab?.close();
    });

    it(`answers at each of ${COUNT} addresses as that device, from that address`, async () => {
      expect(lab.groups.map((g) => g.sockets)).toEqual(['shared', 'shared']);
      expect(lab.groups[0]!.description).toBe(`udp ${NET}.0.1 .. ${NET}.1.42 port ${port} (udp: one socket)`);
      for (let k = 0; k < lab.devices.length; k += 50) {
        const batch = lab.devices.slice(k, k + 50);
        const names = await Promise.all(batch.map((d) => sysName(d.endpoints[0]!)));
        expect(names).toEqual(batch.map((d) => (d.group === 'routers' ? `r${d.number}` : `router-${d.number}`)));
      }
      expect(lab.device(COUNT)!.endpoints).toEqual([`udp:${NET}.9.2:${port}`]);
    });

    it('answers Net-SNMP snmpget (v3 authPriv, each device its own engine) and snmpbulkwalk', async () => {
      for (const n of [1, 2, COUNT - 2]) {
        const d = lab.device(n)!;
        const r = await runNetSnmp('snmpget', [
          ...netSnmpUserArgs(V3),
          '-On',
          d.endpoints[0]!,
          '1.3.6.1.2.1.1.5.0',
          '1.3.6.1.6.3.10.2.1.1.0',
        ]);
        expect(r.exitCode, r.stderr).toBe(0);
        const hex = d.engineId.toUpperCase().replace(/(..)/g, '$1 ');
        expect(r.stdout).toContain(`.1.3.6.1.2.1.1.5.0 = STRING: "r${n}"`);
        expect(r.stdout.replace(/\s+/g, ' ')).toContain(`.1.3.6.1.6.3.10.2.1.1.0 = Hex-STRING: ${hex}`);
      }
      const d = lab.device(42)!;
      const walk = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr10', d.endpoints[0]!, '.1']);
      expect(walk.exitCode, walk.stderr).toBe(0);
      const lines = walk.stdout.split('\n').filter((l) => l !== '' && !l.includes('No more variables left'));
      expect(lines.length).toBe(d.device.size);
    });

    it('holds the port: another lab on it binds a socket per device and is refused, naming the device', async () => {
      const error = await startLab({
        groups: [{ name: 'late', template: Device.fromSnmprec(TEMPLATE), count: 1, address: `${NET}.20.1`, port }],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect((error as Error).message).toMatch(
        new RegExp(`device 1 \\(group "late"\\): cannot bind udp:${NET}\\.20\\.1:${port}: EADDRINUSE`),
      );
    });

    it('refuses two groups at the same address and port, as binding twice would, and leaves nothing bound', async () => {
      const other = await freeUdpPort();
      const group = { template: Device.fromSnmprec(TEMPLATE), count: 2, address: `${NET}.30.1`, port: other };
      const error = await startLab({ groups: [group, { ...group, name: 'twin' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect((error as Error).message).toBe(
        `device 3 (group "twin"): cannot bind udp:${NET}.30.1:${other}: EADDRINUSE (another program, or another ` +
          'group of this lab, listens there)',
      );
      // Nothing half-started: the port is free again.
      const again = await startLab({ groups: [{ ...group, count: 1 }] });
      expect(again.groups[0]!.sockets).toBe('shared');
      expect(await sysName(again.devices[0]!.endpoints[0]!)).toBe('router-1');
      await again.close();
    });
  },
);

describe('a lab whose port another socket has', () => {
  it('binds a socket per device beside it (snmpd on 127.0.0.1:161 and a lab on 127.1.x.y:161)', async () => {
    const port = await freeUdpPort();
    const snmpdLike = await listen(`udp:127.0.0.1:${port}`, { onMessage: () => {} });
    try {
      const lab = await startLab({
        groups: [{ template: Device.fromSnmprec(TEMPLATE), count: 3, address: `${NET}.40.1`, port }],
      });
      try {
        expect(lab.groups[0]!.sockets).toBe('per-device');
        expect(lab.groups[0]!.description).toContain(`(udp: a socket each: port ${port} is in use on some address)`);
        expect(lab.groups[0]!.notShared).toBe(`port ${port} is in use on some address`);
        expect(await sysName(lab.device(3)!.endpoints[0]!)).toBe('router-3');
      } finally {
        await lab.close();
      }
    } finally {
      await snmpdLike.close();
    }
  });

  it("binds a socket per device when told to (sockets: 'per-device')", async () => {
    const lab = await startLab({
      groups: [{ template: Device.fromSnmprec(TEMPLATE), count: 2, address: `${NET}.50.1`, port: await freeUdpPort() }],
      sockets: 'per-device',
    });
    try {
      expect(lab.groups[0]!.sockets).toBe('per-device');
      expect(await sysName(lab.device(2)!.endpoints[0]!)).toBe('router-2');
    } finally {
      await lab.close();
    }
  });
});
