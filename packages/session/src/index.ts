export type { SnmpValueType, VarBind } from '@snmpkit/ber';
// Values are @snmpkit/ber's: re-exported so that one import builds and reads them.
export { bytesToHex, bytesToText, compareOids, hexToBytes, isException, oidStartsWith, SnmpValue } from '@snmpkit/ber';
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
  type RequestPdu,
} from './message-processing.js';
export {
  DEFAULT_PORT,
  type ParsedPeer,
  parsePeer,
  type ResolvedPeer,
  resolvePeer,
  type TransportKind,
} from './peer.js';
export {
  type GetBulkOptions,
  type RequestOptions,
  Session,
  type SessionOptions,
  type SnmpVersion,
  type TableRows,
  type WalkOptions,
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
  berFrameLength,
  type ClientTransport,
  type LocalBinding,
  type MessageSource,
  TcpTransport,
  UdpTransport,
} from './transports.js';
export { octetStringHex, octetStringText } from './values.js';
