import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  netSnmpUserArgs,
  runNetSnmp,
  type SnmpdEndpoints,
  type SnmpdInstance,
  type SnmpdTransport,
  type StartSnmpdOptions,
  startSnmpd,
  testUser,
} from '../src/index.js';
import { configErrors } from '../src/snmpd.js';

const SYS_NAME = '.1.3.6.1.2.1.1.5.0';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The error a start that must fail fails with; an agent that starts anyway is stopped, and the test fails. */
async function startFailure(options: StartSnmpdOptions): Promise<Error> {
  let agent: SnmpdInstance;
  try {
    agent = await startSnmpd(options);
  } catch (error) {
    return error as Error;
  }
  await agent.stop();
  throw new Error('startSnmpd resolved; it should have failed');
}

describe('startSnmpd (process mode)', () => {
  let agent: SnmpdInstance;
  beforeAll(async () => {
    agent = await startSnmpd({ extraConfig: ['syscontact testkit@example.org'] });
  });
  afterAll(async () => {
    await agent?.stop();
  });

  it('answers on udp, udp6 and tcp with the read-only community, and applies extra config lines', async () => {
    for (const endpoint of [agent.endpoints.udp!, agent.endpoints.udp6!, agent.endpoints.tcp!]) {
      const r = await runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-On', endpoint, '.1.3.6.1.2.1.1.4.0']);
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim()).toBe('.1.3.6.1.2.1.1.4.0 = STRING: "testkit@example.org"');
    }
  });

  it('exposes its log, configuration and persistent directory', async () => {
    expect(await agent.log()).toContain('NET-SNMP version');
    expect(readFileSync(agent.configPath, 'utf8')).toContain(
      `agentaddress udp:127.0.0.1:${agent.port},udp6:[::1]:${agent.port},tcp:127.0.0.1:${agent.port}`,
    );
    expect(existsSync(agent.persistentDir)).toBe(true);
  });

  it('lets the read-write community set the writable object, and not the read-only one', async () => {
    const oid = `.${agent.writableOid}`;
    const denied = await runNetSnmp('snmpset', ['-v2c', '-c', 'public', agent.endpoints.udp!, oid, 's', 'x']);
    expect(denied.exitCode).toBe(2);
    expect(denied.stderr).toContain('noAccess');
    const set = await runNetSnmp('snmpset', ['-v2c', '-c', 'private', '-On', agent.endpoints.udp!, oid, 's', 'lab 7']);
    expect(set.exitCode).toBe(0);
    const get = await runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-On', agent.endpoints.udp!, oid]);
    expect(get.stdout.trim()).toBe(`${oid} = STRING: "lab 7"`);
  });

  it('runNetSnmp reports a failing tool through its exit code and stderr', async () => {
    const r = await runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-t', '0.2', '-r', '0', 'udp:127.0.0.1:1', '.1.3']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Timeout: No Response from udp:127.0.0.1:1');
  });

  it("runNetSnmp keeps the tools' persistent state in a directory of its own, made ready (not /var/lib/snmp)", async () => {
    // On a fresh machine the first tool run in /var/lib/snmp announces "Created directory: .../cert_indexes" on
    // stderr; the tools' own debug output shows which persistent directory they used.
    const r = await runNetSnmp('snmpget', [
      '-Dread_config',
      '-v2c',
      '-c',
      'public',
      '-t',
      '0.1',
      '-r',
      '0',
      '127.0.0.1:1',
      '.1.3',
    ]);
    const persist = /persist dir: (\S+)/.exec(r.stderr)?.[1];
    expect(persist).toContain('snmpkit-net-snmp-tools-');
    expect(existsSync(join(persist!, 'cert_indexes'))).toBe(true);
    expect(r.stderr).not.toContain('Created directory');
  });

  it('refuses an unknown mode, and unknown tools', async () => {
    // @ts-expect-error: not a mode
    await expect(startSnmpd({ mode: 'vm' })).rejects.toThrow(/unknown mode "vm"/);
    // @ts-expect-error: not a tool name
    await expect(runNetSnmp('rm', ['-rf', '/'])).rejects.toThrow(/not a Net-SNMP tool/);
  });
});

describe('stop()', () => {
  it('ends the process by PID and removes the temporary directory', async () => {
    const agent = await startSnmpd({ transports: ['udp'] });
    expect(isRunning(agent.pid!)).toBe(true);
    expect(agent.endpoints.tcp).toBeUndefined();
    await agent.stop();
    expect(isRunning(agent.pid!)).toBe(false);
    const { existsSync } = await import('node:fs');
    expect(existsSync(agent.configPath)).toBe(false);
  });

  it('writes v3 users as createUser and rwuser lines', async () => {
    const user = testUser('SHA', 'AES');
    const agent = await startSnmpd({ transports: ['udp'], users: [user] });
    try {
      const r = await runNetSnmp('snmpget', ['-v3', ...netSnmpUserArgs(user), '-On', agent.endpoints.udp!, SYS_NAME]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: /);
    } finally {
      await agent.stop();
    }
  });
});

describe('transports without UDP over IPv4', () => {
  // The readiness probe must use an endpoint the agent opened: before, it always probed udp:127.0.0.1 and these
  // agents "did not answer" however long it waited.
  const cases: { transports: SnmpdTransport[]; peers: (keyof SnmpdEndpoints)[] }[] = [
    { transports: ['tcp'], peers: ['tcp'] },
    { transports: ['udp6'], peers: ['udp6'] },
    { transports: ['udp6', 'tcp'], peers: ['udp6', 'tcp'] },
  ];
  for (const { transports, peers } of cases) {
    it(`starts with transports ${JSON.stringify(transports)} and answers there`, async () => {
      const agent = await startSnmpd({ transports });
      try {
        expect(Object.keys(agent.endpoints).sort()).toEqual([...peers].sort());
        for (const peer of peers) {
          const r = await runNetSnmp('snmpget', ['-v2c', '-c', 'public', '-On', agent.endpoints[peer]!, SYS_NAME]);
          expect(r.stderr, peer).toBe('');
          expect(r.stdout, peer).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: /);
        }
      } finally {
        await agent.stop();
      }
    });
  }

  it('refuses an empty transport list before starting anything', async () => {
    await expect(startSnmpd({ transports: [] })).rejects.toThrow(/transports is empty/);
  });
});

describe('users in @snmpkit/usm names', () => {
  it("creates a user written for the session (sha256, aes256c), which the tools reach in Net-SNMP's names", async () => {
    const canonical = {
      name: 'canon',
      authProtocol: 'sha256',
      authPassword: 'authpass123',
      privProtocol: 'aes256c',
      privPassword: 'privpass123',
    } as const;
    const agent = await startSnmpd({ transports: ['udp'], users: [canonical] });
    try {
      const user = { ...canonical, level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES-256-C' } as const;
      const r = await runNetSnmp('snmpget', ['-v3', ...netSnmpUserArgs(user), '-On', agent.endpoints.udp!, SYS_NAME]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: /);
    } finally {
      await agent.stop();
    }
  });
});

describe('users and configuration snmpd would not apply', () => {
  it('refuses a passphrase shorter than 8 characters before starting, naming the user and not the password', async () => {
    const bad = { name: 'bad', authProtocol: 'SHA', authPassword: 'short' } as const;
    const error = await startFailure({ transports: ['udp'], users: [bad] });
    expect(error.message).toBe(
      "startSnmpd: user 'bad': authPassword must be at least 8 characters long (Net-SNMP's minimum)",
    );
    const priv = { ...testUser('SHA', 'AES'), name: 'shortpriv', privPassword: 'seven77' };
    expect((await startFailure({ transports: ['udp'], users: [priv] })).message).toContain(
      "user 'shortpriv': privPassword must be at least 8",
    );
    expect(
      (await startFailure({ transports: ['udp'], users: [{ name: 'nopass', authProtocol: 'MD5' }] })).message,
    ).toContain("user 'nopass': authPassword is required");
    expect(
      (await startFailure({ transports: ['udp'], users: [{ name: 'x', privProtocol: 'DES' }] })).message,
    ).toContain("user 'x': privProtocol needs an authProtocol too");
  });

  it('gives a user without privPassword the authentication passphrase for privacy, as Net-SNMP does', async () => {
    const user = testUser('SHA', 'AES');
    const { privPassword: _omitted, ...withoutPriv } = user;
    const agent = await startSnmpd({ transports: ['udp'], users: [withoutPriv] });
    try {
      const args = netSnmpUserArgs({ ...user, privPassword: user.authPassword });
      const r = await runNetSnmp('snmpget', ['-v3', ...args, '-On', agent.endpoints.udp!, SYS_NAME]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^\.1\.3\.6\.1\.2\.1\.1\.5\.0 = STRING: /);
    } finally {
      await agent.stop();
    }
  });

  it('fails start-up, and stops snmpd, when its log has configuration errors', async () => {
    const error = await startFailure({ transports: ['udp'], extraConfig: ['rouser'] });
    expect(error.message).toMatch(
      /^startSnmpd: snmpd reported configuration errors:\n.*snmpd\.conf: line \d+: Error: Blank line following rouser token/,
    );
    const dir = /(\/\S+\/snmpkit-snmpd-[^/\s]+)\/snmpd\.conf/.exec(error.message)?.[1];
    expect(dir).toBeDefined();
    expect(spawnSync('pgrep', ['-f', dir!], { encoding: 'utf8' }).stdout.trim()).toBe('');
    expect(existsSync(dir!)).toBe(false);
  });

  it("does not count a healthy start's log lines or warnings as errors", async () => {
    // Warning: Unknown token is a warning; a healthy log has Created directory, NET-SNMP version, Connection from.
    const agent = await startSnmpd({ transports: ['udp'], extraConfig: ['nosuchdirective 1'] });
    try {
      const log = await agent.log();
      expect(log).toContain('Warning: Unknown token: nosuchdirective');
      expect(log).toContain('NET-SNMP version');
      expect(configErrors(log)).toEqual([]);
    } finally {
      await agent.stop();
    }
    expect(
      configErrors(
        [
          'Created directory: /tmp/x/persist',
          '[init_smux] bind failed: Address already in use',
          'NET-SNMP version 5.9.3',
          'Connection from UDP: [127.0.0.1]:40343->[127.0.0.1]:34335',
          'Error: passphrase chosen is below the length requirements of the USM (min=8).',
          '/tmp/x/snmpd.conf: line 7: Error: could not generate the authentication key from the supplied pass phrase.',
        ].join('\n'),
      ),
    ).toEqual([
      'Error: passphrase chosen is below the length requirements of the USM (min=8).',
      '/tmp/x/snmpd.conf: line 7: Error: could not generate the authentication key from the supplied pass phrase.',
    ]);
  });
});

describe('start-up timeout', () => {
  it('stops the agent it started when it does not answer in time', async () => {
    // A stand-in "snmpd" that runs but never answers: the probe times out and the process must not be left behind.
    const dir = mkdtempSync(join(tmpdir(), 'snmpkit-silent-'));
    const silent = join(dir, 'silent-snmpd');
    writeFileSync(silent, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
    try {
      await expect(startSnmpd({ snmpdPath: silent, transports: ['udp'], startTimeoutMs: 500 })).rejects.toThrow(
        /did not answer/,
      );
      const left = spawnSync('pgrep', ['-f', silent], { encoding: 'utf8' }).stdout.trim();
      expect(left).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
