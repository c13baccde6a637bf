import dgram from 'node:dgram';
import net from 'node:net';
import type { MessageSource } from './client.js';
import {
  DEFAULT_PORT,
  formatEndpoint,
  type ResolvedEndpoint,
  resolveEndpoint,
  type TransportKind,
} from './endpoint.js';
import { TransportError } from './errors.js';
import { BerStreamFramer, DEFAULT_MAX_MESSAGE_SIZE } from './framer.js';

/** Default bound on a TCP listener's open connections. */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** Default time a TCP connection may stay silent before the listener closes it, ms. */
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/** The sender of a message, and the way back to it (the agent's ReplyChannel has this shape). */
export interface Remote {
  /** `udp:ADDRESS:PORT` or `tcp:ADDRESS:PORT`: one sender (UDP) or one connection (TCP). */
  readonly key: string;
  readonly source: MessageSource;
  /** Sends one whole message back: a datagram to the sender, or on its connection. Never throws. */
  send(message: Uint8Array): void;
}

export interface ListenOptions {
  /** Each message received: a datagram, or one BER-framed message of a TCP stream. */
  onMessage(message: Uint8Array, remote: Remote): void;
  /**
   * A TCP stream that cannot be SNMP (a first byte that is not a SEQUENCE, a length over `maxMessageSize`): the
   * listener closes that connection; this says so (receivers count it).
   */
  onBadStream?(remote: Remote): void;
  /** The port when the endpoint names none. Default 161 (receivers: 162). */
  defaultPort?: number;
  /** TCP: the largest message accepted, bytes; a connection announcing more is closed at once. Default 65535. */
  maxMessageSize?: number;
  /**
   * TCP: the most connections open at once. One more closes the one silent the longest, so that idle or hostile
   * connections cannot lock out new ones. Default 256.
   */
  maxConnections?: number;
  /** TCP: a connection silent this long is closed, ms; 0 never. Default 120000 (2 minutes). */
  idleTimeoutMs?: number;
}

/** An open listener: the endpoint as bound (the real port when 0 was asked for). */
export interface Listener {
  /** Net-SNMP's form of the bound endpoint: `udp:127.0.0.1:40161`, `tcp6:[::1]:1161`. */
  readonly endpoint: string;
  readonly transport: TransportKind;
  readonly address: string;
  readonly port: number;
  /** TCP connections open now (0 for UDP). */
  readonly connections: number;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Listens on an endpoint in Net-SNMP's grammar (`udp:127.0.0.1:0`, `tcp6:[::1]:1161`) and hands each message to
 * `onMessage`. Throws TransportError: 'address' for a bad endpoint, 'bind' when the address cannot be bound.
 */
export async function listen(endpoint: string, options: ListenOptions): Promise<Listener> {
  const resolved = await resolveEndpoint(endpoint, options.defaultPort ?? DEFAULT_PORT, 0);
  return resolved.transport === 'udp' || resolved.transport === 'udp6'
    ? listenUdp(resolved, options)
    : listenTcp(resolved, options);
}

function bindError(endpoint: ResolvedEndpoint, error: unknown): TransportError {
  return new TransportError('bind', { detail: endpoint.name, cause: error });
}

function checkWhole(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new TransportError('options', { detail: `${name} must be a whole number from ${min}, got ${String(value)}` });
  }
  return value;
}

async function listenUdp(endpoint: ResolvedEndpoint, options: ListenOptions): Promise<Listener> {
  const { transport, address, port } = endpoint;
  const ipv6 = transport === 'udp6';
  const socket = dgram.createSocket({ type: ipv6 ? 'udp6' : 'udp4', ipv6Only: ipv6 });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(bindError(endpoint, error));
    socket.once('error', failed);
    socket.bind(port, address, () => {
      socket.off('error', failed);
      resolve();
    });
  });
  // A send error (the sender went away) must not take the listener down.
  socket.on('error', () => {});
  const { onMessage } = options;
  socket.on('message', (message, rinfo) => {
    const remote: Remote = {
      key: `udp:${rinfo.address}:${rinfo.port}`,
      source: { address: rinfo.address, port: rinfo.port },
      send: (bytes) => socket.send(bytes, rinfo.port, rinfo.address),
    };
    onMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), remote);
  });
  const bound = socket.address();
  let closing: Promise<void> | undefined;
  return {
    endpoint: formatEndpoint({ transport, address: bound.address, port: bound.port }),
    transport,
    address: bound.address,
    port: bound.port,
    connections: 0,
    close: () => {
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}

async function listenTcp(endpoint: ResolvedEndpoint, options: ListenOptions): Promise<Listener> {
  const { transport, address, port } = endpoint;
  const maxMessageSize = checkWhole('maxMessageSize', options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE, 2);
  const maxConnections = checkWhole('maxConnections', options.maxConnections, DEFAULT_MAX_CONNECTIONS, 1);
  const idleTimeoutMs = checkWhole('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS, 0);
  const { onMessage, onBadStream } = options;
  // Open connections, the one silent the longest first: each read moves its connection to the end.
  const open = new Map<net.Socket, true>();
  const server = net.createServer((socket) => {
    if (open.size >= maxConnections) {
      const [quietest] = open.keys();
      quietest?.destroy();
      if (quietest) open.delete(quietest);
    }
    open.set(socket, true);
    if (idleTimeoutMs > 0) socket.setTimeout(idleTimeoutMs, () => socket.destroy());
    const source = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const remote: Remote = {
      key: `tcp:${source.address}:${source.port}`,
      source,
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
    };
    const framer = new BerStreamFramer({ maxMessageSize });
    socket.on('data', (chunk: Buffer) => {
      open.delete(socket);
      open.set(socket, true);
      // RFC 3430: messages follow each other on the stream, each framed by its own BER length.
      const ok = framer.push(chunk, (message) => onMessage(message, remote));
      if (!ok) {
        socket.destroy();
        onBadStream?.(remote);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: Error) => reject(bindError(endpoint, error));
    server.once('error', failed);
    server.listen({ port, host: address, ipv6Only: transport === 'tcp6' }, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: formatEndpoint({ transport, address: bound.address, port: bound.port }),
    transport,
    address: bound.address,
    port: bound.port,
    get connections() {
      return open.size;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const socket of open.keys()) socket.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
