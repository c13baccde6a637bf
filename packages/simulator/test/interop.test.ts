import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { netSnmpUserArgs, runNetSnmp, testUser, testUserName, V3_TEST_USERS, type V3TestUser } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../src/index.js';

// Net-SNMP's tools against the simulator on loopback. CI installs Net-SNMP (.ci/run): these are never skipped.

const DATA = `1.3.6.1.2.1.1.1.0|4|Simulated Linux 5.10
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.1.3.0|67|4242
1.3.6.1.2.1.1.4.0|4x|00ff417a
1.3.6.1.2.1.1.5.0|4:writecache|value=sim1
1.3.6.1.2.1.1.7.0|2|72
1.3.6.1.2.1.2.1.0|2|2
1.3.6.1.2.1.2.2.1.2.1|4|lo
1.3.6.1.2.1.2.2.1.2.2|4|eth0
1.3.6.1.2.1.2.2.1.5.1|66|10000000
1.3.6.1.2.1.2.2.1.5.2|66|1000000000
1.3.6.1.2.1.2.2.1.7.1|2:writecache|value=1
1.3.6.1.2.1.2.2.1.7.2|2:writecache|value=1
1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1
1.3.6.1.2.1.31.1.1.1.6.1|70|12345678901234567
1.3.6.1.2.1.31.1.1.1.6.2|70|42
1.3.6.1.2.1.31.1.1.1.18.1|4|loopback
`;

/** The v3 test users (@snmpkit/testkit) as the simulator takes them on its command line: NAME[:AUTH:PASS[:PRIV:PASS]]. */
const userSpec = (u: V3TestUser) =>
  [u.name, u.authProtocol, u.authPassword, u.privProtocol, u.privPassword]
    .filter((part) => part !== undefined)
    .join(':');
const users = V3_TEST_USERS.map(userSpec);

let sim: Simulator;
let dir: string;
let udp: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-sim-'));
  const file = join(dir, 'device.snmprec');
  await writeFile(file, DATA);
  sim = await startSimulator({
    data: file,
    listen: ['udp:127.0.0.1:0', 'udp6:[::1]:0', 'tcp:127.0.0.1:0', 'tcp6:[::1]:0'],
    // Read-write (snmpd's rwuser): the authPriv test below SETs; `users` would be read-only.
    rwUsers: users,
    engineId: '80001f88045349',
  });
  udp = sim.endpoints[0]!;
});

afterAll(async () => {
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

const lines = (s: string) => s.split('\n').filter((line) => line !== '');

describe('v1 and v2c', () => {
  it('reports the real bound endpoints', () => {
    expect(sim.endpoints[0]).toMatch(/^udp:127\.0\.0\.1:\d+$/);
    expect(sim.endpoints[1]).toMatch(/^udp6:\[::1\]:\d+$/);
    expect(sim.endpoints[2]).toMatch(/^tcp:127\.0\.0\.1:\d+$/);
    expect(sim.endpoints[3]).toMatch(/^tcp6:\[::1\]:\d+$/);
    expect(sim.endpoints.every((e) => !e.endsWith(':0'))).toBe(true);
  });

  it('snmpget on every transport', async () => {
    for (const endpoint of sim.endpoints) {
      const r = await runNetSnmp('snmpget', [
        '-v2c',
        '-c',
        'public',
        '-On',
        endpoint,
        '1.3.6.1.2.1.1.1.0',
        '1.3.6.1.2.1.1.4.0',
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(lines(r.stdout)).toEqual([
        '.1.3.6.1.2.1.1.1.0 = STRING: "Simulated Linux 5.10"',
        '.1.3.6.1.2.1.1.4.0 = Hex-STRING: 00 FF 41 7A ',
      ]);
    }
  });

  it('snmpgetnext', async () => {
    const r = await runNetSnmp('snmpgetnext', ['-v1', '-c', 'public', '-On', udp, '1.3.6.1.2.1.2.2.1.2']);
    expect(lines(r.stdout)).toEqual(['.1.3.6.1.2.1.2.2.1.2.1 = STRING: "lo"']);
  });

  it('snmpwalk on v1 skips Counter64 values and ends with End of MIB', async () => {
    const r = await runNetSnmp('snmpwalk', ['-v1', '-c', 'public', '-On', udp, '1.3.6.1.2.1.31']);
    expect(lines(r.stdout)).toEqual(['.1.3.6.1.2.1.31.1.1.1.18.1 = STRING: "loopback"', 'End of MIB']);
  });

  it('snmpwalk and snmpbulkwalk on v2c print every value', async () => {
    const walk = await runNetSnmp('snmpwalk', ['-v2c', '-c', 'public', '-On', '-Ot', udp, '1.3.6.1.2.1']);
    const bulk = await runNetSnmp('snmpbulkwalk', [
      '-v2c',
      '-c',
      'public',
      '-On',
      '-Ot',
      '-Cr3',
      sim.endpoints[2]!,
      '1.3.6.1.2.1',
    ]);
    expect(walk.exitCode).toBe(0);
    const expected = [
      '.1.3.6.1.2.1.1.1.0 = STRING: "Simulated Linux 5.10"',
      '.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10',
      // The recorded 4200 centiseconds, grown by the simulator's uptime (seconds here, more on a loaded machine).
      expect.stringMatching(/^\.1\.3\.6\.1\.2\.1\.1\.3\.0 = (4[2-9]|[5-9]\d)\d\d$/),
      '.1.3.6.1.2.1.1.4.0 = Hex-STRING: 00 FF 41 7A ',
      '.1.3.6.1.2.1.1.5.0 = STRING: "sim1"',
      '.1.3.6.1.2.1.1.7.0 = INTEGER: 72',
      '.1.3.6.1.2.1.2.1.0 = INTEGER: 2',
      '.1.3.6.1.2.1.2.2.1.2.1 = STRING: "lo"',
      '.1.3.6.1.2.1.2.2.1.2.2 = STRING: "eth0"',
      '.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 10000000',
      '.1.3.6.1.2.1.2.2.1.5.2 = Gauge32: 1000000000',
      '.1.3.6.1.2.1.2.2.1.7.1 = INTEGER: 1',
      '.1.3.6.1.2.1.2.2.1.7.2 = INTEGER: 1',
      '.1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress: 10.0.0.1',
      '.1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 12345678901234567',
      '.1.3.6.1.2.1.31.1.1.1.6.2 = Counter64: 42',
      '.1.3.6.1.2.1.31.1.1.1.18.1 = STRING: "loopback"',
    ];
    expect(lines(walk.stdout).slice(0, expected.length)).toEqual(expected);
    expect(lines(bulk.stdout).slice(0, expected.length)).toEqual(expected);
  });

  it('snmpset writes through the read-write community, all or nothing', async () => {
    const ok = await runNetSnmp('snmpset', ['-v2c', '-c', 'private', '-On', udp, '1.3.6.1.2.1.2.2.1.7.2', 'i', '2']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(lines(ok.stdout)).toEqual(['.1.3.6.1.2.1.2.2.1.7.2 = INTEGER: 2']);
    const mixed = await runNetSnmp('snmpset', [
      '-v2c',
      '-c',
      'private',
      '-On',
      udp,
      '1.3.6.1.2.1.2.2.1.7.1',
      'i',
      '2',
      '1.3.6.1.2.1.1.1.0',
      's',
      'nope',
    ]);
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toContain('Reason: notWritable');
    expect(mixed.stderr).toContain('Failed object: .1.3.6.1.2.1.1.1.0');
    const after = await runNetSnmp('snmpget', [
      '-v2c',
      '-c',
      'public',
      '-On',
      udp,
      '1.3.6.1.2.1.2.2.1.7.1',
      '1.3.6.1.2.1.2.2.1.7.2',
    ]);
    expect(lines(after.stdout)).toEqual(['.1.3.6.1.2.1.2.2.1.7.1 = INTEGER: 1', '.1.3.6.1.2.1.2.2.1.7.2 = INTEGER: 2']);
    const v1 = await runNetSnmp('snmpset', ['-v1', '-c', 'private', '-On', udp, '1.3.6.1.2.1.1.5.0', 'i', '3']);
    expect(v1.stderr).toContain('Reason: (badValue)');
    const ro = await runNetSnmp('snmpset', ['-v2c', '-c', 'public', '-On', udp, '1.3.6.1.2.1.1.5.0', 's', 'x']);
    expect(ro.stderr).toContain('Reason: noAccess');
  });

  it('an unknown community times out (dropped silently)', async () => {
    const before = sim.agent.stats.badCommunityNames;
    const r = await runNetSnmp('snmpget', ['-v2c', '-c', 'nobody', '-t', '0.2', '-r', '0', udp, '1.3.6.1.2.1.1.1.0']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Timeout');
    expect(sim.agent.stats.badCommunityNames).toBe(before + 1);
  });
});

describe('v3', () => {
  it('snmpget with noAuthNoPriv and every auth and auth+priv combination', async () => {
    const combos = V3_TEST_USERS.map(netSnmpUserArgs);
    // 31 snmpgets at once, and the agent derives each user's keys on first use: 5 s per attempt (snmpget's default
    // is 1 s x 6), so that a saturated machine answers in time.
    const results = await Promise.all(
      combos.map((args) => runNetSnmp('snmpget', ['-v3', ...args, '-t', '5', '-On', udp, '1.3.6.1.2.1.1.1.0'])),
    );
    results.forEach((r, i) => {
      expect(`${combos[i]!.join(' ')}: ${r.stdout.trim() || r.stderr.trim()}`).toBe(
        `${combos[i]!.join(' ')}: .1.3.6.1.2.1.1.1.0 = STRING: "Simulated Linux 5.10"`,
      );
    });
  });

  it('snmpbulkwalk and snmpset over authPriv', async () => {
    const user = ['-v3', ...netSnmpUserArgs(testUser('SHA-256', 'AES-256'))];
    const walk = await runNetSnmp('snmpbulkwalk', [...user, '-On', udp, '1.3.6.1.2.1.2.2.1.2']);
    expect(lines(walk.stdout)).toEqual([
      '.1.3.6.1.2.1.2.2.1.2.1 = STRING: "lo"',
      '.1.3.6.1.2.1.2.2.1.2.2 = STRING: "eth0"',
    ]);
    const set = await runNetSnmp('snmpset', [...user, '-On', udp, '1.3.6.1.2.1.1.5.0', 's', 'v3name']);
    expect(lines(set.stdout)).toEqual(['.1.3.6.1.2.1.1.5.0 = STRING: "v3name"']);
  });

  it('refuses a wrong password (usmStatsWrongDigests) and an unknown user', async () => {
    const quick = ['-t', '0.5', '-r', '0', udp, '1.3.6.1.2.1.1.1.0'];
    const wrongPassword = netSnmpUserArgs({ ...testUser('SHA'), authPassword: 'wrongpass123' });
    const wrong = await runNetSnmp('snmpget', ['-v3', ...wrongPassword, ...quick]);
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failure/);
    expect(sim.agent.stats.usm.wrongDigests).toBeGreaterThan(0);
    const unknown = await runNetSnmp('snmpget', ['-v3', '-l', 'noAuthNoPriv', '-u', 'ghost', ...quick]);
    expect(unknown.stderr).toMatch(/Unknown user name/);
    expect(sim.agent.stats.usm.unknownUserName).toBeGreaterThan(0);
  });

  it('answers authorizationError below the user level', async () => {
    const belowLevel = ['-v3', '-l', 'noAuthNoPriv', '-u', testUserName('MD5', 'DES')];
    const r = await runNetSnmp('snmpget', [...belowLevel, '-On', udp, '1.3.6.1.2.1.1.1.0']);
    expect(r.stderr).toMatch(/authorizationError/);
  });

  it('serves a directory: community and context name per file', async () => {
    const devices = join(dir, 'devices');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(devices);
    await writeFile(join(devices, 'switch.snmprec'), '1.3.6.1.2.1.1.1.0|4|a switch\n');
    await writeFile(join(devices, 'router.snmpwalk'), '.1.3.6.1.2.1.1.1.0 = STRING: "a router"\n');
    const multi = await startSimulator({ data: devices, listen: ['udp:127.0.0.1:0'], users: ['plain'] });
    try {
      const ep = multi.endpoints[0]!;
      const v2 = await runNetSnmp('snmpget', ['-v2c', '-c', 'switch', '-Ov', ep, '1.3.6.1.2.1.1.1.0']);
      expect(v2.stdout.trim()).toBe('STRING: "a switch"');
      const asPlain = (context: string, ...options: string[]) =>
        runNetSnmp('snmpget', [
          '-v3',
          '-l',
          'noAuthNoPriv',
          '-u',
          'plain',
          '-n',
          context,
          ...options,
          ep,
          '1.3.6.1.2.1.1.1.0',
        ]);
      const v3 = await asPlain('router', '-Ov');
      expect(v3.stdout.trim()).toBe('STRING: "a router"');
      const unknown = await asPlain('nothing', '-r', '0');
      expect(unknown.exitCode).not.toBe(0);
      expect(multi.agent.stats.unknownContexts).toBe(1);
    } finally {
      await multi.close();
    }
  });
});

describe('many agents in one process', () => {
  it('serves 20 devices on 20 ports at once', async () => {
    const { Agent, Device } = await import('../src/index.js');
    const agents = Array.from(
      { length: 20 },
      (_, i) => new Agent({ device: Device.fromSnmprec(`1.3.6.1.2.1.1.5.0|4|device-${i}\n`) }),
    );
    try {
      const listeners = await Promise.all(agents.map((a) => a.listen('udp:127.0.0.1:0')));
      expect(new Set(listeners.map((l) => l.port)).size).toBe(20);
      const answers = await Promise.all(
        listeners.map((l) => runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-Ov', l.endpoint, '1.3.6.1.2.1.1.5.0'])),
      );
      expect(answers.map((r) => r.stdout.trim())).toEqual(agents.map((_, i) => `STRING: "device-${i}"`));
    } finally {
      await Promise.all(agents.map((a) => a.close()));
    }
  });
});
