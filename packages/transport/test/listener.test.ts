import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Listener, type ListenOptions, listen, TransportError } from '../src/index.js';

const open: Listener[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** A listener that answers every message with the message itself, and counts bad streams. */
async function echo(endpoint: string, options: Partial<ListenOptions> = {}) {
  const counts = { messages: 0, badStreams: 0 };
  const listener = await listen(endpoint, {
    onMessage: (message, remote) => {
      counts.messages++;
      remote.send(message);
    },
    onBadStream: () => {
      counts.badStreams++;
    },
    ...options,
  });
  open.push(listener);
  return { listener, counts };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves when the listener has closed the connection. */
const closed = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

/** Sends a message on a connection and resolves with the first `length` bytes that come back. */
function exchange(socket: net.Socket, message: Uint8Array): Promise<Buffer> {
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= message.length) {
        socket.off('data', onData);
        resolve(got);
      }
    };
    socket.on('data', onData);
    socket.write(message);
  });
}

const SMALL = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x07]);
const CLAIM_16MB = new Uint8Array([0x30, 0x84, 0x01, 0x00, 0x00, 0x00]);

describe('UDP listener', () => {
  it('hands each datagram to onMessage with a way back to its sender', async () => {
    const { listener, counts } = await echo('udp:127.0.0.1:0');
    expect(listener.endpoint).toBe(`udp:127.0.0.1:${listener.port}`);
    const client = dgram.createSocket('udp4');
    try {
      const reply = await new Promise<Buffer>((resolve) => {
        client.once('message', resolve);
        client.send(SMALL, listener.port, '127.0.0.1');
      });
      expect(new Uint8Array(reply)).toEqual(SMALL);
      expect(counts.messages).toBe(1);
    } finally {
      client.close();
    }
  });

  it('refuses an endpoint in use (bind) and a malformed one (address) with TransportError', async () => {
    const { listener } = await echo('udp:127.0.0.1:0');
    await expect(listen(listener.endpoint, { onMessage: () => {} })).rejects.toMatchObject({
      name: 'TransportError',
      failure: 'bind',
      systemError: 'EADDRINUSE',
    });
    await expect(listen('unix:/tmp/agent', { onMessage: () => {} })).rejects.toBeInstanceOf(TransportError);
  });
});

describe('TCP listener under hostile connections (issue #17: TCP framing)', () => {
  it('closes at once a connection claiming a 16 MB frame, many of them, and one opening with a bad byte', async () => {
    const { listener, counts } = await echo('tcp:127.0.0.1:0');
    const hostile = await Promise.all(Array.from({ length: 32 }, () => connect(listener.port)));
    const gone = hostile.map(closed);
    hostile.forEach((socket, i) => {
      if (i % 2 === 0) socket.write(CLAIM_16MB);
      else socket.write(new Uint8Array([0x16, 0x03, 0x01])); // a TLS ClientHello: not a SEQUENCE
    });
    await Promise.all(gone);
    await vi.waitFor(() => expect(counts.badStreams).toBe(32));
    await vi.waitFor(() => expect(listener.connections).toBe(0));
    // ...and the listener answers others all along.
    const client = await connect(listener.port);
    expect(new Uint8Array(await exchange(client, SMALL))).toEqual(SMALL);
  });

  it('holds at most maxConnections: one more closes the one silent the longest, so others are answered', async () => {
    const { listener } = await echo('tcp:127.0.0.1:0', { maxConnections: 4 });
    const idle: net.Socket[] = [];
    for (let i = 0; i < 10; i++) {
      const socket = await connect(listener.port);
      // A frame begun and never finished (its header promises more): held, silent.
      socket.write(new Uint8Array([0x30, 0x82, 0xff, 0x00, 0x02]));
      idle.push(socket);
      await exchange(await connect(listener.port), SMALL); // a round trip: the listener has seen both
      expect(listener.connections).toBeLessThanOrEqual(4);
    }
    const client = await connect(listener.port);
    expect(new Uint8Array(await exchange(client, SMALL))).toEqual(SMALL);
    expect(listener.connections).toBeLessThanOrEqual(4);
  });

  it('closes a connection silent for idleTimeoutMs', async () => {
    const { listener } = await echo('tcp:127.0.0.1:0', { idleTimeoutMs: 50 });
    const socket = await connect(listener.port);
    socket.write(new Uint8Array([0x30, 0x10])); // half a message, then nothing
    await closed(socket);
    await vi.waitFor(() => expect(listener.connections).toBe(0));
  });

  it('reassembles messages cut anywhere, several in one read, on one connection', async () => {
    const { listener, counts } = await echo('tcp:127.0.0.1:0');
    const socket = await connect(listener.port);
    const three = Buffer.concat([SMALL, SMALL, SMALL]);
    const back = new Promise<Buffer>((resolve) => {
      let got = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        if (got.length === three.length) resolve(got);
      });
    });
    socket.write(three.subarray(0, 1));
    socket.write(three.subarray(1, 7));
    socket.write(three.subarray(7));
    expect(await back).toEqual(three);
    expect(counts.messages).toBe(3);
  });

  it('refuses bad options before binding', async () => {
    await expect(listen('tcp:127.0.0.1:0', { onMessage: () => {}, maxConnections: 0 })).rejects.toThrow(
      /maxConnections must be a whole number from 1/,
    );
  });
});
