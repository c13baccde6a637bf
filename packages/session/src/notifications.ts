import {
  type BasicPdu,
  type CommunityMessage,
  decodeMessage,
  encodeMessage,
  type TrapV1Pdu,
  type V3Message,
  type VarBind,
} from '@snmpkit/ber';
import { listen, type MessageSource, type TransportKind } from '@snmpkit/transport';
import { levelCovers, type Now, type SecurityLevel } from '@snmpkit/usm';
import { GeneralError, generalErrorOf } from './errors.js';
import { type NotificationUser, ReceiverUsm, type V3Outcome } from './receiver-usm.js';
import { SNMP_TRAP_OID_0, translateTrapV1 } from './trap-translation.js';
import { describeValue, unknownOptionName } from './validate.js';

/** Bound on the informs remembered to recognise retransmissions. */
const MAX_REMEMBERED_INFORMS = 10_000;

/** The default port of notification receivers (snmptrapd's). */
export const NOTIFICATION_PORT = 162;

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
  /**
   * The notification's identity: snmpTrapOID.0's value (v2c, v3; undefined when the sender left it out), or for a v1
   * Trap its SNMPv2 name by RFC 3584 §3.1 (snmpTraps.(generic-trap + 1) for the generic traps, else
   * enterprise.0.specific-trap), as snmptrapd gives it to its trap handlers.
   */
  trapOid: string | undefined;
  /**
   * The varbinds in SNMPv2 form: v2c and v3 as received; a v1 Trap translated by RFC 3584 §3.1 as snmptrapd does
   * (sysUpTime.0 from the time-stamp, snmpTrapOID.0, the Trap's varbinds, then snmpTrapAddress.0,
   * snmpTrapCommunity.0 and snmpTrapEnterprise.0). `pdu` keeps the PDU as it came.
   */
  varbinds: VarBind[];
  /** Where it came from, and on which of the receiver's endpoints. */
  source: MessageSource;
  endpoint: string;
}

/** A v3 message the receiver's USM refused (RFC 3414 §3.2), as `onSecurityFailure` gets it. Holds no secret. */
export interface NotificationSecurityFailure {
  /**
   * The usmStats reason: `wrongDigests` (wrong authentication password or protocol), `decryptionErrors` (wrong
   * privacy password or protocol), `unknownUserName`, `unknownEngineID`, `notInTimeWindow`, `unsupportedSecLevel`,
   * or `invalidMsgFlags`.
   */
  reason: string;
  /** The user name the message claims. */
  userName: string;
  /** The message's authoritative engine ID, hex, lower case (the sender's for a trap, '' for a discovery probe). */
  engineId: string;
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
  /**
   * Called for each v3 message USM refused (also counted in `stats.droppedSecurity`): a wrong password, an unknown
   * user or engine, a message outside the time window. snmptrapd logs `Authentication failed for USER` for the first;
   * `snmpkit trapd` prints that from here. What it throws is dropped.
   */
  onSecurityFailure?: (failure: NotificationSecurityFailure) => void;
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

  /**
   * The options as given: they hold the users' passwords, so they live in a #private field, which console.log,
   * util.inspect and JSON.stringify do not print (a TypeScript `private` property they do).
   */
  readonly #options: NotificationReceiverOptions;

  private constructor(options: NotificationReceiverOptions) {
    this.#options = options;
    this.usm = options.users && options.users.length > 0 ? new ReceiverUsm(options) : undefined;
  }

  /** This receiver's own engine ID (informs' authoritative engine); undefined without v3 users. */
  get engineId(): Uint8Array | undefined {
    return this.usm?.engineId;
  }

  static async listen(options: NotificationReceiverOptions): Promise<NotificationReceiver> {
    const endpoints = checkReceiverOptions(options);
    const receiver = new NotificationReceiver(options);
    try {
      for (const endpoint of endpoints) await receiver.listenOn(endpoint);
    } catch (error) {
      await receiver.close();
      throw error;
    }
    return receiver;
  }

  private async listenOn(endpointText: string): Promise<void> {
    // The endpoint as bound (its real port), known once listening: no message arrives before.
    let bound = endpointText;
    const listener = await listen(endpointText, {
      defaultPort: NOTIFICATION_PORT,
      onMessage: (message, remote) => this.handle(message, remote.source, bound, (reply) => remote.send(reply)),
      onBadStream: () => {
        this.stats.droppedUndecodable++;
      },
    }).catch((error: unknown) => {
      throw generalErrorOf(error);
    });
    const { transport, address, port, endpoint } = listener;
    bound = endpoint;
    this.endpoints.push({ transport, address, port, endpoint });
    this.closers.push(() => listener.close());
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
    const { communities } = this.#options;
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
    const { trapOid, varbinds } =
      pdu.type === 'TrapV1'
        ? translateTrapV1(pdu, message.community)
        : { trapOid: trapOidOf(pdu.varbinds), varbinds: pdu.varbinds };
    this.deliver({
      version: message.version,
      community: message.community,
      pdu: pdu as Notification['pdu'],
      trapOid,
      varbinds,
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
      this.securityFailed({
        reason: outcome.reason,
        userName: plain.securityParameters.userName,
        engineId: Buffer.from(plain.securityParameters.engineId).toString('hex'),
        source: { address: source.address, port: source.port },
        endpoint,
      });
      return;
    }
    const { message, level } = outcome;
    if (!levelCovers(level, outcome.userLevel)) {
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
      trapOid: trapOidOf(pdu.varbinds),
      varbinds: pdu.varbinds,
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
      const result: unknown = this.#options.onNotification(notification);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.handlerFailed(error, notification));
    } catch (error) {
      this.handlerFailed(error, notification);
    }
  }

  private securityFailed(failure: NotificationSecurityFailure): void {
    try {
      this.#options.onSecurityFailure?.(failure);
    } catch {
      // Like onError's: a hook that throws has nowhere to go but the socket's event handler, which it would crash.
    }
  }

  private handlerFailed(error: unknown, notification: Notification): void {
    this.stats.handlerErrors++;
    const { onError } = this.#options;
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
    const now = (this.#options.now ?? Date.now)();
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
    this.recentInforms.set(key, now + (this.#options.retransmissionWindowMs ?? 150_000));
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
  onSecurityFailure: true,
};

/** A receiver option that cannot work: GeneralError SNMPERR_GENERR, as Session.open's option errors. */
function optionError(detail: string): GeneralError {
  return new GeneralError('SNMPERR_GENERR', { detail });
}

function checkReceiverOptions(options: NotificationReceiverOptions): readonly string[] {
  if (options === null || typeof options !== 'object') {
    throw optionError('NotificationReceiver.listen takes an options object: { listen, onNotification, ... }');
  }
  const unknown = unknownOptionName(options, RECEIVER_OPTION_NAMES);
  if (unknown !== undefined) throw optionError(unknown);
  const { listen, onNotification, onError } = options;
  const endpoints = typeof listen === 'string' ? [listen] : listen;
  if (!Array.isArray(endpoints) || endpoints.some((e) => typeof e !== 'string')) {
    throw optionError(
      `option listen must be an endpoint string or an array of them (e.g. 'udp:0.0.0.0:162'), got ${describeValue(listen)}`,
    );
  }
  if (endpoints.length === 0) {
    throw optionError("option listen is empty: give at least one endpoint (e.g. 'udp:0.0.0.0:162')");
  }
  if (typeof onNotification !== 'function') {
    throw optionError(`option onNotification must be a function, got ${describeValue(onNotification)}`);
  }
  for (const [name, hook] of [
    ['onError', onError],
    ['onSecurityFailure', options.onSecurityFailure],
  ] as const) {
    if (hook !== undefined && typeof hook !== 'function') {
      throw optionError(`option ${name} must be a function, got ${describeValue(hook)}`);
    }
  }
  return endpoints;
}

/** snmpTrapOID.0's value among a notification's varbinds, when it is there and an OID. */
function trapOidOf(varbinds: readonly VarBind[]): string | undefined {
  const value = varbinds.find((vb) => vb.oid === SNMP_TRAP_OID_0)?.value;
  return value?.type === 'ObjectIdentifier' ? value.value : undefined;
}
