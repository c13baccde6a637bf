import type { VarBind } from '@snmpkit/ber';
import {
  BatchedUdpSocket,
  type ClientTransport,
  type DatagramSocket,
  DEFAULT_MAX_MESSAGE_SIZE,
  type MessageSource,
  UdpSocket,
} from '@snmpkit/transport';
import { MIN_PASSWORD_LENGTH, passwordToKey } from '@snmpkit/usm';
import { Dispatcher, newSessionStats, type RequestGate, RequestIds, type SessionStats } from './dispatcher.js';
import { GeneralError, generalErrorOf, RequestAbortedError, SnmpError } from './errors.js';
import {
  AGENT_OPTION_NAMES,
  type AgentConfig,
  type AgentSettings,
  agentConfig,
  type SessionOptions,
} from './options.js';
import { basicPdu, checkResponse, NULL } from './pdu.js';
import { openPeerTransport, type ResolvedPeer, resolvePeer } from './peer.js';
import { checkV3User, type V3User } from './v3.js';
import { checkOid, checkOids, describeValue, unknownOptionName } from './validate.js';
import { type TableRows, WalkEngine } from './walk.js';

/** How to talk to one agent: the per-agent options of Session.open. Unset ones come from PollerOptions.defaults. */
export type PollTargetSettings = AgentSettings;

/** One agent to poll: its peer name (`[udp:|udp6:|tcp:|tcp6:]host[:port]`) and its settings. */
export interface PollTarget extends PollTargetSettings {
  peer: string;
  /** Anything of the caller's (a name, a row id), carried to the target's result untouched. */
  tag?: unknown;
}

export interface PollerOptions {
  /** Settings of every target that does not set them itself; what neither sets comes from SESSION_DEFAULTS. */
  defaults?: PollTargetSettings;
  /** Requests in flight at once, all targets together (and targets polled at once). Default 100. */
  maxInFlight?: number;
  /** Requests in flight at once to one target. Default 2: real agents answer a burst slowly or not at all. */
  maxInFlightPerTarget?: number;
  /**
   * Requests per second, all targets together (a token bucket holding a tenth of a second's worth, at least one).
   * Counts each request's first attempt; its retries are not held back. Default: no limit.
   */
  rate?: number;
  /**
   * Opens the shared datagram socket of an address family. Default: a BatchedUdpSocket of @snmpkit/transport (reads
   * and sends in batches, a system call per batch, through @snmpkit/udp-pktinfo) where its addon is built, else a
   * UdpSocket (node:dgram); either bound to any address and port. Tests give in-memory ones.
   */
  openSocket?: (family: 4 | 6) => Promise<DatagramSocket>;
}

/** What to ask every target: GET these OIDs, walk these subtrees, read these tables (by the table's OID). */
export interface PollWork {
  get?: readonly string[];
  walk?: readonly string[];
  table?: readonly string[];
}

export interface PollRunOptions {
  /** Cancels the poll: every target not yet reported is reported once, with RequestAbortedError. */
  signal?: AbortSignal;
}

/** A target that answered everything asked. */
export interface PollSuccess<T extends PollTarget> {
  target: T;
  ok: true;
  /** The GET's varbinds, then each walk's, in the order asked. */
  varbinds: VarBind[];
  /** Each table asked for, by its OID as given. */
  tables: Map<string, TableRows>;
  /** The target's requests, retries, responses and drops. */
  stats: SessionStats;
}

/** A target that failed: the first error of its work (what it got before is dropped). */
export interface PollFailure<T extends PollTarget> {
  target: T;
  ok: false;
  /** The session's typed errors: RequestTimeoutError, ResponseError, GeneralError, RequestAbortedError... */
  error: SnmpError;
  stats: SessionStats;
}

export type PollResult<T extends PollTarget> = PollSuccess<T> | PollFailure<T>;

/** Where a poll stands. */
export interface PollProgress {
  /** Targets in the poll. */
  readonly total: number;
  /** Reported with their results. */
  readonly done: number;
  /** Reported with an error (aborted ones included). */
  readonly failed: number;
  /** Targets being polled now. */
  readonly active: number;
  /** Requests of this poll on the wire now. */
  readonly inFlight: number;
}

/** A poll under way: its results in completion order (`for await`), and its progress. */
export interface PollRun<T extends PollTarget> extends AsyncIterable<PollResult<T>> {
  /** Where the poll stands now (a snapshot). */
  readonly progress: PollProgress;
  /** Cancels what is left (as the signal does). Breaking out of `for await` cancels too. */
  abort(reason?: unknown): void;
}

/** The poller's counters: its targets' (added as each finishes) and its sockets'. */
export interface PollerStats extends SessionStats {
  /** Datagrams from an address and port that no target being polled has (spoofs, replies to finished targets). */
  droppedWrongSource: number;
  /** Errors a shared socket reported (a send that failed): the request concerned then times out. */
  socketErrors: number;
}

const POLLER_DEFAULTS = { maxInFlight: 100, maxInFlightPerTarget: 2 } as const;

const OPTION_NAMES: Record<keyof PollerOptions, true> = {
  defaults: true,
  maxInFlight: true,
  maxInFlightPerTarget: true,
  rate: true,
  openSocket: true,
};

const TARGET_OPTION_NAMES: Record<keyof PollTarget, true> = { ...AGENT_OPTION_NAMES, peer: true, tag: true };

function checkCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `option ${name} must be an integer >= ${min}, got ${describeValue(value)}`,
    });
  }
  return value;
}

/** A request waiting in, or let through, the gates. */
interface Waiter {
  start: () => void;
  state: 'target' | 'poller' | 'started' | 'withdrawn';
  target: TargetGate;
}

/** The poller's own limits: requests in flight in all, and the rate; waiting requests are served first come. */
class PollerGate {
  inFlight = 0;
  private readonly waiting: Waiter[] = [];
  private head = 0;
  private tokens: number;
  private readonly capacity: number;
  private refilledAt = Date.now();
  private refillTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly maxInFlight: number,
    private readonly rate: number | undefined,
  ) {
    this.capacity = rate === undefined ? 0 : Math.max(1, rate / 10);
    this.tokens = this.capacity;
  }

  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  private takeToken(): boolean {
    if (this.rate === undefined) return true;
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.rate) / 1000);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens--;
      return true;
    }
    if (!this.refillTimer) {
      const wait = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.rate));
      this.refillTimer = setTimeout(() => {
        this.refillTimer = undefined;
        this.pump();
      }, wait);
    }
    return false;
  }

  enter(w: Waiter): void {
    w.state = 'poller';
    if (this.waitingCount === 0 && this.inFlight < this.maxInFlight && this.takeToken()) this.start(w);
    else this.waiting.push(w);
  }

  private start(w: Waiter): void {
    this.inFlight++;
    w.state = 'started';
    w.target.started();
    w.start();
  }

  leave(): void {
    this.inFlight--;
    this.pump();
  }

  /** A withdrawn waiter stays in the queue, marked, and is skipped (no search through the queue). */
  withdrawn(): void {
    this.compact();
  }

  pump(): void {
    while (this.head < this.waiting.length && this.inFlight < this.maxInFlight) {
      const w = this.waiting[this.head]!;
      if (w.state === 'withdrawn') {
        this.head++;
        continue;
      }
      if (!this.takeToken()) break;
      this.head++;
      this.start(w);
    }
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }

  close(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
  }
}

/** One target's limit of requests in flight, in front of the poller's gate. */
class TargetGate implements RequestGate {
  /** Requests past this gate: waiting in the poller's gate or started. */
  private passed = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly limit: number,
    private readonly poller: PollerGate,
    private readonly run: RunCounters,
  ) {}

  enter(start: () => void): () => void {
    const w: Waiter = { start, state: 'target', target: this };
    if (this.passed < this.limit) {
      this.passed++;
      this.poller.enter(w);
    } else {
      this.queue.push(w);
    }
    return () => this.withdraw(w);
  }

  started(): void {
    this.run.inFlight++;
  }

  leave(): void {
    this.run.inFlight--;
    this.passed--;
    this.poller.leave();
    this.pump();
  }

  private withdraw(w: Waiter): void {
    const state = w.state;
    w.state = 'withdrawn';
    if (state === 'target') {
      this.queue.splice(this.queue.indexOf(w), 1);
    } else if (state === 'poller') {
      this.passed--;
      this.poller.withdrawn();
      this.pump();
    }
  }

  private pump(): void {
    while (this.passed < this.limit && this.queue.length > 0) {
      this.passed++;
      this.poller.enter(this.queue.shift()!);
    }
  }
}

interface RunCounters {
  inFlight: number;
  /** Closes each target in progress (its dispatcher): what an abort does. */
  closers: Set<() => void>;
}

type Receive = (message: Uint8Array, source: MessageSource) => void;

/**
 * The targets a shared socket serves, by source address, then port (one target per source on each socket): looked
 * up for every datagram, without making an `address:port` string for it.
 */
class Receivers {
  private readonly byAddress = new Map<string, Map<number, Receive>>();

  get(address: string, port: number): Receive | undefined {
    return this.byAddress.get(address)?.get(port);
  }

  has(address: string, port: number): boolean {
    return this.byAddress.get(address)?.has(port) ?? false;
  }

  set(address: string, port: number, receive: Receive): void {
    let byPort = this.byAddress.get(address);
    if (!byPort) {
      byPort = new Map();
      this.byAddress.set(address, byPort);
    }
    byPort.set(port, receive);
  }

  delete(address: string, port: number): void {
    const byPort = this.byAddress.get(address);
    if (!byPort?.delete(port)) return;
    if (byPort.size === 0) this.byAddress.delete(address);
  }
}

/** A shared socket and the targets it serves. */
interface Lane {
  socket: DatagramSocket;
  receivers: Receivers;
}

function emptyStats(): PollerStats {
  return { ...newSessionStats(), socketErrors: 0 };
}

const STAT_KEYS = Object.keys(emptyStats()).filter((k) => k !== 'socketErrors') as (keyof SessionStats)[];

/**
 * Polls many agents from one process over a few sockets: one UDP socket per address family (another only while
 * two targets being polled share an address and port), replies dispatched by source address and port, then by
 * request-id (v3: msgID) in each target's dispatcher; request-ids unique across all targets; TCP targets on their
 * own connections. Each target is polled with the session's own machinery (dispatcher, retries, v3 discovery and
 * time sync, the walk engine with its GETBULK fallback), with limits on requests in flight per target and in all,
 * and an optional rate.
 */
export class Poller {
  /** The counters of the targets polled so far (each added when it is reported) and of the sockets. */
  readonly stats: PollerStats = emptyStats();
  private readonly defaults: PollTargetSettings;
  private readonly perTarget: number;
  private readonly maxInFlight: number;
  private readonly gate: PollerGate;
  private readonly ids = new RequestIds();
  private readonly openSocket: (family: 4 | 6) => Promise<DatagramSocket>;
  private readonly lanes = new Map<4 | 6, Promise<Lane>[]>();
  /** The lanes of `lanes` that are open, by their promise: looked up without waiting (sharedTransport). */
  private readonly openedLanes = new WeakMap<Promise<Lane>, Lane>();
  /** The defaults' configuration, for targets that set nothing (defaultsConfig); null: not shareable. */
  private sharedConfig: AgentConfig | null | undefined;
  private tcpConnections = 0;
  private readonly masterKeys = new WeakMap<object, V3User>();
  private closed = false;

  constructor(options: PollerOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new GeneralError('SNMPERR_GENERR', {
        detail: `Poller takes an options object, got ${describeValue(options)}`,
      });
    }
    const unknown = unknownOptionName(options, OPTION_NAMES);
    if (unknown !== undefined) throw new GeneralError('SNMPERR_GENERR', { detail: unknown });
    this.defaults = options.defaults ?? {};
    const unknownDefault = unknownOptionName(this.defaults, TARGET_OPTION_NAMES);
    if (unknownDefault !== undefined || 'peer' in this.defaults || 'tag' in this.defaults) {
      throw new GeneralError('SNMPERR_GENERR', {
        detail: `defaults: ${unknownDefault ?? 'peer and tag are per target'}`,
      });
    }
    // The defaults alone must make a valid configuration (a v3 one needs a user; community ones always do).
    if (this.defaults.version === undefined || String(this.defaults.version) !== '3') agentConfig(this.defaults);
    this.maxInFlight = checkCount('maxInFlight', options.maxInFlight ?? POLLER_DEFAULTS.maxInFlight, 1);
    this.perTarget = checkCount(
      'maxInFlightPerTarget',
      options.maxInFlightPerTarget ?? POLLER_DEFAULTS.maxInFlightPerTarget,
      1,
    );
    let rate: number | undefined;
    if (options.rate !== undefined) {
      if (typeof options.rate !== 'number' || !(options.rate > 0) || !Number.isFinite(options.rate)) {
        throw new GeneralError('SNMPERR_GENERR', {
          detail: `option rate must be a number of requests per second > 0, got ${describeValue(options.rate)}`,
        });
      }
      rate = options.rate;
    }
    this.gate = new PollerGate(this.maxInFlight, rate);
    this.openSocket =
      options.openSocket ??
      ((family) =>
        BatchedUdpSocket.unavailable() === undefined ? BatchedUdpSocket.open(family) : UdpSocket.open(family));
  }

  /**
   * A v3 user with its passwords turned into master keys (RFC 3414 A.2: a million bytes hashed per password, some
   * milliseconds each), once per user object: the targets that share a user share the work, and each only localizes
   * the keys to its engine. A user whose passwords the key store would refuse is left as it is, for the target's
   * configuration check to say what is wrong.
   */
  private withMasterKeys(user: V3User): V3User {
    if (user === null || typeof user !== 'object') return user;
    const known = this.masterKeys.get(user);
    if (known) return known;
    let keyed: V3User = user;
    try {
      const { authPassword, privPassword, ...checked } = checkV3User(user);
      const usable = (password: unknown): password is string =>
        typeof password === 'string' && Buffer.byteLength(password, 'utf8') >= MIN_PASSWORD_LENGTH;
      const { level, authProtocol } = checked;
      if (level !== 'noAuthNoPriv' && authProtocol && checked.authKey === undefined && usable(authPassword)) {
        const authKey = passwordToKey(authProtocol, authPassword);
        keyed = { ...checked, authKey: { type: 'master', key: authKey } };
        if (level === 'authPriv' && checked.privKey === undefined) {
          if (!usable(privPassword)) keyed = user;
          else {
            const privKey = privPassword === authPassword ? authKey : passwordToKey(authProtocol, privPassword);
            keyed.privKey = { type: 'master', key: privKey };
          }
        }
      }
    } catch {
      keyed = user;
    }
    this.masterKeys.set(user, keyed);
    return keyed;
  }

  /** Sockets open now: the shared UDP sockets and the TCP connections of targets being polled. */
  get sockets(): number {
    let udp = 0;
    for (const lanes of this.lanes.values()) udp += lanes.length;
    return udp + this.tcpConnections;
  }

  /** Requests in flight now, all polls together. */
  get inFlight(): number {
    return this.gate.inFlight;
  }

  /**
   * Polls every target for `work`; results come in completion order, one per target. Throws GeneralError at once
   * when the work is malformed (a bad OID, nothing to do); a target's own problems (a bad peer name, a v3 user
   * without a name) are its result's error.
   */
  poll<T extends PollTarget>(targets: Iterable<T>, work: PollWork, options: PollRunOptions = {}): PollRun<T> {
    if (this.closed) throw new GeneralError('SNMPERR_BAD_SESSION', { detail: 'the poller is closed' });
    const checked = checkWork(work);
    const list = Array.from(targets);
    const controller = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    const counters: RunCounters = { inFlight: 0, closers: new Set() };
    const results: PollResult<T>[] = [];
    let wake: (() => void) | undefined;
    let next = 0;
    let active = 0;
    let reported = 0;
    let failed = 0;

    const report = (result: PollResult<T>) => {
      reported++;
      if (!result.ok) failed++;
      for (const key of STAT_KEYS) this.stats[key] += result.stats[key];
      results.push(result);
      wake?.();
    };
    const startMore = () => {
      while (active < this.maxInFlight && next < list.length && !signal.aborted) {
        const target = list[next++]!;
        active++;
        void this.pollTarget(target, checked, signal, counters).then((result) => {
          active--;
          report(result);
          startMore();
        });
      }
      if (signal.aborted) {
        // Not started: reported at once, as aborted.
        while (next < list.length) {
          const target = list[next++]!;
          report({ target, ok: false, error: new RequestAbortedError(signal.reason), stats: emptyStats() });
        }
      }
    };
    // One listener for the whole run (not one per request): an abort closes the targets in progress, which fails
    // their requests at once, and reports the targets not started.
    signal.addEventListener(
      'abort',
      () => {
        for (const close of [...counters.closers]) close();
        startMore();
      },
      { once: true },
    );
    startMore();

    let taken = 0;
    const iterator: AsyncIterator<PollResult<T>> = {
      next: async () => {
        while (taken === results.length && taken < list.length) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        if (taken === list.length) return { done: true, value: undefined };
        const value = results[taken]!;
        results[taken++] = undefined as unknown as PollResult<T>; // let the consumer's copy be the only one
        return { done: false, value };
      },
      return: async () => {
        controller.abort(new Error('the poll was stopped'));
        return { done: true, value: undefined };
      },
    };
    return {
      get progress(): PollProgress {
        return { total: list.length, done: reported - failed, failed, active, inFlight: counters.inFlight };
      },
      abort: (reason?: unknown) => controller.abort(reason),
      [Symbol.asyncIterator]: () => iterator,
    };
  }

  /** Polls one target; never throws: its problems are its result. */
  private async pollTarget<T extends PollTarget>(
    target: T,
    work: CheckedWork,
    signal: AbortSignal,
    counters: RunCounters,
  ): Promise<PollResult<T>> {
    let dispatcher: Dispatcher | undefined;
    const closeTarget = () => dispatcher?.close();
    try {
      if (target === null || typeof target !== 'object') {
        throw new GeneralError('SNMPERR_BAD_ADDRESS', {
          detail: `a target is { peer, ... }, got ${describeValue(target)}`,
        });
      }
      const bare = isBare(target);
      if (!bare) {
        const unknown = unknownOptionName(target, TARGET_OPTION_NAMES);
        if (unknown !== undefined) throw new GeneralError('SNMPERR_GENERR', { detail: unknown });
      }
      if (typeof target.peer !== 'string') {
        throw new GeneralError('SNMPERR_BAD_ADDRESS', {
          detail: `a target's peer must be a peer name such as 'udp:192.0.2.1:161', got ${describeValue(target.peer)}`,
        });
      }
      const config = (bare && this.defaultsConfig()) || this.targetConfig(target);
      const peer = await resolvePeer(target.peer, config.defaultPort, 1);
      if (signal.aborted) throw new RequestAbortedError(signal.reason);
      const transport = this.sharedTransport(peer) ?? (await this.transportFor(peer, config.maxMessageSize));
      dispatcher = new Dispatcher(
        transport,
        config.model,
        config.timing,
        { address: peer.address, port: peer.port },
        target.peer,
        config.maxMessageSize,
        { ids: this.ids, gate: new TargetGate(this.perTarget, this.gate, counters) },
      );
      const requests = dispatcher;
      counters.closers.add(closeTarget);
      if (signal.aborted) throw new RequestAbortedError(signal.reason);
      if (config.model.prepare) await config.model.prepare((pdu) => requests.request(pdu));
      const walker = new WalkEngine(requests, config.wireVersion, config.maxRepetitions, config.useGetBulk);
      const get = async (): Promise<VarBind[]> => {
        if (work.get.length === 0) return [];
        const pdu = basicPdu(
          'GetRequest',
          work.get.map((oid) => ({ oid, value: NULL })),
        );
        return checkResponse(await requests.request(pdu), pdu);
      };
      const [got, walks, tables] = await Promise.all([
        get(),
        Promise.all(work.walk.map((root) => walker.all(root))),
        Promise.all(work.table.map((table) => walker.table(table))),
      ]);
      const varbinds = walks.length === 0 ? got : got.concat(...walks);
      const byTable = new Map(work.table.map((oid, i) => [oid, tables[i]!]));
      return { target, ok: true, varbinds, tables: byTable, stats: { ...dispatcher.stats } };
    } catch (error) {
      const stats = dispatcher ? { ...dispatcher.stats } : emptyStats();
      return { target, ok: false, error: snmpErrorOf(error, signal), stats };
    } finally {
      counters.closers.delete(closeTarget);
      dispatcher?.close();
    }
  }

  /** The configuration of a target from its settings over the defaults. Throws GeneralError. */
  private targetConfig(target: PollTarget): AgentConfig {
    const options = withDefaults(target, this.defaults);
    if (options.user !== undefined) options.user = this.withMasterKeys(options.user);
    return agentConfig(options);
  }

  /**
   * The configuration of a target that sets nothing of its own, made once: the defaults'. Only for v1 and v2c,
   * whose message processing keeps nothing between messages and so serves every such target; undefined for v3
   * (each target has its own engine and keys) or defaults that do not make a configuration alone (each target
   * then says what is wrong, as targetConfig does).
   */
  private defaultsConfig(): AgentConfig | undefined {
    if (this.sharedConfig === undefined) {
      this.sharedConfig = null;
      if (String(this.defaults.version) === '3') return undefined;
      try {
        const config = agentConfig({ ...this.defaults });
        if (config.wireVersion !== 3) this.sharedConfig = config;
      } catch {
        // targetConfig throws the same error for each target.
      }
    }
    return this.sharedConfig ?? undefined;
  }

  /**
   * A view of a shared UDP socket for `peer` when one is open and free for its source, without waiting: what
   * transportFor gives in that case, a promise and a turn of the event loop sooner. Undefined otherwise (TCP, a
   * socket still opening, none free).
   */
  private sharedTransport(peer: ResolvedPeer): ClientTransport | undefined {
    if (peer.transport !== 'udp' && peer.transport !== 'udp6') return undefined;
    for (const pending of this.lanes.get(peer.transport === 'udp6' ? 6 : 4) ?? []) {
      const lane = this.openedLanes.get(pending);
      if (!lane) return undefined;
      if (!lane.receivers.has(peer.address, peer.port)) return this.laneTransport(lane, peer);
    }
    return undefined;
  }

  /** The target's transport: a view of a shared UDP socket, or its own TCP connection. */
  private async transportFor(peer: ResolvedPeer, maxMessageSize: number): Promise<ClientTransport> {
    if (peer.transport === 'tcp' || peer.transport === 'tcp6') {
      const tcp = await openPeerTransport(peer, { maxMessageSize: Math.max(maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE) });
      this.tcpConnections++;
      let open = true;
      return {
        send: (message, onSendError) => tcp.send(message, onSendError),
        onMessage: (listener) => tcp.onMessage(listener),
        onError: (listener) => tcp.onError(listener),
        close: () => {
          if (open) this.tcpConnections--;
          open = false;
          tcp.close();
        },
      };
    }
    const family = peer.transport === 'udp6' ? 6 : 4;
    let lanes = this.lanes.get(family);
    if (!lanes) {
      lanes = [];
      this.lanes.set(family, lanes);
    }
    // The first socket of the family where no other target being polled has this source.
    let lane: Lane | undefined;
    for (const pending of lanes) {
      const candidate = await pending;
      if (!candidate.receivers.has(peer.address, peer.port)) {
        lane = candidate;
        break;
      }
    }
    if (!lane) {
      const opening = this.openLane(family);
      lanes.push(opening);
      try {
        lane = await opening;
      } catch (error) {
        lanes.splice(lanes.indexOf(opening), 1);
        throw error;
      }
      // Another target may have taken this source on the new socket while it opened: look again.
      if (lane.receivers.has(peer.address, peer.port)) return this.transportFor(peer, maxMessageSize);
    }
    return this.laneTransport(lane, peer);
  }

  /** A view of a shared socket for one peer: it sends to the peer, and receives what comes from the peer's source. */
  private laneTransport(lane: Lane, peer: ResolvedPeer): ClientTransport {
    const { receivers, socket } = lane;
    const { address, port } = peer;
    let listener: Receive | undefined;
    receivers.set(address, port, (message, source) => listener?.(message, source));
    return {
      send: (message) => socket.send(message, port, address),
      onMessage: (l) => {
        listener = l;
      },
      close: () => {
        listener = undefined;
        receivers.delete(address, port);
      },
    };
  }

  private openLane(family: 4 | 6): Promise<Lane> {
    const opening = this.openLaneNow(family);
    opening.then(
      (lane) => this.openedLanes.set(opening, lane),
      () => {},
    );
    return opening;
  }

  private async openLaneNow(family: 4 | 6): Promise<Lane> {
    if (this.closed) throw new GeneralError('SNMPERR_BAD_SESSION', { detail: 'the poller is closed' });
    let socket: DatagramSocket;
    try {
      socket = await this.openSocket(family);
    } catch (error) {
      throw generalErrorOf(error);
    }
    const receivers = new Receivers();
    socket.onMessage((message, source) => {
      const receive = receivers.get(source.address, source.port);
      if (receive) receive(message, source);
      else this.stats.droppedWrongSource++;
    });
    socket.onError?.(() => {
      this.stats.socketErrors++;
    });
    return { socket, receivers };
  }

  /**
   * Closes the shared sockets. Polls still running fail what they have in flight (their targets are reported with
   * the error); start no new poll after this.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.gate.close();
    const all = [...this.lanes.values()].flat();
    this.lanes.clear();
    for (const settled of await Promise.allSettled(all)) {
      if (settled.status === 'fulfilled') settled.value.socket.close();
    }
  }
}

/** True when a target sets nothing but its peer and tag (nothing inherited either): its settings are the defaults. */
function isBare(target: PollTarget): boolean {
  for (const key in target) if (key !== 'peer' && key !== 'tag') return false;
  return true;
}

/** The target's settings over the poller's defaults; a setting given as undefined is not given. */
function withDefaults(target: PollTarget, defaults: PollTargetSettings): SessionOptions {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(target)) {
    if (value !== undefined && key !== 'tag') merged[key] = value;
  }
  return merged as SessionOptions;
}

interface CheckedWork {
  get: string[];
  walk: string[];
  table: string[];
}

function checkWork(work: PollWork): CheckedWork {
  if (work === null || typeof work !== 'object') {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `poll takes the work as { get, walk, table }, got ${describeValue(work)}`,
    });
  }
  const unknown = unknownOptionName(work, { get: true, walk: true, table: true });
  if (unknown !== undefined) throw new GeneralError('SNMPERR_GENERR', { detail: unknown });
  const list = (name: 'get' | 'walk' | 'table') => {
    const given = work[name];
    if (given === undefined || (Array.isArray(given) && given.length === 0)) return [];
    if (name !== 'walk') return checkOids(given, `poll ${name}`);
    // A walk may start at a root of one arc (".1": the whole tree), as Session.walk's may.
    if (!Array.isArray(given)) return checkOids(given, 'poll walk');
    return given.map((root: unknown) => (typeof root === 'string' && /^\.?[012]$/.test(root) ? root : checkOid(root)));
  };
  const checked = { get: list('get'), walk: list('walk'), table: list('table') };
  if (checked.get.length + checked.walk.length + checked.table.length === 0) {
    throw new GeneralError('SNMPERR_NO_VARS', { detail: 'give poll something to do: get, walk or table OIDs' });
  }
  return checked;
}

/** A target's failure as the session's typed error; the poll's abort wins over what it caused (a closed session). */
function snmpErrorOf(error: unknown, signal: AbortSignal): SnmpError {
  if (error instanceof RequestAbortedError) return error;
  if (signal.aborted) return new RequestAbortedError(signal.reason);
  const known = generalErrorOf(error);
  if (known instanceof SnmpError) return known;
  return new GeneralError('SNMPERR_GENERR', { detail: String(error), cause: error });
}
