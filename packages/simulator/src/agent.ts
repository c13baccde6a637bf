import {
  BerError,
  bytesToHex,
  communityResponseSize,
  decodeMessageWithOffsets,
  encodeCommunityResponse,
  MAX_UDP_MESSAGE_SIZE,
  MIN_MESSAGE_SIZE,
  MsgFlags,
  type Pdu,
  type PduType,
  type SnmpMessage,
  type V3Message,
} from '@snmpkit/ber';
import type { ClientTransport, Listener, TransportKind } from '@snmpkit/transport';
import {
  engineIdFrom,
  levelCovers,
  randomEngineId,
  UsmAuthoritativeEngine,
  UsmKeyStore,
  type UsmReceived,
  type UsmReportReason,
  type UsmUserInfo,
  type UsmUserInput,
} from '@snmpkit/usm';
import { type Clock, SystemClock, type TimerHandle } from './clock.js';
import type { Device, RequestContext } from './device.js';
import { AgentConfigError } from './errors.js';
import { emptyFaultStats, FaultInjector, type FaultSpec, type FaultStats, parseFaultSpec } from './faults.js';
import { type GetbulkLimits, type ProcessResult, processPdu } from './processor.js';
import { SeededRandom } from './random.js';
import { ErrorStatus } from './status.js';
import { type AgentListenOptions, type ConnectOptions, connect, listen } from './transports.js';
import { intersectViews, type MibView, type OidView } from './views.js';

export type Access = 'ro' | 'rw';

/**
 * The MIB views (VACM) a community, user or context reads and writes through: a name among AgentOptions.views, or a
 * view. Absent: the whole MIB. A writeView left out is the readView (as snmpd's `rwcommunity NAME SOURCE -V VIEW`).
 */
export interface ViewAccess {
  readView?: string | OidView;
  writeView?: string | OidView;
}

export interface CommunityConfig extends ViewAccess {
  name: string;
  /** Default 'ro'. */
  access?: Access;
  /** The device it reaches (a key of `devices`); default: the agent's only device. */
  device?: string;
}

/**
 * A v3 user (what @snmpkit/usm takes: level and protocols in its names or Net-SNMP's, `sha256` or `SHA-256`) with
 * its access; requests below `level` get authorizationError.
 */
export interface AgentUser extends UsmUserInput, ViewAccess {
  /** Default 'ro'. */
  access?: Access;
}

/** A user as the agent keeps it: the level in @snmpkit/usm's names, as the key store read it. */
interface AcceptedUser extends UsmUserInfo {
  access: Access;
  /** The views as given (names are resolved by each agent, against its own views). */
  views: ViewAccess;
}

/**
 * v3 users made ready once (their master keys: a 1 MB hash per password) to be shared by many agents: a lab's
 * thousands of devices, each its own engine, localize the same users' keys to their own engine IDs on first use.
 */
export class AgentUsers {
  /** The users' keys. */
  readonly store = new UsmKeyStore();
  readonly #accepted = new Map<string, AcceptedUser>();

  constructor(users: Iterable<AgentUser> = []) {
    for (const user of users) {
      // addUser checks the user and reads Net-SNMP's spellings (`SHA`, `authpriv`) into usm's names, so that the
      // level compared on each request is a canonical one whatever the caller wrote.
      const info = this.store.addUser(user);
      const views: ViewAccess = {};
      if (user.readView !== undefined) views.readView = user.readView;
      if (user.writeView !== undefined) views.writeView = user.writeView;
      this.#accepted.set(info.name, { ...info, access: user.access ?? 'ro', views });
    }
  }

  /** A user's description, access and views, without secrets. */
  get(name: string): (UsmUserInfo & { access: Access; views: ViewAccess }) | undefined {
    return this.#accepted.get(name);
  }

  /** Every user (description, access and views), without secrets. */
  list(): (UsmUserInfo & { access: Access; views: ViewAccess })[] {
    return [...this.#accepted.values()];
  }

  get size(): number {
    return this.#accepted.size;
  }
}

export interface AgentOptions {
  /** One device, served to every community and user (context ""). */
  device?: Device;
  /** Several devices by name: each name is a community (read-only unless configured) and a v3 context. */
  devices?: Record<string, Device> | Map<string, Device>;
  /**
   * Communities. Default with `device`: public (ro) and private (rw); with `devices`: each device's name, ro.
   * A community that is not listed is dropped silently and counted (snmpInBadCommunityNames).
   */
  communities?: (string | CommunityConfig)[];
  /** v3 users: a list, or AgentUsers shared with other agents (their master keys are computed once). */
  users?: AgentUser[] | AgentUsers;
  /** Named MIB views (parseViews reads snmpd's `view` lines into them), for the readView/writeView names. */
  views?: Map<string, MibView> | Record<string, MibView>;
  /**
   * Views by context: a v3 context name, or the device name a community reaches ("" for the single `device`). A
   * request through a community or user whose own view is also set sees what is in both.
   */
  contextViews?: Record<string, ViewAccess>;
  /**
   * snmpEngineID (bytes or hex). Default: a fresh random one per agent (@snmpkit/usm's randomEngineId, 80001f8805 and
   * 8 random bytes), so that no two agents share an engine ID and a message captured from one never replays against
   * another. startSimulator's `stateDir` keeps one across restarts.
   */
  engineId?: Uint8Array | string;
  /** snmpEngineBoots at start. Default 1 (startSimulator's `stateDir` counts starts). */
  engineBoots?: number;
  /** Called with the new snmpEngineBoots whenever it changes while running (a restart, a boots jump). */
  onEngineBoots?: (boots: number) => void;
  /**
   * snmpd's maxGetbulkRepeats: a GETBULK's max-repetitions is cut to this. 0 or less: no cap of its own (snmpd's
   * default, -1). Default 0.
   */
  maxGetbulkRepeats?: number;
  /**
   * snmpd's maxGetbulkResponses: a GETBULK answers at most this many repeated varbinds, as snmpd computes it
   * (repetitions = floor(this / repeaters); the non-repeaters come on top). 0 or less: no cap. Default 100, as
   * snmpd's, so that a 36-byte request with max-repetitions 2^31-1 draws about 2.4 KB rather than a 64 KB answer.
   */
  maxGetbulkResponses?: number;
  clock?: Clock;
  /** Seed of the generator that variations (deviation, jitter) use. Default 1. */
  seed?: number;
  faults?: FaultSpec | string;
  /**
   * The largest message the agent sends. v1/v2c requests carry no maximum, so this is it (snmpd's UDP maximum by
   * default, 65507); a v3 request's msgMaxSize lowers it. 484 is the least an SNMP agent may use.
   */
  maxMessageSize?: number;
}

/** A request that failed authentication: an unknown community, or a v3 message with a wrong digest. */
export interface AuthenticationFailure {
  version: 0 | 1 | 3;
  /** The community (v1/v2c) or user name (v3) the request carried. */
  name: string;
  source: { address: string; port: number };
}

/** Where a message came from and how to answer it. */
export interface ReplyChannel {
  /** Identifies the peer (responses held back by a reorder fault wait for the same key). */
  readonly key: string;
  readonly source: { address: string; port: number };
  /**
   * snmpsim's transport ID of the endpoint the message arrived on (`1.3.6.1.6.1.1.0` for the first UDP listener):
   * with the source address it selects a data file (see selectionCandidates). Listeners opened by `listen` set it.
   */
  readonly transportId?: string;
  send(bytes: Uint8Array): void;
}

/** snmpsim's transport domains, by our transport names (TCP, which snmpsim lacks, by RFC 3419's domains). */
const TRANSPORT_DOMAINS: Readonly<Record<TransportKind, string>> = {
  udp: '1.3.6.1.6.1.1',
  udp6: '1.3.6.1.2.1.100.1.2',
  tcp: '1.3.6.1.2.1.100.1.5',
  tcp6: '1.3.6.1.2.1.100.1.6',
};

/**
 * The names snmpsim tries, in order, for a community (or v3 context) arriving on `transportId` from `address`:
 * `NAME/TRANSPORT-ID/ADDRESS`, `NAME/TRANSPORT-ID`, `NAME` (empty parts left out; an IPv6 address with `_` for `:`),
 * so that `public/1.3.6.1.6.1.1.0/127.0.0.1.snmprec` answers community `public` from 127.0.0.1 on the first UDP
 * endpoint, `public/1.3.6.1.6.1.1.0.snmprec` anyone there, and an empty community or context finds
 * `1.3.6.1.6.1.1.0/127.0.0.1.snmprec`.
 */
export function selectionCandidates(name: string, transportId: string | undefined, address: string): string[] {
  const parts = [name, transportId ?? '', transportId ? address.replace(/:/g, '_') : ''].filter((p) => p !== '');
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) out.push(parts.slice(0, n).join('/'));
  return out;
}

export interface AgentStats {
  /** Messages received (all, well-formed or not). */
  received: number;
  /** Responses sent (duplicates counted once; reports apart). */
  answered: number;
  /** Report PDUs sent (v3). */
  reports: number;
  /** Requests by PDU type, as decoded. */
  requests: Partial<Record<PduType, number>>;
  /** snmpInASNParseErrs: messages that did not decode. */
  parseErrors: number;
  /** Messages that came with bytes after their end: the bytes are ignored, as Net-SNMP ignores them. */
  trailingBytes: number;
  /** snmpInBadVersions. */
  badVersions: number;
  /** snmpInBadCommunityNames: unknown communities, dropped. */
  badCommunityNames: number;
  /** snmpInBadCommunityUses: SETs through a read-only community (answered noAccess). */
  badCommunityUses: number;
  /** snmpSilentDrops: responses that would not fit even as tooBig. */
  silentDrops: number;
  /** PDUs an agent does not answer (responses, traps, GetBulk in v1). */
  unsupportedPdus: number;
  /** snmpInvalidMsgs: v3 messages with impossible flags. */
  invalidMsgs: number;
  /** snmpUnknownContexts. */
  unknownContexts: number;
  /** Messages ignored while the agent was not answering (stopAnswering: a scenario's outage). */
  unanswered: number;
  /** The usmStats counters (RFC 3414). */
  usm: Record<UsmReportReason, number>;
  faults: FaultStats;
}

function emptyStats(): AgentStats {
  return {
    received: 0,
    answered: 0,
    reports: 0,
    requests: {},
    parseErrors: 0,
    trailingBytes: 0,
    badVersions: 0,
    badCommunityNames: 0,
    badCommunityUses: 0,
    silentDrops: 0,
    unsupportedPdus: 0,
    invalidMsgs: 0,
    unknownContexts: 0,
    unanswered: 0,
    usm: {
      unsupportedSecLevel: 0,
      notInTimeWindow: 0,
      unknownUserName: 0,
      unknownEngineID: 0,
      wrongDigests: 0,
      decryptionErrors: 0,
    },
    faults: emptyFaultStats(),
  };
}

/** snmpd's default maxGetbulkResponses. */
export const DEFAULT_MAX_GETBULK_RESPONSES = 100;

/** A GETBULK cap from the options: an integer, where 0 or less means none (as snmpd's -1). */
function cap(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value))
    throw new AgentConfigError(`${name} must be an integer (0 or less: no cap), got ${value}`);
  return Math.max(value, 0);
}
const SNMP_UNKNOWN_CONTEXTS = '1.3.6.1.6.3.12.1.5.0';
/** Room a v3 response may need beyond the estimate: longer length fields and DES padding. */
const V3_SLACK = 24;
/**
 * How much longer a v3 response's header can be than its request's: error-index (+2), five enclosing lengths
 * growing to 3 bytes (+10), the agent's boots and time where the request had smaller ones (+8), msgMaxSize (+2) and
 * DES padding (+7), rounded up.
 */
const RESPONSE_GROWTH = 48;

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

interface CommunityBinding {
  device: Device;
  access: Access;
  bytes: Uint8Array;
  /** The community's views with its device's context views. */
  views: ResolvedViews;
}

interface ResolvedViews {
  read: OidView | undefined;
  write: OidView | undefined;
}

/**
 * An SNMP agent from device data: v1/v2c communities and v3 users, requests processed per RFC 3416 and RFC 3584,
 * faults injected on the way out, time from an injectable clock. Transports (UDP, TCP, in-memory) hand it bytes
 * through `receive`; `listen` and `connect` build them.
 */
export class Agent {
  readonly clock: Clock;
  readonly engineId: Uint8Array;
  readonly maxMessageSize: number;
  /** The GETBULK caps in force (snmpd's maxGetbulkRepeats and maxGetbulkResponses; 0: none). */
  readonly getbulkLimits: GetbulkLimits;
  readonly #onEngineBoots: ((boots: number) => void) | undefined;
  #stats: AgentStats = emptyStats();
  readonly #communities = new Map<string, CommunityBinding>();
  readonly #contexts = new Map<string, Device>();
  /**
   * Whether a name in the map has a `/`: only then can snmpsim's longer candidates (`NAME/TRANSPORT-ID[/ADDRESS]`)
   * find anything, so an agent without such names looks up the bare name alone on every request.
   */
  readonly #nestedCommunities: boolean;
  readonly #nestedContexts: boolean;
  readonly #users: AgentUsers;
  readonly #userViews = new Map<string, ResolvedViews>();
  readonly #deviceViews = new Map<Device, ResolvedViews>();
  /** USM's authoritative engine: engine ID, boots and time, users, usmStats, Reports. */
  readonly #usm: UsmAuthoritativeEngine;
  #startedAt: number;
  /** Unix time (ms) at the clock's zero: what a variation that follows the calendar reads. */
  readonly #unixTimeOrigin: number;
  readonly #random: SeededRandom;
  #faults: FaultInjector;
  #requestCount = 0;
  readonly #held = new Map<string, { messages: Uint8Array[]; channel: ReplyChannel; timer: TimerHandle }>();
  readonly #timers = new Set<TimerHandle>();
  readonly #closers = new Set<() => Promise<void>>();
  /** Listeners opened so far, by transport: the number in each one's transport ID. */
  readonly #listenerCount = new Map<string, number>();
  /** Messages on their way through in-memory transports, either way (what settled() waits for). */
  #inFlight = 0;
  readonly #authFailureListeners = new Set<(failure: AuthenticationFailure) => void>();
  /** The agent's clock time until which messages are ignored (stopAnswering). */
  #silentUntil = Number.NEGATIVE_INFINITY;
  /** Added to every response's delay (setResponseDelay). */
  #responseDelayMs = 0;

  constructor(options: AgentOptions) {
    this.clock = options.clock ?? new SystemClock();
    this.maxMessageSize = options.maxMessageSize ?? MAX_UDP_MESSAGE_SIZE;
    if (!(this.maxMessageSize >= MIN_MESSAGE_SIZE)) {
      throw new AgentConfigError(`maxMessageSize must be at least ${MIN_MESSAGE_SIZE}`);
    }
    this.getbulkLimits = {
      maxRepeats: cap('maxGetbulkRepeats', options.maxGetbulkRepeats, 0),
      maxResponses: cap('maxGetbulkResponses', options.maxGetbulkResponses, DEFAULT_MAX_GETBULK_RESPONSES),
    };
    this.#onEngineBoots = options.onEngineBoots;
    this.engineId =
      options.engineId === undefined ? randomEngineId() : engineIdFrom(options.engineId, 'engineId', true);
    this.#random = new SeededRandom(options.seed ?? 1);
    this.#startedAt = this.clock.now();
    this.#unixTimeOrigin = Date.now() - this.clock.now();
    const namedViews = options.views instanceof Map ? options.views : new Map(Object.entries(options.views ?? {}));
    const resolveViews = (what: string, access: ViewAccess): ResolvedViews => {
      const one = (view: string | OidView | undefined): OidView | undefined => {
        if (view === undefined || typeof view !== 'string') return view;
        const found = namedViews.get(view);
        if (!found) throw new AgentConfigError(`${what}: no view named "${view}" (views: ${[...namedViews.keys()]})`);
        return found;
      };
      const read = one(access.readView);
      return { read, write: access.writeView === undefined ? read : one(access.writeView) };
    };
    this.#users = options.users instanceof AgentUsers ? options.users : new AgentUsers(options.users);
    for (const user of this.#users.list()) {
      this.#userViews.set(user.name, resolveViews(`user "${user.name}"`, user.views));
    }
    this.#usm = new UsmAuthoritativeEngine({
      engineId: this.engineId,
      boots: options.engineBoots ?? 1,
      now: () => this.clock.now(),
      users: this.#users.store,
      msgMaxSize: this.maxMessageSize,
    });
    this.#faults = new FaultInjector(
      typeof options.faults === 'string' ? parseFaultSpec(options.faults) : (options.faults ?? {}),
    );
    this.#stats.faults = this.#faults.stats;

    const named = options.devices instanceof Map ? options.devices : new Map(Object.entries(options.devices ?? {}));
    if (options.device && named.size > 0) throw new AgentConfigError('give either device or devices, not both');
    if (!options.device && named.size === 0) throw new AgentConfigError('an agent needs a device (or devices)');
    if (options.device) this.#contexts.set('', options.device);
    for (const [name, device] of named) this.#contexts.set(name, device);
    for (const [name, access] of Object.entries(options.contextViews ?? {})) {
      const device = this.#contexts.get(name);
      if (!device) throw new AgentConfigError(`contextViews: no context "${name}" (${[...this.#contexts.keys()]})`);
      this.#deviceViews.set(device, resolveViews(`context "${name}"`, access));
    }

    const communities: CommunityConfig[] = (
      options.communities ??
      (options.device
        ? [
            { name: 'public', access: 'ro' },
            { name: 'private', access: 'rw' },
          ]
        : [...named.keys()].map((name) => ({ name })))
    ).map((c) => (typeof c === 'string' ? { name: c } : c));
    for (const c of communities) {
      const device = c.device !== undefined ? named.get(c.device) : (options.device ?? named.get(c.name));
      if (!device) {
        throw new AgentConfigError(
          `community "${c.name}": no device ${c.device ?? c.name} (devices: ${[...named.keys()]})`,
        );
      }
      const own = resolveViews(`community "${c.name}"`, c);
      const context = this.#deviceViews.get(device);
      const views = context
        ? { read: intersectViews([own.read, context.read]), write: intersectViews([own.write, context.write]) }
        : own;
      this.#communities.set(c.name, { device, access: c.access ?? 'ro', bytes: latin1(c.name), views });
    }
    this.#nestedCommunities = [...this.#communities.keys()].some((name) => name.includes('/'));
    this.#nestedContexts = [...this.#contexts.keys()].some((name) => name.includes('/'));
    this.#applyScheduledFaults();
  }

  /** What the agent received and answered, and the faults it applied. A live object; copy it to keep a snapshot. */
  get stats(): AgentStats {
    return this.#stats;
  }

  resetStats(): void {
    this.#stats = emptyStats();
    this.#stats.faults = this.#faults.stats;
    Object.assign(this.#faults.stats, emptyFaultStats());
  }

  /** Replaces the fault spec (string or object); its generator starts again from its seed. */
  setFaults(faults: FaultSpec | string): void {
    this.#faults = new FaultInjector(typeof faults === 'string' ? parseFaultSpec(faults) : faults);
    this.#stats.faults = this.#faults.stats;
    this.#requestCount = 0;
    this.#applyScheduledFaults();
  }

  /** The device serving a community, or a v3 context ("" for the single device). */
  device(name = ''): Device | undefined {
    return this.#contexts.get(name) ?? this.#communities.get(name)?.device;
  }

  /** snmpEngineBoots and snmpEngineTime now. */
  get engineClock(): { boots: number; time: number } {
    return this.#usm.clock.read();
  }

  /** Milliseconds since the agent (re)started: what sysUpTime and numeric variations count from. */
  get uptimeMs(): number {
    return this.clock.now() - this.#startedAt;
  }

  /** A restart: boots + 1, engine time and sysUpTime from 0. */
  restart(): void {
    this.#usm.clock.reboot();
    this.#startedAt = this.clock.now();
    this.#onEngineBoots?.(this.#usm.clock.read().boots);
  }

  /**
   * Ignores every message for `ms` of the agent's clock (default: until resumeAnswering), as a device that is down
   * or unreachable; counted in stats.unanswered.
   */
  stopAnswering(ms = Number.POSITIVE_INFINITY): void {
    if (!(ms >= 0)) throw new RangeError(`stopAnswering(ms) needs a non-negative duration, got ${ms}`);
    this.#silentUntil = this.clock.now() + ms;
  }

  resumeAnswering(): void {
    this.#silentUntil = Number.NEGATIVE_INFINITY;
  }

  /** Whether the agent answers now (see stopAnswering). */
  get answering(): boolean {
    return this.clock.now() >= this.#silentUntil;
  }

  /** Holds every response `ms` longer (a slow device); 0 answers at once again. */
  setResponseDelay(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`setResponseDelay(ms) needs a non-negative delay, got ${ms}`);
    this.#responseDelayMs = ms;
  }

  /** The delay setResponseDelay added, ms. */
  get responseDelayMs(): number {
    return this.#responseDelayMs;
  }

  /** Moves the engine's boots and time (v3 time-window tests); the device's uptime is not affected. */
  jumpEngineClock(change: { boots?: number; seconds?: number }): void {
    const clock = this.#usm.clock;
    const now = clock.read();
    clock.set(Math.max(0, now.boots + (change.boots ?? 0)), Math.max(0, now.time + (change.seconds ?? 0)));
  }

  #applyScheduledFaults(): void {
    const spec = this.#faults.spec;
    const n = this.#requestCount;
    if (spec.bootsJump && spec.bootsJump.afterRequests === n) {
      this.jumpEngineClock({ boots: spec.bootsJump.by });
      this.#faults.stats.bootsJumps++;
    }
    if (spec.timeJump && spec.timeJump.afterRequests === n) {
      this.jumpEngineClock({ seconds: spec.timeJump.seconds });
      this.#faults.stats.timeJumps++;
    }
    // restart@0 (and a bare `restart`) fires at once: when the agent starts, or when setFaults is given it.
    if (spec.restart && spec.restart.afterRequests === n) {
      this.restart();
      this.#faults.stats.restarts++;
    }
  }

  #context(operation: RequestContext['operation']): RequestContext {
    const unixTimeMs = this.#unixTimeOrigin + this.clock.now();
    const engine = () => ({ engineId: this.engineId, ...this.#usm.clock.read() });
    return { uptimeMs: this.uptimeMs, unixTimeMs, random: this.#random, operation, subtreeCache: new Map(), engine };
  }

  /** Handles one incoming message; answers (if at all) through `channel`, maybe later (delays). */
  receive(bytes: Uint8Array, channel: ReplyChannel): void {
    this.#stats.received++;
    if (this.clock.now() < this.#silentUntil) {
      this.#stats.unanswered++;
      return;
    }
    let message: SnmpMessage;
    try {
      const decoded = decodeMessageWithOffsets(bytes);
      message = decoded.message;
      if (decoded.trailingBytes > 0) this.#stats.trailingBytes++;
    } catch (error) {
      if (!(error instanceof BerError)) throw error;
      // A version this agent does not speak is counted apart from garbage (RFC 3412 §7.2 step 2).
      if (bytes[0] === 0x30 && /msgVersion/.test(error.message)) this.#stats.badVersions++;
      else this.#stats.parseErrors++;
      return;
    }
    // v3 PDUs are counted once decrypted.
    if (message.version !== 3) this.#countRequest(message.pdu.type);
    this.#requestCount++;
    try {
      if (this.#faults.shouldDrop()) return;
      if (message.version === 3) this.#receiveV3(bytes, message, channel);
      else this.#receiveCommunity(message.version, message.community, message.pdu, channel);
    } finally {
      // Jumps and restarts scheduled after N requests happen even when request N was dropped.
      this.#applyScheduledFaults();
    }
  }

  #countRequest(type: PduType): void {
    this.#stats.requests[type] = (this.#stats.requests[type] ?? 0) + 1;
  }

  #receiveCommunity(version: 0 | 1, community: string, pdu: Pdu, channel: ReplyChannel): void {
    const binding = this.#select(this.#communities, this.#nestedCommunities, community, channel);
    if (!binding) {
      this.#stats.badCommunityNames++;
      this.#authenticationFailed({ version, name: community, source: channel.source });
      return;
    }
    // The response carries the request's community, also when a longer name (`public/TRANSPORT/ADDRESS`) selected.
    const communityBytes = this.#communities.get(community) === binding ? binding.bytes : latin1(community);
    if (pdu.type === 'SetRequest' && binding.access !== 'rw') this.#stats.badCommunityUses++;
    const header = {
      version,
      community: communityBytes,
      requestId: pdu.type === 'TrapV1' ? 0 : pdu.requestId,
      errorStatus: ErrorStatus.tooBig, // the largest the header can be: sizes are computed before the status is known
      errorIndex: 0xffff,
    };
    const result = processPdu(pdu, {
      version,
      device: binding.device,
      canWrite: binding.access === 'rw',
      ctx: this.#context(pdu.type === 'SetRequest' ? 'set' : pdu.type === 'GetRequest' ? 'get' : 'next'),
      fits: (length) => communityResponseSize(header, length) <= this.maxMessageSize,
      injectedError: (oid) => this.#faults.errorFor(oid),
      getbulkLimits: this.getbulkLimits,
      readView: binding.views.read,
      writeView: binding.views.write,
    });
    if (!this.#checkResult(result)) return;
    const requestId = this.#faults.wrongRequestId() ? (header.requestId + 1) | 0 : header.requestId;
    const response = encodeCommunityResponse(
      { version, community: communityBytes, requestId, errorStatus: result.errorStatus, errorIndex: result.errorIndex },
      result.varbinds.map((vb) => vb.bytes),
    );
    this.#stats.answered++;
    this.#send(response, channel, result.delayMs);
  }

  #checkResult(result: ProcessResult | undefined): result is ProcessResult {
    if (!result) {
      this.#stats.unsupportedPdus++;
      return false;
    }
    if (result.dropped) return false;
    if (result.silentDrop) {
      this.#stats.silentDrops++;
      return false;
    }
    return true;
  }

  #receiveV3(bytes: Uint8Array, plain: V3Message, channel: ReplyChannel): void {
    let received: UsmReceived;
    try {
      received = this.#usm.receive(bytes, plain);
    } catch (error) {
      if (error instanceof BerError) {
        this.#stats.parseErrors++;
        return;
      }
      throw error;
    }
    if (!received.accepted) {
      if (received.reason === 'invalidMsgFlags') {
        this.#stats.invalidMsgs++;
        return;
      }
      this.#stats.usm[received.reason]++;
      if (received.reason === 'wrongDigests') {
        this.#authenticationFailed({ version: 3, name: plain.securityParameters.userName, source: channel.source });
      }
      if (received.report) this.#sendReport(received.report, channel);
      return;
    }
    const { message, level, keys } = received;
    const scoped = message.scopedPdu!;
    const pdu = scoped.pdu;
    this.#countRequest(pdu.type);
    const device = this.#select(this.#contexts, this.#nestedContexts, scoped.contextName, channel);
    if (!device) {
      this.#stats.unknownContexts++;
      if ((message.msgFlags & MsgFlags.reportable) !== 0) {
        const value = { type: 'Counter32' as const, value: this.#stats.unknownContexts >>> 0 };
        this.#sendReport(this.#usm.report(message, { oid: SNMP_UNKNOWN_CONTEXTS, value }, keys), channel);
      }
      return;
    }
    const user = this.#users.get(message.securityParameters.userName);
    const allowed = user !== undefined && levelCovers(level, user.level);
    const maxSize = Math.min(message.msgMaxSize, this.maxMessageSize);
    const requestId = pduOf(pdu).requestId;
    let answerId = requestId;
    const respond = (r: ProcessResult): Uint8Array =>
      this.#usm.respond(message, keys, {
        type: 'Response',
        requestId: answerId,
        errorStatus: r.errorStatus,
        errorIndex: r.errorIndex,
        varbinds: r.varbinds.map((vb) => ({ oid: vb.oid, value: vb.value })),
      });
    let overhead = -1;
    // The request carries the same header, user, engine, context and security parameters as its response, so its
    // length bounds the response's overhead from above (plus RESPONSE_GROWTH): far from the size limit, a response
    // fits without building, encrypting and signing an empty one to measure it.
    const roughOverhead = bytes.length + RESPONSE_GROWTH;
    const fits = (length: number): boolean => {
      if (roughOverhead + length + V3_SLACK <= maxSize) return true;
      if (overhead < 0) {
        overhead = respond({ errorStatus: ErrorStatus.tooBig, errorIndex: 0xffff, varbinds: [], delayMs: 0 }).length;
      }
      return overhead + length + V3_SLACK <= maxSize;
    };
    let result: ProcessResult | undefined;
    if (!allowed && pdu.type !== 'Response' && pdu.type !== 'Report' && pdu.type !== 'TrapV2') {
      // VACM in one line: a user's requests below its configured level are not authorized.
      result = { errorStatus: ErrorStatus.authorizationError, errorIndex: 0, varbinds: [], delayMs: 0 };
    } else {
      const own = this.#userViews.get(message.securityParameters.userName);
      const context = this.#deviceViews.get(device);
      result = processPdu(pdu, {
        version: 3,
        device,
        canWrite: user?.access === 'rw',
        ctx: this.#context(pdu.type === 'SetRequest' ? 'set' : pdu.type === 'GetRequest' ? 'get' : 'next'),
        fits,
        injectedError: (oid) => this.#faults.errorFor(oid),
        getbulkLimits: this.getbulkLimits,
        readView: intersectViews([own?.read, context?.read]),
        writeView: intersectViews([own?.write, context?.write]),
      });
    }
    if (!this.#checkResult(result)) return;
    if (this.#faults.wrongRequestId()) answerId = (requestId + 1) | 0;
    let response = respond(result);
    // The estimate had slack; should the real message still be too long, cut a GETBULK or answer tooBig.
    while (response.length > maxSize && result.varbinds.length > 0) {
      result =
        pdu.type === 'GetBulkRequest'
          ? { ...result, varbinds: result.varbinds.slice(0, -1) }
          : { errorStatus: ErrorStatus.tooBig, errorIndex: 0, varbinds: [], delayMs: result.delayMs };
      response = respond(result);
    }
    if (response.length > maxSize) {
      this.#stats.silentDrops++;
      return;
    }
    this.#stats.answered++;
    this.#send(response, channel, result.delayMs);
  }

  #sendReport(report: Uint8Array, channel: ReplyChannel): void {
    this.#stats.reports++;
    this.#send(report, channel, 0);
  }

  /** Sends a response through the fault injector: delayed, mangled, duplicated, reordered as configured. */
  #send(response: Uint8Array, channel: ReplyChannel, variationDelayMs: number): void {
    const delay = variationDelayMs + this.#faults.delayMs() + this.#responseDelayMs;
    const bytes = this.#faults.mangle(response);
    const copies = this.#faults.duplicate() ? 2 : 1;
    const reorder = this.#faults.reorder();
    const deliver = () => this.#deliver(copies === 2 ? [bytes, bytes] : [bytes], channel, reorder);
    if (delay > 0) {
      const timer = this.clock.setTimeout(() => {
        this.#timers.delete(timer);
        deliver();
      }, delay);
      this.#timers.add(timer);
    } else deliver();
  }

  #deliver(messages: Uint8Array[], channel: ReplyChannel, holdBack: boolean): void {
    const held = this.#held.get(channel.key);
    if (holdBack && !held) {
      const timer = this.clock.setTimeout(() => {
        this.#timers.delete(timer);
        const still = this.#held.get(channel.key);
        if (still?.messages === messages) {
          this.#held.delete(channel.key);
          for (const m of messages) channel.send(m);
        }
      }, this.#faults.spec.reorderWindowMs ?? 1000);
      this.#timers.add(timer);
      this.#held.set(channel.key, { messages, channel, timer });
      return;
    }
    for (const m of messages) channel.send(m);
    if (held) {
      this.#held.delete(channel.key);
      this.clock.clearTimeout(held.timer);
      this.#timers.delete(held.timer);
      for (const m of held.messages) held.channel.send(m);
    }
  }

  /**
   * Handles one request and resolves with the first message sent back, or undefined when none comes within
   * `timeoutMs` of the agent's clock (default 10 s): for tests that craft requests by hand.
   */
  request(bytes: Uint8Array, timeoutMs = 10_000): Promise<Uint8Array | undefined> {
    return new Promise((resolve) => {
      let done = false;
      const timer = this.clock.setTimeout(() => finish(undefined), timeoutMs);
      const finish = (reply: Uint8Array | undefined) => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        resolve(reply);
      };
      this.receive(bytes, { key: `request:${Math.random()}`, source: { address: 'memory', port: 0 }, send: finish });
    });
  }

  /**
   * Listens on an endpoint (`udp:127.0.0.1:0`, `udp6:[::1]:0`, `tcp:127.0.0.1:0`); port 0 picks a free one. TCP
   * connections are bounded (`options`: largest message, default the agent's maxMessageSize; connections; idle
   * time; see @snmpkit/transport's listen).
   */
  listen(endpoint: string, options: AgentListenOptions = {}): Promise<Listener> {
    // Each listener gets snmpsim's transport ID: its transport's domain and its number among that transport's.
    return listen(this, endpoint, { maxMessageSize: this.maxMessageSize, ...options }, (kind) => {
      const index = this.#listenerCount.get(kind) ?? 0;
      this.#listenerCount.set(kind, index + 1);
      return `${TRANSPORT_DOMAINS[kind]}.${index}`;
    });
  }

  /** The entry the first of snmpsim's candidate names finds (selectionCandidates), else the name's, or undefined. */
  #select<T>(entries: ReadonlyMap<string, T>, nested: boolean, name: string, channel: ReplyChannel): T | undefined {
    if (!nested || channel.transportId === undefined) return entries.get(name);
    for (const candidate of selectionCandidates(name, channel.transportId, channel.source.address)) {
      const found = entries.get(candidate);
      if (found !== undefined) return found;
    }
    // The name itself last, also when empty (the context "" of a single device).
    return entries.get(name);
  }

  /** An in-memory transport to this agent, for a client session with no network. */
  connect(options?: ConnectOptions): ClientTransport {
    return connect(this, options);
  }

  /**
   * Counts a message on its way through an in-memory transport (either way) until the function returned is called,
   * once it has arrived: what settled() waits for. For transports; `connect()` does it.
   */
  delivering(): () => void {
    this.#inFlight++;
    let arrived = false;
    return () => {
      if (arrived) return;
      arrived = true;
      this.#inFlight--;
    };
  }

  /**
   * Resolves once every message sent through the in-memory transports (`connect()`) has arrived and been processed,
   * replies included, and so has what those arrivals set off within their turn of the event loop (a client's next
   * request sent from a reply handler or a promise continuation, as v3 discovery is followed by the request). With a
   * VirtualClock, a test awaits it before `clock.advance()`, so that the clock moves with the requests at the agent:
   * `const p = session.get([oid]); await agent.settled(); clock.advance(5000); await p`. It does not wait for the
   * agent's clock (delays and held responses fire when the clock gets there), nor for UDP or TCP traffic, nor for a
   * client that sends only after a real timer or I/O.
   */
  async settled(): Promise<void> {
    // A turn of the event loop lets deliveries (setImmediate) run and the promise continuations after them.
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#inFlight > 0);
  }

  /**
   * Calls `listener` on each request that fails authentication (what snmpd's authenticationFailure trap reports:
   * see NotificationOriginator.sendAuthenticationFailures). Returns a function that removes it.
   */
  onAuthenticationFailure(listener: (failure: AuthenticationFailure) => void): () => void {
    this.#authFailureListeners.add(listener);
    return () => this.#authFailureListeners.delete(listener);
  }

  #authenticationFailed(failure: AuthenticationFailure): void {
    for (const listener of this.#authFailureListeners) listener(failure);
  }

  /** Registers what close() must stop (listeners do this). */
  onClose(closer: () => Promise<void>): () => void {
    this.#closers.add(closer);
    return () => this.#closers.delete(closer);
  }

  /** Stops every listener and connection and clears pending timers (held or delayed responses are not sent). */
  async close(): Promise<void> {
    for (const timer of this.#timers) this.clock.clearTimeout(timer);
    this.#timers.clear();
    this.#held.clear();
    const closers = [...this.#closers];
    this.#closers.clear();
    await Promise.all(closers.map((c) => c()));
  }

  /** The engine ID as hex. */
  get engineIdHex(): string {
    return bytesToHex(this.engineId);
  }
}

function pduOf(pdu: Pdu): { requestId: number } {
  return { requestId: pdu.type === 'TrapV1' ? 0 : pdu.requestId };
}
