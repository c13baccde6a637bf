/**
 * What failed: the endpoint (a malformed, unsupported or unresolvable name, a refused connection), binding a local
 * socket, sending, or receiving (a connection that broke). Net-SNMP's SNMPERR_BAD_ADDRESS, SNMPERR_BAD_LOCPORT,
 * SNMPERR_BAD_SENDTO and SNMPERR_BAD_RECVFROM: the session maps them one to one to its GeneralError. `options`: a
 * listener or framer option that cannot work (a size or count that is not a whole number in range).
 */
export type TransportFailure = 'address' | 'bind' | 'send' | 'receive' | 'options';

const FAILURE_TEXT: Record<TransportFailure, string> = {
  address: 'bad endpoint',
  bind: 'cannot bind',
  send: 'send failed',
  receive: 'receive failed',
  options: 'bad option',
};

export interface TransportErrorOptions {
  /** What went wrong, for people: `udp:host:99999: port 99999 is out of range 0..65535`. */
  detail?: string | undefined;
  /** The Node system error behind this one, if any (its `code` and `errno` are copied). */
  cause?: unknown;
}

/** Every failure of this package: `failure` says which kind, `systemError` the operating system's code if any. */
export class TransportError extends Error {
  readonly code = 'ERR_SNMP_TRANSPORT';
  readonly failure: TransportFailure;
  readonly detail: string | undefined;
  /** The system error's code ('ECONNREFUSED', 'ENOTFOUND', ...) or message, when one caused this. */
  readonly systemError: string | undefined;
  /** The system error's errno (Node's negative number), 0 when none. */
  readonly systemErrno: number;

  constructor(failure: TransportFailure, options: TransportErrorOptions = {}) {
    const { systemError, systemErrno } = systemCode(options.cause);
    const detail = options.detail === undefined ? '' : `: ${options.detail}`;
    super(`${FAILURE_TEXT[failure]}${detail}${systemError ? ` (${systemError})` : ''}`, { cause: options.cause });
    this.name = 'TransportError';
    this.failure = failure;
    this.detail = options.detail;
    this.systemError = systemError;
    this.systemErrno = systemErrno;
  }
}

function systemCode(cause: unknown): { systemError: string | undefined; systemErrno: number } {
  if (cause === undefined) return { systemError: undefined, systemErrno: 0 };
  const e = cause as { code?: unknown; errno?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.message === 'string' ? e.message : String(cause);
  return { systemError: code, systemErrno: typeof e?.errno === 'number' ? e.errno : 0 };
}
