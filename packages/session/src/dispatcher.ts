import type { BasicPdu } from '@snmpkit/ber';
import type { ClientTransport, MessageSource } from '@snmpkit/transport';
import {
  GeneralError,
  generalErrorOf,
  RequestAbortedError,
  RequestTimeoutError,
  SessionClosedError,
  systemGeneralError,
} from './errors.js';
import type { MessageProcessingModel, OutgoingPdu, RequestPdu } from './message-processing.js';

/** Counters a session keeps; read them from `session.stats`. */
export interface SessionStats {
  /** Requests sent (first attempts). */
  requests: number;
  /** Attempts after the first. */
  retransmissions: number;
  /** Responses matched to a request in flight. */
  responses: number;
  /** Requests that failed with RequestTimeoutError. */
  timeouts: number;
  /** Messages from an address or port other than the peer's. */
  droppedWrongSource: number;
  /**
   * Responses whose request-id is neither in flight nor one of the recently abandoned requests (`droppedLate`):
   * duplicates of replies already taken, spoofs, replies to requests abandoned long ago.
   */
  droppedUnknownId: number;
  /**
   * Replies to this session's own requests that were over before the reply came: timed out, aborted, or cancelled by
   * the session (the page a walk read ahead when the caller stopped). The last 1,024 such request-ids are
   * remembered. Expected, not a sign of trouble.
   */
  droppedLate: number;
  /** Messages that do not decode. */
  droppedUndecodable: number;
  /**
   * Messages that came with bytes after their end (a stack that pads datagrams): the bytes are ignored, as Net-SNMP
   * ignores them, and the message is taken (or dropped) on its own merits; counted here either way.
   */
  trailingBytes: number;
  /** Messages that decode but are no response for this session (another version, a request PDU, ...). */
  droppedUnexpected: number;
  /** Notifications sent without waiting for an answer (traps). */
  notifications: number;
  /**
   * v3: times the agent's engine ID changed under the session (an unknownEngineID Report naming another engine: the
   * agent was replaced or lost its state) and the session followed it, resending the request.
   */
  rediscoveries: number;
  /** v3: notInTimeWindow Reports after which the session took the agent's boots and time and resent the request. */
  resyncs: number;
}

/** Every counter at zero. */
export function newSessionStats(): SessionStats {
  return {
    requests: 0,
    retransmissions: 0,
    responses: 0,
    timeouts: 0,
    droppedWrongSource: 0,
    droppedUnknownId: 0,
    droppedLate: 0,
    droppedUndecodable: 0,
    trailingBytes: 0,
    droppedUnexpected: 0,
    notifications: 0,
    rediscoveries: 0,
    resyncs: 0,
  };
}

export interface DispatchTiming {
  /** Wait for the first attempt, ms. */
  timeoutMs: number;
  retries: number;
  /** Each retry waits this many times longer than the one before. */
  backoff: number;
}

interface Pending {
  requestId: number;
  pdu: RequestPdu;
  bytes: Uint8Array;
  attempt: number;
  /** Attempts after the first this request may make (the session's retries, or fewer for a probe). */
  retries: number;
  /** Resends asked for by the message processing model (not retries after a timeout). */
  resends: number;
  waitedMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Let through by the gate (always, without one): sent, its timer running. */
  admitted: boolean;
  /** Withdraws the request from the gate's queue while it waits there. */
  withdraw: (() => void) | undefined;
  resolve: (pdu: BasicPdu) => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The longest wait one attempt may have, ms: Node's timers hold at most 2^31-1 ms (about 24.8 days) and fire at once
 * (after 1 ms, with a TimeoutOverflowWarning) when asked for more, which a large backoff reaches after a few retries.
 */
export const MAX_ATTEMPT_WAIT_MS = 0x7fffffff;

/** How many request-ids of requests that ended without an answer are remembered, to tell their late replies apart. */
const MAX_ABANDONED = 1024;

/** How many times one request may be resent at the model's request (a v3 agent needs one, after a time sync). */
const MAX_RESENDS = 3;

/**
 * Request-ids: random 31-bit positive numbers, drawn 256 at a time from the system's CSPRNG, never one still in use:
 * in flight, or remembered as abandoned (its late reply may still come, and would be taken as the answer to the new
 * request). A session has its own; the poller shares one among the dispatchers of all its targets, so that no two
 * targets' requests ever carry the same request-id.
 */
export class RequestIds {
  private readonly pool = new Uint32Array(256);
  private next = this.pool.length;
  private readonly inUse = new Set<number>();

  private random(): number {
    if (this.next === this.pool.length) {
      crypto.getRandomValues(this.pool);
      this.next = 0;
    }
    return this.pool[this.next++]! & 0x7fffffff;
  }

  /** A fresh request-id, in use until `release`. */
  take(): number {
    let id = this.random();
    while (this.inUse.has(id)) id = this.random();
    this.inUse.add(id);
    return id;
  }

  /** A request-id for a message that gets no answer (a trap): not kept in use. */
  takeUnconfirmed(): number {
    return this.random();
  }

  release(id: number): void {
    this.inUse.delete(id);
  }

  /** Request-ids in use now. */
  get size(): number {
    return this.inUse.size;
  }
}

/**
 * Admission of requests to the wire: the poller's limits (requests in flight per target and in all, a rate). A
 * request waits in the gate before its first attempt; its timer starts once it is sent.
 */
export interface RequestGate {
  /** Calls `start` once the request may be sent (at once, or later); returns a way to withdraw it while it waits. */
  enter(start: () => void): () => void;
  /** A request that was started is over (answered, failed, timed out, aborted). */
  leave(): void;
}

/** What dispatchers may share: the request-id space, and the gate their requests pass. */
export interface DispatchSharing {
  ids?: RequestIds;
  gate?: RequestGate;
}

/**
 * One socket, many requests in flight. Matches responses to requests by request-id, resends on timeout with
 * backoff, accepts a late reply to any attempt, drops and counts what does not belong (see SessionStats).
 */
export class Dispatcher {
  readonly stats: SessionStats = newSessionStats();
  private readonly inFlight = new Map<number, Pending>();
  /** Request-ids of requests that ended without an answer, oldest first (bounded by MAX_ABANDONED). */
  private readonly abandoned = new Set<number>();
  private readonly ids: RequestIds;
  private readonly gate: RequestGate | undefined;
  private closed = false;

  constructor(
    private readonly transport: ClientTransport,
    readonly model: MessageProcessingModel,
    private readonly timing: DispatchTiming,
    /** The peer's address: replies from elsewhere are dropped. Undefined: accept any source (injected transports). */
    private readonly expectedSource: MessageSource | undefined,
    private readonly peerName: string,
    private readonly maxMessageSize: number,
    sharing: DispatchSharing = {},
  ) {
    this.ids = sharing.ids ?? new RequestIds();
    this.gate = sharing.gate;
    transport.onMessage((message, source) => this.receive(message, source));
    transport.onError?.((error) => {
      const known = generalErrorOf(error);
      this.failAll(known instanceof GeneralError ? known : wrap(error));
    });
  }

  get pendingCount(): number {
    return this.inFlight.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends a PDU that gets no answer (SNMPv2-Trap, v1 Trap) once. A TrapV2's request-id is set to a fresh one.
   * Throws GeneralError when it cannot be encoded or is too long.
   */
  sendUnconfirmed(pdu: OutgoingPdu): void {
    if (this.closed) throw new SessionClosedError();
    if (pdu.type !== 'TrapV1') pdu.requestId = this.ids.takeUnconfirmed();
    const bytes = this.encode(pdu);
    this.transport.send(bytes);
    this.stats.notifications++;
  }

  private encode(pdu: OutgoingPdu): Uint8Array {
    let bytes: Uint8Array;
    try {
      bytes = this.model.encodeRequest(pdu, 0);
    } catch (error) {
      throw new GeneralError('SNMPERR_BAD_ASN1_BUILD', { detail: String(error), cause: error });
    }
    if (bytes.length > this.maxMessageSize) {
      throw new GeneralError('SNMPERR_TOO_LONG', {
        detail: `the request is ${bytes.length} bytes, the maximum message size ${this.maxMessageSize}`,
      });
    }
    return bytes;
  }

  /**
   * Sends `pdu` (its requestId is set to a fresh one) and resolves with the response PDU. `retries` overrides the
   * session's for this request (a walk's one-attempt GETBULK probe).
   */
  request(pdu: RequestPdu, signal?: AbortSignal, retries = this.timing.retries): Promise<BasicPdu> {
    if (this.closed) return Promise.reject(new SessionClosedError());
    if (signal?.aborted) return Promise.reject(new RequestAbortedError(signal.reason));
    const requestId = this.ids.take();
    pdu.requestId = requestId;
    let bytes: Uint8Array;
    try {
      bytes = this.encode(pdu);
    } catch (error) {
      this.ids.release(requestId);
      this.model.settled?.(requestId);
      return Promise.reject(error);
    }
    return new Promise<BasicPdu>((resolve, reject) => {
      const pending: Pending = {
        requestId,
        pdu,
        bytes,
        attempt: 0,
        retries,
        resends: 0,
        waitedMs: 0,
        timer: undefined,
        admitted: this.gate === undefined,
        withdraw: undefined,
        resolve,
        reject,
        signal,
        onAbort: undefined,
      };
      if (signal) {
        pending.onAbort = () => this.settle(pending, new RequestAbortedError(signal.reason));
        signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.inFlight.set(requestId, pending);
      if (pending.admitted) {
        this.stats.requests++;
        this.transmit(pending);
        return;
      }
      const withdraw = this.gate!.enter(() => this.admit(pending));
      if (!pending.admitted) pending.withdraw = withdraw;
    });
  }

  /** The gate lets a waiting request through: it is sent now. */
  private admit(p: Pending): void {
    if (this.inFlight.get(p.requestId) !== p) return;
    const waited = p.withdraw !== undefined;
    p.admitted = true;
    p.withdraw = undefined;
    if (waited && this.model.reencodeRetries) {
      // v3: the message carries the engine's time as it was when encoded; one that waited is stamped afresh.
      try {
        p.bytes = this.model.encodeRequest(p.pdu, 0);
      } catch (error) {
        this.settle(p, new GeneralError('SNMPERR_BAD_ASN1_BUILD', { detail: String(error), cause: error }));
        return;
      }
    }
    this.stats.requests++;
    this.transmit(p);
  }

  /**
   * Fails the request of this PDU (`request(pdu)`) with `reason` if it is still in flight; a later reply to it is
   * dropped.
   * Cheaper than an AbortSignal for the session's own cancellations (a walk's read-ahead).
   */
  cancel(pdu: RequestPdu, reason: Error): void {
    const p = this.inFlight.get(pdu.requestId);
    // The same PDU object: after it settled, its request-id may have been drawn again for another request.
    if (p && p.pdu === pdu) this.settle(p, reason);
  }

  private transmit(p: Pending): void {
    const wait = Math.min(this.timing.timeoutMs * this.timing.backoff ** p.attempt, MAX_ATTEMPT_WAIT_MS);
    p.timer = setTimeout(() => this.onTimeout(p, wait), wait);
    const failed = (error: unknown) => this.settle(p, systemGeneralError('SNMPERR_BAD_SENDTO', error));
    try {
      this.transport.send(p.bytes, failed);
    } catch (error) {
      // A transport that throws (a closed socket) fails this request rather than the timer or caller around it.
      failed(error);
    }
  }

  private onTimeout(p: Pending, waited: number): void {
    p.waitedMs += waited;
    if (p.attempt >= p.retries) {
      this.stats.timeouts++;
      this.settle(p, new RequestTimeoutError(this.peerName, p.attempt + 1, p.waitedMs));
      return;
    }
    p.attempt++;
    this.stats.retransmissions++;
    if (this.model.reencodeRetries) {
      try {
        p.bytes = this.model.encodeRequest(p.pdu, p.attempt);
      } catch (error) {
        this.settle(p, new GeneralError('SNMPERR_BAD_ASN1_BUILD', { detail: String(error), cause: error }));
        return;
      }
    }
    this.transmit(p);
  }

  private settle(p: Pending, outcome: Error | BasicPdu): void {
    if (this.inFlight.get(p.requestId) !== p) return;
    this.inFlight.delete(p.requestId);
    clearTimeout(p.timer);
    if (!p.admitted) p.withdraw?.();
    else if (this.gate) this.gate.leave();
    this.model.settled?.(p.requestId);
    if (p.onAbort) p.signal!.removeEventListener('abort', p.onAbort);
    if (outcome instanceof Error) {
      this.rememberAbandoned(p.requestId);
      p.reject(outcome);
    } else {
      this.ids.release(p.requestId);
      p.resolve(outcome);
    }
  }

  private rememberAbandoned(requestId: number): void {
    this.abandoned.add(requestId);
    if (this.abandoned.size > MAX_ABANDONED) {
      const oldest = this.abandoned.values().next().value!;
      this.abandoned.delete(oldest);
      this.ids.release(oldest);
    }
  }

  private receive(message: Uint8Array, source: MessageSource): void {
    const expected = this.expectedSource;
    if (expected && (source.port !== expected.port || source.address !== expected.address)) {
      this.stats.droppedWrongSource++;
      return;
    }
    let incoming: ReturnType<MessageProcessingModel['decodeIncoming']>;
    try {
      incoming = this.model.decodeIncoming(message);
    } catch {
      this.stats.droppedUndecodable++;
      return;
    }
    if (incoming.trailingBytes) this.stats.trailingBytes++;
    if (incoming.kind === 'ignored') {
      this.stats.droppedUnexpected++;
      return;
    }
    const p = this.inFlight.get(incoming.requestId);
    if (!p) {
      // A v3 model gives request-id -1 for a msgID it has forgotten: the PDU's own request-id says whose reply it was.
      const id = incoming.kind === 'response' ? incoming.pdu.requestId : incoming.requestId;
      if (this.abandoned.has(id)) this.stats.droppedLate++;
      else this.stats.droppedUnknownId++;
      return;
    }
    switch (incoming.kind) {
      case 'response':
        this.stats.responses++;
        this.settle(p, incoming.pdu);
        break;
      case 'failure':
        this.settle(p, incoming.error);
        break;
      case 'resend':
        if (incoming.cause === 'rediscovery') this.stats.rediscoveries++;
        else if (incoming.cause === 'resync') this.stats.resyncs++;
        this.resend(p);
        break;
    }
  }

  /** Sends a request again at once, encoded afresh, its attempt count unchanged (see IncomingMessage 'resend'). */
  private resend(p: Pending): void {
    if (++p.resends > MAX_RESENDS) {
      this.settle(
        p,
        new GeneralError('SNMPERR_UNKNOWN_REPORT', { detail: `still asked to resend after ${MAX_RESENDS} times` }),
      );
      return;
    }
    clearTimeout(p.timer);
    try {
      p.bytes = this.model.encodeRequest(p.pdu, p.attempt);
    } catch (error) {
      this.settle(p, new GeneralError('SNMPERR_BAD_ASN1_BUILD', { detail: String(error), cause: error }));
      return;
    }
    this.stats.retransmissions++;
    this.transmit(p);
  }

  private failAll(error: Error): void {
    for (const p of [...this.inFlight.values()]) this.settle(p, error);
  }

  /** Rejects everything in flight with SessionClosedError and closes the transport. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Made only when something is in flight: an Error's stack is costly, and a poller closes a dispatcher per target.
    if (this.inFlight.size > 0) this.failAll(new SessionClosedError());
    this.transport.close();
    // Replies to these can no longer reach this dispatcher: their ids may serve others sharing the id space.
    for (const id of this.abandoned) this.ids.release(id);
    this.abandoned.clear();
  }
}

function wrap(error: Error): GeneralError {
  return systemGeneralError('SNMPERR_BAD_RECVFROM', error);
}
