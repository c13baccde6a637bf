import { BerError } from './errors.js';
import { BerReader } from './reader.js';
import type { Pdu, PduType, ScopedPdu, SnmpMessage, UsmSecurityParameters, V3Message, VarBind } from './types.js';
import { readValue, Tag, writeOid, writeValue, writeVarBind } from './values.js';
import { BerWriter } from './writer.js';

/** Context-specific constructed tags of the PDUs (RFC 3416 §3, RFC 1157 §4.1.6). */
export const PduTag: Record<PduType, number> = {
  GetRequest: 0xa0,
  GetNextRequest: 0xa1,
  Response: 0xa2,
  SetRequest: 0xa3,
  TrapV1: 0xa4,
  GetBulkRequest: 0xa5,
  InformRequest: 0xa6,
  TrapV2: 0xa7,
  Report: 0xa8,
};
const PDU_TYPES: PduType[] = [
  'GetRequest',
  'GetNextRequest',
  'Response',
  'SetRequest',
  'TrapV1',
  'GetBulkRequest',
  'InformRequest',
  'TrapV2',
  'Report',
];

/** The User-based Security Model's number in msgSecurityModel. */
export const USM_SECURITY_MODEL = 3;

/**
 * The largest SNMP message over UDP/IPv4: 65535 less the IP (20) and UDP (8) headers. Net-SNMP's default
 * msgMaxSize and the default message size limit of every snmpkit sender and agent.
 */
export const MAX_UDP_MESSAGE_SIZE = 65507;
/** The smallest message size an SNMP engine must accept (RFC 3417 §3.2, RFC 3412's msgMaxSize (484..2^31-1)). */
export const MIN_MESSAGE_SIZE = 484;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** SnmpAdminString (user and context names) is UTF-8 (RFC 3411); ASCII, the usual case, skips the decoder. */
function adminString(r: BerReader, len: number, what: string): string {
  const b = r.bytes;
  const start = r.pos;
  const end = start + len;
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (b[i]! > 0x7f) {
      ascii = false;
      break;
    }
  }
  let s: string;
  if (ascii) s = latin1(b, start, end);
  else {
    try {
      s = utf8.decode(b.subarray(start, end));
    } catch {
      return r.fail(`${what} in UTF-8`, start);
    }
  }
  r.pos = end;
  return s;
}

function readInteger(r: BerReader, what: string): number {
  return r.signed(r.expect(Tag.Integer, what), what);
}

/**
 * Content bytes a request-id may have. Older managers send ids beyond the Integer32 range as 5-byte INTEGERs (an
 * unsigned 32-bit counter with its leading zero); snmpd answers them, echoing the id, and drops 6-byte ones.
 */
const REQUEST_ID_MAX_BYTES = 5;
const REQUEST_ID_MIN = -(2 ** 39);
const REQUEST_ID_MAX = 2 ** 39 - 1;

function readRequestId(r: BerReader): number {
  return r.signed(r.expect(Tag.Integer, 'the request-id'), 'the request-id', REQUEST_ID_MAX_BYTES);
}

function readVarbinds(r: BerReader): VarBind[] {
  const listLen = r.expect(Tag.Sequence, 'the variable-bindings SEQUENCE');
  const listEnd = r.pos + listLen;
  const varbinds: VarBind[] = [];
  while (r.pos < listEnd) {
    const vbLen = r.expect(Tag.Sequence, 'a VarBind SEQUENCE');
    const vbEnd = r.pos + vbLen;
    const saved = r.end;
    r.end = vbEnd; // nothing inside a varbind may read past it
    const oid = r.oid(r.expect(Tag.ObjectIdentifier, 'the VarBind name (OBJECT IDENTIFIER)'), 'a VarBind name');
    const value = readValue(r);
    r.done(vbEnd, 'the VarBind');
    r.end = saved;
    varbinds.push({ oid, value });
  }
  r.done(listEnd, 'the variable-bindings');
  return varbinds;
}

/** Decodes a PDU TLV at the reader's position. */
export function readPdu(r: BerReader): Pdu {
  const at = r.pos;
  const tag = r.tag('a PDU');
  const type = (tag & 0xe0) === 0xa0 ? PDU_TYPES[tag & 0x1f] : undefined;
  if (type === undefined) r.fail('a PDU tag (0xa0..0xa8)', at, `found 0x${tag.toString(16)}`);
  const len = r.length();
  const end = r.pos + len;
  const saved = r.end;
  r.end = end;
  let pdu: Pdu;
  if (type === 'TrapV1') {
    const enterprise = r.oid(r.expect(Tag.ObjectIdentifier, 'the Trap enterprise'), 'the Trap enterprise');
    const addrAt = r.pos;
    const addrLen = r.expect(Tag.IpAddress, 'the Trap agent-addr (IpAddress)');
    if (addrLen !== 4) r.fail('a 4-byte IpAddress', addrAt, `length ${addrLen}`);
    const b = r.bytes;
    const p = r.pos;
    const agentAddress = `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
    r.pos += 4;
    const genericTrap = readInteger(r, 'the Trap generic-trap');
    const specificTrap = readInteger(r, 'the Trap specific-trap');
    const timestamp = r.unsigned32(r.expect(Tag.TimeTicks, 'the Trap time-stamp'), 'the Trap time-stamp');
    pdu = { type, enterprise, agentAddress, genericTrap, specificTrap, timestamp, varbinds: readVarbinds(r) };
  } else {
    const requestId = readRequestId(r);
    const a = readInteger(r, type === 'GetBulkRequest' ? 'non-repeaters' : 'the error-status');
    const b = readInteger(r, type === 'GetBulkRequest' ? 'max-repetitions' : 'the error-index');
    const varbinds = readVarbinds(r);
    pdu =
      type === 'GetBulkRequest'
        ? { type, requestId, nonRepeaters: a, maxRepetitions: b, varbinds }
        : { type, requestId, errorStatus: a, errorIndex: b, varbinds };
  }
  r.done(end, 'the PDU');
  r.end = saved;
  return pdu;
}

function writeVarbinds(w: BerWriter, varbinds: readonly VarBind[]): void {
  const listStart = w.size;
  for (let i = varbinds.length - 1; i >= 0; i--) writeVarBind(w, varbinds[i]!);
  w.header(Tag.Sequence, w.size - listStart);
}

/** Writes an INTEGER TLV of a field that must be an Integer32; throws BerError naming `what` otherwise. */
export function writeInteger(w: BerWriter, v: number, what: string): void {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new BerError(`${what} in the Integer32 range`, undefined, `got ${v}`);
  }
  const start = w.size;
  w.signedContent(v);
  w.header(Tag.Integer, w.size - start);
}

/**
 * Writes a request-id: an Integer32 as every request carries, or (so that an agent can echo what it was sent) the
 * 5-byte range that readPdu accepts.
 */
export function writeRequestId(w: BerWriter, v: number): void {
  if (!Number.isInteger(v) || v < REQUEST_ID_MIN || v > REQUEST_ID_MAX) {
    throw new BerError('request-id in the range of a 5-byte INTEGER', undefined, `got ${v}`);
  }
  const start = w.size;
  w.signedContent(v);
  w.header(Tag.Integer, w.size - start);
}

/** Writes a PDU TLV. */
export function writePdu(w: BerWriter, pdu: Pdu): void {
  const start = w.size;
  writeVarbinds(w, pdu.varbinds);
  if (pdu.type === 'TrapV1') {
    writeValue(w, { type: 'TimeTicks', value: pdu.timestamp });
    writeInteger(w, pdu.specificTrap, 'specific-trap');
    writeInteger(w, pdu.genericTrap, 'generic-trap');
    writeValue(w, { type: 'IpAddress', value: pdu.agentAddress });
    writeOid(w, pdu.enterprise);
  } else if (pdu.type === 'GetBulkRequest') {
    writeInteger(w, pdu.maxRepetitions, 'max-repetitions');
    writeInteger(w, pdu.nonRepeaters, 'non-repeaters');
    writeRequestId(w, pdu.requestId);
  } else {
    writeInteger(w, pdu.errorIndex, 'error-index');
    writeInteger(w, pdu.errorStatus, 'error-status');
    writeRequestId(w, pdu.requestId);
  }
  const tag = PduTag[pdu.type];
  if (tag === undefined) throw new BerError('a PDU type', undefined, `got ${JSON.stringify(pdu.type)}`);
  w.header(tag, w.size - start);
}

function readOctets(r: BerReader, what: string): Uint8Array {
  return r.copy(r.expect(Tag.OctetString, what));
}

function readScopedPduAt(r: BerReader): ScopedPdu {
  const len = r.expect(Tag.Sequence, 'the ScopedPDU SEQUENCE');
  const end = r.pos + len;
  const saved = r.end;
  r.end = end;
  const contextEngineId = readOctets(r, 'the contextEngineID');
  const contextName = adminString(r, r.expect(Tag.OctetString, 'the contextName'), 'the contextName');
  const pdu = readPdu(r);
  r.done(end, 'the ScopedPDU');
  r.end = saved;
  return { contextEngineId, contextName, pdu };
}

function writeScopedPduTo(w: BerWriter, s: ScopedPdu): void {
  const start = w.size;
  writePdu(w, s.pdu);
  const nameStart = w.size;
  w.string(s.contextName, true);
  w.header(Tag.OctetString, w.size - nameStart);
  w.bytes(s.contextEngineId);
  w.header(Tag.OctetString, s.contextEngineId.length);
  w.header(Tag.Sequence, w.size - start);
}

/**
 * Decodes a plaintext ScopedPDU, as the privacy layer gets it after decryption. Block ciphers pad the plaintext,
 * so bytes after the ScopedPDU are ignored unless `strict` is set.
 */
export function decodeScopedPdu(bytes: Uint8Array, strict = false): ScopedPdu {
  const r = new BerReader(bytes);
  const s = readScopedPduAt(r);
  if (strict) r.done(bytes.length, 'the input');
  return s;
}

export function encodeScopedPdu(scopedPdu: ScopedPdu): Uint8Array {
  const w = new BerWriter();
  writeScopedPduTo(w, scopedPdu);
  return w.finish();
}

function readUsm(r: BerReader, offsets: { auth: number }): UsmSecurityParameters {
  const outerLen = r.expect(Tag.OctetString, 'msgSecurityParameters (OCTET STRING)');
  const outerEnd = r.pos + outerLen;
  const len = r.expect(Tag.Sequence, 'the UsmSecurityParameters SEQUENCE');
  const end = r.pos + len;
  if (end !== outerEnd) r.fail('UsmSecurityParameters filling msgSecurityParameters', end);
  const saved = r.end;
  r.end = end;
  const engineId = readOctets(r, 'msgAuthoritativeEngineID');
  const bootsLen = r.expect(Tag.Integer, 'msgAuthoritativeEngineBoots');
  const engineBoots = r.signed(bootsLen, 'msgAuthoritativeEngineBoots', 5);
  const timeLen = r.expect(Tag.Integer, 'msgAuthoritativeEngineTime');
  const engineTime = r.signed(timeLen, 'msgAuthoritativeEngineTime', 5);
  if (engineBoots < 0 || engineBoots > 0x7fffffff) r.fail('msgAuthoritativeEngineBoots in 0..2147483647', r.pos);
  if (engineTime < 0 || engineTime > 0x7fffffff) r.fail('msgAuthoritativeEngineTime in 0..2147483647', r.pos);
  const userName = adminString(r, r.expect(Tag.OctetString, 'msgUserName'), 'msgUserName');
  const authLen = r.expect(Tag.OctetString, 'msgAuthenticationParameters');
  offsets.auth = r.pos;
  const authParameters = r.copy(authLen);
  const privParameters = readOctets(r, 'msgPrivacyParameters');
  r.done(end, 'UsmSecurityParameters');
  r.end = saved;
  return { engineId, engineBoots, engineTime, userName, authParameters, privParameters };
}

/** A decoded message together with where its authentication parameters sit in the input bytes. */
export interface DecodedMessage {
  message: SnmpMessage;
  /**
   * For v3: offset in the input of msgAuthenticationParameters' content. The USM checks the HMAC over the input
   * with those bytes zeroed (RFC 3414 §3.2 step 6). -1 for v1/v2c.
   */
  authParametersOffset: number;
  /**
   * Bytes after the end of the Message SEQUENCE, ignored (Net-SNMP ignores them too: some stacks pad datagrams).
   * Security checks cover the message itself, `bytes.subarray(0, bytes.length - trailingBytes)`.
   */
  trailingBytes: number;
}

/**
 * Decodes a whole SNMP message, strictly: any flaw throws BerError with its byte offset. Bytes after the end of the
 * message are ignored, as Net-SNMP ignores them (decodeMessageWithOffsets counts them).
 */
export function decodeMessage(bytes: Uint8Array): SnmpMessage {
  return decodeMessageWithOffsets(bytes).message;
}

export function decodeMessageWithOffsets(bytes: Uint8Array): DecodedMessage {
  if (!(bytes instanceof Uint8Array)) throw new BerError('a Uint8Array', 0);
  const r = new BerReader(bytes);
  const len = r.expect(Tag.Sequence, 'the Message SEQUENCE');
  const end = r.pos + len;
  r.end = end;
  const version = readInteger(r, 'msgVersion');
  let message: SnmpMessage;
  const offsets = { auth: -1 };
  if (version === 0 || version === 1) {
    const cl = r.expect(Tag.OctetString, 'the community');
    const community = latin1(bytes, r.pos, r.pos + cl);
    r.pos += cl;
    message = { version, community, pdu: readPdu(r) };
  } else if (version === 3) {
    const hdrLen = r.expect(Tag.Sequence, 'msgGlobalData (HeaderData SEQUENCE)');
    const hdrEnd = r.pos + hdrLen;
    const saved = r.end;
    r.end = hdrEnd;
    const msgId = readInteger(r, 'msgID');
    const msgMaxSize = readInteger(r, 'msgMaxSize');
    const flagsAt = r.pos;
    const flagsLen = r.expect(Tag.OctetString, 'msgFlags');
    if (flagsLen !== 1) r.fail('a one-byte msgFlags', flagsAt, `length ${flagsLen}`);
    const msgFlags = bytes[r.pos++]!;
    const securityModel = readInteger(r, 'msgSecurityModel');
    r.done(hdrEnd, 'msgGlobalData');
    r.end = saved;
    if (msgId < 0) r.fail('a msgID in 0..2147483647', flagsAt);
    if (msgMaxSize < MIN_MESSAGE_SIZE) r.fail(`a msgMaxSize of at least ${MIN_MESSAGE_SIZE}`, flagsAt);
    if (securityModel !== USM_SECURITY_MODEL) r.fail('msgSecurityModel 3 (USM)', r.pos, `got ${securityModel}`);
    const securityParameters = readUsm(r, offsets);
    const v3: V3Message = { version: 3, msgId, msgMaxSize, msgFlags, securityModel, securityParameters };
    if (r.pos < r.end && bytes[r.pos] === Tag.OctetString) v3.encryptedPdu = readOctets(r, 'the encryptedPDU');
    else v3.scopedPdu = readScopedPduAt(r);
    message = v3;
  } else {
    return r.fail('msgVersion 0 (v1), 1 (v2c) or 3 (v3)', 2, `got ${version}`);
  }
  r.done(end, 'the Message');
  return { message, authParametersOffset: offsets.auth, trailingBytes: bytes.length - end };
}

/** An encoded message and where its authentication parameters' content starts (-1 for v1/v2c). */
export interface EncodedMessage {
  bytes: Uint8Array;
  authParametersOffset: number;
}

/** Encodes a message. Throws BerError when a field cannot be represented. */
export function encodeMessage(message: SnmpMessage): Uint8Array {
  return encodeMessageWithOffsets(message).bytes;
}

/**
 * Encodes a message and reports where msgAuthenticationParameters' content lies, so that the USM can encode with a
 * zeroed placeholder of the right length and then write the HMAC into the returned bytes in place.
 */
export function encodeMessageWithOffsets(message: SnmpMessage): EncodedMessage {
  const w = new BerWriter();
  let authFromEnd = -1;
  if (message.version === 3) {
    const m = message;
    if (m.encryptedPdu) {
      w.bytes(m.encryptedPdu);
      w.header(Tag.OctetString, m.encryptedPdu.length);
    } else if (m.scopedPdu) {
      writeScopedPduTo(w, m.scopedPdu);
    } else {
      throw new BerError('a v3 message with a scopedPdu or an encryptedPdu');
    }
    const sp = m.securityParameters;
    const spStart = w.size;
    w.bytes(sp.privParameters);
    w.header(Tag.OctetString, sp.privParameters.length);
    w.bytes(sp.authParameters);
    authFromEnd = w.size;
    w.header(Tag.OctetString, sp.authParameters.length);
    const nameStart = w.size;
    w.string(sp.userName, true);
    w.header(Tag.OctetString, w.size - nameStart);
    writeInteger(w, sp.engineTime, 'msgAuthoritativeEngineTime');
    writeInteger(w, sp.engineBoots, 'msgAuthoritativeEngineBoots');
    w.bytes(sp.engineId);
    w.header(Tag.OctetString, sp.engineId.length);
    w.header(Tag.Sequence, w.size - spStart);
    w.header(Tag.OctetString, w.size - spStart);
    const hdrStart = w.size;
    writeInteger(w, m.securityModel, 'msgSecurityModel');
    if (!Number.isInteger(m.msgFlags) || m.msgFlags < 0 || m.msgFlags > 255) {
      throw new BerError('msgFlags in 0..255', undefined, `got ${m.msgFlags}`);
    }
    w.byte(m.msgFlags);
    w.header(Tag.OctetString, 1);
    writeInteger(w, m.msgMaxSize, 'msgMaxSize');
    writeInteger(w, m.msgId, 'msgID');
    w.header(Tag.Sequence, w.size - hdrStart);
  } else if (message.version === 0 || message.version === 1) {
    writePdu(w, message.pdu);
    const start = w.size;
    w.string(message.community, false);
    w.header(Tag.OctetString, w.size - start);
  } else {
    throw new BerError(
      'version 0 (v1), 1 (v2c) or 3 (v3)',
      undefined,
      `got ${(message as { version: unknown }).version}`,
    );
  }
  writeInteger(w, message.version, 'msgVersion');
  w.header(Tag.Sequence, w.size);
  const bytes = w.finish();
  return { bytes, authParametersOffset: authFromEnd < 0 ? -1 : bytes.length - authFromEnd };
}

/** Decodes a bare PDU (for tests and tools); the input must hold exactly one PDU. */
export function decodePdu(bytes: Uint8Array): Pdu {
  const r = new BerReader(bytes);
  const pdu = readPdu(r);
  r.done(bytes.length, 'the input');
  return pdu;
}

export function encodePdu(pdu: Pdu): Uint8Array {
  const w = new BerWriter();
  writePdu(w, pdu);
  return w.finish();
}
