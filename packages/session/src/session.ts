import { uptime } from 'node:os';
import { type BasicPdu, compareOids, isException, oidStartsWith, type SnmpValue, type VarBind } from '@snmpkit/ber';
import { Dispatcher, MAX_ATTEMPT_WAIT_MS, type SessionStats } from './dispatcher.js';
import { GeneralError, RequestAbortedError, RequestTimeoutError, ResponseError } from './errors.js';
import { CommunityMessageProcessing, type MessageProcessingModel, type RequestPdu } from './message-processing.js';
import { notificationVarbinds } from './notifications.js';
import { DEFAULT_PORT, type ResolvedPeer, resolvePeer } from './peer.js';
import { ErrorStatus } from './snmperr.js';
import { type ClientTransport, TcpTransport, UdpTransport } from './transports.js';
import { UsmMessageProcessing, type V3User } from './v3.js';
import {
  checkBulkCounts,
  checkOid,
  checkOids,
  checkSetVarbind,
  checkTimeTicks,
  describeValue,
  isValidIpv4,
  unknownOptionName,
} from './validate.js';

/** SNMP versions as people write them: '1' and '2c' (and 1, 2 for the same), '3' or 3. */
export type SnmpVersion = '1' | '2c' | '3' | 1 | 2 | 3;

export interface SessionOptions {
  /** Net-SNMP peer name: `[udp:|udp6:|tcp:|tcp6:]host[:port]`, `[::1]:161`... Required unless `transport` is given. */
  peer?: string;
  /** Default '2c'. */
  version?: SnmpVersion;
  /**
   * v1/v2c community. Default 'public'. Text is sent one byte per character (latin1); a community that is not text
   * can be given as bytes.
   */
  community?: string | Uint8Array;
  /** Wait for the first attempt, ms: 1 to 2^31-1. Default 1000. */
  timeout?: number;
  /**
   * Attempts after the first. Default 5: with the default timeout and backoff a dead agent fails a request after
   * 1 + 2 + 4 + 8 + 16 + 32 = 63 s (Net-SNMP's constant wait, `backoff: 1`, gives 6 s).
   */
  retries?: number;
  /**
   * Each retry waits `backoff` times longer than the previous attempt, up to 2^31-1 ms per attempt (Node's longest
   * timer). Default 2; 1 is Net-SNMP's constant wait.
   */
  backoff?: number;
  /** Local address to bind, an address or a host name (default: any). */
  localAddress?: string;
  /** Local port to bind, an integer in 0..65535 (default 0: picked by the system). */
  localPort?: number;
  /**
   * Use this transport instead of opening a socket (tests, the simulator's in-memory transport). Replies are then
   * accepted from any source unless `peer` is also given, in which case they must come from its address and port.
   */
  transport?: ClientTransport;
  /** Largest request to send, bytes; larger ones fail with SNMPERR_TOO_LONG before sending. Default 65507. */
  maxMessageSize?: number;
  /**
   * The port when the peer name has none, for every operation. Default 161, notifications included: the peer is
   * resolved at open, before anyone knows what will be sent. A session that sends traps or informs to a manager
   * gives 162 here or in the peer name (Net-SNMP's snmptrap defaults to 162).
   */
  defaultPort?: number;
  /** max-repetitions of the GETBULKs a walk sends. Default 10, as Net-SNMP's snmpbulkwalk. */
  maxRepetitions?: number;
  /**
   * Walks use GETBULK on v2c and v3 (default true). false: GETNEXT, for agents without GETBULK. While no GETBULK
   * of the session has been answered, a walk's first GETBULK is sent once; if it gets no answer and a GETNEXT for
   * the same OID does, the walk goes on with GETNEXT and the session remembers it (see `walk`).
   */
  useGetBulk?: boolean;
  /** v3: the user (USM). Required for version 3 unless `messageProcessing` is given. */
  user?: V3User;
  /** v3: the contextName of every request. Default ''. */
  contextName?: string;
  /** v3: the contextEngineID of every request (bytes or hex). Default: the engine ID discovered. */
  contextEngineId?: Uint8Array | string;
  /**
   * v3: the agent's engine ID (bytes or hex) when known beforehand (Net-SNMP's -e): no discovery probe. Default:
   * discovered when the session opens. For v3 traps it is the sender's own engine ID, as snmptrap's -e (the
   * sender is a trap's authoritative engine); without it traps go out from an engine ID made up for the session.
   * A session that only sends traps gives it, so that opening does not probe the receiver.
   */
  engineId?: Uint8Array | string;
  /** v3 traps: snmpEngineBoots of the sender's engine. Default 1. */
  engineBoots?: number;
  /** v3 traps: snmpEngineTime of the sender's engine at its first trap, seconds. Default: this host's uptime. */
  engineTime?: number;
  /** The message processing model (the security-model plug-in point). Default: community-based or USM, from version. */
  messageProcessing?: MessageProcessingModel;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface GetBulkOptions extends RequestOptions {
  /** Default 0. */
  nonRepeaters?: number;
  /** Default 10. */
  maxRepetitions?: number;
}

export interface NotificationOptions {
  /** sysUpTime.0 of the notification, hundredths of a second. Default: this host's uptime. */
  uptime?: number;
}

/** A v1 Trap (RFC 1157 §4.1.6). */
export interface TrapV1Options {
  enterprise: string;
  /** Default '0.0.0.0'. */
  agentAddress?: string;
  /** 0 coldStart .. 5 egpNeighborLoss, 6 enterpriseSpecific. */
  genericTrap: number;
  specificTrap?: number;
  /** Hundredths of a second. Default: this host's uptime. */
  timestamp?: number;
  varbinds?: readonly VarBind[];
}

export interface WalkOptions extends RequestOptions {
  /** max-repetitions per GETBULK (v2c). Default: the session's `maxRepetitions`. */
  maxRepetitions?: number;
  /**
   * When the subtree holds nothing, GET the root itself and yield it if it exists, as snmpwalk does (so that a
   * walk of `sysDescr.0` gives sysDescr.0). Default true; Net-SNMP's -CI turns it off.
   */
  getRootIfEmpty?: boolean;
  /**
   * true: GETBULK (v2c, v3), with the session's retries. false: GETNEXT. Default: GETBULK unless the session was
   * opened with `useGetBulk: false` or has found that the agent does not answer GETBULK (the fallback).
   */
  getBulk?: boolean;
}

/** A table's rows keyed by index (the OID arcs after entry.column, dotted); each row maps column number to value. */
export type TableRows = Map<string, Map<number, SnmpValue>>;

const DEFAULT_MAX_MESSAGE = 65507;

function wireVersionOf(version: SnmpVersion): 0 | 1 | 3 {
  switch (version) {
    case '1':
    case 1:
      return 0;
    case '2c':
    case 2:
      return 1;
    case '3':
    case 3:
      return 3;
    default:
      throw new GeneralError('SNMPERR_BAD_VERSION', { detail: `version ${JSON.stringify(version)}` });
  }
}

function checkTiming(name: string, value: number, min: number, integer: boolean): number {
  if (typeof value !== 'number') {
    // From plain JavaScript or a configuration file: '1000' would otherwise read as if 1000 were refused.
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `option ${name} must be a number, got ${describeValue(value)}`,
    });
  }
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `option ${name} must be ${integer ? 'an integer ' : 'a number '}>= ${min}, got ${value}`,
    });
  }
  return value;
}

/** The first attempt's wait: a timer cannot wait longer than MAX_ATTEMPT_WAIT_MS (Node would fire it at once). */
function checkTimeout(value: number): number {
  checkTiming('timeout', value, 1, false);
  if (value > MAX_ATTEMPT_WAIT_MS) {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `option timeout must be at most ${MAX_ATTEMPT_WAIT_MS} ms (2^31-1, about 24.8 days: Node's longest timer), got ${value}`,
    });
  }
  return value;
}

/**
 * The local binding, checked before any socket exists: Node's bind would take 70000 as 4464, -1 as 65535, 1.5 as 1
 * and 'abc' as a port of its choosing.
 */
function checkLocalBinding({ localPort, localAddress }: SessionOptions): void {
  if (localPort !== undefined && !(Number.isInteger(localPort) && localPort >= 0 && localPort <= 65535)) {
    throw new GeneralError('SNMPERR_BAD_LOCPORT', {
      detail: `option localPort must be an integer in 0..65535 (0: picked by the system), got ${describeValue(localPort)}`,
    });
  }
  if (localAddress !== undefined && (typeof localAddress !== 'string' || localAddress === '')) {
    throw new GeneralError('SNMPERR_BAD_LOCPORT', {
      detail: `option localAddress must be an address or host name, got ${describeValue(localAddress)}`,
    });
  }
}

/**
 * A client session with one agent: one socket, many requests in flight, retries with backoff, typed errors.
 * Open with `Session.open(options)`; close with `close()`.
 */
export class Session {
  /** Counters of requests, retries, responses and dropped messages. */
  readonly stats: SessionStats;
  /** The peer name as given (or '(transport)' for an injected transport without one). */
  readonly peer: string;
  /** The wire version: 0 for v1, 1 for v2c, 3 for v3. */
  readonly wireVersion: 0 | 1 | 3;
  /** The resolved peer, undefined for an injected transport without `peer`. */
  readonly resolvedPeer: ResolvedPeer | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly maxRepetitions: number;
  /**
   * What the session knows of the agent's GETBULK: 'unknown' until one is answered ('works') or a walk's fallback
   * found it unanswered while GETNEXT is ('unsupported'), or the session was opened with useGetBulk: false.
   */
  private bulk: 'unknown' | 'works' | 'unsupported';

  private constructor(
    dispatcher: Dispatcher,
    peer: string,
    resolvedPeer: ResolvedPeer | undefined,
    wireVersion: 0 | 1 | 3,
    maxRepetitions: number,
    useGetBulk: boolean,
  ) {
    this.bulk = useGetBulk ? 'unknown' : 'unsupported';
    this.dispatcher = dispatcher;
    this.stats = dispatcher.stats;
    this.peer = peer;
    this.resolvedPeer = resolvedPeer;
    this.wireVersion = wireVersion;
    this.maxRepetitions = maxRepetitions;
  }

  static async open(options: SessionOptions): Promise<Session> {
    checkOptionNames(options);
    const wireVersion = wireVersionOf(options.version ?? '2c');
    const timeoutMs = checkTimeout(options.timeout ?? 1000);
    const retries = checkTiming('retries', options.retries ?? 5, 0, true);
    const backoff = checkTiming('backoff', options.backoff ?? 2, 1, false);
    const maxRepetitions = options.maxRepetitions ?? 10;
    checkWalkRepetitions(maxRepetitions, 'option maxRepetitions');
    if (options.useGetBulk !== undefined && typeof options.useGetBulk !== 'boolean') {
      throw new GeneralError('SNMPERR_GENERR', {
        detail: `option useGetBulk must be true or false, got ${describeValue(options.useGetBulk)}`,
      });
    }
    const maxMessageSize = checkTiming('maxMessageSize', options.maxMessageSize ?? DEFAULT_MAX_MESSAGE, 484, true);
    let model = options.messageProcessing;
    if (!model) {
      model =
        wireVersion === 3
          ? new UsmMessageProcessing({
              // checkV3User (in the model) says what is missing with Net-SNMP's codes.
              user: options.user as V3User,
              contextName: options.contextName,
              contextEngineId: options.contextEngineId,
              engineId: options.engineId,
              ...(options.engineBoots !== undefined ? { engineBoots: options.engineBoots } : {}),
              ...(options.engineTime !== undefined ? { engineTime: options.engineTime } : {}),
              msgMaxSize: maxMessageSize,
            })
          : new CommunityMessageProcessing(wireVersion, communityText(options.community ?? 'public'));
    } else if (model.wireVersion !== wireVersion && options.version !== undefined) {
      throw new GeneralError('SNMPERR_BAD_VERSION', {
        detail: `version ${String(options.version)} with a message processing model of wire version ${model.wireVersion}`,
      });
    }
    if (options.peer === undefined && options.transport === undefined) {
      throw new GeneralError('SNMPERR_BAD_ADDRESS', { detail: 'give a peer or a transport' });
    }
    if (options.peer !== undefined && typeof options.peer !== 'string') {
      throw new GeneralError('SNMPERR_BAD_ADDRESS', {
        detail: `option peer must be a peer name such as 'udp:192.0.2.1:161', got ${describeValue(options.peer)}`,
      });
    }
    const defaultPort = checkTiming('defaultPort', options.defaultPort ?? DEFAULT_PORT, 1, true);
    checkLocalBinding(options);
    const resolved = options.peer === undefined ? undefined : await resolvePeer(options.peer, defaultPort);
    let transport = options.transport;
    if (!transport) {
      const peer = resolved!;
      const local = { localAddress: options.localAddress, localPort: options.localPort };
      transport =
        peer.transport === 'tcp' || peer.transport === 'tcp6'
          ? await TcpTransport.open(peer, local)
          : await UdpTransport.open(peer, local);
    }
    const dispatcher = new Dispatcher(
      transport,
      model,
      { timeoutMs, retries, backoff },
      resolved && { address: resolved.address, port: resolved.port },
      options.peer ?? '(transport)',
      maxMessageSize,
    );
    const session = new Session(
      dispatcher,
      options.peer ?? '(transport)',
      resolved,
      model.wireVersion,
      maxRepetitions,
      options.useGetBulk ?? true,
    );
    if (model.prepare) {
      try {
        await model.prepare((pdu) => dispatcher.request(pdu));
      } catch (error) {
        dispatcher.close();
        throw error;
      }
    }
    return session;
  }

  /** The message processing model: v3's holds the engine ID and the notion of the engine's time. */
  get messageProcessing(): MessageProcessingModel {
    return this.dispatcher.model;
  }

  /** Requests in flight. */
  get pending(): number {
    return this.dispatcher.pendingCount;
  }

  /**
   * Sends a request PDU as it is (its request-id is assigned) and resolves with the Response PDU, whatever its
   * error-status: the building block of the operations below and of the raw facade.
   */
  request(pdu: RequestPdu, options: RequestOptions = {}): Promise<BasicPdu> {
    return this.dispatcher.request({ ...pdu }, options.signal);
  }

  private send(pdu: RequestPdu, options: RequestOptions): Promise<VarBind[]> {
    return this.dispatcher.request(pdu, options.signal).then((response) => checkResponse(response, pdu));
  }

  /**
   * One step of a walk from `from`: the response's varbinds, or null when a v1 agent says noSuchName (the end),
   * and a way to cancel the request. `bulk` says whether the step is a GETBULK.
   */
  private walkStep(from: string, bulk: boolean, maxRepetitions: number, signal: AbortSignal | undefined): WalkStep {
    const varbinds = [{ oid: from, value: NULL }];
    const pdu: RequestPdu = bulk
      ? { type: 'GetBulkRequest', requestId: 0, nonRepeaters: 0, maxRepetitions, varbinds }
      : basicPdu('GetNextRequest', varbinds);
    let result: Promise<VarBind[] | null> = this.send(pdu, { signal });
    if (bulk) {
      result = result.then((vbs) => {
        this.learnBulkWorks();
        return vbs;
      });
    }
    if (this.wireVersion === 0) result = result.catch(endOnNoSuchName);
    return { cancel: (reason) => this.dispatcher.cancel(pdu, reason), result };
  }

  private learnBulkWorks(): void {
    if (this.bulk === 'unknown') this.bulk = 'works';
  }

  /**
   * A walk's first step while the session does not know whether the agent answers GETBULK: one GETBULK attempt;
   * if it times out, one GETNEXT of the same OID (with the session's retries). If that is answered, the agent has
   * no GETBULK (snmpjs drops it unanswered): the session remembers, and the walk goes on with GETNEXT.
   */
  private probeBulkStep(from: string, maxRepetitions: number, signal: AbortSignal | undefined): WalkStep {
    const pdu: RequestPdu = {
      type: 'GetBulkRequest',
      requestId: 0,
      nonRepeaters: 0,
      maxRepetitions,
      varbinds: [{ oid: from, value: NULL }],
    };
    let cancelCurrent = (reason: Error) => this.dispatcher.cancel(pdu, reason);
    let cancelled = false;
    const bulk = this.dispatcher.request(pdu, signal, 0).then((response) => {
      this.learnBulkWorks();
      return checkResponse(response, pdu);
    });
    const result = bulk.catch((error: unknown) => {
      if (!(error instanceof RequestTimeoutError) || cancelled) throw error;
      const getNext = this.walkStep(from, false, maxRepetitions, signal);
      cancelCurrent = getNext.cancel;
      return getNext.result.then((varbinds) => {
        this.bulk = 'unsupported';
        return varbinds;
      });
    });
    return {
      cancel: (reason) => {
        cancelled = true;
        cancelCurrent(reason);
      },
      result,
    };
  }

  /** GET: the values of these OIDs (v2c: noSuchObject/noSuchInstance values for missing ones). */
  get(oids: readonly string[], options: RequestOptions = {}): Promise<VarBind[]> {
    return this.guard(() => this.send(basicPdu('GetRequest', nullVarbinds(oids, 'get')), options));
  }

  /** GETNEXT: for each OID, the next object in the agent's order. */
  getNext(oids: readonly string[], options: RequestOptions = {}): Promise<VarBind[]> {
    return this.guard(() => this.send(basicPdu('GetNextRequest', nullVarbinds(oids, 'getNext')), options));
  }

  /** GETBULK (v2c and later): non-repeaters, then up to max-repetitions successors of each remaining OID. */
  getBulk(oids: readonly string[], options: GetBulkOptions = {}): Promise<VarBind[]> {
    return this.guard(() => {
      if (this.wireVersion === 0) {
        throw new GeneralError('SNMPERR_V2_IN_V1', { detail: 'GETBULK does not exist in SNMPv1; use getNext' });
      }
      const nonRepeaters = options.nonRepeaters ?? 0;
      const maxRepetitions = options.maxRepetitions ?? 10;
      checkBulkCounts(nonRepeaters, maxRepetitions, ['option nonRepeaters', 'option maxRepetitions']);
      return this.send(
        { type: 'GetBulkRequest', requestId: 0, nonRepeaters, maxRepetitions, varbinds: nullVarbinds(oids, 'getBulk') },
        options,
      ).then((varbinds) => {
        this.learnBulkWorks();
        return varbinds;
      });
    });
  }

  /** SET: writes the varbinds; resolves with the agent's response varbinds. */
  set(varbinds: readonly VarBind[], options: RequestOptions = {}): Promise<VarBind[]> {
    return this.guard(() => {
      if (!Array.isArray(varbinds)) {
        throw new GeneralError('SNMPERR_GENERR', {
          detail: `set takes an array of varbinds ({ oid, value }), got ${describeValue(varbinds)}`,
        });
      }
      if (varbinds.length === 0) throw new GeneralError('SNMPERR_NO_VARS', { detail: 'give set at least one varbind' });
      const checked = varbinds.map((vb) => checkSetVarbind(vb, this.wireVersion));
      return this.send(basicPdu('SetRequest', checked), options);
    });
  }

  /**
   * Sends an SNMPv2-Trap (v2c, v3): sysUpTime.0, snmpTrapOID.0 = `trapOid`, then `varbinds`. No answer comes: the
   * promise resolves once the message is handed to the transport. Peers of notifications listen on port 162
   * (give it in the peer name, or open the session with `defaultPort: 162`). v3 traps come from the sender's own
   * engine (the `engineId` option, with the boots of `engineBoots`): the receiver needs the user for that engine.
   */
  trap(trapOid: string, varbinds: readonly VarBind[] = [], options: NotificationOptions = {}): Promise<void> {
    return this.guard(async () => {
      if (this.wireVersion === 0) {
        throw new GeneralError('SNMPERR_V2_IN_V1', { detail: 'SNMPv2-Trap on a v1 session; use trapV1' });
      }
      this.dispatcher.sendUnconfirmed(basicPdu('TrapV2', this.notificationVarbinds(trapOid, varbinds, options)));
    });
  }

  /** Sends a v1 Trap (v1 sessions). Resolves once the message is handed to the transport. */
  trapV1(trap: TrapV1Options): Promise<void> {
    return this.guard(async () => {
      if (this.wireVersion !== 0) {
        throw new GeneralError('SNMPERR_V1_IN_V2', { detail: 'a v1 Trap on a v2c session; use trap' });
      }
      if (trap === null || typeof trap !== 'object') {
        throw new GeneralError('SNMPERR_GENERR', {
          detail: `trapV1 takes { enterprise, genericTrap, ... }, got ${describeValue(trap)}`,
        });
      }
      const enterprise = checkOid(trap.enterprise, 'trapV1 enterprise');
      const agentAddress = trap.agentAddress ?? '0.0.0.0';
      const timestamp = checkTimeTicks(trap.timestamp ?? hostUptime(), 'trapV1 timestamp');
      if (typeof agentAddress !== 'string' || !isValidIpv4(agentAddress)) {
        throw new GeneralError('SNMPERR_VALUE', {
          detail: `trapV1 agentAddress ${describeValue(agentAddress)} is not an IPv4 address`,
        });
      }
      // RFC 1157 §4.1.6: generic-trap is one of seven values; specific-trap an INTEGER, which Net-SNMP keeps >= 0.
      for (const [name, value, max, range] of [
        ['genericTrap', trap.genericTrap, 6, '0..6 (0 coldStart .. 5 egpNeighborLoss, 6 enterpriseSpecific)'],
        ['specificTrap', trap.specificTrap ?? 0, 0x7fffffff, '0..2147483647'],
      ] as const) {
        if (!Number.isInteger(value) || value < 0 || value > max) {
          throw new GeneralError('SNMPERR_RANGE', {
            detail: `trapV1 ${name} ${typeof value === 'number' ? value : describeValue(value)} is not in ${range}`,
          });
        }
      }
      this.dispatcher.sendUnconfirmed({
        type: 'TrapV1',
        enterprise,
        agentAddress,
        genericTrap: trap.genericTrap,
        specificTrap: trap.specificTrap ?? 0,
        timestamp,
        varbinds: (trap.varbinds ?? []).map((vb) => checkSetVarbind(vb, 0)),
      });
    });
  }

  /**
   * Sends an InformRequest (v2c, v3) and waits for the receiver's Response, with the session's retries: resolves
   * with the Response's varbinds. v3: the receiver is the authoritative engine, discovered when the session opens
   * (or given as `engineId`), as for requests.
   */
  inform(
    trapOid: string,
    varbinds: readonly VarBind[] = [],
    options: NotificationOptions & RequestOptions = {},
  ): Promise<VarBind[]> {
    return this.guard(() => {
      if (this.wireVersion === 0)
        throw new GeneralError('SNMPERR_V2_IN_V1', { detail: 'InformRequest on a v1 session' });
      return this.send(basicPdu('InformRequest', this.notificationVarbinds(trapOid, varbinds, options)), options);
    });
  }

  private notificationVarbinds(trapOid: string, varbinds: readonly VarBind[], options: NotificationOptions): VarBind[] {
    const uptime = checkTimeTicks(options.uptime ?? hostUptime(), 'notification uptime');
    return notificationVarbinds(
      checkOid(trapOid, 'notification OID'),
      uptime,
      varbinds.map((vb) => checkSetVarbind(vb, this.wireVersion)),
    );
  }

  /**
   * Every object under `root` (default mib-2), in order: GETBULK on v2c, GETNEXT on v1. Ends at the end of the
   * subtree, on endOfMibView, or on v1's noSuchName; an OID that does not increase fails with GeneralError
   * SNMPERR_OID_NONINCREASING rather than looping. Use with `for await`; breaking out stops the walk. Reads one
   * response ahead, as walkPages does: breaking out cancels the request already sent for the next page.
   */
  walk(root = '1.3.6.1.2.1', options: WalkOptions = {}): AsyncIterableIterator<VarBind> {
    // Varbinds come a response at a time: hand them out from the current page with already-settled promises,
    // which costs far less per varbind than an async generator's yield.
    const pages = this.walkPages(root, options);
    let page: VarBind[] = [];
    let next = 0;
    const DONE: IteratorResult<VarBind> = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<VarBind> = {
      next: () => {
        if (next < page.length) return Promise.resolve({ done: false, value: page[next++]! });
        return pages.next().then((r): IteratorResult<VarBind> | Promise<IteratorResult<VarBind>> => {
          if (r.done) return DONE;
          page = r.value;
          next = 0;
          return iterator.next();
        });
      },
      return: async () => {
        await pages.return();
        page = [];
        return DONE;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * The walk one response at a time (each page non-empty, in order). Reads one response ahead: the request for
   * the next page leaves as soon as a page arrives, while the caller works on it. When the caller stops early,
   * that request is cancelled (its reply, when it comes, is counted in stats.droppedLate).
   */
  async *walkPages(root = '1.3.6.1.2.1', options: WalkOptions = {}): AsyncGenerator<VarBind[], void, undefined> {
    // A root of one arc (".1", the whole tree) has no BER encoding: start from root.0, as Net-SNMP encodes it,
    // which lies before everything else under the root.
    const singleArc = /^\.?[012]$/.test(root);
    const base = singleArc ? root.replace('.', '') : checkOid(root, 'walk root');
    const maxRepetitions = options.maxRepetitions ?? this.maxRepetitions;
    checkWalkRepetitions(maxRepetitions, 'walk option maxRepetitions');
    // v1 has no GETBULK; otherwise the walk's option, else what the session knows of the agent.
    const forced = this.wireVersion === 0 ? false : options.getBulk;
    const step = (from: string, first: boolean) => {
      const bulk = forced ?? this.bulk !== 'unsupported';
      const next =
        first && forced === undefined && this.bulk === 'unknown'
          ? this.probeBulkStep(from, maxRepetitions, options.signal)
          : this.walkStep(from, bulk, maxRepetitions, options.signal);
      next.result.catch(() => {}); // awaited below; this only keeps an abandoned read-ahead from being "unhandled"
      return next;
    };
    let last = singleArc ? `${base}.0` : base;
    let count = 0;
    let pending = step(last, true);
    try {
      for (;;) {
        const varbinds = await pending.result;
        if (varbinds === null) break;
        let end = varbinds.length === 0;
        let keep = 0;
        let nonIncreasing: GeneralError | undefined;
        for (const vb of varbinds) {
          if (vb.value.type === 'EndOfMibView' || !oidStartsWith(vb.oid, base)) {
            end = true;
            break;
          }
          if (compareOids(vb.oid, last) <= 0) {
            nonIncreasing = new GeneralError('SNMPERR_OID_NONINCREASING', { detail: `${vb.oid} after ${last}` });
            break;
          }
          last = vb.oid;
          keep++;
        }
        if (!end && !nonIncreasing) pending = step(last, false);
        if (keep > 0) {
          count += keep;
          // What came before a non-increasing OID in this response is good: hand it out, then fail.
          yield keep === varbinds.length ? varbinds : varbinds.slice(0, keep);
        }
        if (nonIncreasing) throw nonIncreasing;
        if (end) break;
      }
    } finally {
      // Stopped early (the caller broke out, or an error): the request read ahead is not wanted any more.
      pending.cancel(new RequestAbortedError('the walk was stopped'));
    }
    if (count === 0 && !singleArc && (options.getRootIfEmpty ?? true)) {
      let vb: VarBind | undefined;
      try {
        [vb] = await this.send(basicPdu('GetRequest', [{ oid: base, value: NULL }]), options);
      } catch (error) {
        if (error instanceof ResponseError && error.status === ErrorStatus.noSuchName) return;
        throw error;
      }
      if (vb && !isException(vb.value)) yield [vb];
    }
  }

  /** Collects a walk into an array. */
  async walkAll(root?: string, options?: WalkOptions): Promise<VarBind[]> {
    const out: VarBind[] = [];
    for await (const page of this.walkPages(root, options)) for (const vb of page) out.push(vb);
    return out;
  }

  /**
   * A conceptual table (RFC 2578 §7.1.12) by the OID of the table (its entry is table.1): rows keyed by index,
   * each a map from column number to value, in the agent's index order.
   */
  async table(tableOid: string, options: WalkOptions = {}): Promise<TableRows> {
    const entry = `${checkOid(tableOid, 'table OID')}.1`;
    const rows: TableRows = new Map();
    for await (const vb of this.walk(entry, { ...options, getRootIfEmpty: false })) {
      const rest = vb.oid.slice(entry.length + 1);
      const dot = rest.indexOf('.');
      if (dot < 0) continue; // not a columnar instance
      const column = Number(rest.slice(0, dot));
      const index = rest.slice(dot + 1);
      let row = rows.get(index);
      if (!row) {
        row = new Map();
        rows.set(index, row);
      }
      row.set(column, vb.value);
    }
    return rows;
  }

  /**
   * Rejects what is pending with SessionClosedError and releases the socket. Later requests fail the same way.
   * Nothing the session owns keeps the process alive afterwards.
   */
  async close(): Promise<void> {
    this.dispatcher.close();
  }

  get closed(): boolean {
    return this.dispatcher.isClosed;
  }

  /** Turns synchronous input errors into rejections, so that every operation fails the same way. */
  private guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return run();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

const NULL: SnmpValue = Object.freeze({ type: 'Null' });

/** One request of a walk: its varbinds (null: v1's noSuchName, the end) and how to cancel it. */
interface WalkStep {
  result: Promise<VarBind[] | null>;
  cancel(reason: Error): void;
}

/** The response's varbinds, or ResponseError for a non-zero error-status. */
function checkResponse(response: BasicPdu, request: RequestPdu): VarBind[] {
  if (response.errorStatus !== 0) {
    throw new ResponseError(response.errorStatus, response.errorIndex, response.varbinds, request.varbinds);
  }
  return response.varbinds;
}

/** A v1 walk ends on noSuchName. */
function endOnNoSuchName(error: unknown): null {
  if (error instanceof ResponseError && error.status === ErrorStatus.noSuchName) return null;
  throw error;
}

/** This host's uptime in hundredths of a second, as TimeTicks (wrapping at 2^32), as snmptrap sends by default. */
function hostUptime(): number {
  return Math.floor(uptime() * 100) % 0x100000000;
}

/** A walk's GETBULKs need at least one repetition: with none, a walk would get nothing and end at once. */
function checkWalkRepetitions(maxRepetitions: number, name: string): void {
  checkBulkCounts(0, maxRepetitions, ['non-repeaters', name]);
  if (maxRepetitions < 1) {
    throw new GeneralError('SNMPERR_BAD_REPETITIONS', { detail: `a walk needs ${name} of at least 1` });
  }
}

function nullVarbinds(oids: readonly string[], operation: string): VarBind[] {
  return checkOids(oids, operation).map((oid) => ({ oid, value: NULL }));
}

/**
 * The community as the codec takes it: text of 8-bit characters (it is sent as latin1, one byte per character),
 * or bytes, kept one character per byte. Checked at open: a wrong one would otherwise fail every request with
 * "Error building ASN.1 representation".
 */
function communityText(community: unknown): string {
  if (community instanceof Uint8Array) return Buffer.from(community).toString('latin1');
  if (typeof community !== 'string') {
    throw new GeneralError('SNMPERR_BAD_COMMUNITY', {
      detail: `option community must be a string or a Uint8Array, got ${describeValue(community)}`,
    });
  }
  const wide = [...community].find((c) => c.codePointAt(0)! > 0xff);
  if (wide !== undefined) {
    throw new GeneralError('SNMPERR_BAD_COMMUNITY', {
      detail: `option community is sent one byte per character (latin1); ${JSON.stringify(wide)} is not one: give the bytes as a Uint8Array`,
    });
  }
  return community;
}

/**
 * Every option Session.open knows. Typed against SessionOptions, so that an option added there and not here (or the
 * reverse) fails to compile: a legitimate option is never refused as unknown.
 */
const OPTION_NAMES: Record<keyof SessionOptions, true> = {
  peer: true,
  version: true,
  community: true,
  timeout: true,
  retries: true,
  backoff: true,
  localAddress: true,
  localPort: true,
  transport: true,
  maxMessageSize: true,
  defaultPort: true,
  maxRepetitions: true,
  useGetBulk: true,
  user: true,
  contextName: true,
  contextEngineId: true,
  engineId: true,
  engineBoots: true,
  engineTime: true,
  messageProcessing: true,
};

/** Refuses option names Session.open does not know (a misspelt `timout` would otherwise be ignored in silence). */
function checkOptionNames(options: SessionOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `Session.open takes an options object ({ peer, ... }), got ${describeValue(options)}`,
    });
  }
  const unknown = unknownOptionName(options, OPTION_NAMES);
  if (unknown !== undefined) throw new GeneralError('SNMPERR_GENERR', { detail: unknown });
}

function basicPdu(type: BasicPdu['type'], varbinds: VarBind[]): BasicPdu {
  return { type, requestId: 0, errorStatus: 0, errorIndex: 0, varbinds };
}
