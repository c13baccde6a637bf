import type { Pdu, V3Message, VarBind } from '@snmpkit/ber';
import { UsmConfigError, type UsmErrorReason } from './errors.js';
import { usmMessage } from './message.js';

/** The reasons an agent reports back (every UsmErrorReason but invalidMsgFlags, which is dropped silently). */
export type UsmReportReason = Exclude<UsmErrorReason, 'invalidMsgFlags'>;

export interface UsmStatsCounter {
  reason: UsmReportReason;
  /** The SNMP-USM-MIB object name. */
  name: string;
  /** The scalar instance OID a Report carries (RFC 3414 §5). */
  oid: string;
}

/** usmStats (1.3.6.1.6.3.15.1.1), in MIB order. */
export const USM_STATS: readonly UsmStatsCounter[] = [
  { reason: 'unsupportedSecLevel', name: 'usmStatsUnsupportedSecLevels', oid: '1.3.6.1.6.3.15.1.1.1.0' },
  { reason: 'notInTimeWindow', name: 'usmStatsNotInTimeWindows', oid: '1.3.6.1.6.3.15.1.1.2.0' },
  { reason: 'unknownUserName', name: 'usmStatsUnknownUserNames', oid: '1.3.6.1.6.3.15.1.1.3.0' },
  { reason: 'unknownEngineID', name: 'usmStatsUnknownEngineIDs', oid: '1.3.6.1.6.3.15.1.1.4.0' },
  { reason: 'wrongDigests', name: 'usmStatsWrongDigests', oid: '1.3.6.1.6.3.15.1.1.5.0' },
  { reason: 'decryptionErrors', name: 'usmStatsDecryptionErrors', oid: '1.3.6.1.6.3.15.1.1.6.0' },
];

const BY_OID = new Map(USM_STATS.map((counter) => [counter.oid, counter]));
const BY_REASON = new Map(USM_STATS.map((counter) => [counter.reason, counter]));

/** The usmStats counter for a reason. */
export function usmStatsCounter(reason: UsmReportReason): UsmStatsCounter {
  const counter = BY_REASON.get(reason);
  if (!counter) throw new UsmConfigError(`no usmStats counter for '${String(reason)}'`);
  return counter;
}

/**
 * Which USM report a Report PDU is: the reason named by its first varbind's OID, or undefined when the report is
 * not a usmStats one (e.g. snmpUnknownContexts or snmpUnavailableContexts, which belong to other MIBs).
 * Accepts the OID with or without the trailing instance `.0`.
 */
export function usmReportReason(pdu: Pdu): UsmReportReason | undefined {
  if (pdu.type !== 'Report') return undefined;
  const oid = pdu.varbinds[0]?.oid;
  if (oid === undefined) return undefined;
  return (BY_OID.get(oid) ?? BY_OID.get(`${oid}.0`))?.reason;
}

/**
 * The agent side's usmStats counters (Counter32, wrapping), and the varbind a Report for a refusal carries
 * (RFC 3414 §3.2: the counter's OID and its value after incrementing).
 */
export class UsmStats {
  readonly #counts = new Map<UsmReportReason, number>();

  /** Increments the counter for `reason` and returns the varbind for the Report PDU. */
  count(reason: UsmReportReason): VarBind {
    const value = ((this.#counts.get(reason) ?? 0) + 1) >>> 0;
    this.#counts.set(reason, value);
    return { oid: usmStatsCounter(reason).oid, value: { type: 'Counter32', value } };
  }

  get(reason: UsmReportReason): number {
    return this.#counts.get(reason) ?? 0;
  }

  /** Every counter as a varbind, in MIB order (for serving usmStats from the agent's MIB). */
  varbinds(): VarBind[] {
    return USM_STATS.map((c) => ({ oid: c.oid, value: { type: 'Counter32', value: this.get(c.reason) } }));
  }
}

export interface UsmReportOptions {
  /** The refused message (UsmError.received). */
  received: V3Message;
  /** The counter's varbind after incrementing it: `stats.count(reason)`. */
  counter: VarBind;
  /** The agent's (authoritative) engine ID and its boots/time now, which the manager learns from the Report. */
  engineId: Uint8Array;
  engineBoots: number;
  engineTime: number;
  /** The agent's msgMaxSize; default 65507. */
  msgMaxSize?: number;
}

/**
 * The Report an agent answers a refused message with (RFC 3412 §7.1 step 3, RFC 3414 §3.2), in the shape Net-SNMP's
 * snmpd sends: same msgID, not reportable, the user name echoed, the request-id when the PDU was readable (else 0),
 * the agent's engine ID as contextEngineID and the counter varbind. Encode it with encodeSecureMessage: without keys
 * (noAuthNoPriv) for every reason but notInTimeWindow, which RFC 3414 §3.2 step 7a sends authNoPriv with the
 * user's keys (`store.keysFor(user, engineId, 'authNoPriv')`) so that the manager can trust the time in it.
 */
export function usmReportMessage(options: UsmReportOptions): V3Message {
  const { received, counter, engineId } = options;
  const pdu = received.scopedPdu?.pdu;
  const requestId = pdu && pdu.type !== 'TrapV1' ? pdu.requestId : 0;
  const report = usmMessage({
    msgId: received.msgId,
    reportable: false,
    engineId,
    engineBoots: options.engineBoots,
    engineTime: options.engineTime,
    userName: received.securityParameters.userName,
    pdu: { type: 'Report', requestId, errorStatus: 0, errorIndex: 0, varbinds: [counter] },
  });
  if (options.msgMaxSize !== undefined) report.msgMaxSize = options.msgMaxSize;
  return report;
}

export interface DiscoveryOptions {
  msgId: number;
  requestId: number;
  msgMaxSize?: number;
}

/**
 * The engine discovery probe (RFC 3414 §4): a reportable noAuthNoPriv GetRequest with an empty engine ID, user name
 * and varbind list. The agent answers with an unknownEngineID Report that carries its engine ID, boots and time.
 * Encode it with `encodeSecureMessage(probe, undefined)`.
 */
export function discoveryMessage(options: DiscoveryOptions): V3Message {
  return discoveryProbe(
    options.msgId,
    {
      type: 'GetRequest',
      requestId: options.requestId,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [],
    },
    options.msgMaxSize,
  );
}

/** The discovery probe around a given PDU (a session's probe carries the request its dispatcher sends). */
export function discoveryProbe(msgId: number, pdu: Pdu, msgMaxSize?: number): V3Message {
  const empty = new Uint8Array(0);
  return usmMessage({
    msgId,
    ...(msgMaxSize !== undefined ? { msgMaxSize } : {}),
    reportable: true,
    engineId: empty,
    engineBoots: 0,
    engineTime: 0,
    userName: '',
    pdu,
  });
}
