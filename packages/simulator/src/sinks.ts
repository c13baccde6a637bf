import { decodeMessage, encodeMessage, type Pdu, type VarBind } from '@snmpkit/ber';
import { type ClientTransport, openClientTransport, resolveEndpoint } from '@snmpkit/transport';
import {
  authProtocolNamed,
  type DecodedSecureMessage,
  decodeSecureMessage,
  discoveryMessage,
  EngineTimeCache,
  encodeSecureMessage,
  privProtocolNamed,
  securityLevelNamed,
  UsmKeyStore,
  type UsmUserInput,
  usmMessage,
  usmReportReason,
} from '@snmpkit/usm';
import type { Agent } from './agent.js';
import { type Clock, SystemClock } from './clock.js';
import type { Device } from './device.js';

export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAP_ADDRESS = '1.3.6.1.6.3.18.1.3.0';
const SNMP_TRAP_ENTERPRISE = '1.3.6.1.6.3.1.1.4.3.0';
/** snmpTraps: coldStart .1, warmStart .2, linkDown .3, linkUp .4, authenticationFailure .5, egpNeighborLoss .6. */
export const STANDARD_TRAPS = '1.3.6.1.6.3.1.1.5';
/** SNMPv2-MIB's snmpEnableAuthenTraps.0: enabled(1), disabled(2). */
export const SNMP_ENABLE_AUTHEN_TRAPS = '1.3.6.1.2.1.11.30.0';
export const TRAP_OIDS = {
  coldStart: `${STANDARD_TRAPS}.1`,
  warmStart: `${STANDARD_TRAPS}.2`,
  linkDown: `${STANDARD_TRAPS}.3`,
  linkUp: `${STANDARD_TRAPS}.4`,
  authenticationFailure: `${STANDARD_TRAPS}.5`,
} as const;

/** The sender's engine, for a v3 trap (the sender is the authoritative engine of a trap). */
export interface NotificationEngine {
  engineId: Uint8Array;
  boots: number;
  time: number;
}

/**
 * Where a device sends notifications, as snmpd's `trapsink` (v1 trap), `trap2sink` (v2c trap), `informsink` (v2c
 * inform) and `trapsess` (any version, `-Ci` for an inform) lines say; parseSink reads those lines.
 */
export interface NotificationSink {
  /** Net-SNMP's endpoint grammar: `udp:127.0.0.1:1162`, `127.0.0.1`, `[::1]:162`, `tcp:host:port`; port 162 by default. */
  target: string;
  version: '1' | '2c' | '3';
  /** An inform (v2c/v3): retried until acknowledged. Default false: a trap. */
  inform?: boolean;
  /** v1/v2c. Default 'public'. */
  community?: string;
  /** v3: the user (its level and protocols in usm's or Net-SNMP's names). */
  user?: UsmUserInput;
  /** v3 context name. Default ''. */
  contextName?: string;
  /** Informs: how long to wait for the acknowledgement, ms. Default 1000 (Net-SNMP's). */
  timeoutMs?: number;
  /** Informs: retransmissions after the first. Default 5 (Net-SNMP's). */
  retries?: number;
  /** Local address to send from (a lab device at its own address). */
  localAddress?: string;
}

/** trapsess lines are Net-SNMP's command-line options: its abbreviations (`SHA-2`) are read as snmptrap reads them. */
const NET_SNMP_NAMES = { abbreviations: true };

/** A sink line that cannot be read, naming the file and line. */
export class SinkConfigError extends Error {
  readonly code = 'ERR_SIMULATOR_SINK';
  constructor(message: string) {
    super(message);
    this.name = 'SinkConfigError';
  }
}

/**
 * One snmpd sink line: `trapsink HOST [COMMUNITY [PORT]]`, `trap2sink ...`, `informsink ...`, or `trapsess [-Ci]
 * [-v 1|2c|3] [-c COMMUNITY] [-u USER] [-l LEVEL] [-a AUTH] [-A PASS] [-x PRIV] [-X PASS] [-n CONTEXT] [-r RETRIES]
 * [-t SECONDS] HOST`. `source` (`file:line`) prefixes errors.
 */
export function parseSink(line: string, source = 'sink'): NotificationSink {
  const words = line.trim().split(/\s+/);
  const directive = words.shift();
  const fail = (what: string): never => {
    throw new SinkConfigError(`${source}: ${what} in "${redact(line)}"`);
  };
  if (directive === 'trapsink' || directive === 'trap2sink' || directive === 'informsink') {
    if (words.length < 1 || words.length > 3) fail(`expected ${directive} HOST [COMMUNITY [PORT]]`);
    const [host, community, port] = words as [string, string?, string?];
    if (port !== undefined && !/^\d+$/.test(port)) fail(`port "${port}" is not a number`);
    return {
      target: port ? `${host}:${port}` : host,
      version: directive === 'trapsink' ? '1' : '2c',
      ...(directive === 'informsink' ? { inform: true } : {}),
      community: community ?? 'public',
    };
  }
  if (directive !== 'trapsess') fail('expected trapsink, trap2sink, informsink or trapsess');
  const options = new Map<string, string>();
  let inform = false;
  let host: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-Ci') inform = true;
    else if (/^-[vcuLlaAxXnrte]$/.test(w)) {
      if (i + 1 >= words.length) fail(`${w} needs a value`);
      options.set(w.slice(1), words[++i]!);
    } else if (/^-[vcularAxXnt]./.test(w)) options.set(w[1]!, w.slice(2));
    else if (w.startsWith('-')) fail(`unknown option ${w}`);
    else if (host === undefined) host = w;
    else fail(`a second host "${w}"`);
  }
  if (!host) fail('no HOST');
  const version = options.get('v') ?? '1';
  if (version !== '1' && version !== '2c' && version !== '3') fail(`-v ${version}: expected 1, 2c or 3`);
  if (inform && version === '1') fail('SNMPv1 has no inform');
  const number = (key: string) => {
    const text = options.get(key);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) fail(`-${key} ${text}: expected a non-negative number`);
    return n;
  };
  const sink: NotificationSink = { target: host!, version: version as NotificationSink['version'] };
  if (inform) sink.inform = true;
  const timeout = number('t');
  if (timeout !== undefined) sink.timeoutMs = timeout * 1000;
  const retries = number('r');
  if (retries !== undefined) sink.retries = retries;
  if (version !== '3') {
    sink.community = options.get('c') ?? 'public';
    return sink;
  }
  const name = options.get('u');
  if (!name) fail('-v 3 needs -u USER');
  const auth = options.get('a');
  const priv = options.get('x');
  if (auth !== undefined && !authProtocolNamed(auth, NET_SNMP_NAMES))
    fail(`-a ${auth}: unknown authentication protocol`);
  if (priv !== undefined && !privProtocolNamed(priv, NET_SNMP_NAMES)) fail(`-x ${priv}: unknown privacy protocol`);
  const levelText =
    options.get('l') ?? (options.has('X') ? 'authPriv' : options.has('A') ? 'authNoPriv' : 'noAuthNoPriv');
  const level = securityLevelNamed(levelText, { shortWords: true });
  if (!level) fail(`-l ${levelText}: expected noAuthNoPriv, authNoPriv or authPriv`);
  sink.user = {
    name: name!,
    level: level!,
    ...(level !== 'noAuthNoPriv'
      ? { authProtocol: authProtocolNamed(auth ?? 'MD5', NET_SNMP_NAMES)!, authPassword: options.get('A') ?? '' }
      : {}),
    ...(level === 'authPriv'
      ? { privProtocol: privProtocolNamed(priv ?? 'DES', NET_SNMP_NAMES)!, privPassword: options.get('X') ?? '' }
      : {}),
  };
  const context = options.get('n');
  if (context !== undefined) sink.contextName = context;
  try {
    new UsmKeyStore().addUser(sink.user);
  } catch (error) {
    fail(`user ${name}: ${(error as Error).message}`);
  }
  return sink;
}

/** A line with its passwords (`-A`, `-X`) hidden, for messages. */
function redact(line: string): string {
  return line.replace(/(-[AX])\s*\S+/g, '$1 ***');
}

/** Sink lines from a file's text (blank lines and `#` comments skipped, also after a line); errors name `source:line`. */
export function parseSinks(text: string, source = 'sinks'): NotificationSink[] {
  const out: NotificationSink[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    // A comment: a line from `#`, or `#` after a blank (a password may hold a `#` of its own).
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line !== '') out.push(parseSink(line, `${source}:${i + 1}`));
  });
  return out;
}

/** What a notification says: its snmpTrapOID and the varbinds after sysUpTime.0 and snmpTrapOID.0. */
export interface Notification {
  trapOid: string;
  varbinds?: readonly VarBind[];
  /** sysUpTime.0 in hundredths of a second. Default: the sender's uptime now. */
  uptime?: number;
  /** A v1 trap's enterprise, instead of RFC 3584's (snmpsim's `enterprise=`). */
  enterprise?: string;
}

/**
 * The SNMPv1 Trap-PDU for a notification, as RFC 3584 §3.2 converts one: a standard trap (snmpTraps.N) becomes
 * generic trap N-1 with enterprise snmpTrapEnterprise.0 (if among the varbinds) or snmpTraps; any other trap OID
 * becomes enterpriseSpecific, its last sub-identifier the specific code and the rest (without a `.0` before it) the
 * enterprise. snmpTrapAddress.0 and snmpTrapEnterprise.0 are not sent as varbinds.
 */
export function trapV1Pdu(
  notification: Notification & { uptime: number },
  options: { agentAddress?: string; enterprise?: string } = {},
): Pdu {
  const trapOid = notification.trapOid.replace(/^\./, '');
  const varbinds = notification.varbinds ?? [];
  const standard = trapOid.startsWith(`${STANDARD_TRAPS}.`) && /^[1-6]$/.test(trapOid.slice(STANDARD_TRAPS.length + 1));
  let enterprise = (notification.enterprise ?? options.enterprise)?.replace(/^\./, '');
  let generic = 6;
  let specific = 0;
  if (standard) {
    generic = Number(trapOid.slice(STANDARD_TRAPS.length + 1)) - 1;
    const given = varbinds.find((vb) => vb.oid === SNMP_TRAP_ENTERPRISE)?.value;
    enterprise ??= given?.type === 'ObjectIdentifier' ? given.value : STANDARD_TRAPS;
  } else {
    const dot = trapOid.lastIndexOf('.');
    specific = Number(trapOid.slice(dot + 1));
    const base = trapOid.slice(0, dot);
    enterprise ??= base.endsWith('.0') ? base.slice(0, -2) : base;
  }
  return {
    type: 'TrapV1',
    enterprise,
    agentAddress: options.agentAddress ?? '0.0.0.0',
    genericTrap: generic,
    specificTrap: specific,
    timestamp: notification.uptime >>> 0,
    varbinds: varbinds.filter((vb) => vb.oid !== SNMP_TRAP_ADDRESS && vb.oid !== SNMP_TRAP_ENTERPRISE),
  };
}

/** A v2c/v3 notification's varbinds: sysUpTime.0, snmpTrapOID.0, then the notification's own. */
export function trapV2Varbinds(notification: Notification & { uptime: number }): VarBind[] {
  return [
    { oid: SYS_UPTIME_OID, value: { type: 'TimeTicks', value: notification.uptime >>> 0 } },
    { oid: SNMP_TRAP_OID, value: { type: 'ObjectIdentifier', value: notification.trapOid.replace(/^\./, '') } },
    ...(notification.varbinds ?? []),
  ];
}

/** How one notification went to one sink. */
export interface NotificationDelivery {
  /** The sink's target. */
  target: string;
  kind: 'trap' | 'inform';
  /** Messages sent (an inform's retransmissions and a v3 discovery probe included). */
  messages: number;
  /** Informs: whether the receiver acknowledged it before the retries ran out. */
  acknowledged?: boolean;
  /** Why it could not be sent (the endpoint did not resolve, the socket failed). */
  error?: string;
}

export interface NotificationStats {
  traps: number;
  informs: number;
  acknowledged: number;
  /** Informs never acknowledged (every retry timed out). */
  unacknowledged: number;
  retransmissions: number;
  /** v3 informs: discovery probes sent to learn the receiver's engine. */
  discoveries: number;
  failures: number;
}

export interface NotificationOriginatorOptions {
  /** Sinks, as objects or snmpd lines (`trap2sink 127.0.0.1:1162 public`). */
  sinks: readonly (NotificationSink | string)[];
  /** The sender's engine now (a v3 trap's authoritative engine). */
  engine: () => NotificationEngine;
  /** The sender's sysUpTime in ms (a notification's sysUpTime.0 and a v1 trap's time-stamp). */
  uptimeMs: () => number;
  /** What times informs. Default the system clock. */
  clock?: Clock;
  /** A v1 trap's agent-addr. Default 0.0.0.0. */
  agentAddress?: string;
  /** Opens the transport to a sink. Default @snmpkit/transport's UDP/TCP client transports. */
  openTransport?: (sink: NotificationSink) => Promise<ClientTransport>;
}

type Reply = { pdu: Pdu; v3?: DecodedSecureMessage };
/** Called with the reply, or with undefined when the originator closes. */
type ReplyHandler = (reply: Reply | undefined) => void;

/**
 * Key stores by sink user, so that the thousands of devices of a lab whose sinks share a user hash its passwords
 * (1 MB of digest each) once, not once per device; each device's keys are then only localized to its engine. The
 * user is compared field by field on each use, so that a user object changed in between gets its own store.
 */
const keyStores = new WeakMap<UsmUserInput, { fingerprint: string; store: UsmKeyStore }>();

function keyStoreFor(user: UsmUserInput): UsmKeyStore {
  const fingerprint = JSON.stringify(user);
  const cached = keyStores.get(user);
  if (cached?.fingerprint === fingerprint) return cached.store;
  const store = new UsmKeyStore([user]);
  keyStores.set(user, { fingerprint, store });
  return store;
}

/** One sink's transport, pending informs and (v3) the receiver's engine. */
class SinkChannel {
  transport: Promise<ClientTransport> | undefined;
  readonly pending = new Map<number, ReplyHandler>();
  readonly keys: UsmKeyStore | undefined;
  readonly engines: EngineTimeCache;
  receiverEngine: Uint8Array | undefined;

  constructor(
    readonly sink: NotificationSink,
    clock: Clock,
  ) {
    if (sink.version === '3') {
      if (!sink.user) throw new SinkConfigError(`sink ${sink.target}: SNMPv3 needs a user`);
      this.keys = keyStoreFor(sink.user);
    }
    this.engines = new EngineTimeCache({ now: () => clock.now() });
  }
}

/**
 * Sends a device's notifications to its sinks, as snmpd's trapsink/trap2sink/informsink/trapsess do: v1 traps
 * converted per RFC 3584 §3.2; v2c traps and informs; v3 traps with the device's engine as the authoritative one;
 * v3 informs after discovering the receiver's engine (a probe, then its boots and time from the Report). Informs are
 * retransmitted every `timeoutMs` until acknowledged or `retries` run out. Every v3 header is built by @snmpkit/usm.
 */
export class NotificationOriginator {
  readonly #options: NotificationOriginatorOptions;
  readonly #clock: Clock;
  readonly #channels: SinkChannel[];
  #nextId = 1;
  #closed = false;
  readonly stats: NotificationStats = {
    traps: 0,
    informs: 0,
    acknowledged: 0,
    unacknowledged: 0,
    retransmissions: 0,
    discoveries: 0,
    failures: 0,
  };

  constructor(options: NotificationOriginatorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? new SystemClock();
    this.#channels = options.sinks.map(
      (s, i) => new SinkChannel(typeof s === 'string' ? parseSink(s, `sinks[${i}]`) : s, this.#clock),
    );
  }

  /**
   * An originator for an agent's device: the agent's engine (ID, boots, time) and sysUpTime, timed by its clock.
   * `options` may add a v1 agent-addr and a transport opener.
   */
  static forAgent(
    agent: Agent,
    sinks: readonly (NotificationSink | string)[],
    options: Pick<NotificationOriginatorOptions, 'agentAddress' | 'openTransport'> = {},
  ): NotificationOriginator {
    return new NotificationOriginator({
      ...options,
      sinks,
      engine: () => ({ engineId: agent.engineId, ...agent.engineClock }),
      uptimeMs: () => agent.uptimeMs,
      clock: agent.clock,
    });
  }

  /**
   * Sends an authenticationFailure notification for each request the agent refuses for its community (or a v3 wrong
   * digest), as snmpd does with `authtrapenable 1`: when the device has snmpEnableAuthenTraps.0, its value decides
   * (1 enabled, 2 disabled: a SET turns them off), else `enabled` (default false, snmpd's default). Returns a function
   * that stops it.
   */
  sendAuthenticationFailures(agent: Agent, options: { device?: Device; enabled?: boolean } = {}): () => void {
    return agent.onAuthenticationFailure(() => {
      const value = options.device?.get(SNMP_ENABLE_AUTHEN_TRAPS);
      const enabled = value?.type === 'Integer' ? value.value === 1 : (options.enabled ?? false);
      if (enabled) void this.notify({ trapOid: TRAP_OIDS.authenticationFailure });
    });
  }

  /** The sinks in use. */
  get sinks(): NotificationSink[] {
    return this.#channels.map((c) => c.sink);
  }

  /**
   * Sends a notification to every sink. Resolves once each trap is sent and each inform acknowledged or given up,
   * one delivery per sink; never rejects (a failure is in the delivery's `error`).
   */
  notify(notification: Notification): Promise<NotificationDelivery[]> {
    this.#closed = false;
    const uptime = notification.uptime ?? Math.floor(this.#options.uptimeMs() / 10);
    const full = { ...notification, uptime };
    return Promise.all(this.#channels.map((channel) => this.#deliver(channel, full)));
  }

  async #deliver(channel: SinkChannel, n: Notification & { uptime: number }): Promise<NotificationDelivery> {
    const sink = channel.sink;
    const inform = sink.inform === true;
    const delivery: NotificationDelivery = { target: sink.target, kind: inform ? 'inform' : 'trap', messages: 0 };
    try {
      const transport = await this.#transport(channel);
      if (!inform) {
        transport.send(this.#trapMessage(channel, n), () => this.stats.failures++);
        delivery.messages = 1;
        this.stats.traps++;
        return delivery;
      }
      this.stats.informs++;
      delivery.acknowledged = await this.#inform(channel, transport, n, delivery);
      if (delivery.acknowledged) this.stats.acknowledged++;
      else this.stats.unacknowledged++;
    } catch (error) {
      this.stats.failures++;
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    return delivery;
  }

  #transport(channel: SinkChannel): Promise<ClientTransport> {
    if (this.#closed) return Promise.reject(new Error('the notification originator is closed'));
    if (!channel.transport) {
      const sink = channel.sink;
      const open =
        this.#options.openTransport ??
        (async (s: NotificationSink) =>
          openClientTransport(await resolveEndpoint(s.target, 162, 0), {
            ...(s.localAddress ? { localAddress: s.localAddress } : {}),
          }));
      channel.transport = open(sink).then((transport) => {
        transport.onMessage((bytes) => this.#reply(channel, bytes));
        return transport;
      });
      // A failed open is retried at the next notification.
      channel.transport.catch(() => {
        channel.transport = undefined;
      });
    }
    return channel.transport;
  }

  #reply(channel: SinkChannel, bytes: Uint8Array): void {
    try {
      if (channel.sink.version === '3') {
        const decoded = decodeSecureMessage(bytes, channel.keys!.resolver());
        channel.pending.get(decoded.message.msgId)?.({ pdu: decoded.message.scopedPdu!.pdu, v3: decoded });
        return;
      }
      const message = decodeMessage(bytes);
      if (message.version === 3 || message.pdu.type !== 'Response') return;
      channel.pending.get(message.pdu.requestId)?.({ pdu: message.pdu });
    } catch {
      // Not an answer we can read (garbage, a wrong MAC): ignored, as a manager drops it; the inform is retried.
    }
  }

  #trapMessage(channel: SinkChannel, n: Notification & { uptime: number }): Uint8Array {
    const sink = channel.sink;
    if (sink.version === '1') {
      const pdu = trapV1Pdu(n, this.#options.agentAddress ? { agentAddress: this.#options.agentAddress } : {});
      return encodeMessage({ version: 0, community: sink.community ?? 'public', pdu });
    }
    const pdu: Pdu = {
      type: 'TrapV2',
      requestId: this.#id(),
      errorStatus: 0,
      errorIndex: 0,
      varbinds: trapV2Varbinds(n),
    };
    if (sink.version === '2c') return encodeMessage({ version: 1, community: sink.community ?? 'public', pdu });
    // A trap's authoritative engine is the sender's (RFC 3412 §6.4): its ID, boots and time, keys localized to it.
    const engine = this.#options.engine();
    return this.#v3Message(channel, pdu, engine.engineId, engine.boots, engine.time, false, this.#id());
  }

  #v3Message(
    channel: SinkChannel,
    pdu: Pdu,
    engineId: Uint8Array,
    boots: number,
    time: number,
    reportable: boolean,
    msgId: number,
  ): Uint8Array {
    const user = channel.sink.user!;
    const message = usmMessage({
      msgId,
      reportable,
      engineId,
      engineBoots: boots,
      engineTime: time,
      userName: user.name,
      // A notification's contextEngineID is the sender's engine (RFC 3413 §3.3), also when the receiver is authoritative.
      contextEngineId: this.#options.engine().engineId,
      contextName: channel.sink.contextName ?? '',
      pdu,
    });
    return encodeSecureMessage(message, channel.keys!.keysFor(user.name, engineId));
  }

  #id(): number {
    const id = this.#nextId;
    this.#nextId = this.#nextId >= 0x7fffffff ? 1 : this.#nextId + 1;
    return id;
  }

  /** Waits for the reply registered under `id`, or undefined after `ms` of the clock. */
  #wait(channel: SinkChannel, id: number, ms: number): Promise<Reply | undefined> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        channel.pending.delete(id);
        resolve(undefined);
      }, ms);
      channel.pending.set(id, (reply) => {
        this.#clock.clearTimeout(timer);
        channel.pending.delete(id);
        resolve(reply);
      });
    });
  }

  async #inform(
    channel: SinkChannel,
    transport: ClientTransport,
    n: Notification & { uptime: number },
    delivery: NotificationDelivery,
  ): Promise<boolean> {
    const sink = channel.sink;
    const timeoutMs = sink.timeoutMs ?? 1000;
    const attempts = 1 + (sink.retries ?? 5);
    const requestId = this.#id();
    const pdu: Pdu = { type: 'InformRequest', requestId, errorStatus: 0, errorIndex: 0, varbinds: trapV2Varbinds(n) };
    const send = (bytes: Uint8Array) => {
      if (delivery.messages > 0) this.stats.retransmissions++;
      delivery.messages++;
      transport.send(bytes, () => this.stats.failures++);
    };
    if (sink.version === '2c') {
      // Retransmissions carry the same request-id (as Net-SNMP's), so a late acknowledgement of any of them counts.
      const bytes = encodeMessage({ version: 1, community: sink.community ?? 'public', pdu });
      for (let i = 0; i < attempts && !this.#closed; i++) {
        send(bytes);
        if (await this.#wait(channel, requestId, timeoutMs)) return true;
      }
      return false;
    }
    // v3: the receiver is the authoritative engine (RFC 3412 §6.4): learn its engine ID, then its boots and time.
    for (let i = 0; i < attempts && !this.#closed; i++) {
      const known = channel.receiverEngine && channel.engines.get(channel.receiverEngine);
      const msgId = this.#id();
      if (!known) {
        this.stats.discoveries++;
        send(encodeSecureMessage(discoveryMessage({ msgId, requestId: this.#id() }), undefined));
      } else {
        send(this.#v3Message(channel, pdu, channel.receiverEngine!, known.boots, known.time, true, msgId));
      }
      const reply = await this.#wait(channel, msgId, timeoutMs);
      if (!reply) continue;
      if (reply.pdu.type === 'Report' && reply.v3) {
        // unknownEngineID (discovery) or notInTimeWindow: the Report carries the receiver's engine, boots and time.
        const sp = reply.v3.message.securityParameters;
        const reason = usmReportReason(reply.pdu);
        if (reason === 'unknownEngineID' || reason === 'notInTimeWindow') {
          channel.receiverEngine = sp.engineId;
          channel.engines.set(sp.engineId, sp.engineBoots, sp.engineTime);
          i--; // learning the engine is not a lost attempt
          if (delivery.messages > 2 * attempts) return false; // a receiver that keeps refusing: no endless loop
          continue;
        }
        return false; // unknownUserName, wrongDigests, ...: the receiver will not take it, retrying cannot help
      }
      if (reply.pdu.type === 'Response') return true;
    }
    return false;
  }

  /** Closes the transports; informs still waiting give up. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const channel of this.#channels) {
      for (const handler of [...channel.pending.values()]) handler(undefined);
      const t = channel.transport;
      channel.transport = undefined;
      if (t) (await t.catch(() => undefined))?.close();
    }
  }
}
