import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import net, { isIP } from 'node:net';
import { systemGeneralError } from './errors.js';
import type { ResolvedPeer } from './peer.js';

/** Where a message came from. */
export interface MessageSource {
  address: string;
  port: number;
}

/**
 * What a session needs from a transport. Structural: the simulator's in-memory transport and test doubles
 * implement the three required methods and nothing else. The optional parts let the built-in transports report
 * per-message send failures and connection loss (TCP).
 */
export interface ClientTransport {
  send(message: Uint8Array, onSendError?: (error: Error) => void): void;
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void;
  close(): void;
  /** A failure of the transport as a whole (a TCP connection reset): the session fails what is in flight. */
  onError?(listener: (error: Error) => void): void;
}

export interface LocalBinding {
  localAddress?: string | undefined;
  localPort?: number | undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** One unconnected UDP socket: replies from any address reach the session, which drops and counts strangers. */
export class UdpTransport implements ClientTransport {
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;

  private errorListener: ((error: Error) => void) | undefined;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly peer: ResolvedPeer,
  ) {
    socket.on('message', (message, rinfo) => this.listener?.(message, rinfo));
    // Sends go without a callback, which lets Node send synchronously (uv_udp_try_send) instead of completing
    // every datagram through the event loop. A send error then arrives here; every datagram of this socket goes to
    // the one peer, so it concerns every request in flight (the session fails them with SNMPERR_BAD_SENDTO).
    socket.on('error', (error) => this.errorListener?.(systemGeneralError('SNMPERR_BAD_SENDTO', error)));
  }

  static open(peer: ResolvedPeer, local: LocalBinding = {}): Promise<UdpTransport> {
    const family = peer.transport === 'udp6' ? 6 : 4;
    const socket = dgram.createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      // Addresses are resolved once, at open (the peer in resolvePeer): without this, every send() would go
      // through dns.lookup and a tick even for an IP literal. Names (a local address given as a name) still resolve.
      lookup: (host: string, _options: unknown, callback: LookupCallback) => {
        if (isIP(host) !== 0) callback(null, host, family);
        else dnsLookup(host, { family }, (error, address) => callback(error, address, family));
      },
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        socket.close();
        reject(systemGeneralError('SNMPERR_BAD_LOCPORT', error, `${local.localAddress ?? ''}:${local.localPort ?? 0}`));
      };
      socket.once('error', onError);
      socket.bind({ port: local.localPort ?? 0, address: local.localAddress, exclusive: true }, () => {
        socket.off('error', onError);
        // An idle session must not keep the process alive; pending requests do, through their timers.
        socket.unref();
        resolve(new UdpTransport(socket, peer));
      });
    });
  }

  /** The local address the socket is bound to. */
  localAddress(): MessageSource {
    return this.socket.address();
  }

  /** `onSendError` is not called: UDP send errors reach the session through onError (see the constructor). */
  send(message: Uint8Array, _onSendError?: (error: Error) => void): void {
    this.socket.send(message, this.peer.port, this.peer.address);
  }

  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.listener = listener;
  }

  onError(listener: (error: Error) => void): void {
    this.errorListener = listener;
  }

  close(): void {
    this.listener = undefined;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** Frames larger than this are taken for a corrupt stream rather than buffered. */
const MAX_TCP_FRAME = 16 * 1024 * 1024;

/**
 * Length of the BER SEQUENCE starting at `offset` (header included), -1 when the header is not all there yet,
 * -2 when the bytes cannot start an SNMP message.
 */
export function berFrameLength(data: Uint8Array, offset: number): number {
  const available = data.length - offset;
  if (available < 2) return -1;
  if (data[offset] !== 0x30) return -2;
  const first = data[offset + 1]!;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4) return -2;
  if (available < 2 + count) return -1;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + data[offset + 2 + i]!;
  if (length > MAX_TCP_FRAME) return -2;
  return 2 + count + length;
}

/** Cuts a byte stream into BER-framed SNMP messages (RFC 3430 §2.1), whatever the boundaries of the reads. */
export class BerStreamFramer {
  private pending: Buffer | undefined;

  /**
   * Takes the next chunk of the stream and hands every message it completes to `onMessage`. Returns false when the
   * stream holds something that cannot start an SNMP message: the connection is then beyond repair.
   */
  push(chunk: Buffer, onMessage: (message: Uint8Array) => void): boolean {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      const length = berFrameLength(data, offset);
      if (length === -2) {
        this.pending = undefined;
        return false;
      }
      if (length === -1 || offset + length > data.length) break;
      onMessage(data.subarray(offset, offset + length));
      offset += length;
    }
    this.pending = offset < data.length ? data.subarray(offset) : undefined;
    return true;
  }
}

/**
 * SNMP over TCP (RFC 3430): each message is one BER SEQUENCE on the stream, reassembled across reads.
 * The connection opens with the session. When it drops, every request in flight fails (GeneralError
 * SNMPERR_BAD_RECVFROM with the system error) and the next request opens a new connection.
 */
export class TcpTransport implements ClientTransport {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private framer = new BerStreamFramer();
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  private errorListener: ((error: Error) => void) | undefined;
  private closed = false;

  private constructor(
    private readonly peer: ResolvedPeer,
    private readonly local: LocalBinding,
  ) {}

  static async open(peer: ResolvedPeer, local: LocalBinding = {}): Promise<TcpTransport> {
    const transport = new TcpTransport(peer, local);
    try {
      await transport.connect();
    } catch (error) {
      // Net-SNMP reports a refused connection as "Unknown host (tcp:...) (Connection refused)".
      throw systemGeneralError('SNMPERR_BAD_ADDRESS', error, peer.name);
    }
    return transport;
  }

  private connect(): Promise<net.Socket> {
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({
        host: this.peer.address,
        port: this.peer.port,
        localAddress: this.local.localAddress,
        localPort: this.local.localPort,
        family: this.peer.transport === 'tcp6' ? 6 : 4,
        noDelay: true,
      });
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.unref();
        this.attach(socket);
        resolve(socket);
      });
      socket.once('error', reject);
    });
    this.connecting.then(
      () => {
        this.connecting = undefined;
      },
      () => {
        this.connecting = undefined;
      },
    );
    return this.connecting;
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    this.framer = new BerStreamFramer();
    const source = { address: this.peer.address, port: this.peer.port };
    socket.on('data', (chunk: Buffer) => this.receive(chunk, source));
    let failure: Error | undefined;
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (!this.closed) {
        this.errorListener?.(
          systemGeneralError('SNMPERR_BAD_RECVFROM', failure ?? { code: 'ECONNRESET' }, 'the TCP connection closed'),
        );
      }
    });
  }

  private receive(chunk: Buffer, source: MessageSource): void {
    const ok = this.framer.push(chunk, (message) => this.listener?.(message, source));
    // A stream that does not start with a message cannot be resynchronised: drop the connection.
    if (!ok) {
      this.socket?.destroy(Object.assign(new Error('not a BER-framed SNMP message on the stream'), { code: 'EPROTO' }));
    }
  }

  send(message: Uint8Array, onSendError?: (error: Error) => void): void {
    const socket = this.socket;
    if (socket && !socket.destroyed) {
      socket.write(message, onSendError ? (e) => e && onSendError(e) : undefined);
      return;
    }
    this.connect().then(
      (s) => s.write(message, onSendError ? (e) => e && onSendError(e) : undefined),
      (error: Error) => onSendError?.(error),
    );
  }

  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.listener = listener;
  }

  onError(listener: (error: Error) => void): void {
    this.errorListener = listener;
  }

  close(): void {
    this.closed = true;
    this.listener = undefined;
    this.socket?.destroy();
    this.socket = undefined;
  }
}
