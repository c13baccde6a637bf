/**
 * The seed-faithful facade: Net-SNMP's single-session API (snmp_sess_init, snmp_sess_open, snmp_sess_close,
 * snmp_sess_synch_response, snmp_pdu_create, snmp_add_null_var, snmp_add_variable) one to one, as the OCaml
 * binding Netsnmp_raw.Session exposes it. Timeouts are in microseconds, as in Net-SNMP. Calls that do I/O return
 * promises (Node has no synchronous sockets); errors are the session's classes: ResponseError (the seed's
 * Response_error), RequestTimeoutError (Request_timeout), GeneralError (General_error: system error, SNMPERR_*,
 * message).
 */
import type { BasicPdu, GetBulkPdu, SnmpValue } from '@snmpkit/ber';
import {
  NET_SNMP_AUTH_NAMES,
  NET_SNMP_PRIV_NAMES,
  type NetSnmpAuthProtocol,
  type NetSnmpPrivProtocol,
  type SecurityLevel,
} from '@snmpkit/usm';
import { MAX_ATTEMPT_WAIT_MS } from './dispatcher.js';
import { GeneralError, ResponseError } from './errors.js';
import { Session } from './session.js';
import { SNMP_TRAP_OID_0, SYS_UP_TIME_0 } from './trap-translation.js';
import type { V3User } from './v3.js';
import { checkBulkCounts, checkOid, checkSetVarbind } from './validate.js';

// The errors the facade's calls reject with, importable from the facade itself as the seed's exceptions are.
export {
  GeneralError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseError,
  SessionClosedError,
  SnmpError,
} from './errors.js';

/** Net-SNMP's SNMP_VERSION_* numbers (the wire numbers). */
export const SnmpVersion = { SNMP_VERSION_1: 0, SNMP_VERSION_2c: 1, SNMP_VERSION_3: 3 } as const;
export type RawSnmpVersion = (typeof SnmpVersion)[keyof typeof SnmpVersion];

/** v3 authentication protocols, by Net-SNMP's names (-a: MD5, SHA, SHA-224 ... SHA-512); 'ignore' for none. */
export type SnmpSecAuthProto = 'ignore' | NetSnmpAuthProtocol;

/** v3 privacy protocols, by Net-SNMP's names (-x: DES, AES, AES-192, AES-256, AES-192-C, AES-256-C); 'ignore' for none. */
export type SnmpSecPrivProto = 'ignore' | NetSnmpPrivProtocol;

/** Net-SNMP's SNMP_SEC_LEVEL_* (the session struct's securityLevel). */
export const SnmpSecLevel = {
  SNMP_SEC_LEVEL_NOAUTH: 1,
  SNMP_SEC_LEVEL_AUTHNOPRIV: 2,
  SNMP_SEC_LEVEL_AUTHPRIV: 3,
} as const;
export type RawSecLevel = (typeof SnmpSecLevel)[keyof typeof SnmpSecLevel];

/** The names the struct takes are Net-SNMP's exact spellings (usm's table); usm reads each into its protocol. */
const isRawAuthName = (name: string): name is NetSnmpAuthProtocol =>
  (Object.values(NET_SNMP_AUTH_NAMES) as string[]).includes(name);
const isRawPrivName = (name: string): name is NetSnmpPrivProtocol =>
  (Object.values(NET_SNMP_PRIV_NAMES) as string[]).includes(name);
const LEVELS: Record<RawSecLevel, SecurityLevel> = { 1: 'noAuthNoPriv', 2: 'authNoPriv', 3: 'authPriv' };

/** Net-SNMP's SNMP_MSG_* PDU types (the BER tags). */
export const SnmpMsg = {
  SNMP_MSG_GET: 0xa0,
  SNMP_MSG_GETNEXT: 0xa1,
  SNMP_MSG_SET: 0xa3,
  SNMP_MSG_GETBULK: 0xa5,
  SNMP_MSG_INFORM: 0xa6,
  SNMP_MSG_TRAP2: 0xa7,
} as const;
export type RawPduType = (typeof SnmpMsg)[keyof typeof SnmpMsg];

/** Net-SNMP's "use the library default" markers, as snmp_sess_init leaves them. */
export const SNMP_DEFAULT_RETRIES = -1;
export const SNMP_DEFAULT_TIMEOUT = -1;

/** What snmp_sess_init returns: a session structure with library defaults, to be passed to snmpSessOpen. */
export interface NetsnmpSession {
  version: RawSnmpVersion;
  /** SNMP_DEFAULT_RETRIES (-1): 5. */
  retries: number;
  /** µs; SNMP_DEFAULT_TIMEOUT (-1): 1 000 000. */
  timeout: number;
  peername: string;
  localname: string;
  localPort: number;
  community: string;
}

export interface SnmpSessOpenParams {
  netsnmpSession: NetsnmpSession;
  version: RawSnmpVersion;
  retries: number;
  /** µs until the first timeout, then exponential backoff (each retry waits twice as long). */
  timeout: number;
  peername: string;
  /** Local address, '' for any. */
  localname: string;
  /** Local port, 0 for one picked by the system. */
  localPort: number;
  community: string;
  securityName: string;
  securityAuthProto: SnmpSecAuthProto;
  securityAuthPassword: string;
  /** v3 privacy protocol. Default 'ignore'. */
  securityPrivProto?: SnmpSecPrivProto;
  securityPrivPassword?: string;
  /**
   * v3 SNMP_SEC_LEVEL_*. Default: authPriv when a privacy protocol is given, authNoPriv when only an authentication
   * protocol is, else noAuth.
   */
  securityLevel?: RawSecLevel;
  /** v3 contextName. Default ''. */
  contextName?: string;
}

/** An open session handle (the seed's `t`). */
export interface RawSession {
  readonly session: Session;
}

/** A PDU being built with snmpAddNullVar / snmpAddVariable. */
export interface RawPdu {
  type: RawPduType;
  /** GETBULK only (Net-SNMP keeps them in errstat/errindex). */
  nonRepeaters: number;
  maxRepetitions: number;
  variables: { oid: string; value: SnmpValue }[];
}

/**
 * The timing the seed documents for this facade, which deliberately differs from Session.open's SESSION_DEFAULTS
 * (1 s, 3 retries, backoff 1.5: 8.125 s): 1 s, 5 retries, each retry waiting twice as long, so that a dead agent
 * fails a request after 1 + 2 + 4 + 8 + 16 + 32 = 63 s. Code written against Net-SNMP's session API gets what the
 * seed promised.
 */
const SEED_TIMING = { timeoutUs: 1_000_000, retries: 5, backoff: 2 } as const;

/** snmp_sess_init: a session structure with defaults (v1 — Net-SNMP's default version — community "public"). */
export function snmpSessInit(): NetsnmpSession {
  return {
    version: SnmpVersion.SNMP_VERSION_1,
    retries: SNMP_DEFAULT_RETRIES,
    timeout: SNMP_DEFAULT_TIMEOUT,
    peername: '',
    localname: '',
    localPort: 0,
    community: 'public',
  };
}

/** snmp_sess_open: opens the session (resolves the peer, binds the socket). */
export async function snmpSessOpen(params: SnmpSessOpenParams): Promise<RawSession> {
  const v3 = params.version === SnmpVersion.SNMP_VERSION_3;
  if (!v3 && params.version !== SnmpVersion.SNMP_VERSION_1 && params.version !== SnmpVersion.SNMP_VERSION_2c) {
    throw new GeneralError('SNMPERR_BAD_VERSION', { detail: `version ${String(params.version)}` });
  }
  const retries = params.retries === SNMP_DEFAULT_RETRIES ? SEED_TIMING.retries : params.retries;
  const timeoutUs = params.timeout === SNMP_DEFAULT_TIMEOUT ? SEED_TIMING.timeoutUs : params.timeout;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new GeneralError('SNMPERR_GENERR', { detail: `retries must be -1 or a count, got ${retries}` });
  }
  if (!(timeoutUs > 0))
    throw new GeneralError('SNMPERR_GENERR', { detail: `timeout must be -1 or µs > 0, got ${timeoutUs}` });
  // Checked here rather than by Session.open so that the message speaks in the µs the caller gave.
  if (timeoutUs > MAX_ATTEMPT_WAIT_MS * 1000) {
    throw new GeneralError('SNMPERR_GENERR', {
      detail: `timeout must be at most ${MAX_ATTEMPT_WAIT_MS * 1000} µs (2^31-1 ms: Node's longest timer), got ${timeoutUs}`,
    });
  }
  // Node's timers count whole milliseconds: a wait below 1 ms is 1 ms whatever is asked, so 1-999 µs wait that.
  const timeoutMs = Math.max(timeoutUs / 1000, 1);
  const session = await Session.open({
    peer: params.peername,
    version: v3 ? 3 : params.version === SnmpVersion.SNMP_VERSION_1 ? '1' : '2c',
    community: params.community,
    ...(v3 ? { user: rawUser(params), contextName: params.contextName ?? '' } : {}),
    retries,
    timeout: timeoutMs,
    backoff: SEED_TIMING.backoff,
    localAddress: params.localname === '' ? undefined : params.localname,
    localPort: params.localPort === 0 ? undefined : params.localPort,
  });
  return { session };
}

/** The session struct's security fields as a v3 user. */
function rawUser(params: SnmpSessOpenParams): V3User {
  const auth = params.securityAuthProto ?? 'ignore';
  const priv = params.securityPrivProto ?? 'ignore';
  if (auth !== 'ignore' && !isRawAuthName(auth)) {
    throw new GeneralError('SNMPERR_GENERR', { detail: `unknown securityAuthProto ${JSON.stringify(auth)}` });
  }
  if (priv !== 'ignore' && !isRawPrivName(priv)) {
    throw new GeneralError('SNMPERR_GENERR', { detail: `unknown securityPrivProto ${JSON.stringify(priv)}` });
  }
  const levelNumber =
    params.securityLevel ??
    (priv !== 'ignore'
      ? SnmpSecLevel.SNMP_SEC_LEVEL_AUTHPRIV
      : auth !== 'ignore'
        ? SnmpSecLevel.SNMP_SEC_LEVEL_AUTHNOPRIV
        : SnmpSecLevel.SNMP_SEC_LEVEL_NOAUTH);
  const level = LEVELS[levelNumber];
  if (!level) throw new GeneralError('SNMPERR_BAD_SEC_LEVEL', { detail: `securityLevel ${String(levelNumber)}` });
  const user: V3User = { name: params.securityName, level };
  if (level !== 'noAuthNoPriv') {
    if (auth === 'ignore') throw new GeneralError('SNMPERR_GENERR', { detail: `${level} needs securityAuthProto` });
    user.authProtocol = auth;
    user.authPassword = params.securityAuthPassword;
  }
  if (level === 'authPriv') {
    if (priv === 'ignore') throw new GeneralError('SNMPERR_GENERR', { detail: 'authPriv needs securityPrivProto' });
    user.privProtocol = priv;
    user.privPassword = params.securityPrivPassword ?? '';
  }
  return user;
}

/** snmp_sess_close: shuts the session down; pending requests fail with SessionClosedError. */
export function snmpSessClose(t: RawSession): Promise<void> {
  return t.session.close();
}

/** snmp_pdu_create. */
export function snmpPduCreate(type: RawPduType): RawPdu {
  if (!Object.values(SnmpMsg).includes(type)) {
    throw new GeneralError('SNMPERR_UNKNOWN_PDU', { detail: `PDU type 0x${Number(type).toString(16)}` });
  }
  return { type, nonRepeaters: 0, maxRepetitions: 10, variables: [] };
}

/** snmp_add_null_var: appends OID with a NULL value (for GET, GETNEXT, GETBULK). Returns the PDU. */
export function snmpAddNullVar(pdu: RawPdu, oid: string): RawPdu {
  pdu.variables.push({ oid: checkOid(oid), value: { type: 'Null' } });
  return pdu;
}

/** snmp_add_variable (snmp_pdu_add_variable): appends OID with a typed value (for SET). Returns the PDU. */
export function snmpAddVariable(pdu: RawPdu, oid: string, value: SnmpValue): RawPdu {
  pdu.variables.push(checkSetVarbind({ oid, value }, 1));
  return pdu;
}

/**
 * A notification PDU's varbinds as Net-SNMP's callers build them: sysUpTime.0, snmpTrapOID.0, then the objects.
 * Returned as the session's notification methods take them.
 */
function notificationParts(pdu: RawPdu): { trapOid: string; uptime: number; varbinds: RawPdu['variables'] } {
  const [uptime, trapOid, ...rest] = pdu.variables;
  if (
    uptime?.oid !== SYS_UP_TIME_0 ||
    uptime.value.type !== 'TimeTicks' ||
    trapOid?.oid !== SNMP_TRAP_OID_0 ||
    trapOid.value.type !== 'ObjectIdentifier'
  ) {
    throw new GeneralError('SNMPERR_GENERR', {
      detail:
        'an INFORM or TRAP2 PDU starts with sysUpTime.0 (TimeTicks) and snmpTrapOID.0 (OBJECT IDENTIFIER), as snmptrap sends them',
    });
  }
  return { trapOid: trapOid.value.value, uptime: uptime.value.value, varbinds: rest };
}

/**
 * snmp_sess_synch_response: sends the PDU, waits for the response (with the session's retries) and returns its
 * varbinds as [oid, value] pairs. Rejects with ResponseError, RequestTimeoutError or GeneralError. A TRAP2 gets no
 * response: it resolves with no varbinds once sent (Net-SNMP returns success and no response PDU). An INFORM waits
 * for the receiver's Response.
 */
export async function snmpSessSynchResponse(t: RawSession, pdu: RawPdu): Promise<[string, SnmpValue][]> {
  const session = t.session;
  if (pdu.variables.length === 0) throw new GeneralError('SNMPERR_NO_VARS');
  if (pdu.type === SnmpMsg.SNMP_MSG_TRAP2 || pdu.type === SnmpMsg.SNMP_MSG_INFORM) {
    const { trapOid, uptime, varbinds } = notificationParts(pdu);
    if (pdu.type === SnmpMsg.SNMP_MSG_TRAP2) {
      await session.trap(trapOid, varbinds, { uptime });
      return [];
    }
    const answer = await session.inform(trapOid, varbinds, { uptime });
    return answer.map((vb) => [vb.oid, vb.value]);
  }
  let request: BasicPdu | GetBulkPdu;
  if (pdu.type === SnmpMsg.SNMP_MSG_GETBULK) {
    if (session.wireVersion === 0) throw new GeneralError('SNMPERR_V2_IN_V1');
    checkBulkCounts(pdu.nonRepeaters, pdu.maxRepetitions);
    request = {
      type: 'GetBulkRequest',
      requestId: 0,
      nonRepeaters: pdu.nonRepeaters,
      maxRepetitions: pdu.maxRepetitions,
      varbinds: [...pdu.variables],
    };
  } else {
    const type =
      pdu.type === SnmpMsg.SNMP_MSG_GET
        ? 'GetRequest'
        : pdu.type === SnmpMsg.SNMP_MSG_GETNEXT
          ? 'GetNextRequest'
          : 'SetRequest';
    if (type === 'SetRequest') for (const vb of pdu.variables) checkSetVarbind(vb, session.wireVersion);
    request = { type, requestId: 0, errorStatus: 0, errorIndex: 0, varbinds: [...pdu.variables] };
  }
  const response = await session.request(request);
  if (response.errorStatus !== 0) {
    throw new ResponseError(response.errorStatus, response.errorIndex, response.varbinds, request.varbinds);
  }
  return response.varbinds.map((vb) => [vb.oid, vb.value]);
}
