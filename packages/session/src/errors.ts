import type { VarBind } from '@snmpkit/ber';
import { TransportError, type TransportFailure } from '@snmpkit/transport';
import { ERROR_STATUS_NAMES, type ErrorStatusName, SNMPERR, type SnmpErrName } from './snmperr.js';

/** Base of every error the session raises; `code` is stable and meant for programs, `message` for people. */
export class SnmpError extends Error {
  readonly code: string = 'ERR_SNMP';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnmpError';
  }
}

/** The agent answered with a non-zero error-status (Net-SNMP: "Error in packet. Reason: ..."). */
export class ResponseError extends SnmpError {
  override readonly code = 'ERR_SNMP_RESPONSE';
  /** The error-status number (RFC 3416), e.g. 2. */
  readonly status: number;
  /** Its name, e.g. 'noSuchName'; 'unknown(N)' for numbers RFC 3416 does not define. */
  readonly statusName: ErrorStatusName | `unknown(${number})`;
  /** The error-index: 1-based position of the failed varbind, 0 when none is named. */
  readonly index: number;
  /** The failed varbind as the response carries it (falling back to the request's), if the index names one. */
  readonly varbind: VarBind | undefined;
  /** All varbinds of the response. */
  readonly varbinds: VarBind[];

  constructor(status: number, index: number, varbinds: VarBind[], requestVarbinds: readonly VarBind[] = []) {
    const statusName = ERROR_STATUS_NAMES[status] ?? (`unknown(${status})` as const);
    const varbind = index > 0 ? (varbinds[index - 1] ?? requestVarbinds[index - 1]) : undefined;
    super(`Error in packet. Reason: ${statusName}${varbind ? `; failed object: ${varbind.oid}` : ''}`);
    this.name = 'ResponseError';
    this.status = status;
    this.statusName = statusName;
    this.index = index;
    this.varbind = varbind;
    this.varbinds = varbinds;
  }
}

/** No response after the first attempt and every retry (Net-SNMP: "Timeout: No Response from PEER."). */
export class RequestTimeoutError extends SnmpError {
  override readonly code = 'ERR_SNMP_TIMEOUT';
  /** How many times the request was sent (1 + retries). */
  readonly attempts: number;
  /** The time waited in all, ms. */
  readonly waitedMs: number;

  constructor(peer: string, attempts: number, waitedMs: number) {
    super(`Timeout: No Response from ${peer}.`);
    this.name = 'RequestTimeoutError';
    this.attempts = attempts;
    this.waitedMs = waitedMs;
  }
}

export interface GeneralErrorOptions {
  /** The operating system's error code ('ECONNREFUSED', 'ENOTFOUND', ...), when one caused this. */
  systemError?: string | undefined;
  /** The operating system's errno (Node's negative number, as `error.errno`), 0 when none. */
  systemErrno?: number | undefined;
  /** Detail appended to Net-SNMP's message. */
  detail?: string | undefined;
  cause?: unknown;
}

/**
 * Everything else: bad input from the caller, a peer name that does not resolve, a socket error, a message too
 * long... `snmpError` is Net-SNMP's SNMPERR_* name and number for the failure (see snmperr.ts).
 */
export class GeneralError extends SnmpError {
  override readonly code: string = 'ERR_SNMP_GENERAL';
  readonly snmpError: { readonly name: SnmpErrName; readonly number: number };
  readonly systemError: string | undefined;
  readonly systemErrno: number;

  constructor(snmpError: SnmpErrName, options: GeneralErrorOptions = {}) {
    const [number, text] = SNMPERR[snmpError];
    const system = options.systemError ? ` (${options.systemError})` : '';
    super(`${text}${options.detail ? `: ${options.detail}` : ''}${system}`, { cause: options.cause });
    this.name = 'GeneralError';
    this.snmpError = { name: snmpError, number };
    this.systemError = options.systemError;
    this.systemErrno = options.systemErrno ?? 0;
  }
}

/** The request's AbortSignal fired; `cause` is the signal's reason. */
export class RequestAbortedError extends GeneralError {
  override readonly code = 'ERR_SNMP_ABORTED';
  constructor(reason: unknown) {
    super('SNMPERR_ABORT', { detail: 'the request was aborted', cause: reason });
    this.name = 'RequestAbortedError';
  }
}

/** The session was closed: requests pending at close() and any made after it fail with this. */
export class SessionClosedError extends GeneralError {
  override readonly code = 'ERR_SNMP_SESSION_CLOSED';
  constructor() {
    super('SNMPERR_BAD_SESSION', { detail: 'the session is closed' });
    this.name = 'SessionClosedError';
  }
}

/** A GeneralError built from a Node system error (which carries `code` and `errno`). */
export function systemGeneralError(snmpError: SnmpErrName, error: unknown, detail?: string): GeneralError {
  const e = error as { code?: unknown; errno?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(error);
  const errno = typeof e?.errno === 'number' ? e.errno : 0;
  return new GeneralError(snmpError, { systemError: code, systemErrno: errno, detail, cause: error });
}

/** Net-SNMP's name for each failure of the transport layer. */
const TRANSPORT_SNMPERR: Record<TransportFailure, SnmpErrName> = {
  address: 'SNMPERR_BAD_ADDRESS',
  bind: 'SNMPERR_BAD_LOCPORT',
  send: 'SNMPERR_BAD_SENDTO',
  receive: 'SNMPERR_BAD_RECVFROM',
  options: 'SNMPERR_GENERR',
};

/**
 * The session's error for a failure of @snmpkit/transport (a GeneralError with Net-SNMP's SNMPERR_* name, the
 * detail and the system error); any other error as it is.
 */
export function generalErrorOf(error: unknown): unknown {
  if (!(error instanceof TransportError)) return error;
  return new GeneralError(TRANSPORT_SNMPERR[error.failure], {
    systemError: error.systemError,
    systemErrno: error.systemErrno,
    detail: error.detail,
    cause: error.cause ?? error,
  });
}
