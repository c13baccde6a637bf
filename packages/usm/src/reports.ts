import type { Pdu, VarBind } from '@snmpkit/ber';
import type { UsmErrorReason } from './errors.js';

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
  if (!counter) throw new RangeError(`no usmStats counter for '${String(reason)}'`);
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
