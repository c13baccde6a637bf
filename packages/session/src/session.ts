import { uptime } from 'node:os';
import { type BasicPdu, MIN_MESSAGE_SIZE, type VarBind } from '@snmpkit/ber';
import { DEFAULT_MAX_MESSAGE_SIZE } from '@snmpkit/transport';
import { Dispatcher, type SessionStats } from './dispatcher.js';
import { GeneralError } from './errors.js';
import { CommunityMessageProcessing, type MessageProcessingModel, type RequestPdu } from './message-processing.js';
import {
  agentConfig,
  checkLocalBinding,
  checkOptionNames,
  type SessionOptions,
  type SnmpVersion,
  wireVersionOf,
} from './options.js';
import { basicPdu, checkResponse, NULL, type RequestOptions } from './pdu.js';
import { openPeerTransport, type ResolvedPeer, resolvePeer } from './peer.js';
import { notificationVarbinds } from './trap-translation.js';
import { UsmMessageProcessing, type V3User } from './v3.js';
import {
  checkBulkCounts,
  checkOid,
  checkOids,
  checkSetVarbind,
  checkTimeTicks,
  describeValue,
  isValidIpv4,
} from './validate.js';
import { checkWalkRepetitions, type TableRows, WalkEngine, type WalkOptions } from './walk.js';

export type { RequestOptions, SessionOptions, SnmpVersion, TableRows, WalkOptions };

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
  private readonly walker: WalkEngine;

  private constructor(
    dispatcher: Dispatcher,
    peer: string,
    resolvedPeer: ResolvedPeer | undefined,
    wireVersion: 0 | 1 | 3,
    maxRepetitions: number,
    useGetBulk: boolean,
  ) {
    this.dispatcher = dispatcher;
    this.walker = new WalkEngine(dispatcher, wireVersion, maxRepetitions, useGetBulk);
    this.stats = dispatcher.stats;
    this.peer = peer;
    this.resolvedPeer = resolvedPeer;
    this.wireVersion = wireVersion;
  }

  static async open(options: SessionOptions): Promise<Session> {
    checkOptionNames(options);
    const { wireVersion, timing, maxRepetitions, useGetBulk, maxMessageSize, defaultPort, model } =
      agentConfig(options);
    if (options.peer === undefined && options.transport === undefined) {
      throw new GeneralError('SNMPERR_BAD_ADDRESS', { detail: 'give a peer or a transport' });
    }
    if (options.peer !== undefined && typeof options.peer !== 'string') {
      throw new GeneralError('SNMPERR_BAD_ADDRESS', {
        detail: `option peer must be a peer name such as 'udp:192.0.2.1:161', got ${describeValue(options.peer)}`,
      });
    }
    checkLocalBinding(options);
    const resolved = options.peer === undefined ? undefined : await resolvePeer(options.peer, defaultPort);
    let transport = options.transport;
    if (!transport) {
      const peer = resolved!;
      const local = { localAddress: options.localAddress, localPort: options.localPort };
      // Over TCP, an answer may be as long as the msgMaxSize the session announces (v3), or the framer's default.
      const tcp = { maxMessageSize: Math.max(maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE) };
      transport = await openPeerTransport(peer, { ...local, ...tcp });
    }
    const dispatcher = new Dispatcher(
      transport,
      model,
      timing,
      resolved && { address: resolved.address, port: resolved.port },
      options.peer ?? '(transport)',
      maxMessageSize,
    );
    const session = new Session(
      dispatcher,
      options.peer ?? '(transport)',
      resolved,
      wireVersion,
      maxRepetitions,
      useGetBulk,
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
        this.walker.learnBulkWorks();
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
    return this.walker.walk(root, options);
  }

  /**
   * The walk one response at a time (each page non-empty, in order). Reads one response ahead: the request for
   * the next page leaves as soon as a page arrives, while the caller works on it. When the caller stops early,
   * that request is cancelled (its reply, when it comes, is counted in stats.droppedLate).
   */
  walkPages(root = '1.3.6.1.2.1', options: WalkOptions = {}): AsyncGenerator<VarBind[], void, undefined> {
    return this.walker.pages(root, options);
  }

  /** Collects a walk into an array. */
  walkAll(root?: string, options?: WalkOptions): Promise<VarBind[]> {
    return this.walker.all(root, options);
  }

  /**
   * A conceptual table (RFC 2578 §7.1.12) by the OID of the table (its entry is table.1): rows keyed by index,
   * each a map from column number to value, in the agent's index order.
   */
  table(tableOid: string, options: WalkOptions = {}): Promise<TableRows> {
    return this.walker.table(tableOid, options);
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

/** This host's uptime in hundredths of a second, as TimeTicks (wrapping at 2^32), as snmptrap sends by default. */
function hostUptime(): number {
  return Math.floor(uptime() * 100) % 0x100000000;
}

function nullVarbinds(oids: readonly string[], operation: string): VarBind[] {
  return checkOids(oids, operation).map((oid) => ({ oid, value: NULL }));
}
