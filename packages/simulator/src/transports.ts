import dgram from 'node:dgram';
import net from 'node:net';
import type { Agent, ReplyChannel } from './agent.js';

export type ListenTransport = 'udp' | 'udp6' | 'tcp' | 'tcp6';

/** An endpoint as Net-SNMP writes it: `[udp|udp6|tcp|tcp6:]host[:port]`, IPv6 hosts in brackets. */
export interface Endpoint {
  transport: ListenTransport;
  host: string;
  port: number;
}

/** Parses `udp:127.0.0.1:0`, `udp6:[::1]:1161`, `tcp:localhost:161`, `127.0.0.1` (udp, port 161). */
export function parseEndpoint(text: string): Endpoint {
  const m = /^(?:(udp6|udp|tcp6|tcp):)?(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(text.trim());
  if (!m) throw new RangeError(`not an endpoint: "${text}" (expected [udp|udp6|tcp|tcp6:]host[:port])`);
  let transport = (m[1]?.toLowerCase() ?? 'udp') as ListenTransport;
  let host = m[2]!;
  if (host.startsWith('[')) {
    host = host.slice(1, -1);
    if (transport === 'udp') transport = 'udp6';
    if (transport === 'tcp') transport = 'tcp6';
  }
  const port = m[3] === undefined ? 161 : Number(m[3]);
  if (port > 65535) throw new RangeError(`port out of range in "${text}"`);
  return { transport, host, port };
}

/** Formats an endpoint back into Net-SNMP's grammar (what `snmpkit simulate` prints). */
export function formatEndpoint(e: Endpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.transport}:${host}:${e.port}`;
}

/** An open listener: the endpoint as bound (the real port when 0 was asked for). */
export interface Listener {
  readonly endpoint: string;
  readonly transport: ListenTransport;
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Opens a UDP or TCP listener for the agent. */
export async function listen(agent: Agent, endpointText: string): Promise<Listener> {
  const endpoint = parseEndpoint(endpointText);
  return endpoint.transport.startsWith('udp') ? listenUdp(agent, endpoint) : listenTcp(agent, endpoint);
}

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

async function listenUdp(agent: Agent, endpoint: Endpoint): Promise<Listener> {
  const ipv6 = endpoint.transport === 'udp6';
  const socket = dgram.createSocket({ type: ipv6 ? 'udp6' : 'udp4', ipv6Only: ipv6 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(endpoint.port, endpoint.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A send error (the peer went away) must not take the agent down.
  socket.on('error', () => {});
  socket.on('message', (msg, rinfo) => {
    const channel: ReplyChannel = {
      key: `udp:${rinfo.address}:${rinfo.port}`,
      source: { address: rinfo.address, port: rinfo.port },
      send: (bytes) => socket.send(bytes, rinfo.port, rinfo.address),
    };
    agent.receive(view(msg), channel);
  });
  const bound = socket.address();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  };
  const unregister = agent.onClose(close);
  const result = { transport: endpoint.transport, address: bound.address, port: bound.port };
  return { ...result, endpoint: formatEndpoint({ ...result, host: bound.address }), close };
}

/** Bytes a BER header says the whole TLV takes, or -1 when more bytes are needed, -2 when it is no SNMP message. */
function frameLength(buf: Buffer): number {
  if (buf.length < 2) return -1;
  if (buf[0] !== 0x30) return -2;
  const first = buf[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4) return -2;
  if (buf.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[2 + i]!;
  return len > 16 * 1024 * 1024 ? -2 : 2 + n + len;
}

async function listenTcp(agent: Agent, endpoint: Endpoint): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    const key = `tcp:${socket.remoteAddress}:${socket.remotePort}`;
    const channel: ReplyChannel = {
      key,
      source: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      send: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      // RFC 3430: messages follow each other on the stream, each framed by its own BER length.
      for (;;) {
        const len = frameLength(pending);
        if (len === -2) {
          socket.destroy();
          return;
        }
        if (len < 0 || pending.length < len) return;
        const message = pending.subarray(0, len);
        pending = pending.subarray(len);
        agent.receive(view(Buffer.from(message)), channel);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: endpoint.port, host: endpoint.host, ipv6Only: endpoint.transport === 'tcp6' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as net.AddressInfo;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const unregister = agent.onClose(close);
  const result = { transport: endpoint.transport, address: bound.address, port: bound.port };
  return { ...result, endpoint: formatEndpoint({ ...result, host: bound.address }), close };
}

/** Where a message came from (the client session's MessageSource). */
export interface MessageSource {
  address: string;
  port: number;
}

/** What a client session needs from a transport (the same shape @snmpkit/session accepts). */
export interface ClientTransport {
  /** One whole SNMP message to the agent. */
  send(message: Uint8Array): void;
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void;
  close(): void;
}

export interface ConnectOptions {
  /** The address replies appear to come from. Default { address: 'memory', port: 0 }. */
  source?: MessageSource;
}

let connectionCount = 0;

/**
 * An in-memory transport to the agent: no sockets; each message is delivered on a later turn of the event loop,
 * in order, like a network would. Agent-side delays and faults run on the agent's clock.
 */
export function connect(agent: Agent, options: ConnectOptions = {}): ClientTransport {
  const id = ++connectionCount;
  const source = options.source ?? { address: 'memory', port: 0 };
  const listeners: ((message: Uint8Array, source: MessageSource) => void)[] = [];
  let closed = false;
  const channel: ReplyChannel = {
    key: `memory:${id}`,
    source: { address: 'memory', port: id },
    send: (bytes) => {
      const copy = Uint8Array.from(bytes);
      const arrived = agent.delivering();
      setImmediate(() => {
        try {
          if (!closed) for (const l of listeners) l(copy, source);
        } finally {
          arrived();
        }
      });
    },
  };
  const unregister = agent.onClose(async () => {
    closed = true;
  });
  return {
    send(message: Uint8Array): void {
      if (closed) return;
      const copy = Uint8Array.from(message);
      const arrived = agent.delivering();
      setImmediate(() => {
        try {
          if (!closed) agent.receive(copy, channel);
        } finally {
          arrived();
        }
      });
    },
    onMessage(listener) {
      listeners.push(listener);
    },
    close() {
      closed = true;
      unregister();
    },
  };
}
