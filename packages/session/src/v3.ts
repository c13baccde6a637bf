import { uptime } from 'node:os';
import { type BasicPdu, MAX_UDP_MESSAGE_SIZE, type Pdu, type V3Message } from '@snmpkit/ber';
import {
  AuthoritativeClock,
  authProtocolNamed,
  decodeSecureMessage,
  discoveryProbe,
  EngineTimeCache,
  encodeSecureMessage,
  engineIdFrom,
  type KeyResolver,
  type LocalizedKeys,
  type Now,
  privProtocolNamed,
  randomEngineId,
  type SecurityLevel,
  securityLevelNamed,
  UsmConfigError,
  UsmError,
  UsmKeyStore,
  type UsmUser,
  type UsmUserInput,
  usmMessage,
  usmReportReason,
} from '@snmpkit/usm';
import { GeneralError } from './errors.js';
import type { IncomingMessage, MessageProcessingModel, OutgoingPdu, RequestPdu } from './message-processing.js';
import type { SnmpErrName } from './snmperr.js';

/**
 * A v3 user as the session takes it: @snmpkit/usm's user, its level and protocols in usm's names (`sha256`,
 * `aes`) or Net-SNMP's (`SHA-256`, `AES`, `authpriv`), so that a user written for Net-SNMP or the testkit works as
 * it is. The session reads them into usm's names (checkV3User).
 */
export type V3User = UsmUserInput;

export interface UsmMessageProcessingOptions {
  user: V3User;
  /** contextName of every request. Default ''. */
  contextName?: string;
  /** contextEngineID of every request (bytes or hex). Default: the engine ID discovered. */
  contextEngineId?: Uint8Array | string;
  /**
   * The agent's (authoritative) engine ID, when known (Net-SNMP's -e): no discovery probe is sent. An authenticated
   * user's first request then learns the engine's boots and time from a notInTimeWindow report and is resent.
   */
  engineId?: Uint8Array | string;
  /** msgMaxSize of every request. Default 65507. */
  msgMaxSize?: number;
  /**
   * The notion of the agent's boots and time (RFC 3414 §2.3). Default: one per session. Share one among sessions to
   * the same agents, or give one with a virtual clock (tests).
   */
  engineTimes?: EngineTimeCache;
  /** Clock for the default engineTimes and for the traps' engine clock, ms. Default Date.now. */
  now?: Now;
  /**
   * v3 traps: snmpEngineBoots of this sender's own engine (the trap's authoritative engine, RFC 3412 §7.1 step 9a).
   * Default 1.
   */
  engineBoots?: number;
  /**
   * v3 traps: snmpEngineTime of this sender's engine when its first trap goes out, seconds; it counts on from
   * there. Default: this host's uptime, so that the senders of separate runs from one engine ID (snmpkit trap -e)
   * send times that go up, as a receiver's time window wants (RFC 3414 §3.2 step 7b), without persisting anything.
   */
  engineTime?: number;
}

/** usmStats reasons, and the SNMPERR_* Net-SNMP reports each with (snmp_api.c, snmpv3_get_report_type). */
const REPORT_ERRORS: Record<string, SnmpErrName> = {
  unsupportedSecLevel: 'SNMPERR_UNSUPPORTED_SEC_LEVEL',
  notInTimeWindow: 'SNMPERR_NOT_IN_TIME_WINDOW',
  unknownUserName: 'SNMPERR_UNKNOWN_USER_NAME',
  unknownEngineID: 'SNMPERR_UNKNOWN_ENG_ID',
  wrongDigests: 'SNMPERR_AUTHENTICATION_FAILURE',
  decryptionErrors: 'SNMPERR_DECRYPTION_ERR',
};

/** Reports of other MIBs: SNMP-MPD-MIB's snmpMPDStats (RFC 3412) and SNMP-TARGET-MIB's context counters (RFC 3413). */
const OTHER_REPORTS: Record<string, [string, SnmpErrName]> = {
  '1.3.6.1.6.3.11.2.1.1.0': ['snmpUnknownSecurityModels', 'SNMPERR_UNKNOWN_SEC_MODEL'],
  '1.3.6.1.6.3.11.2.1.2.0': ['snmpInvalidMsgs', 'SNMPERR_INVALID_MSG'],
  '1.3.6.1.6.3.11.2.1.3.0': ['snmpUnknownPDUHandlers', 'SNMPERR_UNKNOWN_PDU'],
  '1.3.6.1.6.3.12.1.4.0': ['snmpUnavailableContexts', 'SNMPERR_BAD_CONTEXT'],
  '1.3.6.1.6.3.12.1.5.0': ['snmpUnknownContexts', 'SNMPERR_BAD_CONTEXT'],
};

/** A request's messages in flight: every msgID it was sent with (a late reply to any attempt is accepted). */
interface Outstanding {
  requestId: number;
  msgIds: number[];
  /** notInTimeWindow resynchronisations done for this request (one is allowed). */
  resyncs: number;
  /** unknownEngineID rediscoveries done for this request (one is allowed). */
  rediscoveries: number;
  /** The engine ID its last message was sent to (undefined: the discovery probe). */
  sentTo: Uint8Array | undefined;
}

/**
 * Checks a user as Net-SNMP's snmp_parse_args/usm would, with Net-SNMP's codes, and returns it with its level and
 * protocols in @snmpkit/usm's spelling: they may be given in any case and as Net-SNMP's `-l`/`-a`/`-x` take them
 * (`authpriv`, `SHA-256`, `AES-256-C`), as a configuration file written for Net-SNMP would. Names no secret.
 */
export function checkV3User(user: V3User | undefined): UsmUser {
  if (user === undefined || user === null || typeof user !== 'object') {
    throw new GeneralError('SNMPERR_BAD_SEC_NAME', { detail: 'a v3 session needs user: { name, level, ... }' });
  }
  if (typeof user.name !== 'string' || user.name === '') {
    throw new GeneralError('SNMPERR_BAD_SEC_NAME', { detail: 'the v3 user needs a non-empty name' });
  }
  const level = typeof user.level === 'string' ? securityLevelNamed(user.level) : undefined;
  if (level === undefined) {
    throw new GeneralError('SNMPERR_BAD_SEC_LEVEL', {
      detail: `level must be noAuthNoPriv, authNoPriv or authPriv, got ${JSON.stringify(user.level)}`,
    });
  }
  // The given names are replaced below by what they mean; a level that uses no protocol keeps none.
  const { authProtocol: _auth, privProtocol: _priv, ...rest } = user;
  const checked: UsmUser = { ...rest, level };
  if (level !== 'noAuthNoPriv' && user.authProtocol !== undefined) {
    const authProtocol = typeof user.authProtocol === 'string' ? authProtocolNamed(user.authProtocol) : undefined;
    if (authProtocol === undefined) {
      throw new GeneralError('SNMPERR_GENERR', {
        detail: `unknown authProtocol ${JSON.stringify(user.authProtocol)} (MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512)`,
      });
    }
    checked.authProtocol = authProtocol;
  }
  if (level === 'authPriv' && user.privProtocol !== undefined) {
    const privProtocol = typeof user.privProtocol === 'string' ? privProtocolNamed(user.privProtocol) : undefined;
    if (privProtocol === undefined) {
      throw new GeneralError('SNMPERR_GENERR', {
        detail: `unknown privProtocol ${JSON.stringify(user.privProtocol)} (DES, 3DES, AES, AES-192, AES-256, AES-192-C, AES-256-C)`,
      });
    }
    checked.privProtocol = privProtocol;
  }
  return checked;
}

function bytesOption(value: Uint8Array | string | undefined, name: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  try {
    return engineIdFrom(value, name);
  } catch (error) {
    if (!(error instanceof UsmConfigError)) throw error;
    throw new GeneralError('SNMPERR_BAD_ENG_ID', { detail: error.message, cause: error });
  }
}

/**
 * SNMPv3 with the User-based Security Model (RFC 3412 §7 and RFC 3414, the manager's side), on @snmpkit/usm:
 * engine discovery in `prepare`, a fresh msgID per attempt (replies matched by msgID, then by request-id), responses
 * accepted only at the request's security level, Reports turned into typed failures (usmStats → Net-SNMP's
 * SNMPERR_*), a notInTimeWindow Report answered by resynchronising and resending once, and an unknownEngineID
 * Report naming another engine (the agent replaced) answered by adopting that engine and resending once.
 */
export class UsmMessageProcessing implements MessageProcessingModel {
  readonly wireVersion = 3;
  readonly reencodeRetries = true;
  /** The user in @snmpkit/usm's names, without its passwords. */
  readonly user: Readonly<UsmUser>;
  readonly contextName: string;
  readonly engineTimes: EngineTimeCache;
  readonly #store: UsmKeyStore;
  readonly #msgMaxSize: number;
  readonly #contextEngineId: Uint8Array | undefined;
  #engineId: Uint8Array | undefined;
  /** The user's keys localized to the engine (undefined for noAuthNoPriv users, and before discovery). */
  #keys: LocalizedKeys | undefined;
  /** Discovery in progress: the probe's request-id. */
  #probeRequestId: number | undefined;
  readonly #byMsgId = new Map<number, Outstanding>();
  readonly #byRequestId = new Map<number, Outstanding>();
  #nextMsgId: number;
  readonly #resolver: KeyResolver;
  /** The engine ID given (-e), never a discovered one: a trap's engine is the sender's, not the receiver's. */
  readonly #givenEngineId: Uint8Array | undefined;
  #trapEngine: { clock: AuthoritativeClock; keys: LocalizedKeys | undefined } | undefined;
  readonly #engineBoots: number;
  readonly #engineTime: number | undefined;
  readonly #now: Now | undefined;

  constructor(options: UsmMessageProcessingOptions) {
    const user = checkV3User(options.user);
    try {
      this.#store = new UsmKeyStore([user]);
    } catch (error) {
      // A short password, a missing protocol: UsmConfigError's message names the user and field, no secret.
      if (error instanceof UsmConfigError) throw new GeneralError('SNMPERR_GENERR', { detail: error.message });
      throw error;
    }
    this.user = { ...this.#store.userInfo(user.name)! };
    this.contextName = options.contextName ?? '';
    this.#contextEngineId = bytesOption(options.contextEngineId, 'contextEngineId');
    this.#engineId = bytesOption(options.engineId, 'engineId');
    this.#givenEngineId = this.#engineId;
    this.#engineBoots = options.engineBoots ?? 1;
    if (!Number.isInteger(this.#engineBoots) || this.#engineBoots < 0 || this.#engineBoots > 0x7fffffff) {
      throw new GeneralError('SNMPERR_GENERR', { detail: `engineBoots must be an integer in 0..2147483647` });
    }
    this.#engineTime = options.engineTime;
    if (this.#engineTime !== undefined && !(Number.isInteger(this.#engineTime) && this.#engineTime >= 0)) {
      throw new GeneralError('SNMPERR_GENERR', { detail: `engineTime must be an integer >= 0` });
    }
    this.#now = options.now;
    this.#msgMaxSize = options.msgMaxSize ?? MAX_UDP_MESSAGE_SIZE;
    this.engineTimes = options.engineTimes ?? new EngineTimeCache(options.now ? { now: options.now } : {});
    // msgIDs count up from a random start (RFC 3412 §7.1 step 1 wants them unpredictable enough not to repeat).
    this.#nextMsgId = (crypto.getRandomValues(new Uint32Array(1))[0]! & 0x3fffffff) + 1;
    if (this.#engineId) this.#keys = this.#keysFor(this.#engineId);
    // Only this session's user is known: a message for another user (a spoof, another session's) does not decode.
    // The engine's own keys without the store's lookup (it keys engines by hex string: a cost on every message).
    this.#resolver = (userName, engineId) => {
      if (userName !== this.user.name) return undefined;
      const own = this.#engineId;
      if (own && this.#keys && sameBytes(engineId, own)) return this.#keys;
      return this.#store.keysFor(userName, engineId);
    };
  }

  /** The agent's engine ID (discovered, or given); undefined before discovery. */
  get engineId(): Uint8Array | undefined {
    return this.#engineId;
  }

  #keysFor(engineId: Uint8Array): LocalizedKeys | undefined {
    return this.user.level === 'noAuthNoPriv' ? undefined : this.#store.keysFor(this.user.name, engineId);
  }

  /** RFC 3414 §4: a reportable noAuthNoPriv probe; the agent's unknownEngineID Report carries its ID, boots, time. */
  async prepare(exchange: (pdu: RequestPdu) => Promise<BasicPdu>): Promise<void> {
    if (this.#engineId) return;
    const probe: BasicPdu = { type: 'GetRequest', requestId: 0, errorStatus: 0, errorIndex: 0, varbinds: [] };
    this.#probeRequestId = -1;
    try {
      await exchange(probe);
    } finally {
      this.#probeRequestId = undefined;
    }
    if (!this.#engineId) {
      throw new GeneralError('SNMPERR_BAD_ENG_ID', {
        detail: 'the agent answered the discovery probe without a Report',
      });
    }
  }

  #takeMsgId(): number {
    const id = this.#nextMsgId;
    this.#nextMsgId = id >= 0x7fffffff ? 1 : id + 1;
    return id;
  }

  /**
   * The engine v3 traps are sent from: the engine ID given (Net-SNMP's snmptrap -e), else one made up for this
   * model (never the receiver's discovered one: the sender of a trap is its authoritative engine).
   */
  get trapEngineId(): Uint8Array {
    return this.#trapSender().clock.engineId;
  }

  #trapSender(): { clock: AuthoritativeClock; keys: LocalizedKeys | undefined } {
    if (!this.#trapEngine) {
      const engineId = this.#givenEngineId ?? randomEngineId();
      const clock = new AuthoritativeClock({
        engineId,
        boots: this.#engineBoots,
        time: this.#engineTime ?? Math.min(Math.floor(uptime()), 0x7fffffff),
        ...(this.#now ? { now: this.#now } : {}),
      });
      this.#trapEngine = { clock, keys: this.#keysFor(engineId) };
    }
    return this.#trapEngine;
  }

  /** An SNMPv2-Trap from this sender's own engine: its boots and time, keys localized to it, not reportable. */
  #encodeTrap(pdu: BasicPdu): Uint8Array {
    const { clock, keys } = this.#trapSender();
    const engineId = clock.engineId;
    const { boots, time } = clock.read();
    const message = usmMessage({
      msgId: this.#takeMsgId(),
      msgMaxSize: this.#msgMaxSize,
      // RFC 3412 §7.1 step 4: an unconfirmed-class PDU is not reportable (nobody answers a trap).
      reportable: false,
      engineId,
      engineBoots: boots,
      engineTime: time,
      userName: this.user.name,
      contextEngineId: this.#contextEngineId ?? engineId,
      contextName: this.contextName,
      pdu,
    });
    return encodeSecureMessage(message, keys);
  }

  encodeRequest(pdu: OutgoingPdu, _attempt: number): Uint8Array {
    if (pdu.type === 'TrapV1') {
      throw new GeneralError('SNMPERR_V1_IN_V2', { detail: 'a v1 Trap PDU cannot go in an SNMPv3 message' });
    }
    if (pdu.type === 'TrapV2') return this.#encodeTrap(pdu);
    const msgId = this.#takeMsgId();
    let outstanding = this.#byRequestId.get(pdu.requestId);
    if (!outstanding) {
      outstanding = { requestId: pdu.requestId, msgIds: [], resyncs: 0, rediscoveries: 0, sentTo: undefined };
      this.#byRequestId.set(pdu.requestId, outstanding);
    }
    outstanding.msgIds.push(msgId);
    this.#byMsgId.set(msgId, outstanding);

    const engineId = this.#engineId;
    outstanding.sentTo = engineId;
    if (!engineId) {
      // Discovery: the probe goes out as RFC 3414 §4 has it (empty engine ID, user and varbinds).
      if (this.#probeRequestId === undefined) {
        throw new GeneralError('SNMPERR_BAD_ENG_ID', { detail: 'the engine ID is not discovered yet' });
      }
      this.#probeRequestId = pdu.requestId;
      return encodeSecureMessage(discoveryProbe(msgId, pdu, this.#msgMaxSize), undefined);
    }
    const clock = this.engineTimes.get(engineId) ?? { boots: 0, time: 0 };
    const message = usmMessage({
      msgId,
      msgMaxSize: this.#msgMaxSize,
      // Reportable: the agent is to say why it refuses (RFC 3412 §6.4: requests are reportable).
      reportable: true,
      engineId,
      engineBoots: clock.boots,
      engineTime: clock.time,
      userName: this.user.name,
      contextEngineId: this.#contextEngineId ?? engineId,
      contextName: this.contextName,
      pdu,
    });
    return encodeSecureMessage(message, this.#keys);
  }

  /** The dispatcher is done with this request: its msgIDs are forgotten (a later reply is an unknown one). */
  settled(requestId: number): void {
    const outstanding = this.#byRequestId.get(requestId);
    if (!outstanding) return;
    this.#byRequestId.delete(requestId);
    for (const id of outstanding.msgIds) this.#byMsgId.delete(id);
  }

  decodeIncoming(bytes: Uint8Array): IncomingMessage {
    let decoded: ReturnType<typeof decodeSecureMessage>;
    try {
      decoded = decodeSecureMessage(bytes, this.#resolver, { timeliness: this.engineTimes.timeliness });
    } catch (error) {
      // RFC 3414 §3.2 step 7b refuses an authenticated message from an engine whose boots went down. If it is a
      // notInTimeWindow Report (authenticated, so from someone who holds the keys), the agent lost its boots
      // counter: follow it, as a resynchronisation.
      if (!(error instanceof UsmError && error.reason === 'notInTimeWindow')) throw error;
      decoded = decodeSecureMessage(bytes, this.#resolver);
      if (usmReportReason(decoded.message.scopedPdu!.pdu) !== 'notInTimeWindow') throw error;
    }
    const incoming = this.#classify(decoded);
    if (decoded.trailingBytes > 0) incoming.trailingBytes = decoded.trailingBytes;
    return incoming;
  }

  /** What a message that passed USM's checks is to the requests in flight. */
  #classify({ message, level }: ReturnType<typeof decodeSecureMessage>): IncomingMessage {
    const pdu: Pdu = message.scopedPdu!.pdu;
    const outstanding = this.#byMsgId.get(message.msgId);
    if (!outstanding) {
      // Not an answer to any message in flight: the dispatcher counts it, by the PDU's request-id, as late or unknown.
      if (pdu.type === 'Response' || pdu.type === 'Report') return { kind: 'response', requestId: -1, pdu };
      return { kind: 'ignored', reason: pdu.type };
    }
    const requestId = outstanding.requestId;
    if (pdu.type === 'Report') return this.#report(message, level, pdu, outstanding);
    if (pdu.type !== 'Response') return { kind: 'ignored', reason: pdu.type };
    if (pdu.requestId !== requestId) return { kind: 'ignored', reason: 'request-id does not match the msgID' };
    // RFC 3412 §7.2 step 12: a Response comes at the request's security level, from the engine asked.
    const wanted = this.#keys?.level ?? 'noAuthNoPriv';
    if (level !== wanted) return { kind: 'ignored', reason: `a ${level} response to a ${wanted} request` };
    if (!this.#engineId || !sameBytes(message.securityParameters.engineId, this.#engineId)) {
      return { kind: 'ignored', reason: 'a response from another engine' };
    }
    return { kind: 'response', requestId, pdu };
  }

  /** The agent's engine is now this one: its keys, its boots and time (discovery, rediscovery). */
  #adopt(engineId: Uint8Array, boots: number, time: number): void {
    this.#engineId = Uint8Array.from(engineId);
    this.#keys = this.#keysFor(this.#engineId);
    this.engineTimes.set(this.#engineId, boots, time);
  }

  /**
   * An unknownEngineID Report to a request may move the session to the engine it names when: the engine ID was
   * discovered, not given (a given `engineId` is the caller's word, kept as Net-SNMP keeps -e: the request fails);
   * the request has not been rediscovered already (once per request: Reports are unauthenticated, so a spoofer can
   * cost a request, never loop one); and the Report names an engine other than the one the request went to (an agent
   * refusing its own engine ID is not one to follow).
   */
  #mayRediscover(reported: Uint8Array, outstanding: Outstanding): boolean {
    return (
      this.#givenEngineId === undefined &&
      this.#engineId !== undefined &&
      outstanding.rediscoveries === 0 &&
      reported.length > 0 &&
      outstanding.sentTo !== undefined &&
      !sameBytes(reported, outstanding.sentTo)
    );
  }

  #report(message: V3Message, level: SecurityLevel, pdu: BasicPdu, outstanding: Outstanding): IncomingMessage {
    const requestId = outstanding.requestId;
    const sp = message.securityParameters;
    const reason = usmReportReason(pdu);
    if (requestId === this.#probeRequestId) {
      if (reason !== 'unknownEngineID' || sp.engineId.length === 0) {
        return { kind: 'failure', requestId, error: reportError(pdu, reason, 'to the discovery probe') };
      }
      this.#adopt(sp.engineId, sp.engineBoots, sp.engineTime);
      return { kind: 'response', requestId, pdu };
    }
    if (reason === 'notInTimeWindow' && level !== 'noAuthNoPriv' && outstanding.resyncs === 0) {
      // RFC 3414 §3.2 step 7a sends this Report authenticated with the agent's boots and time now: resynchronise
      // (the agent restarted, or our notion drifted) and send the request once more.
      outstanding.resyncs++;
      this.engineTimes.set(sp.engineId, sp.engineBoots, sp.engineTime);
      return { kind: 'resend', requestId, cause: 'resync' };
    }
    if (reason === 'unknownEngineID' && this.#mayRediscover(sp.engineId, outstanding)) {
      // The agent does not know the engine ID it was sent to and names its own: it was replaced, or lost its state
      // and made a new one. Follow it (a discovery, as at open: the Report carries the ID, boots and time) and send
      // the request once more, its keys localized to the new engine. A request whose message already went to the
      // engine this Report names (another request's rediscovery got there first) is only resent.
      outstanding.rediscoveries++;
      if (sameBytes(sp.engineId, this.#engineId!)) return { kind: 'resend', requestId };
      this.#adopt(sp.engineId, sp.engineBoots, sp.engineTime);
      return { kind: 'resend', requestId, cause: 'rediscovery' };
    }
    return { kind: 'failure', requestId, error: reportError(pdu, reason, '') };
  }
}

function reportError(pdu: BasicPdu, reason: string | undefined, context: string): GeneralError {
  const vb = pdu.varbinds[0];
  const counter = vb && vb.value.type === 'Counter32' ? ` = ${vb.value.value}` : '';
  const where = context ? ` ${context}` : '';
  if (reason !== undefined) {
    return new GeneralError(REPORT_ERRORS[reason]!, { detail: `the agent reported ${reason}${counter}${where}` });
  }
  const other = vb ? OTHER_REPORTS[vb.oid] : undefined;
  if (other) return new GeneralError(other[1], { detail: `the agent reported ${other[0]}${counter}${where}` });
  return new GeneralError('SNMPERR_UNKNOWN_REPORT', { detail: `a Report of ${vb?.oid ?? 'nothing'}${where}` });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
