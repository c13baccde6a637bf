import { netSnmpUserArgs, runNetSnmp, snmpkitUser, testUser } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Device, type Lab, LabError, openFileLimit, startLab } from '../src/index.js';
import { sysName, TEMPLATE } from './lab-template.js';

// Lab devices on loopback addresses (Linux routes all of 127.0.0.0/8 to loopback), ports picked by the system, and
// Net-SNMP's tools against them. CI runs as root on Linux with Net-SNMP installed (.ci/run): never skipped.

/** A /16 of loopback of its own for each run, so that parallel runs do not meet. */
const NET = `127.${100 + Math.floor(Math.random() * 100)}`;
const COUNT = 300;
const V3 = testUser('SHA-256', 'AES');

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    groups: [
      {
        name: 'routers',
        template: Device.fromSnmprec(TEMPLATE),
        count: COUNT,
        address: `${NET}.0.1`,
        port: 0,
        users: [snmpkitUser(V3)],
        overrides: { sysName: 'r{n}' },
      },
      {
        name: 'v6',
        template: Device.fromSnmprec(TEMPLATE),
        count: 2,
        layout: 'port',
        port: 0,
        transports: ['udp6', 'tcp'],
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await lab?.close();
});

describe('a lab on loopback addresses', () => {
  it(`answers at each of ${COUNT} addresses as that device`, async () => {
    const routers = lab.devices.filter((d) => d.group === 'routers');
    expect(routers[COUNT - 1]!.address).toBe(`${NET}.1.44`); // 300 addresses from .0.1
    for (let k = 0; k < routers.length; k += 50) {
      const batch = routers.slice(k, k + 50);
      const names = await Promise.all(batch.map((d) => sysName(d.endpoints[0]!)));
      expect(names).toEqual(batch.map((d) => `r${d.number}`));
    }
    expect(lab.at(`${NET}.0.7`)?.number).toBe(7);
  });

  it('answers on udp6 (::1) and tcp per port', async () => {
    const v6 = lab.devices.filter((d) => d.group === 'v6');
    expect(v6[0]!.endpoints[0]).toMatch(/^udp6:\[::1\]:\d+$/);
    expect(v6[0]!.endpoints[1]).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    for (const d of v6) {
      for (const endpoint of d.endpoints) {
        const r = await runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-Oqv', endpoint, '1.3.6.1.2.1.1.5.0']);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout.trim()).toBe(`"router-${d.number}"`);
      }
    }
  });

  it('serves Net-SNMP snmpbulkwalk the template with the device overrides', async () => {
    const d = lab.device(42)!;
    const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', '-On', '-Cr10', d.endpoints[0]!, '.1']);
    expect(r.exitCode, r.stderr).toBe(0);
    // The walk ends past the last OID: Net-SNMP prints that varbind's endOfMibView, no data.
    const lines = r.stdout.split('\n').filter((l) => l !== '' && !l.includes('No more variables left'));
    expect(lines.length).toBe(d.device.size);
    expect(lines).toContain('.1.3.6.1.2.1.1.5.0 = STRING: "r42"');
    expect(lines).toContain(`.1.3.6.1.2.1.4.20.1.1.${d.address} = IpAddress: ${d.address}`);
  });

  it('answers Net-SNMP v3 (authPriv) from each device with its own engine', async () => {
    for (const n of [1, 2, COUNT]) {
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
  });
});

describe('a lab that cannot bind', () => {
  it('names the device, the address and the system error, and closes what it had bound', async () => {
    const taken = lab.device(5)!;
    // Devices 1 and 2 of this lab land on taken.address - 1 (free) and on taken.address:port (taken).
    const [a, b, c, last] = taken.address.split('.').map(Number) as [number, number, number, number];
    const before = `${a}.${b}.${c}.${last - 1}`;
    const error = await startLab({
      groups: [{ name: 'late', template: Device.fromSnmprec(TEMPLATE), count: 3, address: before, port: taken.port }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as Error).message).toBe(
      `device 2 (group "late"): cannot bind udp:${taken.address}:${taken.port}: EADDRINUSE (another program, or another group of this lab, listens there)`,
    );
    // Nothing half-started: device 1's address and port are free again.
    const again = await startLab({
      groups: [{ template: Device.fromSnmprec(TEMPLATE), count: 1, address: before, port: taken.port }],
    });
    expect(again.devices[0]!.endpoints).toEqual([`udp:${before}:${taken.port}`]);
    await again.close();
  });
});

describe('a lab larger than the open-file limit', () => {
  it('is refused before anything binds, with the limit named and how to raise it', async () => {
    const limit = openFileLimit();
    expect(limit, 'Linux says the limit in /proc/self/limits').toBeDefined();
    const error = await startLab({
      groups: [{ template: Device.fromSnmprec(TEMPLATE), count: limit!.soft, transports: ['udp', 'tcp'] }],
      sockets: 'per-device',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as Error).message).toContain(`this lab needs about ${limit!.soft * 2} open files`);
    expect((error as Error).message).toContain(`the process may open ${limit!.soft} files (RLIMIT_NOFILE`);
    expect((error as Error).message).toMatch(/ulimit -H?n \d+/);
  });
});
