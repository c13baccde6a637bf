/**
 * 3DES-EDE privacy (usm3DESEDEPrivProtocol, draft-reeder-snmpv3-usm-3desede-00) against pysnmp 4.x (Debian
 * python3-pysnmp4), which implements it: pysnmp as the agent and snmpkit's session as the manager, then snmpkit's
 * simulator as the agent and pysnmp as the manager, with MD5 and SHA (16 and 20-byte keys, both extended to 32).
 * pysnmp is required: when it cannot be imported the test fails, naming the package to install.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesToText } from '@snmpkit/ber';
import { Session } from '@snmpkit/session';
import { type Simulator, startSimulator } from '@snmpkit/simulator';
import { runProcess } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = join(dirname(fileURLToPath(import.meta.url)), 'pysnmp');
/** Debian's python3-pysnmp4 installs into the system Python; PYSNMP_PYTHON names another interpreter. */
const PYTHON = process.env.PYSNMP_PYTHON ?? '/usr/bin/python3';
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

interface TestUser {
  name: string;
  auth: 'MD5' | 'SHA';
  authPassword: string;
  privPassword: string;
}

const USERS: readonly TestUser[] = [
  { name: 'md5-3des', auth: 'MD5', authPassword: 'authpass-md5', privPassword: 'privpass-md5' },
  { name: 'sha-3des', auth: 'SHA', authPassword: 'authpass-sha', privPassword: 'privpass-sha' },
];
const spec = (u: TestUser) => `${u.name}:${u.auth}:${u.authPassword}:3DES:${u.privPassword}`;

let pysnmpAgent: ChildProcess | undefined;
let pysnmpPort = 0;
let simulator: Simulator | undefined;

/** Starts agent.py and waits for its `port N` line; rejects with what it printed if it exits first. */
function startPysnmpAgent(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [join(HERE, 'agent.py'), ...USERS.map(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    pysnmpAgent = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /^port (\d+)$/m.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => reject(new Error(`cannot run ${PYTHON}: ${e.message} (install python3-pysnmp4)`)));
    child.on('exit', (code) =>
      reject(new Error(`pysnmp agent exited (${code}) before listening; install python3-pysnmp4?\n${err}`)),
    );
  });
}

beforeAll(async () => {
  const [port, sim] = await Promise.all([
    startPysnmpAgent(),
    startSimulator({
      data: join(HERE, 'sys-descr.snmprec'),
      listen: ['udp:127.0.0.1:0'],
      users: USERS.map(spec),
    }),
  ]);
  pysnmpPort = port;
  simulator = sim;
}, 60_000);

afterAll(async () => {
  if (pysnmpAgent?.pid !== undefined && pysnmpAgent.exitCode === null) process.kill(pysnmpAgent.pid, 'SIGTERM');
  await simulator?.close();
});

describe('3DES-EDE privacy against pysnmp', () => {
  for (const user of USERS) {
    it(`snmpkit's session GETs from pysnmp's agent (${user.auth} + 3DES)`, async () => {
      const session = await Session.open({
        peer: `udp:127.0.0.1:${pysnmpPort}`,
        version: 3,
        timeout: 2000,
        retries: 2,
        user: {
          name: user.name,
          level: 'authPriv',
          authProtocol: user.auth,
          authPassword: user.authPassword,
          privProtocol: '3des',
          privPassword: user.privPassword,
        },
      });
      try {
        const [vb] = await session.get([SYS_DESCR]);
        expect(vb!.value.type).toBe('OctetString');
        expect(bytesToText((vb!.value as { value: Uint8Array }).value)).toMatch(/^PySNMP engine/);
      } finally {
        await session.close();
      }
    });

    it(`pysnmp GETs from snmpkit's simulator (${user.auth} + 3DES)`, async () => {
      const port = simulator!.endpoints[0]!.split(':').pop()!;
      const result = await runProcess(PYTHON, [join(HERE, 'manager.py'), port, spec(user), SYS_DESCR]);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe(`${SYS_DESCR} = snmpkit over 3DES`);
      expect(result.exitCode).toBe(0);
    });
  }

  it('a wrong 3DES password is a decryption error, not a garbled answer', async () => {
    const wrong = { ...USERS[1]!, privPassword: 'not-the-password' };
    const port = simulator!.endpoints[0]!.split(':').pop()!;
    const result = await runProcess(PYTHON, [join(HERE, 'manager.py'), port, spec(wrong), SYS_DESCR]);
    expect(result.exitCode).toBe(1);
    expect(simulator!.agent.stats.usm.decryptionErrors).toBeGreaterThan(0);
  });
});
