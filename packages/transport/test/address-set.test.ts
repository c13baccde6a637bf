import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { BatchedUdpSocket, listen, listenUdpShared, sharedUdpUnavailable, TransportError } from '../src/index.js';

// One socket for many loopback addresses, through @snmpkit/udp-pktinfo's addon. Where it did not build (not Linux,
// no C compiler at install) these skip and say why; CI (Debian with make and g++, .ci/run) builds it and runs them.
const unavailable = sharedUdpUnavailable();
const NET = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}`;

async function freePort(): Promise<number> {
  const probe = await listen('udp:0.0.0.0:0', { onMessage: () => {} });
  await probe.close();
  return probe.port;
}

/** Sends `text` to address:port from a fresh socket; the first answer's text and the address it came from. */
async function ask(address: string, port: number, text: string, waitMs = 5000) {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<{ text: string; from: string } | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.once('message', (message, rinfo) => {
        clearTimeout(timer);
        resolve({ text: message.toString(), from: rinfo.address });
      });
      socket.send(text, port, address);
    });
  } finally {
    socket.close();
  }
}

// Skipped where @snmpkit/udp-pktinfo's addon did not build (not Linux, no C compiler at install); runs in CI:
// .ci/run installs make, g++ and python3, and fails when npm ci did not build the addon.
describe.skipIf(unavailable !== undefined)(`listenUdpShared${unavailable ? ` (${unavailable})` : ''}`, () => {
  it('hands each address its own datagrams, answers from that address, and drops the rest', async () => {
    const shared = listenUdpShared({ port: await freePort() });
    try {
      const seen: string[] = [];
      for (const last of [1, 2]) {
        shared.serve(`${NET}.${last}`, (message, remote) => {
          seen.push(`${NET}.${last} ${remote.key.startsWith('udp:127.0.0.1:')}`);
          remote.send(Buffer.from(`${last}:${Buffer.from(message).toString()}`));
        });
      }
      expect(shared.addresses).toBe(2);
      expect(await ask(`${NET}.1`, shared.port, 'a')).toEqual({ text: '1:a', from: `${NET}.1` });
      expect(await ask(`${NET}.2`, shared.port, 'b')).toEqual({ text: '2:b', from: `${NET}.2` });
      // Nobody serves .3: dropped, no answer.
      expect(await ask(`${NET}.3`, shared.port, 'c', 300)).toBeUndefined();
      expect(seen).toEqual([`${NET}.1 true`, `${NET}.2 true`]);
    } finally {
      await shared.close();
    }
  });

  it('stops serving an address, and refuses to serve one twice (EADDRINUSE)', async () => {
    const shared = listenUdpShared({ port: await freePort() });
    try {
      const stop = shared.serve(`${NET}.1`, (message, remote) => remote.send(message));
      const twice = (() => {
        try {
          shared.serve(`${NET}.1`, () => {});
        } catch (error) {
          return error;
        }
      })();
      expect(twice).toBeInstanceOf(TransportError);
      expect((twice as TransportError).systemError).toBe('EADDRINUSE');
      stop();
      expect(shared.addresses).toBe(0);
      expect(await ask(`${NET}.1`, shared.port, 'x', 300)).toBeUndefined();
    } finally {
      await shared.close();
    }
  });

  it('cannot open while another socket has the port on any address', async () => {
    const other = await listen('udp:127.0.0.1:0', { onMessage: () => {} });
    try {
      let error: unknown;
      try {
        listenUdpShared({ port: other.port });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).failure).toBe('bind');
      expect((error as TransportError).systemError).toBe('EADDRINUSE');
    } finally {
      await other.close();
    }
  });
});

it('refuses a port it cannot share (0, out of range)', () => {
  for (const port of [0, 70000, 1.5]) {
    expect(() => listenUdpShared({ port })).toThrow(TransportError);
  }
});

// Skipped without the addon, like the suite above; runs in CI, where .ci/run makes sure npm ci built it.
describe.skipIf(unavailable !== undefined)(`BatchedUdpSocket${unavailable ? ` (${unavailable})` : ''}`, () => {
  it('sends to any peer and hands each reply to its listener with its source, as UdpSocket', async () => {
    const peers = await Promise.all(
      [1, 2].map((n) =>
        listen(`udp:${NET}.${n}:0`, {
          onMessage: (message, remote) => remote.send(Buffer.from(`${n}:${Buffer.from(message).toString()}`)),
        }),
      ),
    );
    const socket = await BatchedUdpSocket.open(4);
    try {
      const replies: string[] = [];
      const all = new Promise<void>((resolve) => {
        socket.onMessage((message, source) => {
          replies.push(`${source.address}:${source.port} ${Buffer.from(message).toString()}`);
          if (replies.length === 4) resolve();
        });
      });
      for (const peer of peers) {
        socket.send(Buffer.from('a'), peer.port, peer.address);
        socket.send(Buffer.from('b'), peer.port, peer.address);
      }
      await all;
      expect(replies.sort()).toEqual(
        peers.flatMap((p, i) => [`${p.address}:${p.port} ${i + 1}:a`, `${p.address}:${p.port} ${i + 1}:b`]).sort(),
      );
    } finally {
      socket.close();
      await Promise.all(peers.map((p) => p.close()));
    }
  });

  it('reports a send it cannot make as a TransportError, and refuses a port in use', async () => {
    const socket = await BatchedUdpSocket.open(4);
    const errors: Error[] = [];
    socket.onError((error) => errors.push(error));
    socket.send(Buffer.from('x'), 161, 'not an address');
    expect(errors[0]).toBeInstanceOf(TransportError);
    expect((errors[0] as TransportError).failure).toBe('send');
    await expect(BatchedUdpSocket.open(4, { localPort: socket.port })).rejects.toMatchObject({
      failure: 'bind',
      systemError: 'EADDRINUSE',
    });
    socket.close();
  });
});
