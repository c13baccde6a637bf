import { runNetSnmp, type SnmpdInstance, startSnmpd } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Device } from '../src/index.js';

// Reads a real snmpd's walk output. CI installs Net-SNMP (.ci/run): never skipped.
// (Recording an agent is the CLI's session walk with recordSnmprec: tests/interop/test/record-replay.test.ts.)

let snmpd: SnmpdInstance;

beforeAll(async () => {
  snmpd = await startSnmpd({
    transports: ['udp', 'tcp'],
    extraArgs: ['-I', '-smux'],
  });
});

afterAll(async () => {
  await snmpd?.stop();
});

describe('walk output of a real snmpd', () => {
  it('Device.fromWalk reads real snmpbulkwalk -ObentU output (TimeTicks bare under -Ot) as it reads -On', async () => {
    const walk = async (format: string) => {
      const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'public', format, snmpd.endpoints.udp!, '.1'], {
        timeoutMs: 60_000,
      });
      expect(r.exitCode, r.stderr).toBe(0);
      return r.stdout;
    };
    const bentU = await walk('-ObentU');
    expect(bentU).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = \d+$/m); // what -Ot prints for sysUpTime
    const fromBentU = Device.fromWalk(bentU, { liveSysUpTime: false });
    const fromOn = Device.fromWalk(await walk('-On'), { liveSysUpTime: false });
    expect(fromBentU.get('1.3.6.1.2.1.1.3.0')?.type).toBe('TimeTicks');
    expect(fromBentU.size).toBeGreaterThan(1000);
    // The same objects with the same types (values of counters and of process rows move between two walks).
    const types = (device: Device) => new Map(device.varbinds().map((vb) => [vb.oid, vb.value.type]));
    const onTypes = types(fromOn);
    const both = [...types(fromBentU)].filter(([oid]) => onTypes.has(oid));
    expect(both.length).toBeGreaterThan((fromBentU.size * 9) / 10);
    for (const [oid, type] of both) expect(type, oid).toBe(onTypes.get(oid));
  });
});
