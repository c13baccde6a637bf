import dgram from 'node:dgram';
import net from 'node:net';
import {
  type BasicPdu,
  type CommunityMessage,
  decodeMessage,
  encodeMessage,
  type TrapV1Pdu,
  type V3Message,
  type VarBind,
} from '@snmpkit/ber';
import {
  AuthoritativeClock,
  decodeSecureMessage,
  EngineTimeCache,
  encodeSecureMessage,
  type LocalizedKeys,
  type Now,
  type SecurityLevel,
  UsmConfigError,
  UsmError,
  UsmKeyStore,
  UsmStats,
  usmReportMessage,
} from '@snmpkit/usm';
import { GeneralError, systemGeneralError } from './errors.js';
import { type ResolvedPeer, resolvePeer, type TransportKind } from './peer.js';
import { BerStreamFramer, type MessageSource } from './transports.js';
import { checkV3User, randomEngineId, type V3User } from './v3.js';
import { describeValue, unknownOptionName } from './validate.js';

/** Bound on the informs remembered to recognise retransmissions. */
const MAX_REMEMBERED_INFORMS = 10_000;

/** The default port of notification receivers (snmptrapd's). */
export const NOTIFICATION_PORT = 162;

/** sysUpTime.0 and snmpTrapOID.0: the first two varbinds of every SNMPv2 notification (RFC 3416 §4.2.6). */
export const SYS_UP_TIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';

/** What a v3 notification was sent with. Engine IDs in hex, lower case. */
export interface NotificationSecurity {
  userName: string;
  level: SecurityLevel;
  /** The authoritative engine: the sender's for a trap, this receiver's for an inform. */
  engineId: string;
  contextEngineId: string;
  contextName: string;
}

/** A notification as it arrived. */
export interface Notification {
  /** The wire version: 0 (v1), 1 (v2c) or 3. */
  version: 0 | 1 | 3;
  /** v1/v2c: the community; '' for v3. */
  community: string;
  /** v3: the user, level, engine and context. */
  security?: NotificationSecurity;
  /** TrapV1 (v1), TrapV2 or InformRequest (v2c, v3). */
  pdu: TrapV1Pdu | (BasicPdu & { type: 'TrapV2' | 'InformRequest' });
  /** For v2c notifications: the value of snmpTrapOID.0 (the notification's identity), when present. */
  trapOid: string | undefined;
  /** Where it came from, and on which of the receiver's endpoints. */
  source: MessageSource;
  endpoint: string;
}

export interface NotificationReceiverOptions {
  /** Endpoints in Net-SNMP's grammar (`udp:127.0.0.1:162`, `udp6:[::1]:0`, `tcp:0.0.0.0:1162`); port 0 picks one. */
  listen: string | readonly string[];
  /** Communities accepted; others are dropped and counted. Default: any. */
  communities?: readonly string[];
  /**
   * v3 users. One with an `engineId` authenticates traps from that sender's engine (snmptrapd's
   * `createUser -e ENGINEID`); one without, informs to this receiver's own engine (the receiver is their
   * authoritative engine). Without users, every v3 message is dropped and counted.
   */
  users?: readonly NotificationUser[];
  /** This receiver's own engine ID (bytes or hex), which informs are sent to. Default: a random one. */
  engineId?: Uint8Array | string;
  /** snmpEngineBoots of this receiver's engine; its time counts from `listen`. Default 1. */
  engineBoots?: number;
  /** Clock for the engine time and the senders' time windows, ms. Default Date.now. */
  now?: Now;
  /**
   * How long an acknowledged inform is remembered to recognise its retransmissions, ms. Default 150 000: longer
   * than Net-SNMP's default retry schedule, and as long as the USM time window.
   */
  retransmissionWindowMs?: number;
  /**
   * Called with each notification as it arrives (an inform after its Response has been sent). It may be async (a
   * returned promise is watched for rejection, not awaited: notifications are handed out as they arrive).
   * Whatever it throws, and whatever its promise rejects with, goes to `onError`: it never reaches the socket's
   * event handler, where it would be an uncaught exception.
   */
  onNotification: (notification: Notification) => void;
  /**
   * Called when `onNotification` throws or its promise rejects, with the error and the notification it was given.
   * Without it, the failure is counted in `stats.handlerErrors` only, and the first one is also reported as a
   * process warning (`NotificationHandlerError`). It is counted either way; what `onError` throws is dropped.
   */
  onError?: (error: unknown, notification: Notification) => void;
}

/** A v3 user of the receiver: for traps from the engine `engineId`, or (without it) for informs. */
export interface NotificationUser extends V3User {
  /** The sending engine's ID (bytes or hex) whose traps this user authenticates. */
  engineId?: Uint8Array | string;
}

export interface NotificationReceiverStats {
  received: number;
  /** Responses sent to InformRequests. */
  acknowledged: number;
  droppedUndecodable: number;
  droppedCommunity: number;
  /** Decoded, but no notification (a request PDU, a Response, a v3 message to a receiver without users). */
  droppedUnexpected: number;
  /**
   * v3 messages USM refused (unknown engine or user, wrong digest, outside the time window, undecryptable,
   * discovery probes included), by usmStats reason.
   */
  droppedSecurity: Record<string, number>;
  /** Reports sent back for refused reportable v3 messages (discovery among them). */
  reports: number;
  /**
   * Retransmitted InformRequests (the same sender, security and request-id within `retransmissionWindowMs`):
   * acknowledged again, since the sender missed the first Response, but not handed out twice.
   */
  retransmittedInforms: number;
  /**
   * v3 notifications below their user's level (an authPriv user's noAuthNoPriv trap): USM lets a user send at a
   * lower level, but the receiver takes a user's notifications only at the level declared, as snmptrapd's
   * `authUser ... priv` does.
   */
  droppedLevel: number;
  /** Notifications whose `onNotification` threw or rejected (handed to `onError` when given). */
  handlerErrors: number;
}

/** An endpoint a receiver listens on, with the port the system picked for port 0. */
export interface BoundEndpoint {
  transport: TransportKind;
  address: string;
  port: number;
  /** Net-SNMP's form: `udp:127.0.0.1:40162`, `udp6:[::1]:40162`. */
  endpoint: string;
}

function formatEndpoint(transport: TransportKind, address: string, port: number): string {
  return `${transport}:${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Receives v1/v2c notifications (traps and informs) on UDP and TCP endpoints: what snmptrapd does, as a library.
 * InformRequests are acknowledged with a Response carrying the same request-id and varbinds (RFC 3416 §4.2.7).
 */
export class NotificationReceiver {
  readonly stats: NotificationReceiverStats = {
    received: 0,
    acknowledged: 0,
    droppedUndecodable: 0,
    droppedCommunity: 0,
    droppedUnexpected: 0,
    droppedSecurity: {},
    reports: 0,
    droppedLevel: 0,
    retransmittedInforms: 0,
    handlerErrors: 0,
  };
  readonly endpoints: BoundEndpoint[] = [];
  private readonly closers: (() => Promise<void>)[] = [];
  private readonly usm: ReceiverUsm | undefined;
  /** Whether a handler failure without `onError` has been reported as a process warning (once per receiver). */
  private warned = false;

  private constructor(private readonly options: NotificationReceiverOptions) {
    this.usm = options.users && options.users.length > 0 ? new ReceiverUsm(options) : undefined;
  }

  /** This receiver's own engine ID (informs' authoritative engine); undefined without v3 users. */
  get engineId(): Uint8Array | undefined {
    return this.usm?.clock.engineId;
  }

  static async listen(options: NotificationReceiverOptions): Promise<NotificationReceiver> {
    const endpoints = checkReceiverOptions(options);
    const receiver = new NotificationReceiver(options);
    try {
      for (const endpoint of endpoints) {
        const peer = await resolvePeer(endpoint, NOTIFICATION_PORT, 0);
        if (peer.transport === 'tcp' || peer.transport === 'tcp6') await receiver.listenTcp(peer);
        else await receiver.listenUdp(peer);
      }
    } catch (error) {
      await receiver.close();
      throw error;
    }
    return receiver;
  }

  private async listenUdp(peer: ResolvedPeer): Promise<void> {
    const socket = dgram.createSocket({ type: peer.transport === 'udp6' ? 'udp6' : 'udp4' });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => reject(systemGeneralError('SNMPERR_BAD_LOCPORT', error, peer.name)));
      socket.bind(peer.port, peer.address, () => resolve());
    });
    socket.on('error', () => {}); // a failed acknowledgement must not crash the process
    const bound = socket.address();
    const endpoint = formatEndpoint(peer.transport, bound.address, bound.port);
    this.endpoints.push({ transport: peer.transport, address: bound.address, port: bound.port, endpoint });
    socket.on('message', (message, rinfo) =>
      this.handle(message, rinfo, endpoint, (reply) => socket.send(reply, rinfo.port, rinfo.address)),
    );
    this.closers.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  }

  private async listenTcp(peer: ResolvedPeer): Promise<void> {
    const connections = new Set<net.Socket>();
    const server = net.createServer((connection) => {
      connections.add(connection);
      connection.on('close', () => connections.delete(connection));
      connection.on('error', () => {});
      const source = { address: connection.remoteAddress ?? '', port: connection.remotePort ?? 0 };
      const framer = new BerStreamFramer();
      connection.on('data', (chunk: Buffer) => {
        const ok = framer.push(chunk, (message) =>
          this.handle(message, source, endpoint, (reply) => connection.write(reply)),
        );
        if (!ok) {
          this.stats.droppedUndecodable++;
          connection.destroy();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(systemGeneralError('SNMPERR_BAD_LOCPORT', error, peer.name)));
      server.listen(peer.port, peer.address, () => resolve());
    });
    const bound = server.address() as net.AddressInfo;
    const endpoint = formatEndpoint(peer.transport, bound.address, bound.port);
    this.endpoints.push({ transport: peer.transport, address: bound.address, port: bound.port, endpoint });
    this.closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of connections) c.destroy();
          server.close(() => resolve());
        }),
    );
  }

  private handle(bytes: Uint8Array, source: MessageSource, endpoint: string, reply: (bytes: Uint8Array) => void): void {
    let message: CommunityMessage;
    try {
      const decoded = decodeMessage(bytes);
      if (decoded.version === 3) {
        if (this.usm) this.handleV3(bytes, decoded, source, endpoint, reply);
        else this.stats.droppedUnexpected++;
        return;
      }
      message = decoded;
    } catch {
      this.stats.droppedUndecodable++;
      return;
    }
    const { communities } = this.options;
    if (communities && !communities.includes(message.community)) {
      this.stats.droppedCommunity++;
      return;
    }
    const pdu = message.pdu;
    const v1Trap = pdu.type === 'TrapV1' && message.version === 0;
    const v2Notification = (pdu.type === 'TrapV2' || pdu.type === 'InformRequest') && message.version === 1;
    if (!v1Trap && !v2Notification) {
      this.stats.droppedUnexpected++;
      return;
    }
    this.stats.received++;
    if (pdu.type === 'InformRequest') {
      reply(
        encodeMessage({
          version: message.version,
          community: message.community,
          pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds },
        }),
      );
      this.stats.acknowledged++;
      if (
        this.isRetransmission(`${endpoint} ${source.address} ${source.port} c${message.community} ${pdu.requestId}`)
      ) {
        return;
      }
    }
    const trapOidValue =
      pdu.type === 'TrapV1' ? undefined : pdu.varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0)?.value;
    this.deliver({
      version: message.version,
      community: message.community,
      pdu: pdu as Notification['pdu'],
      trapOid: trapOidValue?.type === 'ObjectIdentifier' ? trapOidValue.value : undefined,
      source: { address: source.address, port: source.port },
      endpoint,
    });
  }

  private handleV3(
    bytes: Uint8Array,
    plain: V3Message,
    source: MessageSource,
    endpoint: string,
    reply: (bytes: Uint8Array) => void,
  ): void {
    const usm = this.usm!;
    let outcome: V3Outcome;
    try {
      outcome = usm.receive(bytes, plain);
    } catch {
      // Not a message (BerError), or anything else the decoder throws: dropped, never a crash.
      this.stats.droppedUndecodable++;
      return;
    }
    if (outcome.kind === 'refused') {
      this.stats.droppedSecurity[outcome.reason] = (this.stats.droppedSecurity[outcome.reason] ?? 0) + 1;
      if (outcome.report) {
        reply(outcome.report);
        this.stats.reports++;
      }
      return;
    }
    const { message, level } = outcome;
    if (LEVEL_RANK[level] < LEVEL_RANK[outcome.userLevel]) {
      this.stats.droppedLevel++;
      return;
    }
    const scoped = message.scopedPdu!;
    const pdu = scoped.pdu;
    if (pdu.type !== 'TrapV2' && pdu.type !== 'InformRequest') {
      this.stats.droppedUnexpected++;
      return;
    }
    this.stats.received++;
    if (pdu.type === 'InformRequest') {
      reply(usm.acknowledge(message, outcome.keys, pdu));
      this.stats.acknowledged++;
      // A v3 retransmission has a new msgID but the same request-id (RFC 3412 §7.1 step 1: msgID per message).
      const user = message.securityParameters.userName;
      if (this.isRetransmission(`${endpoint} ${source.address} ${source.port} u${user} ${pdu.requestId}`)) return;
    }
    const trapOidValue = pdu.varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0)?.value;
    this.deliver({
      version: 3,
      community: '',
      security: {
        userName: message.securityParameters.userName,
        level,
        engineId: Buffer.from(message.securityParameters.engineId).toString('hex'),
        contextEngineId: Buffer.from(scoped.contextEngineId).toString('hex'),
        contextName: scoped.contextName,
      },
      pdu: pdu as BasicPdu & { type: 'TrapV2' | 'InformRequest' },
      trapOid: trapOidValue?.type === 'ObjectIdentifier' ? trapOidValue.value : undefined,
      source: { address: source.address, port: source.port },
      endpoint,
    });
  }

  /**
   * Hands a notification to the user's handler. Its failures, thrown or rejected, go to onError: thrown from here
   * they would escape the socket's 'message' listener and end the process.
   */
  private deliver(notification: Notification): void {
    try {
      // Typed `void` so that any function fits; an async one returns a promise, whose rejection is caught too.
      const result: unknown = this.options.onNotification(notification);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.handlerFailed(error, notification));
    } catch (error) {
      this.handlerFailed(error, notification);
    }
  }

  private handlerFailed(error: unknown, notification: Notification): void {
    this.stats.handlerErrors++;
    const { onError } = this.options;
    if (onError) {
      try {
        onError(error, notification);
      } catch {
        // The error hook is the last stop: what it throws has nowhere else to go but the process.
      }
      return;
    }
    if (this.warned) return;
    this.warned = true;
    process.emitWarning(
      `onNotification failed (${error instanceof Error ? error.message : String(error)}); give NotificationReceiver an onError option to handle this; later failures are only counted in stats.handlerErrors`,
      { type: 'NotificationHandlerError', code: 'SNMPKIT_NOTIFICATION_HANDLER' },
    );
  }

  // Acknowledged informs by sender, security and request-id, with when they expire (insertion order = age order).
  private readonly recentInforms = new Map<string, number>();

  /** True (and counted) when this inform was acknowledged already within the window; else remembers it. */
  private isRetransmission(key: string): boolean {
    const now = (this.options.now ?? Date.now)();
    const expires = this.recentInforms.get(key);
    if (expires !== undefined && expires > now) {
      this.stats.retransmittedInforms++;
      return true;
    }
    this.recentInforms.delete(key);
    // Forget what has expired, oldest first; a flood of distinct informs cannot grow the map past its bound.
    for (const [k, until] of this.recentInforms) {
      if (until > now && this.recentInforms.size < MAX_REMEMBERED_INFORMS) break;
      this.recentInforms.delete(k);
    }
    this.recentInforms.set(key, now + (this.options.retransmissionWindowMs ?? 150_000));
    return false;
  }

  /** Stops listening and closes every socket and connection. */
  async close(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/** The endpoints to listen on; refuses options that could only fail later, when notifications arrive. */
/** Every option NotificationReceiver.listen knows, typed against its options (see unknownOptionName). */
const RECEIVER_OPTION_NAMES: Record<keyof NotificationReceiverOptions, true> = {
  listen: true,
  communities: true,
  users: true,
  engineId: true,
  engineBoots: true,
  now: true,
  retransmissionWindowMs: true,
  onNotification: true,
  onError: true,
};

function checkReceiverOptions(options: NotificationReceiverOptions): readonly string[] {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('NotificationReceiver.listen takes an options object: { listen, onNotification, ... }');
  }
  const unknown = unknownOptionName(options, RECEIVER_OPTION_NAMES);
  if (unknown !== undefined) throw new TypeError(unknown);
  const { listen, onNotification, onError } = options;
  const endpoints = typeof listen === 'string' ? [listen] : listen;
  if (!Array.isArray(endpoints) || endpoints.some((e) => typeof e !== 'string')) {
    throw new TypeError(
      `option listen must be an endpoint string or an array of them (e.g. 'udp:0.0.0.0:162'), got ${describeValue(listen)}`,
    );
  }
  if (endpoints.length === 0) {
    throw new RangeError("option listen is empty: give at least one endpoint (e.g. 'udp:0.0.0.0:162')");
  }
  if (typeof onNotification !== 'function') {
    throw new TypeError(`option onNotification must be a function, got ${describeValue(onNotification)}`);
  }
  if (onError !== undefined && typeof onError !== 'function') {
    throw new TypeError(`option onError must be a function, got ${describeValue(onError)}`);
  }
  return endpoints;
}

/** The varbinds of a v2c notification: sysUpTime.0, snmpTrapOID.0, then the caller's (RFC 3416 §4.2.6). */
export function notificationVarbinds(trapOid: string, uptime: number, varbinds: readonly VarBind[]): VarBind[] {
  return [
    { oid: SYS_UP_TIME_0, value: { type: 'TimeTicks', value: uptime } },
    { oid: SNMP_TRAP_OID_0, value: { type: 'ObjectIdentifier', value: trapOid } },
    ...varbinds,
  ];
}

const LEVEL_RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

type V3Outcome =
  | {
      kind: 'accepted';
      message: V3Message;
      level: SecurityLevel;
      /** The level the user was declared with. */
      userLevel: SecurityLevel;
      keys: LocalizedKeys | undefined;
    }
  | { kind: 'refused'; reason: string; report: Uint8Array | undefined };

const EMPTY = new Uint8Array(0);

function engineIdBytes(value: Uint8Array | string, what: string): Uint8Array {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  const hex = value.replace(/^0x/i, '');
  if (!/^([0-9a-f]{2})+$/i.test(hex)) {
    throw new GeneralError('SNMPERR_BAD_ENG_ID', { detail: `${what}: ${JSON.stringify(value)} is not hex` });
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/**
 * The receiver's USM (RFC 3414 §3.2 and RFC 3412 §7.2): for traps it is the non-authoritative side (users per
 * sending engine, a notion of each sender's time), for informs the authoritative one (its own engine ID and clock,
 * Reports for refused reportable messages, discovery included).
 */
class ReceiverUsm {
  readonly clock: AuthoritativeClock;
  /** Users for informs, keys localized to our own engine. */
  readonly #own = new UsmKeyStore();
  /** Users for traps, by the sending engine's ID in hex: a name may have other passwords on other engines. */
  readonly #senders = new Map<string, UsmKeyStore>();
  readonly #senderTimes: EngineTimeCache;
  readonly #usmStats = new UsmStats();

  constructor(options: NotificationReceiverOptions) {
    const own = options.engineId === undefined ? randomEngineId() : engineIdBytes(options.engineId, 'engineId');
    this.clock = new AuthoritativeClock({
      engineId: own,
      ...(options.engineBoots !== undefined ? { boots: options.engineBoots } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    this.#senderTimes = new EngineTimeCache(options.now ? { now: options.now } : {});
    for (const user of options.users ?? []) {
      const { engineId, ...given } = user;
      const rest = checkV3User(given);
      let store = this.#own;
      if (engineId !== undefined) {
        const hex = Buffer.from(engineIdBytes(engineId, `user ${rest.name}'s engineId`)).toString('hex');
        store = this.#senders.get(hex) ?? new UsmKeyStore();
        this.#senders.set(hex, store);
      }
      try {
        store.addUser(rest);
      } catch (error) {
        // UsmConfigError names the user and the field, never a secret.
        if (error instanceof UsmConfigError) throw new GeneralError('SNMPERR_GENERR', { detail: error.message });
        throw error;
      }
    }
  }

  #isOwn(engineId: Uint8Array): boolean {
    const own = this.clock.engineId;
    return engineId.length === own.length && Buffer.compare(engineId, own) === 0;
  }

  /** Throws BerError on bytes that are not a v3 message. */
  receive(bytes: Uint8Array, plain: V3Message): V3Outcome {
    const engineId = plain.securityParameters.engineId;
    // Our engine, or none (a discovery probe): we are authoritative (an inform). Any other engine: a trap's sender.
    const authoritative = engineId.length === 0 || this.#isOwn(engineId);
    let userLevel: SecurityLevel = 'noAuthNoPriv';
    const keysFor = (store: UsmKeyStore | undefined, name: string, id: Uint8Array) => {
      const keys = store?.keysFor(name, id);
      if (keys) userLevel = keys.level;
      return keys;
    };
    try {
      const decoded = authoritative
        ? decodeSecureMessage(bytes, (name, id) => keysFor(this.#own, name, id), {
            authoritativeEngineId: this.clock.engineId,
            timeliness: this.clock.timeliness,
          })
        : decodeSecureMessage(
            bytes,
            (name, id) => keysFor(this.#senders.get(Buffer.from(id).toString('hex')), name, id),
            { timeliness: this.#senderTimes.timeliness },
          );
      return { kind: 'accepted', message: decoded.message, level: decoded.level, userLevel, keys: decoded.keys };
    } catch (error) {
      if (!(error instanceof UsmError)) throw error;
      const reason = error.reason;
      if (reason === 'invalidMsgFlags') return { kind: 'refused', reason, report: undefined };
      const counter = this.#usmStats.count(reason);
      // Only the authoritative engine reports (RFC 3412 §7.2 step 3 and RFC 3414 §3.2): a trap is never reportable,
      // and a report about a sender's engine would claim an engine that is not ours.
      const reportable = (plain.msgFlags & 0x04) !== 0 && authoritative;
      if (!reportable) return { kind: 'refused', reason, report: undefined };
      const { boots, time } = this.clock.read();
      const report = usmReportMessage({
        received: error.received ?? plain,
        counter,
        engineId: this.clock.engineId,
        engineBoots: boots,
        engineTime: time,
      });
      // The time-window report is authenticated (RFC 3414 §3.2 step 7a): the sender must trust the time in it.
      const keys =
        reason === 'notInTimeWindow'
          ? this.#own.keysFor(plain.securityParameters.userName, this.clock.engineId, 'authNoPriv')
          : undefined;
      return { kind: 'refused', reason, report: encodeSecureMessage(report, keys) };
    }
  }

  /** The Response to an InformRequest (RFC 3416 §4.2.7): same msgID, user, level and context, our engine's time. */
  acknowledge(request: V3Message, keys: LocalizedKeys | undefined, pdu: BasicPdu): Uint8Array {
    const { boots, time } = this.clock.read();
    const scoped = request.scopedPdu!;
    const response: V3Message = {
      version: 3,
      msgId: request.msgId,
      msgMaxSize: 65507,
      msgFlags: 0,
      securityModel: 3,
      securityParameters: {
        engineId: this.clock.engineId,
        engineBoots: boots,
        engineTime: time,
        userName: request.securityParameters.userName,
        authParameters: EMPTY,
        privParameters: EMPTY,
      },
      scopedPdu: {
        contextEngineId: scoped.contextEngineId,
        contextName: scoped.contextName,
        pdu: { type: 'Response', requestId: pdu.requestId, errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds },
      },
    };
    return encodeSecureMessage(response, keys);
  }
}

/** snmpTraps: the generic traps' SNMPv2 identities are snmpTraps.(generic-trap + 1) (RFC 3584 §3.1). */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
export const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
export const SNMP_TRAP_COMMUNITY_0 = '1.3.6.1.6.3.18.1.4.0';
export const SNMP_TRAP_ENTERPRISE_0 = '1.3.6.1.6.3.1.1.4.3.0';

/**
 * An SNMPv1 Trap as the SNMPv2 notification it stands for (RFC 3584 §3.1): sysUpTime.0 from the time-stamp,
 * snmpTrapOID.0 (snmpTraps.N for the generic traps 0..5, else enterprise.0.specific-trap), the Trap's varbinds, then
 * snmpTrapAddress.0, snmpTrapCommunity.0 and snmpTrapEnterprise.0 unless the varbinds carry them already.
 */
export function translateTrapV1(pdu: TrapV1Pdu, community: string): { trapOid: string; varbinds: VarBind[] } {
  const trapOid =
    pdu.genericTrap >= 0 && pdu.genericTrap <= 5
      ? `${SNMP_TRAPS}.${pdu.genericTrap + 1}`
      : `${pdu.enterprise}.0.${pdu.specificTrap}`;
  const varbinds = notificationVarbinds(trapOid, pdu.timestamp, pdu.varbinds);
  const has = (oid: string) => pdu.varbinds.some((vb) => vb.oid === oid);
  if (!has(SNMP_TRAP_ADDRESS_0)) {
    varbinds.push({ oid: SNMP_TRAP_ADDRESS_0, value: { type: 'IpAddress', value: pdu.agentAddress } });
  }
  if (!has(SNMP_TRAP_COMMUNITY_0)) {
    varbinds.push({ oid: SNMP_TRAP_COMMUNITY_0, value: { type: 'OctetString', value: latin1Bytes(community) } });
  }
  if (!has(SNMP_TRAP_ENTERPRISE_0)) {
    varbinds.push({ oid: SNMP_TRAP_ENTERPRISE_0, value: { type: 'ObjectIdentifier', value: pdu.enterprise } });
  }
  return { trapOid, varbinds };
}

/** A community's bytes: communities are decoded as latin1, one byte per character. */
function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
