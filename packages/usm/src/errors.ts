import type { V3Message } from '@snmpkit/ber';

/**
 * Why the USM refused an incoming message: the six usmStats counters of RFC 3414 §3.2, plus `invalidMsgFlags` for
 * the priv-without-auth combination RFC 3412 §7.2 step 5 discards (counted in snmpInvalidMsgs, never reported).
 */
export type UsmErrorReason =
  | 'unsupportedSecLevel'
  | 'notInTimeWindow'
  | 'unknownUserName'
  | 'unknownEngineID'
  | 'wrongDigests'
  | 'decryptionErrors'
  | 'invalidMsgFlags';

/**
 * Net-SNMP's SNMPERR_* name and number for each reason (snmp_api.h), so that layers above can report the same codes
 * as the Net-SNMP tools do.
 */
export const USM_SNMPERR: Readonly<Record<UsmErrorReason, { name: string; code: number }>> = {
  unknownEngineID: { name: 'SNMPERR_UNKNOWN_ENG_ID', code: -32 },
  unknownUserName: { name: 'SNMPERR_UNKNOWN_USER_NAME', code: -33 },
  unsupportedSecLevel: { name: 'SNMPERR_UNSUPPORTED_SEC_LEVEL', code: -34 },
  wrongDigests: { name: 'SNMPERR_AUTHENTICATION_FAILURE', code: -35 },
  notInTimeWindow: { name: 'SNMPERR_NOT_IN_TIME_WINDOW', code: -36 },
  decryptionErrors: { name: 'SNMPERR_DECRYPTION_ERR', code: -37 },
  invalidMsgFlags: { name: 'SNMPERR_INVALID_MSG', code: -31 },
};

/** An incoming message the USM refused (RFC 3414 §3.2). Carries no key material, only names. */
export class UsmError extends Error {
  readonly code = 'ERR_USM';
  readonly reason: UsmErrorReason;
  /** The msgUserName of the refused message, when it was decoded. */
  readonly userName: string | undefined;
  /**
   * The refused message as decoded, unverified and possibly still encrypted: what an agent needs to answer with a
   * Report (msgID, user, request-id when readable). See usmReportMessage.
   */
  readonly received: V3Message | undefined;

  constructor(reason: UsmErrorReason, message: string, userName?: string, received?: V3Message) {
    super(message);
    this.name = 'UsmError';
    this.reason = reason;
    this.userName = userName;
    this.received = received;
  }

  /** Net-SNMP's SNMPERR_* name for this reason. */
  get snmpErrorName(): string {
    return USM_SNMPERR[this.reason].name;
  }

  /** Net-SNMP's SNMPERR_* number for this reason. */
  get snmpErrorCode(): number {
    return USM_SNMPERR[this.reason].code;
  }
}

/** A user definition or key request the USM cannot accept (short password, missing protocol, ...). */
export class UsmConfigError extends Error {
  readonly code = 'ERR_USM_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'UsmConfigError';
  }
}
