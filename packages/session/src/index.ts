export type { SnmpValueType, VarBind } from '@snmpkit/ber';
// Values are @snmpkit/ber's: re-exported so that one import builds and reads them.
export { bytesToHex, bytesToText, compareOids, hexToBytes, isException, oidStartsWith, SnmpValue } from '@snmpkit/ber';
// The network layer is @snmpkit/transport's: what a caller passes as `transport` is its ClientTransport.
export type { ClientTransport, MessageSource } from '@snmpkit/transport';
export type { DispatchTiming, SessionStats } from './dispatcher.js';
export {
  GeneralError,
  type GeneralErrorOptions,
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
  NOTIFICATION_PORT,
  type Notification,
  NotificationReceiver,
  type NotificationReceiverOptions,
  type NotificationReceiverStats,
  type NotificationSecurity,
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
  snmpErrName,
} from './snmperr.js';
export {
  notificationVarbinds,
  SNMP_TRAP_ADDRESS_0,
  SNMP_TRAP_COMMUNITY_0,
  SNMP_TRAP_ENTERPRISE_0,
  SNMP_TRAP_OID_0,
  SYS_UP_TIME_0,
  translateTrapV1,
} from './trap-translation.js';
export { randomEngineId, UsmMessageProcessing, type UsmMessageProcessingOptions, type V3User } from './v3.js';
export { octetStringHex, octetStringText } from './values.js';
export type { TableRows, WalkOptions } from './walk.js';
