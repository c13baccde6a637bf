export {
  ERROR_STATUS_NAMES,
  ErrorStatus,
  type ErrorStatusName,
  errorStatusByName,
} from './error-status.js';
export { BerError } from './errors.js';
export { bytesToHex, bytesToText, hexToBytes, isException, SnmpValue } from './helpers.js';
export {
  type DecodedMessage,
  decodeMessage,
  decodeMessageWithOffsets,
  decodePdu,
  decodeScopedPdu,
  type EncodedMessage,
  encodeMessage,
  encodeMessageWithOffsets,
  encodePdu,
  encodeScopedPdu,
  MAX_UDP_MESSAGE_SIZE,
  MIN_MESSAGE_SIZE,
  PduTag,
  USM_SECURITY_MODEL,
} from './message.js';
export { compareOids, formatOid, isValidOid, MAX_OID_ARCS, oidStartsWith, parseOid } from './oid.js';
export {
  type CommunityResponseHeader,
  communityResponseSize,
  encodeCommunityResponse,
  encodeOid,
  encodeValue,
  encodeVarBind,
} from './preencoded.js';
export { BerReader } from './reader.js';
export type {
  BasicPdu,
  CommunityMessage,
  GetBulkPdu,
  OpaqueSpecial,
  Pdu,
  PduType,
  ScopedPdu,
  SnmpMessage,
  SnmpValueType,
  TrapV1Pdu,
  UsmSecurityParameters,
  V3Message,
  VarBind,
} from './types.js';
export { MsgFlags } from './types.js';
export { decodeOpaqueSpecial, encodeOpaqueSpecial, Tag, ZERO_LENGTH_OID } from './values.js';
export { BerWriter } from './writer.js';
