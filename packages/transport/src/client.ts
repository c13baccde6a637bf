import dgram from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import net, { isIP } from 'node:net';
import type { ResolvedEndpoint } from './endpoint.js';
import { TransportError } from './errors.js';
import { BerStreamFramer } from './framer.js';

/** Where a message came from. */
export interface MessageSource {
  address: string;
  port: number;
}

/**
 * What a client (the session) needs from a transport. Structural: the simulator's in-memory transport and test
 * doubles implement the three required methods and nothing else. The optional parts let the built-in transports
 * report per-message send failures and connection loss (TCP).
 */
export interface ClientTransport {
  send(message: Uint8Array, onSendError?: (error: Error) => void): void;
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void;
  close(): void;
  /** A failure of the transport as a whole (a TCP connection reset), as a TransportError: fail what is in flight. */
  onError?(listener: (error: Error) => void): void;
}

/** Where a client socket binds locally; by default any address and a port the system picks. */
export interface LocalBinding {
  localAddress?: string | undefined;
  localPort?: number | undefined;
}

export interface TcpClientOptions extends LocalBinding {
  /** The largest message accepted from the peer, bytes (see BerStreamFramer). Default 65535. */
  maxMessageSize?: number | undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * A datagram socket that sends to any peer and hands every datagram received to one listener with its source: what
 * a client talking to many agents at once (the session's poller) shares among them, demultiplexing by source.
 */
export interface DatagramSocket {
  /** Sends one datagram. Errors (no callback: Node then sends synchronously) arrive at onError's listener. */
  send(message: Uint8Array, port: number, address: string): void;
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void;
  /** A send or receive failure, as a TransportError (failure 'send'). */
  onError?(listener: (error: Error) => void): void;
  close(): void;
}

/** One unconnected UDP socket of one address family, sending to any address: the socket under UdpTransport. */
export class UdpSocket implements DatagramSocket {
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  private errorListener: ((error: Error) => void) | undefined;

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (message, rinfo) => this.listener?.(message, rinfo));
    // Sends go without a callback, which lets Node send synchronously (uv_udp_try_send) instead of completing
    // every datagram through the event loop. A send error then arrives here, without the datagram it concerns.
    socket.on('error', (error) => this.errorListener?.(new TransportError('send', { cause: error })));
  }

  /**
   * Binds a socket of this address family (4: udp4, 6: udp6). Throws TransportError (failure 'bind') when the
   * binding fails. The socket does not keep the process alive (unref): pending requests do, through their timers.
   */
  static open(family: 4 | 6, local: LocalBinding = {}): Promise<UdpSocket> {
    const socket = dgram.createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      // Addresses are resolved once, before sending (resolveEndpoint): without this, every send() would go through
      // dns.lookup and a tick even for an IP literal. Names (a local address given as a name) still resolve.
      lookup: (host: string, _options: unknown, callback: LookupCallback) => {
        if (isIP(host) !== 0) callback(null, host, family);
        else dnsLookup(host, { family }, (error, address) => callback(error, address, family));
      },
    });
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        socket.close();
        const detail = `${local.localAddress ?? ''}:${local.localPort ?? 0}`;
        reject(new TransportError('bind', { detail, cause: error }));
      };
      socket.once('error', onError);
      socket.bind({ port: local.localPort ?? 0, address: local.localAddress, exclusive: true }, () => {
        socket.off('error', onError);
        socket.unref();
        resolve(new UdpSocket(socket));
      });
    });
  }

  /** The local address the socket is bound to. */
  localAddress(): MessageSource {
    return this.socket.address();
  }

  send(message: Uint8Array, port: number, address: string): void {
    this.socket.send(message, port, address);
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

/** One unconnected UDP socket for one peer: replies from any address reach the client, which drops and counts strangers. */
export class UdpTransport implements ClientTransport {
  private constructor(
    private readonly socket: UdpSocket,
    private readonly peer: ResolvedEndpoint,
  ) {}

  /** Binds a socket for the peer's family. Throws TransportError (failure 'bind') when the binding fails. */
  static async open(peer: ResolvedEndpoint, local: LocalBinding = {}): Promise<UdpTransport> {
    return new UdpTransport(await UdpSocket.open(peer.transport === 'udp6' ? 6 : 4, local), peer);
  }

  /** The local address the socket is bound to. */
  localAddress(): MessageSource {
    return this.socket.localAddress();
  }

  /**
   * `onSendError` is not called: UDP send errors reach the client through onError (every datagram of this socket
   * goes to the one peer, so a send error concerns every request in flight).
   */
  send(message: Uint8Array, _onSendError?: (error: Error) => void): void {
    this.socket.send(message, this.peer.port, this.peer.address);
  }

  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.socket.onMessage(listener);
  }

  onError(listener: (error: Error) => void): void {
    this.socket.onError(listener);
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * SNMP over TCP (RFC 3430): each message is one BER SEQUENCE on the stream, reassembled across reads.
 * The connection opens with the transport. When it drops, onError's listener gets a TransportError (failure
 * 'receive', with the system error) and the next send opens a new connection.
 */
export class TcpTransport implements ClientTransport {
  private socket: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private framer: BerStreamFramer;
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  private errorListener: ((error: Error) => void) | undefined;
  private closed = false;

  private constructor(
    private readonly peer: ResolvedEndpoint,
    private readonly options: TcpClientOptions,
  ) {
    this.framer = this.newFramer();
  }

  /** Connects. Throws TransportError (failure 'address', as Net-SNMP's "Unknown host (...) (Connection refused)"). */
  static async open(peer: ResolvedEndpoint, options: TcpClientOptions = {}): Promise<TcpTransport> {
    const transport = new TcpTransport(peer, options);
    try {
      await transport.connect();
    } catch (error) {
      throw new TransportError('address', { detail: peer.name, cause: error });
    }
    return transport;
  }

  private newFramer(): BerStreamFramer {
    const { maxMessageSize } = this.options;
    return new BerStreamFramer(maxMessageSize === undefined ? {} : { maxMessageSize });
  }

  private connect(): Promise<net.Socket> {
    if (this.connecting) return this.connecting;
    this.connecting = new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect({
        host: this.peer.address,
        port: this.peer.port,
        localAddress: this.options.localAddress,
        localPort: this.options.localPort,
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
    this.framer = this.newFramer();
    const source = { address: this.peer.address, port: this.peer.port };
    socket.on('data', (chunk: Buffer) => this.receive(chunk, source));
    let failure: Error | undefined;
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
      if (!this.closed) {
        const cause = failure ?? Object.assign(new Error('connection reset'), { code: 'ECONNRESET' });
        this.errorListener?.(new TransportError('receive', { detail: 'the TCP connection closed', cause }));
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

/** Opens the client transport an endpoint names: TCP (connected) for tcp/tcp6, UDP otherwise. */
export function openClientTransport(
  peer: ResolvedEndpoint,
  options: TcpClientOptions = {},
): Promise<UdpTransport | TcpTransport> {
  return peer.transport === 'tcp' || peer.transport === 'tcp6'
    ? TcpTransport.open(peer, options)
    : UdpTransport.open(peer, options);
}
