import { MAX_UDP_MESSAGE_SIZE, MIN_MESSAGE_SIZE } from '@snmpkit/ber';
import type { ClientTransport } from '@snmpkit/transport';
import { type DispatchTiming, MAX_ATTEMPT_WAIT_MS } from './dispatcher.js';
import { GeneralError } from './errors.js';
import { CommunityMessageProcessing, type MessageProcessingModel } from './message-processing.js';
import { DEFAULT_PORT } from './peer.js';
import { UsmMessageProcessing, type V3User } from './v3.js';
import { describeValue, unknownOptionName } from './validate.js';
import { checkWalkRepetitions } from './walk.js';

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
   * Attempts after the first. Default 3: with the default timeout and backoff a dead agent fails a request after
   * 1 + 1.5 + 2.25 + 3.375 = 8.125 s (see SESSION_DEFAULTS).
   */
  retries?: number;
  /**
   * Each retry waits `backoff` times longer than the previous attempt, up to 2^31-1 ms per attempt (Node's longest
   * timer). Default 1.5; 1 is Net-SNMP's constant wait, 2 the seed's doubling.
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
  /**
   * Largest request to send, bytes (484 or more); larger ones fail with SNMPERR_TOO_LONG before sending. Default
   * 65507 (MAX_UDP_MESSAGE_SIZE).
   */
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

/**
 * Session.open's defaults, in one place. The timing fails a request to a dead agent within about 10 s, as users of
 * other SNMP libraries expect (Net-SNMP's tools: 6 s, the net-snmp package: about 10 s), while retries still back
 * off (each waits 1.5 times the previous: an agent that is merely slow gets more time on each attempt):
 * 1 + 1.5 + 2.25 + 3.375 = 8.125 s, `totalWaitMs(SESSION_DEFAULTS)`. Two layers deliberately differ and say so
 * where they override it: the raw facade (the seed's documented 1 s, 5 retries, doubling: 63 s) and the CLI
 * (Net-SNMP's tools: 1 s, 5 retries, constant: 6 s).
 */
export const SESSION_DEFAULTS = {
  version: '2c',
  community: 'public',
  /** ms */
  timeout: 1000,
  retries: 3,
  backoff: 1.5,
  maxMessageSize: MAX_UDP_MESSAGE_SIZE,
  defaultPort: DEFAULT_PORT,
  /** As Net-SNMP's snmpbulkwalk. */
  maxRepetitions: 10,
  useGetBulk: true,
} as const;

/** How long a request to an agent that never answers takes to fail: every attempt's wait, ms. */
export function totalWaitMs(timing: { timeout: number; retries: number; backoff: number }): number {
  let total = 0;
  for (let attempt = 0; attempt <= timing.retries; attempt++) {
    total += Math.min(timing.timeout * timing.backoff ** attempt, MAX_ATTEMPT_WAIT_MS);
  }
  return total;
}

export function wireVersionOf(version: SnmpVersion): 0 | 1 | 3 {
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

export function checkTiming(name: string, value: number, min: number, integer: boolean): number {
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
export function checkTimeout(value: number): number {
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
export function checkLocalBinding({ localPort, localAddress }: SessionOptions): void {
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
 * The community as the codec takes it: text of 8-bit characters (it is sent as latin1, one byte per character),
 * or bytes, kept one character per byte. Checked at open: a wrong one would otherwise fail every request with
 * "Error building ASN.1 representation".
 */
export function communityText(community: unknown): string {
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

/** The options that describe one agent and how to talk to it: what a poll target may set for itself. */
export type AgentSettings = Pick<
  SessionOptions,
  | 'version'
  | 'community'
  | 'timeout'
  | 'retries'
  | 'backoff'
  | 'maxRepetitions'
  | 'useGetBulk'
  | 'user'
  | 'contextName'
  | 'contextEngineId'
  | 'engineId'
  | 'maxMessageSize'
  | 'defaultPort'
>;

/** AgentSettings' names, typed so that one added there and not here fails to compile. */
export const AGENT_OPTION_NAMES: Record<keyof AgentSettings, true> = {
  version: true,
  community: true,
  timeout: true,
  retries: true,
  backoff: true,
  maxRepetitions: true,
  useGetBulk: true,
  user: true,
  contextName: true,
  contextEngineId: true,
  engineId: true,
  maxMessageSize: true,
  defaultPort: true,
};

/**
 * Every option Session.open knows. Typed against SessionOptions, so that an option added there and not here (or the
 * reverse) fails to compile: a legitimate option is never refused as unknown.
 */
const OPTION_NAMES: Record<keyof SessionOptions, true> = {
  peer: true,
  ...AGENT_OPTION_NAMES,
  localAddress: true,
  localPort: true,
  transport: true,
  engineBoots: true,
  engineTime: true,
  messageProcessing: true,
};

/** Refuses option names Session.open does not know (a misspelt `timout` would otherwise be ignored in silence). */
export function checkOptionNames(options: SessionOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `Session.open takes an options object ({ peer, ... }), got ${describeValue(options)}`,
    });
  }
  const unknown = unknownOptionName(options, OPTION_NAMES);
  if (unknown !== undefined) throw new GeneralError('SNMPERR_GENERR', { detail: unknown });
}

/** What the options of one agent come to, checked, with SESSION_DEFAULTS filled in: a Session's, or a poll target's. */
export interface AgentConfig {
  wireVersion: 0 | 1 | 3;
  timing: DispatchTiming;
  maxRepetitions: number;
  useGetBulk: boolean;
  maxMessageSize: number;
  defaultPort: number;
  /** The message processing model given, or a new one for the version (community-based, or USM). */
  model: MessageProcessingModel;
}

/**
 * Checks the options that describe one agent and how to talk to it (everything but the transport and local binding)
 * and fills in SESSION_DEFAULTS. Throws GeneralError with Net-SNMP's code for what is wrong.
 */
export function agentConfig(options: SessionOptions): AgentConfig {
  const wireVersion = wireVersionOf(options.version ?? SESSION_DEFAULTS.version);
  const timeoutMs = checkTimeout(options.timeout ?? SESSION_DEFAULTS.timeout);
  const retries = checkTiming('retries', options.retries ?? SESSION_DEFAULTS.retries, 0, true);
  const backoff = checkTiming('backoff', options.backoff ?? SESSION_DEFAULTS.backoff, 1, false);
  const maxRepetitions = options.maxRepetitions ?? SESSION_DEFAULTS.maxRepetitions;
  checkWalkRepetitions(maxRepetitions, 'option maxRepetitions');
  if (options.useGetBulk !== undefined && typeof options.useGetBulk !== 'boolean') {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `option useGetBulk must be true or false, got ${describeValue(options.useGetBulk)}`,
    });
  }
  const maxMessageSize = checkTiming(
    'maxMessageSize',
    options.maxMessageSize ?? SESSION_DEFAULTS.maxMessageSize,
    MIN_MESSAGE_SIZE,
    true,
  );
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
        : new CommunityMessageProcessing(wireVersion, communityText(options.community ?? SESSION_DEFAULTS.community));
  } else if (model.wireVersion !== wireVersion && options.version !== undefined) {
    throw new GeneralError('SNMPERR_BAD_VERSION', {
      detail: `version ${String(options.version)} with a message processing model of wire version ${model.wireVersion}`,
    });
  }
  const defaultPort = checkTiming('defaultPort', options.defaultPort ?? SESSION_DEFAULTS.defaultPort, 1, true);
  return {
    wireVersion: model.wireVersion,
    timing: { timeoutMs, retries, backoff },
    maxRepetitions,
    useGetBulk: options.useGetBulk ?? SESSION_DEFAULTS.useGetBulk,
    maxMessageSize,
    defaultPort,
    model,
  };
}
