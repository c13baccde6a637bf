import dgram from 'node:dgram';
import net from 'node:net';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Device,
  parseUserSpec,
  RecordError,
  type RecordOptions,
  record,
  startSimulator,
  walkAgent,
} from '../src/index.js';

// Option names as the rest of snmpkit spells them, and errors that say what went wrong and where.

/** A UDP port that never answers (bound, so nothing else takes it while the test runs). */
let silent: dgram.Socket;
let silentPeer: string;

beforeAll(async () => {
  silent = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  silentPeer = `udp:127.0.0.1:${silent.address().port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

/** The RecordError a walk rejects with, and how long it took. */
async function failure(options: RecordOptions): Promise<{ error: RecordError; ms: number }> {
  const started = performance.now();
  const error = await walkAgent(options).then(
    () => {
      throw new Error('the walk succeeded');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordError);
  return { error: error as RecordError, ms: performance.now() - started };
}

describe('record and walkAgent options', () => {
  it('take `timeout` (ms) as Session does, and name the silent peer', async () => {
    const { error, ms } = await failure({ peer: silentPeer, version: '2c', timeout: 200, retries: 1 });
    expect(error.message).toBe(`no response from ${silentPeer} (2 attempts, 200 ms each)`);
    expect(ms).toBeLessThan(7000); // not the default 2 s x 4 attempts (8 s); 400 ms expected, bound ten times longer
  });

  it('still take the deprecated `timeoutMs`, and refuse both with different values', async () => {
    const { ms } = await failure({ peer: silentPeer, version: '2c', timeoutMs: 200, retries: 0 });
    expect(ms).toBeLessThan(7000);
    const both = await failure({ peer: silentPeer, version: '2c', timeout: 200, timeoutMs: 300 });
    expect(both.error.message).toMatch(/timeout and timeoutMs \(deprecated\) disagree/);
  });

  it('refuse unknown options and bad values with what is expected', async () => {
    const typo = { peer: silentPeer, version: '2c', timout: 200 } as unknown as RecordOptions;
    expect((await failure(typo)).error.message).toBe(
      'unknown option "timout" (known: peer, version, community, user, contextName, oid, maxRepetitions, timeout, ' +
        'retries, timeoutMs)',
    );
    const cases: [Partial<RecordOptions>, RegExp][] = [
      [{ version: '2' as '2c' }, /version "2": expected "1", "2c" or "3"/],
      [{ timeout: 0 }, /timeout: expected a number of milliseconds above 0, not 0/],
      [{ retries: -1 }, /retries: expected a whole number from 0, not -1/],
      [{ maxRepetitions: 1.5 }, /maxRepetitions: expected a whole number from 1, not 1.5/],
      [{ version: '3' }, /v3 needs a user/],
    ];
    for (const [change, message] of cases) {
      const { error } = await failure({ peer: silentPeer, version: '2c', ...change });
      expect(error.message).toMatch(message);
    }
    await expect(record(typo)).rejects.toBeInstanceOf(RecordError);
  });

  it('wrap a bad peer and a refused connection in RecordError naming the peer', async () => {
    expect((await failure({ peer: 'udp:127.0.0.1:99999', version: '2c' })).error.message).toBe(
      'bad peer "udp:127.0.0.1:99999": port out of range in "udp:127.0.0.1:99999"',
    );
    expect((await failure({ peer: 'sctp:host:1', version: '2c' })).error.message).toMatch(
      /^bad peer "sctp:host:1": not an endpoint/,
    );
    // A TCP port that was just free: nothing listens there.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await failure({ peer: `tcp:127.0.0.1:${port}`, version: '2c', timeout: 200 });
    expect(refused.error.message).toMatch(new RegExp(`^cannot connect to tcp:127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });
});

describe('startSimulator users', () => {
  it('are read-only by default, as AgentUser is and snmpd rouser; rwUsers may SET', async () => {
    expect(parseUserSpec('guest')).toEqual({ name: 'guest', level: 'noAuthNoPriv', access: 'ro' });
    const sim = await startSimulator({
      data: Device.fromSnmprec('1.3.6.1.2.1.1.5.0|4:writecache|value=r1\n'),
      listen: ['udp:127.0.0.1:0'],
      users: ['reader'],
      rwUsers: ['writer'],
    });
    try {
      const set = (user: string) =>
        runNetSnmp('snmpset', [
          '-v3',
          '-l',
          'noAuthNoPriv',
          '-u',
          user,
          '-r',
          '0',
          sim.endpoints[0]!,
          '1.3.6.1.2.1.1.5.0',
          's',
          `by ${user}`,
        ]);
      const refused = await set('reader');
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toMatch(/noAccess/);
      const written = await set('writer');
      expect(written.exitCode, written.stderr).toBe(0);
      expect(sim.agent.device()?.get('1.3.6.1.2.1.1.5.0')).toEqual({
        type: 'OctetString',
        value: new TextEncoder().encode('by writer'),
      });
    } finally {
      await sim.close();
    }
  });
});
