/**
 * What the agent commands (get, walk, set...) share: opening the session from Net-SNMP options, and printing
 * failures the way Net-SNMP's tools print them.
 */
import type { VarBind } from '@snmpkit/ber';
import { MibLookupError } from '@snmpkit/mib/display';
import {
  GeneralError,
  RequestTimeoutError,
  ResponseError,
  Session,
  type SessionOptions,
  SNMPERR,
} from '@snmpkit/session';
import { type CommonOptions, type ParseSpec, parseArgs, UsageError } from './args.js';
import { CliExit, type Io } from './io.js';
import { MissingModules } from './missing-modules.js';
import { createPresenter, logIo, type OidArgumentOptions, type Presenter } from './presenter.js';
import { applyClientDefaults, loadSnmpConf, type SnmpConf } from './snmp-conf.js';

/** snmp_errstring(): Net-SNMP's text for each error-status. */
const ERROR_STATUS_TEXT = [
  '(noError) No Error',
  '(tooBig) Response message would have been too large.',
  '(noSuchName) There is no such variable name in this MIB.',
  '(badValue) The value given has the wrong type or length.',
  '(readOnly) The two parties used do not have access to use the specified SNMP PDU.',
  '(genError) A general failure occured',
  'noAccess',
  'wrongType (The set datatype does not match the data type the agent expects)',
  'wrongLength (The set value has an illegal length from what the agent expects)',
  'wrongEncoding',
  'wrongValue (The set value is illegal or unsupported in some way)',
  'noCreation (That table does not support row creation or that object can not ever be created)',
  'inconsistentValue (The set value is illegal or unsupported in some way)',
  'resourceUnavailable (This is likely a out-of-memory failure within the agent)',
  'commitFailed',
  'undoFailed',
  'authorizationError (access denied to that object)',
  'notWritable (That object does not support modification)',
  'inconsistentName (That object can not currently be created)',
];

export function errorStatusText(status: number): string {
  return ERROR_STATUS_TEXT[status] ?? 'Unknown Error';
}

/** The context a command runs in: its name, options, stdout/stderr. */
export interface AgentCommand {
  /** 'get', 'walk'...: used in messages ("snmpkit get: Unknown host (x)"). */
  name: string;
  options: CommonOptions;
  io: Io;
  /** The peer as given on the command line. */
  peer: string;
  /** OID and value text, with or without MIB modules. */
  presenter: Presenter;
  /** snmp.conf's defaultPort: the port of an agent given without one (notifications' 162 included). */
  defaultPort?: number;
}

/**
 * Reads snmp.conf for the command (printing Net-SNMP's complaints about it) and refuses what Net-SNMP refuses right
 * after: a -X pass phrase with neither -A nor -a on the command line. Net-SNMP turns -X into a key with the
 * authentication protocol the command line chose (-a, or the default that -A brings), and without one it has none:
 * snmp.conf's defAuthPassphrase or defAuthType does not help.
 */
export function prepareAgentCommand(name: string, options: CommonOptions, io: Io): SnmpConf {
  // snmp.conf's complaints, missing modules and unknown OIDs go through Net-SNMP's log, which -L redirects.
  const conf = loadSnmpConf(logIo(options, io));
  if (options.privPassword !== undefined && options.authPassword === undefined && options.authProtocol === undefined) {
    io.err(`snmpkit ${name}: \nError generating a key (Ku) from the supplied privacy pass phrase. \n`);
    throw new CliExit(1);
  }
  return conf;
}

/**
 * The command's context: the options completed from snmp.conf's client defaults (the command line wins), MIB modules
 * loaded when the options ask for them. `conf`: snmp.conf when the caller has read it already.
 */
export async function agentCommand(
  name: string,
  options: CommonOptions,
  io: Io,
  peer: string,
  conf: SnmpConf = prepareAgentCommand(name, options, io),
  oidArguments: readonly string[] = [],
): Promise<AgentCommand> {
  applyClientDefaults(options, conf.client);
  const presenter = await createPresenter(options, true, conf.mib, oidArguments);
  await MissingModules.atStart(presenter, options.mibs, logIo(options, io));
  const port = conf.client.defaultPort;
  return { name, options, io, peer, presenter, ...(port !== undefined ? { defaultPort: port } : {}) };
}

/**
 * What every agent command does first: reads its command line (Net-SNMP's grammar; `spec` declares its -C flags),
 * takes the agent from the first word after the options (Net-SNMP's message when there is none) and makes the
 * command's context. `rest`: the words after the agent.
 */
export async function startAgentCommand(
  name: string,
  words: readonly string[],
  spec: ParseSpec,
  io: Io,
): Promise<{ command: AgentCommand; rest: string[] }> {
  const { options, positionals } = parseArgs(words, spec);
  // Net-SNMP reads its configuration after the options: its complaints come before "No hostname specified."
  const conf = prepareAgentCommand(name, options, io);
  const [peer, ...rest] = positionals;
  if (peer === undefined) throw new UsageError('No hostname specified.');
  return { command: await agentCommand(name, options, io, peer, conf, rest), rest };
}

/** GETBULK and InformRequest are v2 PDUs: in a v1 session Net-SNMP refuses to send them. True when refused. */
export function refusesV2Pdu(command: AgentCommand): boolean {
  if (command.options.version !== '1') return false;
  command.io.err(`snmpkit ${command.name}: Cannot send V2 PDU on V1 session\n`);
  return true;
}

/** Parses OID arguments, printing Net-SNMP's message for each bad one; exits 1 if any was bad. */
export function parseOidArguments(
  command: AgentCommand,
  texts: readonly string[],
  options?: OidArgumentOptions,
): string[] {
  const oids: string[] = [];
  let failures = 0;
  for (const text of texts) {
    try {
      oids.push(command.presenter.parseOid(text, options));
    } catch (error) {
      if (!(error instanceof MibLookupError)) throw error;
      logIo(command.options, command.io).err(`${error.message}\n`);
      failures++;
    }
  }
  if (failures > 0) throw new CliExit(1);
  return oids;
}

/** The v3 part of the session options: the USM user, context and engine ids from -u -l -a -A -x -X -n -E -e. */
async function v3Options(command: AgentCommand): Promise<Partial<SessionOptions>> {
  const { options, io } = command;
  if (options.user === undefined) {
    io.err(`snmpkit ${command.name}: No securityName specified\n`);
    throw new CliExit(1);
  }
  const { PassphraseError, userFromOptions } = await import('./v3-user.js');
  try {
    return {
      user: userFromOptions(options, `snmpkit ${command.name}`),
      ...(options.context !== undefined ? { contextName: options.context } : {}),
      ...(options.contextEngineId !== undefined ? { contextEngineId: options.contextEngineId } : {}),
      ...(options.securityEngineId !== undefined ? { engineId: options.securityEngineId } : {}),
    };
  } catch (error) {
    if (!(error instanceof PassphraseError)) throw error;
    io.err(`${error.message}\n`);
    throw new CliExit(1);
  }
}

/**
 * Net-SNMP's tools' timing (-t 1, -r 5, every retry waiting as long as the first: a dead agent fails after 6 s),
 * which the CLI keeps to behave as they do; it deliberately differs from the session's SESSION_DEFAULTS (1 s,
 * 3 retries, backoff 1.5: 8.125 s).
 */
const NET_SNMP_TIMING = { timeoutSeconds: 1, retries: 5, backoff: 1 } as const;

/**
 * The session options the command's Net-SNMP options describe (the agent, version, community or v3 user, Net-SNMP's
 * timing), or prints why there are none (as Net-SNMP does) and exits 1. `poll` makes each target's this way.
 */
export async function sessionOptionsOf(
  command: AgentCommand,
  extra: Partial<SessionOptions> = {},
): Promise<SessionOptions> {
  const { options } = command;
  let security: Partial<SessionOptions>;
  if (options.version === '3') security = await v3Options(command);
  else if (options.community === undefined) throw new UsageError('No community name specified.');
  else security = { community: options.community };
  const timeout = (options.timeout ?? NET_SNMP_TIMING.timeoutSeconds) * 1000;
  return {
    peer: command.peer,
    version: options.version,
    ...security,
    timeout,
    retries: options.retries ?? NET_SNMP_TIMING.retries,
    backoff: NET_SNMP_TIMING.backoff,
    ...extra,
    // snmp.conf's port replaces every command's default, snmptrap's 162 included.
    ...(command.defaultPort !== undefined ? { defaultPort: command.defaultPort } : {}),
  };
}

/** Opens the session the options describe, or prints why not (as Net-SNMP does) and exits 1. */
export async function openSession(command: AgentCommand, extra: Partial<SessionOptions> = {}): Promise<Session> {
  const common = await sessionOptionsOf(command, extra);
  try {
    if (command.options.dump) {
      const { dumpingTransport } = await import('./dump.js');
      return await Session.open({ ...common, transport: await dumpingTransport(command.peer, command.io) });
    }
    return await Session.open(common);
  } catch (error) {
    // The only request a session sends while it opens is v3's engine-ID discovery probe, and Net-SNMP reports its
    // timeout as a library error from every tool ("snmpget: Timeout"), not as a request's "No Response from".
    reportFailure(command, error, { timeoutAsLibraryError: true });
  }
}

/** Where Net-SNMP's tools differ in punctuation: snmpget prints "Error in packet" without the final dot. */
export interface FailureStyle {
  errorInPacket?: string;
  timeoutDot?: boolean;
  /** snmpinform reports a timeout as a library error: "snmpinform: Timeout". */
  timeoutAsLibraryError?: boolean;
}

/** Prints an error-status response as Net-SNMP does; returns 2, the tools' exit code for it. */
export function printResponseError(command: AgentCommand, error: ResponseError, style: FailureStyle = {}): number {
  let text = `${style.errorInPacket ?? 'Error in packet.'}\nReason: ${errorStatusText(error.status)}\n`;
  if (error.index !== 0) {
    // The failed object is the response's varbind at error-index (print nothing when the index is out of range).
    const failed = error.varbinds[error.index - 1];
    text += `Failed object: ${failed ? `${command.presenter.oid(failed.oid)}\n` : ''}\n`;
  }
  command.io.err(text);
  return 2;
}

/** The SNMPv3 failures Net-SNMP reports with their bare message. */
const PLAIN_SNMPERR = new Set<string>([
  'SNMPERR_UNKNOWN_USER_NAME',
  'SNMPERR_AUTHENTICATION_FAILURE',
  'SNMPERR_UNSUPPORTED_SEC_LEVEL',
  'SNMPERR_NOT_IN_TIME_WINDOW',
  'SNMPERR_DECRYPTION_ERR',
  'SNMPERR_UNKNOWN_SEC_MODEL',
  'SNMPERR_INVALID_MSG',
  'SNMPERR_BAD_CONTEXT',
]);

/** strerror()'s text for the system errors a session meets on its socket (Node's own refusals as the kernel's). */
const STRERROR: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  ETIMEDOUT: 'Connection timed out',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
  // Node refuses to send to port 0 itself; the kernel's sendto() answers EINVAL.
  ERR_SOCKET_BAD_PORT: 'Invalid argument',
};

/**
 * Net-SNMP's tools end a library error with the system error behind it, " (Connection refused)"; none for a host
 * name that does not resolve (no errno) or for an error of our own.
 */
function errnoSuffix(error: GeneralError): string {
  const text = error.systemError === undefined ? undefined : STRERROR[error.systemError];
  return text === undefined ? '' : ` (${text})`;
}

/** Prints a failure other than an error-status response and exits: timeouts, bad hosts, socket errors. */
export function reportFailure(command: AgentCommand, error: unknown, style: FailureStyle = {}): never {
  const { io } = command;
  if (error instanceof ResponseError) throw new CliExit(printResponseError(command, error, style));
  // An unknownEngineID Report to a request (an -e the agent does not know, or an agent that changed its engine ID):
  // Net-SNMP ignores it and resends until the request times out, and prints the timeout. The session ends the
  // request at the Report instead; the message and exit code are the timeout's, only sooner.
  const timedOut =
    error instanceof RequestTimeoutError ||
    (error instanceof GeneralError && error.snmpError.name === 'SNMPERR_UNKNOWN_ENG_ID');
  if (timedOut && style.timeoutAsLibraryError) {
    io.err(`snmpkit ${command.name}: Timeout\n`);
    throw new CliExit(1);
  }
  if (timedOut) {
    io.err(`Timeout: No Response from ${command.peer}${style.timeoutDot === false ? '' : '.'}\n`);
    throw new CliExit(1);
  }
  if (error instanceof GeneralError) {
    if (error.snmpError.name === 'SNMPERR_BAD_ADDRESS') {
      io.err(`snmpkit ${command.name}: Unknown host (${command.peer})${errnoSuffix(error)}\n`);
    } else if (error.snmpError.name === 'SNMPERR_BAD_SENDTO') {
      io.err(`snmpkit ${command.name}: ${SNMPERR.SNMPERR_BAD_SENDTO[1]}${errnoSuffix(error)}\n`);
    } else if (PLAIN_SNMPERR.has(error.snmpError.name)) {
      // Net-SNMP prints these with snmp_api_errstring's text alone ("snmpget: Unknown user name").
      io.err(`snmpkit ${command.name}: ${SNMPERR[error.snmpError.name][1]}\n`);
    } else {
      io.err(`snmpkit ${command.name}: ${error.message}\n`);
    }
    throw new CliExit(1);
  }
  throw error;
}

/** Prints varbinds as Net-SNMP does, or as JSON lines with --json. */
/** Prints varbinds, one line each (text, or JSON with --json); `prefix` goes before each text line (snmpwalk -CT). */
export function printVarbinds(command: AgentCommand, varbinds: readonly VarBind[], prefix = ''): void {
  const { options, io } = command;
  let text = '';
  for (const vb of varbinds) {
    text += options.json ? `${varbindJson(vb, command.presenter)}\n` : `${prefix}${command.presenter.varbind(vb)}\n`;
  }
  if (text !== '') io.out(text);
}

/**
 * One varbind as JSON: the numeric OID, the Net-SNMP name, the type (@snmpkit/ber's names), the value in a JSON
 * type that loses nothing (64-bit numbers as decimal strings, OCTET STRINGs as text and as hex), and Net-SNMP's text.
 */
export function varbindRecord(vb: VarBind, presenter: Presenter): Record<string, unknown> {
  const v = vb.value;
  // `name` is the OID as the -O flags print it; `display` the value as -Oqv prints it (enumeration labels,
  // DISPLAY-HINTs, units, no type prefix); `text` the value as the command prints it.
  const record: Record<string, unknown> = { oid: vb.oid, name: presenter.oid(vb.oid), type: v.type };
  switch (v.type) {
    case 'OctetString': {
      record.value = Buffer.from(v.value).toString('utf8');
      record.hex = Buffer.from(v.value).toString('hex');
      break;
    }
    case 'Opaque':
      record.value = v.opaque
        ? typeof v.opaque.value === 'bigint'
          ? v.opaque.value.toString()
          : v.opaque.value
        : null;
      if (v.opaque) record.opaqueType = v.opaque.type;
      record.hex = Buffer.from(v.value).toString('hex');
      break;
    case 'Counter64':
      record.value = v.value.toString();
      break;
    case 'Null':
    case 'NoSuchObject':
    case 'NoSuchInstance':
    case 'EndOfMibView':
      record.value = null;
      break;
    default:
      record.value = v.value;
  }
  record.display = presenter.value(vb.oid, v, { ...presenter.settings, quick: true, quickEquals: false });
  record.text = presenter.value(vb.oid, v);
  return record;
}

/** varbindRecord as one line of JSON. */
export function varbindJson(vb: VarBind, presenter: Presenter): string {
  return JSON.stringify(varbindRecord(vb, presenter));
}
