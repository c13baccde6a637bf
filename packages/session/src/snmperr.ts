/**
 * Net-SNMP's library error codes: SNMPERR_* names and numbers from net-snmp/library/snmp_api.h (5.9.3), with the
 * messages of snmp_api.c's api_errors[] (what snmp_api_errstring() returns). Kept whole so that the raw facade can
 * report any of them; the client itself raises only a few (see GeneralError's users).
 */
export const SNMPERR = {
  SNMPERR_SUCCESS: [0, 'No error'],
  SNMPERR_GENERR: [-1, 'Generic error'],
  SNMPERR_BAD_LOCPORT: [-2, 'Invalid local port'],
  SNMPERR_BAD_ADDRESS: [-3, 'Unknown host'],
  SNMPERR_BAD_SESSION: [-4, 'Unknown session'],
  SNMPERR_TOO_LONG: [-5, 'Too long'],
  SNMPERR_NO_SOCKET: [-6, 'No socket'],
  SNMPERR_V2_IN_V1: [-7, 'Cannot send V2 PDU on V1 session'],
  SNMPERR_V1_IN_V2: [-8, 'Cannot send V1 PDU on V2 session'],
  SNMPERR_BAD_REPEATERS: [-9, 'Bad value for non-repeaters'],
  SNMPERR_BAD_REPETITIONS: [-10, 'Bad value for max-repetitions'],
  SNMPERR_BAD_ASN1_BUILD: [-11, 'Error building ASN.1 representation'],
  SNMPERR_BAD_SENDTO: [-12, 'Failure in sendto'],
  SNMPERR_BAD_PARSE: [-13, 'Bad parse of ASN.1 type'],
  SNMPERR_BAD_VERSION: [-14, 'Bad version specified'],
  SNMPERR_BAD_SRC_PARTY: [-15, 'Bad source party specified'],
  SNMPERR_BAD_DST_PARTY: [-16, 'Bad destination party specified'],
  SNMPERR_BAD_CONTEXT: [-17, 'Bad context specified'],
  SNMPERR_BAD_COMMUNITY: [-18, 'Bad community specified'],
  SNMPERR_NOAUTH_DESPRIV: [-19, 'Cannot send noAuth/Priv'],
  SNMPERR_BAD_ACL: [-20, 'Bad ACL definition'],
  SNMPERR_BAD_PARTY: [-21, 'Bad Party definition'],
  SNMPERR_ABORT: [-22, 'Session abort failure'],
  SNMPERR_UNKNOWN_PDU: [-23, 'Unknown PDU type'],
  SNMPERR_TIMEOUT: [-24, 'Timeout'],
  SNMPERR_BAD_RECVFROM: [-25, 'Failure in recvfrom'],
  SNMPERR_BAD_ENG_ID: [-26, 'Unable to determine contextEngineID'],
  SNMPERR_BAD_SEC_NAME: [-27, 'No securityName specified'],
  SNMPERR_BAD_SEC_LEVEL: [-28, 'Unable to determine securityLevel'],
  SNMPERR_ASN_PARSE_ERR: [-29, 'ASN.1 parse error in message'],
  SNMPERR_UNKNOWN_SEC_MODEL: [-30, 'Unknown security model in message'],
  SNMPERR_INVALID_MSG: [-31, 'Invalid message (e.g. msgFlags)'],
  SNMPERR_UNKNOWN_ENG_ID: [-32, 'Unknown engine ID'],
  SNMPERR_UNKNOWN_USER_NAME: [-33, 'Unknown user name'],
  SNMPERR_UNSUPPORTED_SEC_LEVEL: [-34, 'Unsupported security level'],
  SNMPERR_AUTHENTICATION_FAILURE: [-35, 'Authentication failure (incorrect password, community or key)'],
  SNMPERR_NOT_IN_TIME_WINDOW: [-36, 'Not in time window'],
  SNMPERR_DECRYPTION_ERR: [-37, 'Decryption error'],
  SNMPERR_SC_GENERAL_FAILURE: [-38, 'SCAPI general failure'],
  SNMPERR_SC_NOT_CONFIGURED: [-39, 'SCAPI sub-system not configured'],
  SNMPERR_KT_NOT_AVAILABLE: [-40, 'Key tools not available'],
  SNMPERR_UNKNOWN_REPORT: [-41, 'Unknown Report message'],
  SNMPERR_USM_GENERICERROR: [-42, 'USM generic error'],
  SNMPERR_USM_UNKNOWNSECURITYNAME: [-43, 'USM unknown security name (no such user exists)'],
  SNMPERR_USM_UNSUPPORTEDSECURITYLEVEL: [
    -44,
    'USM unsupported security level (this user has not been configured for that level of security)',
  ],
  SNMPERR_USM_ENCRYPTIONERROR: [-45, 'USM encryption error'],
  SNMPERR_USM_AUTHENTICATIONFAILURE: [-46, 'USM authentication failure (incorrect password or key)'],
  SNMPERR_USM_PARSEERROR: [-47, 'USM parse error'],
  SNMPERR_USM_UNKNOWNENGINEID: [-48, 'USM unknown engineID'],
  SNMPERR_USM_NOTINTIMEWINDOW: [-49, 'USM not in time window'],
  SNMPERR_USM_DECRYPTIONERROR: [-50, 'USM decryption error'],
  SNMPERR_NOMIB: [-51, 'MIB not initialized'],
  SNMPERR_RANGE: [-52, 'Value out of range'],
  SNMPERR_MAX_SUBID: [-53, 'Sub-id out of range'],
  SNMPERR_BAD_SUBID: [-54, 'Bad sub-id in object identifier'],
  SNMPERR_LONG_OID: [-55, 'Object identifier too long'],
  SNMPERR_BAD_NAME: [-56, 'Bad value name'],
  SNMPERR_VALUE: [-57, 'Bad value notation'],
  SNMPERR_UNKNOWN_OBJID: [-58, 'Unknown Object Identifier'],
  SNMPERR_NULL_PDU: [-59, 'No PDU in snmp_send'],
  SNMPERR_NO_VARS: [-60, 'Missing variables in PDU'],
  SNMPERR_VAR_TYPE: [-61, 'Bad variable type'],
  SNMPERR_MALLOC: [-62, 'Out of memory (malloc failure)'],
  SNMPERR_KRB5: [-63, 'Kerberos related error'],
  SNMPERR_PROTOCOL: [-64, 'Protocol error'],
  SNMPERR_OID_NONINCREASING: [-65, 'OID not increasing'],
  SNMPERR_JUST_A_CONTEXT_PROBE: [-66, 'Context probe'],
  SNMPERR_TRANSPORT_NO_CONFIG: [-67, "Configuration data found but the transport can't be configured"],
  SNMPERR_TRANSPORT_CONFIG_ERROR: [-68, 'Transport configuration failed'],
} as const satisfies Record<string, readonly [number, string]>;

export type SnmpErrName = keyof typeof SNMPERR;

/** The name of a SNMPERR_* number, or undefined when Net-SNMP defines none. */
export function snmpErrName(code: number): SnmpErrName | undefined {
  for (const name of Object.keys(SNMPERR) as SnmpErrName[]) if (SNMPERR[name][0] === code) return name;
  return undefined;
}

// The error-status table is @snmpkit/ber's (one table for every package); re-exported for the session's users.
export { ERROR_STATUS_NAMES, ErrorStatus, type ErrorStatusName } from '@snmpkit/ber';
