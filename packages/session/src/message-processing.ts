import { type BasicPdu, decodeMessageWithOffsets, encodeMessage, type GetBulkPdu, type TrapV1Pdu } from '@snmpkit/ber';

/** The PDUs a client sends and waits an answer for (and SNMPv2-Trap, which it sends without waiting). */
export type RequestPdu = BasicPdu | GetBulkPdu;

/** Everything a client sends: requests, and the v1 Trap PDU. */
export type OutgoingPdu = RequestPdu | TrapV1Pdu;

/**
 * Why a model asks for a resend (counted in the session's stats): v3's `resync` follows a notInTimeWindow Report
 * (the agent's boots or time moved), `rediscovery` an unknownEngineID Report naming another engine (the agent was
 * replaced or lost its state).
 */
export type ResendCause = 'resync' | 'rediscovery';

/**
 * What a message processing model makes of bytes from the peer, and how many bytes came after the message's end
 * (`trailingBytes`: ignored, as Net-SNMP ignores them; the session counts such messages in `stats.trailingBytes`).
 */
export type IncomingMessage = IncomingKind & { trailingBytes?: number };

type IncomingKind =
  /** A Response to the request with this request-id. */
  | { kind: 'response'; requestId: number; pdu: BasicPdu }
  /** The request with this request-id has failed (v3: a Report such as usmStatsUnknownUserNames). */
  | { kind: 'failure'; requestId: number; error: Error }
  /**
   * Send the request with this request-id again now, encoded afresh (v3: a Report of notInTimeWindow after which
   * the model has synchronised its clock). Bounded by the dispatcher (MAX_RESENDS per request).
   */
  | { kind: 'resend'; requestId: number; cause?: ResendCause }
  /** Decoded, but not something this session waits for (another version, a request, a trap): dropped. */
  | { kind: 'ignored'; reason: string };

/**
 * The security-model plug-in point (RFC 3412's message processing subsystem, seen from a client): turns a request
 * PDU into the bytes of one attempt, and bytes from the peer into a response matched by request-id.
 *
 * v1 and v2c (community-based, below) are stateless. A v3 model will keep msgID → request-id, do the USM work in
 * `encodeRequest`/`decodeIncoming`, and use `prepare` for engine discovery and time synchronisation before the
 * first request; a Report comes back from `decodeIncoming` as a `failure` of the request it answers, or as a
 * `resend` of it once the model has learnt what it lacked.
 */
export interface MessageProcessingModel {
  /** The wire version: 0 (v1), 1 (v2c) or 3. */
  readonly wireVersion: 0 | 1 | 3;
  /** Bytes for one attempt. `attempt` is 0 for the first send; v1/v2c retries reuse the same bytes. */
  encodeRequest(pdu: OutgoingPdu, attempt: number): Uint8Array;
  /** True when a retry must be encoded again (v3: a new msgID) rather than resent as it was. */
  readonly reencodeRetries: boolean;
  /** Throws (BerError) on bytes that do not decode: the dispatcher drops and counts them. */
  decodeIncoming(bytes: Uint8Array): IncomingMessage;
  /** Work to do before the first request (v3 discovery), given a way to exchange PDUs through the session. */
  prepare?(exchange: (pdu: RequestPdu) => Promise<BasicPdu>): Promise<void>;
  /**
   * The request with this request-id is over (answered, failed, timed out, aborted): a model that keeps state per
   * request (v3: its msgIDs) lets it go. Later replies to it are then unknown.
   */
  settled?(requestId: number): void;
}

/** SNMPv1 and SNMPv2c: a community string, the PDU, nothing to remember between messages. */
export class CommunityMessageProcessing implements MessageProcessingModel {
  readonly reencodeRetries = false;

  constructor(
    readonly wireVersion: 0 | 1,
    readonly community: string,
  ) {}

  encodeRequest(pdu: OutgoingPdu): Uint8Array {
    return encodeMessage({ version: this.wireVersion, community: this.community, pdu });
  }

  decodeIncoming(bytes: Uint8Array): IncomingMessage {
    const { message, trailingBytes } = decodeMessageWithOffsets(bytes);
    if (message.version !== this.wireVersion) {
      return { kind: 'ignored', reason: `version ${message.version}`, trailingBytes };
    }
    const pdu = message.pdu;
    if (pdu.type !== 'Response') return { kind: 'ignored', reason: pdu.type, trailingBytes };
    return { kind: 'response', requestId: pdu.requestId, pdu, trailingBytes };
  }
}
