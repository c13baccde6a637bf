/*
 * The public surface: what programs using the session need (the session, its options and results, typed errors,
 * the notification receiver, the message processing plug-in point). Helpers of other layers are imported from
 * their own package (OIDs, hex: @snmpkit/ber; USM: @snmpkit/usm); the session's internals are not exported.
 */
export type { SnmpValueType, VarBind } from '@snmpkit/ber';
// Values are @snmpkit/ber's: re-exported so that one import builds and reads them.
export { bytesToHex, bytesToText, isException, SnmpValue } from '@snmpkit/ber';
// The network layer is @snmpkit/transport's: what a caller passes as `transport` is its ClientTransport.
export type { ClientTransport, MessageSource } from '@snmpkit/transport';
export type { SessionStats } from './dispatcher.js';
export {
  GeneralError,
  RequestAbortedError,
  RequestTimeoutError,
  ResponseError,
  SessionClosedError,
  SnmpError,
} from './errors.js';
export {
  CommunityMessageProcessing,
  type IncomingMessage,
  type MessageProcessingModel,
  type OutgoingPdu,
  type RequestPdu,
  type ResendCause,
} from './message-processing.js';
export {
  type IndexPart,
  type NamedIndex,
  type NamedRow,
  NamedSession,
  type NamedVarBind,
  type OidNames,
  UnknownNameError,
} from './named.js';
export {
  type BoundEndpoint,
  type Notification,
  NotificationReceiver,
  type NotificationReceiverOptions,
  type NotificationReceiverStats,
  type NotificationSecurity,
  type NotificationSecurityFailure,
} from './notifications.js';
export { SESSION_DEFAULTS, totalWaitMs } from './options.js';
export {
  DEFAULT_PORT,
  openPeerTransport,
  type ParsedPeer,
  parsePeer,
  type ResolvedPeer,
  resolvePeer,
  type TransportKind,
} from './peer.js';
export {
  Poller,
  type PollerOptions,
  type PollerStats,
  type PollFailure,
  type PollProgress,
  type PollResult,
  type PollRun,
  type PollRunOptions,
  type PollSuccess,
  type PollTarget,
  type PollTargetSettings,
  type PollWork,
} from './poller.js';
export type { NotificationUser } from './receiver-usm.js';
export {
  type GetBulkOptions,
  type NotificationOptions,
  type RequestOptions,
  Session,
  type SessionOptions,
  type SnmpVersion,
  type TrapV1Options,
} from './session.js';
export {
  ERROR_STATUS_NAMES,
  ErrorStatus,
  type ErrorStatusName,
  SNMPERR,
  type SnmpErrName,
} from './snmperr.js';
export {
  SNMP_TRAP_ADDRESS_0,
  SNMP_TRAP_COMMUNITY_0,
  SNMP_TRAP_ENTERPRISE_0,
  SNMP_TRAP_OID_0,
  SYS_UP_TIME_0,
  translateTrapV1,
} from './trap-translation.js';
export { UsmMessageProcessing, type UsmMessageProcessingOptions, type V3User } from './v3.js';
export { octetStringHex, octetStringText } from './values.js';
export type { TableRows, WalkOptions } from './walk.js';
