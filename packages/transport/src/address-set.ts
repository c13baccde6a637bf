import { formatIPv4, load, type PktinfoSocket, parseIPv4, unavailableReason } from '@snmpkit/udp-pktinfo';
import type { DatagramSocket, LocalBinding, MessageSource } from './client.js';
import { TransportError } from './errors.js';
import type { Remote } from './listener.js';

/** What one address of a shared listener does with a datagram sent to it. */
export type AddressHandler = (message: Uint8Array, remote: Remote) => void;

export interface SharedUdpListenerOptions {
  /** The UDP port every address is served on (1-65535). */
  port: number;
  /** Datagrams read per system call (recvmmsg). Default 64. */
  batchSize?: number;
}

/**
 * One UDP socket serving a port on any number of loopback IPv4 addresses (a device lab's 10,000 devices at
 * 127.1.0.1, 127.1.0.2 ...): each datagram says which address it was sent to, and the reply leaves from that
 * address. Where a socket per address costs an epoll wake-up and a read per datagram, this reads datagrams in batches
 * (@snmpkit/udp-pktinfo: IP_PKTINFO, recvmmsg, sendmmsg). Datagrams to addresses nobody serves are dropped.
 */
export interface SharedUdpListener {
  readonly port: number;
  /** Starts handing datagrams sent to `address` (dotted IPv4) to `handler`; the returned function stops it. */
  serve(address: string, handler: AddressHandler): () => void;
  /** Addresses served now. */
  readonly addresses: number;
  /** Stops receiving and closes the socket (what is staged is sent first). Idempotent. */
  close(): Promise<void>;
}

/**
 * Why one socket cannot serve many addresses here (not Linux, or the native addon did not build), or undefined when
 * it can. Callers then bind a socket per address (`listen`).
 */
export function sharedUdpUnavailable(): string | undefined {
  return load() ? undefined : unavailableReason();
}

/**
 * Opens a SharedUdpListener on `port`, bound to the wildcard address and to the loopback interface (only this
 * machine reaches it). It holds the port on every address: it fails with TransportError 'bind' (EADDRINUSE) when any
 * socket already uses the port (snmpd on 127.0.0.1:161, another lab), and other programs cannot bind the port while
 * it is open. TransportError 'options' when sharedUdpUnavailable() says why it cannot work here.
 */
export function listenUdpShared(options: SharedUdpListenerOptions): SharedUdpListener {
  const pktinfo = load();
  if (!pktinfo) throw new TransportError('options', { detail: unavailableReason() });
  const { port } = options;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TransportError('options', { detail: `a shared listener needs a port from 1 to 65535, got ${port}` });
  }
  const handlers = new Map<number, AddressHandler>();
  let socket: PktinfoSocket;
  try {
    socket = pktinfo.openSocket({
      port,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      onBatch(batch) {
        for (let i = 0; i < batch.count; i++) {
          const local = batch.destinationIPv4(i);
          const handler = handlers.get(local);
          if (!handler || batch.truncated(i)) continue;
          // The batch's memory is reused for the next one: the handler may keep the message (a delayed answer).
          const payload = batch.payload(i);
          const message = new Uint8Array(payload.byteLength);
          message.set(payload);
          handler(message, new SharedRemote(socket, batch.sourceIPv4(i), batch.sourcePort(i), local));
        }
      },
      // A send the kernel refused (the sender went away): UDP does not report it to anyone, nor does listen's.
      onError() {},
    });
  } catch (error) {
    throw new TransportError('bind', { detail: `udp:0.0.0.0:${port} (every loopback address)`, cause: error });
  }
  let closing: Promise<void> | undefined;
  return {
    port: socket.port,
    serve(address, handler) {
      const n = parseIPv4(address);
      if (n === undefined) throw new TransportError('address', { detail: `${address} is not an IPv4 address` });
      if (handlers.has(n)) {
        // As binding the same address twice would: the first keeps it.
        const inUse = Object.assign(new Error('address already served'), { code: 'EADDRINUSE', errno: -98 });
        throw new TransportError('bind', { detail: `udp:${address}:${socket.port}`, cause: inUse });
      }
      handlers.set(n, handler);
      return () => {
        if (handlers.get(n) === handler) handlers.delete(n);
      };
    },
    get addresses() {
      return handlers.size;
    },
    close() {
      closing ??= socket.close();
      return closing;
    },
  };
}

/** The sender of one datagram: its key and source are built only when asked for (most requests never ask). */
class SharedRemote implements Remote {
  #source: MessageSource | undefined;

  constructor(
    readonly socket: PktinfoSocket,
    readonly address: number,
    readonly port: number,
    readonly local: number,
  ) {}

  get source(): MessageSource {
    this.#source ??= { address: formatIPv4(this.address), port: this.port };
    return this.#source;
  }

  get key(): string {
    return `udp:${this.source.address}:${this.port}`;
  }

  send(message: Uint8Array): void {
    this.socket.sendIPv4(message, this.port, this.address, this.local);
  }
}

/**
 * A DatagramSocket (one unconnected socket sending to any peer, as UdpSocket) whose datagrams are read with recvmmsg
 * and sent with sendmmsg in batches (@snmpkit/udp-pktinfo): for a client talking to thousands of agents at once
 * (the session's Poller), a system call per batch instead of one per datagram. Sends are staged and go out together
 * once the current batch of replies has been handled, or on the next turn of the event loop. Bound to every
 * interface (it talks to real networks); it does not keep the process alive (unref), as UdpSocket.
 */
export class BatchedUdpSocket implements DatagramSocket {
  #listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  #errorListener: ((error: Error) => void) | undefined;
  readonly #socket: PktinfoSocket;

  private constructor(family: 4 | 6, local: LocalBinding) {
    const pktinfo = load();
    if (!pktinfo) throw new TransportError('options', { detail: unavailableReason() });
    try {
      this.#socket = pktinfo.openSocket({
        family,
        port: local.localPort ?? 0,
        ...(local.localAddress !== undefined ? { address: local.localAddress } : {}),
        device: null,
        onBatch: (batch) => {
          const listener = this.#listener;
          if (!listener) return;
          for (let i = 0; i < batch.count; i++) {
            if (batch.truncated(i)) continue;
            // A copy: decoded values may keep views of it, and the batch's memory is reused.
            const payload = batch.payload(i);
            const message = new Uint8Array(payload.byteLength);
            message.set(payload);
            listener(message, { address: batch.sourceAddress(i), port: batch.sourcePort(i) });
          }
        },
        onError: (error) => this.#errorListener?.(new TransportError('send', { cause: error })),
      });
    } catch (error) {
      const detail = `${local.localAddress ?? ''}:${local.localPort ?? 0}`;
      throw new TransportError('bind', { detail, cause: error });
    }
    this.#socket.unref();
  }

  /** Whether batched sockets can be had here; undefined when they can, else why not (see sharedUdpUnavailable). */
  static unavailable(): string | undefined {
    return sharedUdpUnavailable();
  }

  /** Binds a socket of this address family. TransportError 'bind' when it cannot; 'options' where unavailable. */
  static async open(family: 4 | 6, local: LocalBinding = {}): Promise<BatchedUdpSocket> {
    return new BatchedUdpSocket(family, local);
  }

  /** The local port the socket is bound to. */
  get port(): number {
    return this.#socket.port;
  }

  send(message: Uint8Array, port: number, address: string): void {
    try {
      this.#socket.send(message, port, address);
    } catch (error) {
      this.#errorListener?.(new TransportError('send', { detail: `${address}:${port}`, cause: error }));
    }
  }

  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.#listener = listener;
  }

  onError(listener: (error: Error) => void): void {
    this.#errorListener = listener;
  }

  close(): void {
    this.#listener = undefined;
    void this.#socket.close();
  }
}
