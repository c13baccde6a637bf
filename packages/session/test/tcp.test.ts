import net from 'node:net';
import { SnmpValue } from '@snmpkit/ber';
import { berFrameLength } from '@snmpkit/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { GeneralError, Session } from '../src/index.js';
import { responseTo } from './helpers.js';

// A TCP agent for the stream edge cases: it answers each request in pieces or all at once, or drops the connection.
async function tcpAgent(behaviour: (socket: net.Socket, request: Uint8Array, count: number) => void) {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const length = berFrameLength(buffer, 0);
        if (length < 0 || length > buffer.length) break;
        behaviour(socket, buffer.subarray(0, length), count++);
        buffer = buffer.subarray(length);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('TCP transport (RFC 3430)', () => {
  it('reassembles replies split across reads and several replies in one read', async () => {
    const pendingReplies: Uint8Array[] = [];
    const agent = await tcpAgent((socket, request, count) => {
      const reply = responseTo(request, [{ oid: '1.3.6.1.2.1.1.5.0', value: SnmpValue.octetString(`n${count}`) }]);
      if (count === 0) {
        // byte by byte, each in its own write
        socket.setNoDelay(true);
        for (let i = 0; i < reply.length; i++) setTimeout(() => socket.write(reply.subarray(i, i + 1)), i);
      } else {
        pendingReplies.push(reply);
        if (pendingReplies.length === 3) socket.write(Buffer.concat(pendingReplies.splice(0)));
      }
    });
    cleanup.push(agent.close);
    const session = await Session.open({ peer: `tcp:127.0.0.1:${agent.port}`, timeout: 3000, retries: 0 });
    cleanup.push(() => session.close());
    expect((await session.get(['1.3.6.1.2.1.1.5.0']))[0]!.value).toEqual(SnmpValue.octetString('n0'));
    const three = await Promise.all([1, 2, 3].map(() => session.get(['1.3.6.1.2.1.1.5.0'])));
    expect(three.map((r) => Buffer.from((r[0]!.value as { value: Uint8Array }).value).toString()).sort()).toEqual([
      'n1',
      'n2',
      'n3',
    ]);
    expect(session.stats.droppedUndecodable).toBe(0);
  });

  it('a dropped connection fails the requests in flight; the next request reconnects', async () => {
    const agent = await tcpAgent((socket, request, count) => {
      if (count === 0) socket.destroy();
      else socket.write(responseTo(request));
    });
    cleanup.push(agent.close);
    const session = await Session.open({ peer: `tcp:127.0.0.1:${agent.port}`, timeout: 3000, retries: 0 });
    cleanup.push(() => session.close());
    const error = await session.get(['1.3.6.1.2.1.1.5.0']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneralError);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_RECVFROM' } });
    expect((error as Error).message).toContain('the TCP connection closed');
    await expect(session.get(['1.3.6.1.2.1.1.5.0'])).resolves.toHaveLength(1);
  });

  it('a refused connection fails Session.open with SNMPERR_BAD_ADDRESS (ECONNREFUSED)', async () => {
    const agent = await tcpAgent(() => {});
    const port = agent.port;
    await agent.close();
    const error = await Session.open({ peer: `tcp:127.0.0.1:${port}` }).catch((e: unknown) => e);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_ADDRESS' }, systemError: 'ECONNREFUSED' });
  });

  it('garbage on the stream drops the connection instead of desynchronising', async () => {
    const agent = await tcpAgent((socket, request, count) => {
      if (count === 0) socket.write(Uint8Array.of(0x04, 0x01, 0x00));
      else socket.write(responseTo(request));
    });
    cleanup.push(agent.close);
    const session = await Session.open({ peer: `tcp:127.0.0.1:${agent.port}`, timeout: 3000, retries: 0 });
    cleanup.push(() => session.close());
    await expect(session.get(['1.3.6.1.2.1.1.5.0'])).rejects.toMatchObject({ systemError: 'EPROTO' });
    await expect(session.get(['1.3.6.1.2.1.1.5.0'])).resolves.toHaveLength(1);
  });
});
