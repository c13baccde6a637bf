import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { encodeMessage, SnmpValue } from '@snmpkit/ber';
import { openClientTransport, resolveEndpoint } from '@snmpkit/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { type ClientTransport, RequestTimeoutError, Session } from '../src/index.js';
import { blackHole, responseTo, tinyAgent } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function runScript(args: string[]): Promise<{ stdout: string; code: number | null; ms: number }> {
  const script = fileURLToPath(new URL('./scripts/close-and-exit.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, code, ms: performance.now() - started });
    });
  });
}

describe('process lifetime', () => {
  it('after close() with a request pending (60 s timeout), the process exits by itself', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    const r = await runScript(['pending', String(hole.port)]);
    expect(r.stdout.trim()).toBe('rejected with ERR_SNMP_SESSION_CLOSED');
    expect(r.code).toBe(0);
    expect(r.ms).toBeLessThan(15_000); // a live 60 s timer would hold it far longer
    expect(hole.arrivals).toHaveLength(1);
  });

  it('an idle open session does not keep the process alive', async () => {
    const r = await runScript(['idle', '9']);
    expect(r.stdout.trim()).toBe('idle session left open');
    expect(r.code).toBe(0);
  });
});

describe('real sockets', () => {
  it('binds the local address (a name is resolved) and port it is given', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const localPort = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const session = await Session.open({
      peer: `127.0.0.1:${hole.port}`,
      localAddress: 'localhost',
      localPort,
      timeout: 50,
      retries: 0,
    });
    cleanup.push(() => session.close());
    await expect(session.get(['1.3.6.1.2.1.1.1.0'])).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(hole.sources.map((r) => `${r.address}:${r.port}`)).toEqual([`127.0.0.1:${localPort}`]);
  });

  it('refuses a local port outside 0..65535 or not an integer, and a local address that is no string', async () => {
    const bad: [unknown, string][] = [
      [70_000, 'got 70000'],
      [-1, 'got -1'],
      [1.5, 'got 1.5'],
      ['abc', 'got string "abc"'],
    ];
    for (const [localPort, got] of bad) {
      const opening = Session.open({ peer: '127.0.0.1:9', localPort: localPort as number });
      // A session opened by mistake (the bug) must not outlive the test.
      opening.then(
        (s) => s.close(),
        () => {},
      );
      await expect(opening).rejects.toThrow(
        `Invalid local port: option localPort must be an integer in 0..65535 (0: picked by the system), ${got}`,
      );
    }
    for (const localAddress of [5, '']) {
      const opening = Session.open({ peer: '127.0.0.1:9', localAddress: localAddress as string });
      opening.then(
        (s) => s.close(),
        () => {},
      );
      await expect(opening).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_BAD_LOCPORT' } });
    }
  });

  it('retries against a black-hole socket follow timeout * backoff^n', async () => {
    const hole = await blackHole();
    cleanup.push(hole.close);
    // A real UDP socket, with each send stamped as it leaves: the receiving socket's stamps would carry its own
    // event loop's lag (two datagrams read late in one turn look 7 ms apart), the sender's do not.
    const socket = await openClientTransport(await resolveEndpoint(`udp:127.0.0.1:${hole.port}`));
    const sends: number[] = [];
    const transport: ClientTransport = {
      send(message, onSendError) {
        sends.push(performance.now());
        socket.send(message, onSendError);
      },
      onMessage: (listener) => socket.onMessage(listener),
      close: () => socket.close(),
    };
    const session = await Session.open({ transport, timeout: 60, retries: 3, backoff: 2 });
    cleanup.push(() => session.close());
    const started = performance.now();
    const error = await session.get(['1.3.6.1.2.1.1.1.0']).catch((e: unknown) => e);
    const total = performance.now() - started;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    await expect.poll(() => hole.arrivals.length).toBe(4);
    expect(sends).toHaveLength(4);
    const gaps = sends.slice(1).map((t, i) => t - sends[i]!);
    // 60, 120, 240 ms between attempts, then 480 ms before giving up. Timers never fire early (1 ms of rounding);
    // late by how much depends on the machine's load, hence upper bounds ten times the wait (the exact schedule is
    // checked with fake timers in dispatch.test.ts: here, that real sockets and timers follow it).
    for (const [i, expected] of [60, 120, 240].entries()) {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 1);
      expect(gaps[i]).toBeLessThan(expected * 10);
    }
    expect(total).toBeGreaterThanOrEqual(900 - 2);
    expect(total).toBeLessThan(900 * 10);
  });

  it("a forged reply (right request-id) from another port is dropped and counted; the agent's reply wins", async () => {
    const stranger = dgram.createSocket('udp4');
    cleanup.push(() => new Promise<void>((r) => stranger.close(() => r())));
    const sysName = '1.3.6.1.2.1.1.5.0';
    const agent = await tinyAgent([{ oid: sysName, value: SnmpValue.octetString('real') }], (request, reply, from) => {
      // The stranger answers first, with the request's own id, from its own port.
      const forged = responseTo(encodeMessage(request), [{ oid: sysName, value: SnmpValue.octetString('forged') }]);
      stranger.send(forged, from.port, from.address);
      setTimeout(() => agentSend(reply, from), 30);
      return null;
    });
    let agentSend: (reply: Uint8Array, to: dgram.RemoteInfo) => void = () => {};
    cleanup.push(agent.close);
    const session = await Session.open({ peer: `127.0.0.1:${agent.port}`, timeout: 2000, retries: 0 });
    cleanup.push(() => session.close());
    agentSend = (reply, to) => agent.send(reply, to.port, to.address);
    const result = await session.get([sysName]);
    expect(result).toEqual([{ oid: sysName, value: SnmpValue.octetString('real') }]);
    expect(session.stats).toMatchObject({ droppedWrongSource: 1, responses: 1 });
  });
});
