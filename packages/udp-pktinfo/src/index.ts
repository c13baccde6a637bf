import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { getSystemErrorName } from 'node:util';

/**
 * One UDP socket that serves every local address it receives for: each datagram says which address it was sent to
 * (IP_PKTINFO / IPV6_PKTINFO) and each reply leaves from the address it names. node:dgram can do neither, so serving
 * 10,000 addresses with it takes 10,000 sockets. Linux only; a small N-API addon built at install.
 */

/** Words per datagram in the shared metadata arrays; mirrors META_WORDS and the word indices in native/udp_pktinfo.c. */
const META_WORDS = 12;
const RECV_LENGTH = 0;
const RECV_FLAGS = 1;
const RECV_SRC_PORT = 2;
const RECV_SRC = 4;
const RECV_DST = 8;
const SEND_OFFSET = 0;
const SEND_LENGTH = 1;
const SEND_DST_PORT = 2;
const SEND_ERRNO = 3;
const SEND_DST = 4;
const SEND_SRC = 8;
const FLAG_TRUNCATED = 1;

/** The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers); IPv6 allows 65,527 without jumbograms. */
const MAX_UDP_PAYLOAD = 65_527;

interface NativeSocketOptions {
  family: 4 | 6;
  address: string;
  port: number;
  device: string;
  reuseAddress: number;
  recvData: Uint8Array;
  recvSlot: number;
  recvMeta: Uint32Array;
  sendData: Uint8Array;
  sendMeta: Uint32Array;
  onBatch: (count: number) => void;
  onError: (error: Error) => void;
}

interface NativeSocket {
  start(): void;
  flush(count: number): number;
  close(callback: () => void): void;
  localPort(): number;
  setRef(on: boolean): void;
}

interface NativeModule {
  NativeSocket: new (options: NativeSocketOptions) => NativeSocket;
  META_WORDS: number;
}

/** An Error from the system, with Node's fields (code 'EADDRINUSE', errno -98, syscall 'bind'). */
export interface PktinfoSystemError extends Error {
  code: string;
  errno: number;
  syscall: string;
  /** For send failures: where the datagram was going. */
  address?: string;
  port?: number;
}

export interface PktinfoSocketOptions {
  /** 4 (default) or 6. An IPv6 socket is IPv6-only (IPV6_V6ONLY). */
  family?: 4 | 6;
  /** The address to bind: '0.0.0.0' / '::' (default) receive for every local address. */
  address?: string;
  /** The port to bind; 0 (default) lets the system choose (see `port`). */
  port?: number;
  /**
   * SO_BINDTODEVICE: only datagrams that arrive on this interface. Default 'lo': only this machine can reach the
   * socket (loopback traffic, which includes datagrams a local process sends to the host's own addresses). `null`
   * binds to no device: every interface, reachable from the network.
   */
  device?: string | null;
  /** SO_REUSEADDR: share the port with other sockets that set it too (most specific address wins). Default false. */
  reuseAddress?: boolean;
  /** Datagrams read per recvmmsg call, and so at most per onBatch call. Default 64. */
  batchSize?: number;
  /** Bytes kept per received datagram; longer ones are cut and flagged `truncated`. Default 65,527 (any UDP payload). */
  maxDatagramSize?: number;
  /** Replies staged before a sendmmsg call is made regardless. Default 64. */
  sendBatchSize?: number;
  /** Called once per batch of received datagrams. Replies staged while it runs are sent when it returns. */
  onBatch: (batch: ReceivedBatch) => void;
  /**
   * Errors after the socket is open: a send that failed (with the address and port it was for) or a failed read.
   * Without it they are thrown as uncaught exceptions, as an 'error' event without a listener would be.
   */
  onError?: (error: PktinfoSystemError) => void;
}

/**
 * The datagrams of one recvmmsg call. It is reused for the next batch: read payloads (or copy them) during onBatch.
 * Addresses come both as strings and, for IPv4, as host-order numbers (127.200.0.5 is 0x7fc80005) for table lookups.
 */
export interface ReceivedBatch {
  readonly count: number;
  /** The payload of datagram i: a view of shared memory, valid until onBatch returns (copy it to keep it). */
  payload(i: number): Buffer;
  /** True when datagram i was longer than maxDatagramSize and `payload(i)` holds its first bytes only. */
  truncated(i: number): boolean;
  sourceAddress(i: number): string;
  sourcePort(i: number): number;
  /** The address the datagram was sent to: the device it is for. */
  destinationAddress(i: number): string;
  /** IPv4 sockets only: the source address as a host-order number. */
  sourceIPv4(i: number): number;
  /** IPv4 sockets only: the destination address as a host-order number. */
  destinationIPv4(i: number): number;
  /** Stages `data` to the sender of datagram i, from the address datagram i was sent to. */
  reply(i: number, data: Uint8Array): void;
}

export interface PktinfoSocket {
  readonly family: 4 | 6;
  /** The bound port (the chosen one when the options said 0). */
  readonly port: number;
  /**
   * Stages a datagram to address:port, sent from `from` (one of this machine's addresses; by default the system
   * chooses). Staged datagrams go out in one sendmmsg when onBatch returns, when sendBatchSize are staged, or on
   * setImmediate when staged outside onBatch.
   */
  send(data: Uint8Array, port: number, address: string, from?: string): void;
  /** `send` with host-order IPv4 numbers (IPv4 sockets): no string parsing. `from` 0 lets the system choose. */
  sendIPv4(data: Uint8Array, port: number, address: number, from: number): void;
  /** Sends what is staged now. */
  flush(): void;
  /** Stops receiving, sends what is staged, closes the descriptor; resolves when libuv has released it. */
  close(): Promise<void>;
  /** Whether the open socket keeps the process alive (it does by default, like a dgram socket). */
  ref(): void;
  unref(): void;
}

export interface UdpPktinfo {
  /** Creates, binds and starts a socket; throws a PktinfoSystemError (EADDRINUSE, EACCES, ENODEV, ...) when it cannot. */
  openSocket(options: PktinfoSocketOptions): PktinfoSocket;
}

let loaded: UdpPktinfo | undefined;
let unavailable: string | undefined;
let tried = false;

/**
 * The addon, or undefined where it is not available (not Linux, or the build at install failed: see
 * unavailableReason()). Callers keep a fallback (one node:dgram socket per address) for that case.
 */
export function load(): UdpPktinfo | undefined {
  if (tried) return loaded;
  tried = true;
  if (process.platform !== 'linux') {
    unavailable = `@snmpkit/udp-pktinfo is Linux-only (IP_PKTINFO, recvmmsg, sendmmsg); this is ${process.platform}`;
    return undefined;
  }
  const binary = new URL('../build/Release/udp_pktinfo.node', import.meta.url);
  if (!existsSync(binary)) {
    const failure = new URL('../build/build-failure.txt', import.meta.url);
    unavailable =
      '@snmpkit/udp-pktinfo: the native addon was not built' +
      (existsSync(failure)
        ? `: ${readFileSync(failure, 'utf8').trim()}`
        : ' (run `npm rebuild @snmpkit/udp-pktinfo`; it needs python3, make and a C compiler)');
    return undefined;
  }
  try {
    const native = createRequire(import.meta.url)(binary.pathname) as NativeModule;
    if (native.META_WORDS !== META_WORDS) throw new Error(`layout mismatch (${native.META_WORDS} words per datagram)`);
    loaded = { openSocket: (options) => new Socket(native, options) };
  } catch (error) {
    unavailable = `@snmpkit/udp-pktinfo: the native addon did not load: ${(error as Error).message}`;
  }
  return loaded;
}

/** Why load() returned undefined; undefined when it did not (or has not been called). */
export function unavailableReason(): string | undefined {
  return unavailable;
}

function integerOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`udp-pktinfo: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return v;
}

export function parseIPv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const byte = Number(part);
    if (byte > 255) return undefined;
    n = n * 256 + byte;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The 16 bytes of an IPv6 address in any RFC 4291 text form ('::1', 'fe80::1:2', '::ffff:1.2.3.4'). */
export function parseIPv6(address: string): Uint8Array | undefined {
  let text = address;
  // A trailing dotted IPv4 part ('::ffff:1.2.3.4') is two more 16-bit groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = parseIPv4(dotted[2]!);
    if (n === undefined) return undefined;
    text = `${dotted[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const given = head.length + tail.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return undefined;
  const words = [...head, ...new Array<number>(8 - given).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((w, k) => {
    bytes[2 * k] = w >>> 8;
    bytes[2 * k + 1] = w & 255;
  });
  return bytes;
}

/** RFC 5952 text of 16 address bytes ('::1', '2001:db8::1:0:0:1'): the WHATWG URL serializer compresses the same way. */
export function formatIPv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let k = 0; k < 16; k += 2) groups.push(((bytes[k]! << 8) | bytes[k + 1]!).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

function systemError(errno: number, syscall: string, address: string, port: number): PktinfoSystemError {
  const code = getSystemErrorName(-errno);
  const error = new Error(`${syscall} ${code} ${address}:${port}`) as PktinfoSystemError;
  error.code = code;
  error.errno = -errno;
  error.syscall = syscall;
  error.address = address;
  error.port = port;
  return error;
}

class Socket implements PktinfoSocket, ReceivedBatch {
  readonly family: 4 | 6;
  readonly port: number;
  count = 0;
  private readonly native: NativeSocket;
  private readonly recvData: Buffer;
  private readonly recvMeta: Uint32Array;
  private readonly recvMetaBytes: Uint8Array;
  private readonly recvSlot: number;
  private readonly sendData: Buffer;
  private readonly sendMeta: Uint32Array;
  private readonly sendMetaBytes: Uint8Array;
  private readonly sendCapacity: number;
  private readonly onBatch: (batch: ReceivedBatch) => void;
  private readonly onError: (error: PktinfoSystemError) => void;
  private staged = 0;
  private stagedBytes = 0;
  private inBatch = false;
  private flushScheduled = false;
  private closing: Promise<void> | undefined;

  constructor(native: NativeModule, options: PktinfoSocketOptions) {
    const family = options.family ?? 4;
    if (family !== 4 && family !== 6) throw new RangeError(`udp-pktinfo: family must be 4 or 6, got ${family}`);
    if (typeof options.onBatch !== 'function') throw new TypeError('udp-pktinfo: onBatch must be a function');
    this.family = family;
    const batchSize = integerOption('batchSize', options.batchSize, 64, 1, 1024);
    this.recvSlot = integerOption('maxDatagramSize', options.maxDatagramSize, MAX_UDP_PAYLOAD, 1, MAX_UDP_PAYLOAD);
    this.sendCapacity = integerOption('sendBatchSize', options.sendBatchSize, 64, 1, 1024);
    const port = integerOption('port', options.port, 0, 0, 65535);
    this.recvData = Buffer.allocUnsafeSlow(batchSize * this.recvSlot);
    this.recvMeta = new Uint32Array(batchSize * META_WORDS);
    this.recvMetaBytes = new Uint8Array(this.recvMeta.buffer);
    // Room for a full batch of typical replies, and at least one datagram of the largest size.
    this.sendData = Buffer.allocUnsafeSlow(Math.max(MAX_UDP_PAYLOAD, this.sendCapacity * 2048));
    this.sendMeta = new Uint32Array(this.sendCapacity * META_WORDS);
    this.sendMetaBytes = new Uint8Array(this.sendMeta.buffer);
    this.onBatch = options.onBatch;
    this.onError =
      options.onError ??
      ((error) => {
        throw error;
      });
    this.native = new native.NativeSocket({
      family,
      address: options.address ?? (family === 4 ? '0.0.0.0' : '::'),
      port,
      device: options.device === undefined ? 'lo' : (options.device ?? ''),
      reuseAddress: options.reuseAddress ? 1 : 0,
      recvData: this.recvData,
      recvSlot: this.recvSlot,
      recvMeta: this.recvMeta,
      sendData: this.sendData,
      sendMeta: this.sendMeta,
      onBatch: (count) => this.deliver(count),
      onError: (error) => this.onError(error as PktinfoSystemError),
    });
    this.port = this.native.localPort();
    this.native.start();
  }

  private deliver(count: number): void {
    this.count = count;
    this.inBatch = true;
    try {
      this.onBatch(this);
    } finally {
      this.inBatch = false;
      this.count = 0;
      if (this.staged > 0 && !this.closing) this.flush();
    }
  }

  payload(i: number): Buffer {
    const start = this.index(i) * this.recvSlot;
    return this.recvData.subarray(start, start + this.recvMeta[i * META_WORDS + RECV_LENGTH]!);
  }

  truncated(i: number): boolean {
    return (this.recvMeta[this.index(i) * META_WORDS + RECV_FLAGS]! & FLAG_TRUNCATED) !== 0;
  }

  sourcePort(i: number): number {
    return this.recvMeta[this.index(i) * META_WORDS + RECV_SRC_PORT]!;
  }

  sourceAddress(i: number): string {
    return this.addressAt(this.index(i) * META_WORDS + RECV_SRC);
  }

  destinationAddress(i: number): string {
    return this.addressAt(this.index(i) * META_WORDS + RECV_DST);
  }

  sourceIPv4(i: number): number {
    return this.recvMeta[this.index(i) * META_WORDS + RECV_SRC]!;
  }

  destinationIPv4(i: number): number {
    return this.recvMeta[this.index(i) * META_WORDS + RECV_DST]!;
  }

  reply(i: number, data: Uint8Array): void {
    const m = this.index(i) * META_WORDS;
    const slot = this.stage(data);
    this.sendMeta[slot + SEND_DST_PORT] = this.recvMeta[m + RECV_SRC_PORT]!;
    const meta = this.recvMeta;
    const out = this.sendMeta;
    // Four words per address: IPv4 uses the first, IPv6 all four.
    out[slot + SEND_DST] = meta[m + RECV_SRC]!;
    out[slot + SEND_DST + 1] = meta[m + RECV_SRC + 1]!;
    out[slot + SEND_DST + 2] = meta[m + RECV_SRC + 2]!;
    out[slot + SEND_DST + 3] = meta[m + RECV_SRC + 3]!;
    out[slot + SEND_SRC] = meta[m + RECV_DST]!;
    out[slot + SEND_SRC + 1] = meta[m + RECV_DST + 1]!;
    out[slot + SEND_SRC + 2] = meta[m + RECV_DST + 2]!;
    out[slot + SEND_SRC + 3] = meta[m + RECV_DST + 3]!;
  }

  send(data: Uint8Array, port: number, address: string, from?: string): void {
    if (this.family === 4) {
      const to = parseIPv4(address);
      const source = from === undefined ? 0 : parseIPv4(from);
      if (to === undefined) throw new TypeError(`udp-pktinfo: ${address} is not an IPv4 address`);
      if (source === undefined) throw new TypeError(`udp-pktinfo: ${from} is not an IPv4 address`);
      this.sendIPv4(data, port, to, source);
      return;
    }
    const to = parseIPv6(address);
    const source = from === undefined ? new Uint8Array(16) : parseIPv6(from);
    if (to === undefined) throw new TypeError(`udp-pktinfo: ${address} is not an IPv6 address`);
    if (source === undefined) throw new TypeError(`udp-pktinfo: ${from} is not an IPv6 address`);
    this.checkPort(port);
    const slot = this.stage(data);
    this.sendMeta[slot + SEND_DST_PORT] = port;
    this.sendMetaBytes.set(to, (slot + SEND_DST) * 4);
    this.sendMetaBytes.set(source, (slot + SEND_SRC) * 4);
  }

  sendIPv4(data: Uint8Array, port: number, address: number, from: number): void {
    if (this.family !== 4) throw new TypeError('udp-pktinfo: sendIPv4 on an IPv6 socket');
    this.checkPort(port);
    const slot = this.stage(data);
    this.sendMeta[slot + SEND_DST_PORT] = port;
    this.sendMeta[slot + SEND_DST] = address;
    this.sendMeta[slot + SEND_SRC] = from;
  }

  flush(): void {
    const count = this.staged;
    if (count === 0 || this.closing) return;
    this.staged = 0;
    this.stagedBytes = 0;
    const failed = this.native.flush(count);
    if (failed === 0) return;
    for (let k = 0; k < count; k++) {
      const errno = this.sendMeta[k * META_WORDS + SEND_ERRNO]!;
      if (errno !== 0) this.onError(this.sendFailure(k, errno));
    }
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.flush();
      this.closing = new Promise((resolve) => this.native.close(resolve));
    }
    return this.closing;
  }

  ref(): void {
    this.native.setRef(true);
  }

  unref(): void {
    this.native.setRef(false);
  }

  private index(i: number): number {
    if (!(i >= 0 && i < this.count)) {
      throw new RangeError(`udp-pktinfo: datagram ${i} is not in this batch of ${this.count} (read it during onBatch)`);
    }
    return i | 0;
  }

  private checkPort(port: number): void {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new RangeError(`udp-pktinfo: port must be an integer from 1 to 65535, got ${port}`);
    }
  }

  /** Copies data into the send arena and returns its metadata index; flushes first when full. */
  private stage(data: Uint8Array): number {
    if (this.closing) {
      throw Object.assign(new Error('udp-pktinfo: the socket is closed'), { code: 'ERR_SOCKET_CLOSED' });
    }
    if (data.length > MAX_UDP_PAYLOAD) {
      throw new RangeError(`udp-pktinfo: ${data.length} bytes is more than a UDP datagram holds (${MAX_UDP_PAYLOAD})`);
    }
    if (this.staged === this.sendCapacity || this.stagedBytes + data.length > this.sendData.length) this.flush();
    const slot = this.staged * META_WORDS;
    this.sendData.set(data, this.stagedBytes);
    this.sendMeta[slot + SEND_OFFSET] = this.stagedBytes;
    this.sendMeta[slot + SEND_LENGTH] = data.length;
    this.sendMeta[slot + SEND_ERRNO] = 0;
    this.stagedBytes += data.length;
    this.staged++;
    if (!this.inBatch && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    return slot;
  }

  private addressAt(word: number): string {
    if (this.family === 4) return formatIPv4(this.recvMeta[word]!);
    return formatIPv6(this.recvMetaBytes.subarray(word * 4, word * 4 + 16));
  }

  private sendFailure(k: number, errno: number): PktinfoSystemError {
    const m = k * META_WORDS;
    const address =
      this.family === 4
        ? formatIPv4(this.sendMeta[m + SEND_DST]!)
        : formatIPv6(this.sendMetaBytes.subarray((m + SEND_DST) * 4, (m + SEND_DST) * 4 + 16));
    return systemError(errno, 'sendmmsg', address, this.sendMeta[m + SEND_DST_PORT]!);
  }
}
