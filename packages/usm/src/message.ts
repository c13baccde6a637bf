import {
  BerError,
  decodeMessageWithOffsets,
  decodeScopedPdu,
  encodeMessageWithOffsets,
  encodeScopedPdu,
  MAX_UDP_MESSAGE_SIZE,
  MsgFlags,
  type Pdu,
  type ScopedPdu,
  USM_SECURITY_MODEL,
  type UsmSecurityParameters,
  type V3Message,
} from '@snmpkit/ber';
import { UsmConfigError, UsmError } from './errors.js';
import type { KeyResolver } from './key-store.js';
import type { LocalizedKeys } from './localized-keys.js';
import { flagsToLevel, levelCovers, levelToFlags, type SecurityLevel } from './protocols.js';

const EMPTY = new Uint8Array(0);

export interface UsmMessageInit {
  msgId: number;
  /** Default MAX_UDP_MESSAGE_SIZE (65507). */
  msgMaxSize?: number;
  /** msgFlags' reportable bit: requests and informs are (RFC 3412 §6.4), responses, reports and traps are not. */
  reportable: boolean;
  /** msgAuthoritativeEngineID and its boots and time, as the sender knows them. */
  engineId: Uint8Array;
  engineBoots: number;
  engineTime: number;
  userName: string;
  /** Default: `engineId`. */
  contextEngineId?: Uint8Array;
  /** Default ''. */
  contextName?: string;
  pdu: Pdu;
}

/**
 * A v3 message for USM with a plaintext scoped PDU and empty authentication and privacy parameters: every v3 header
 * snmpkit sends is built here, then secured by encodeSecureMessage (which sets the auth/priv flags and parameters
 * from the keys).
 */
export function usmMessage(init: UsmMessageInit): V3Message {
  return {
    version: 3,
    msgId: init.msgId,
    msgMaxSize: init.msgMaxSize ?? MAX_UDP_MESSAGE_SIZE,
    msgFlags: init.reportable ? MsgFlags.reportable : 0,
    securityModel: USM_SECURITY_MODEL,
    securityParameters: {
      engineId: init.engineId,
      engineBoots: init.engineBoots,
      engineTime: init.engineTime,
      userName: init.userName,
      authParameters: EMPTY,
      privParameters: EMPTY,
    },
    scopedPdu: {
      contextEngineId: init.contextEngineId ?? init.engineId,
      contextName: init.contextName ?? '',
      pdu: init.pdu,
    },
  };
}

export interface EncodeSecureOptions {
  /**
   * The 8-byte salt (msgPrivacyParameters) to encrypt with, instead of the next one from the salt counter. Only for
   * reproducing known messages in tests: a salt used twice under one key undoes the privacy.
   */
  salt?: Uint8Array;
}

/**
 * Secures and encodes an outgoing v3 message (RFC 3414 §3.1). `message.scopedPdu` is the plaintext; with `keys`
 * the message is sent at `keys.level` (msgFlags' auth and priv bits are set from it, the reportable bit is kept),
 * for `keys.userName` and `keys.engineId`. Without keys it is sent noAuthNoPriv as given (discovery, or a user
 * without authentication). engineBoots/engineTime come from `message.securityParameters`: the caller's notion of
 * the authoritative engine's clock, which the AES IV also uses.
 */
export function encodeSecureMessage(
  message: V3Message,
  keys: LocalizedKeys | undefined,
  options: EncodeSecureOptions = {},
): Uint8Array {
  const scopedPdu = message.scopedPdu;
  if (!scopedPdu) throw new UsmConfigError('encodeSecureMessage needs a message with a plaintext scopedPdu');
  const level: SecurityLevel = keys?.level ?? 'noAuthNoPriv';
  const sp = message.securityParameters;
  const securityParameters: UsmSecurityParameters = {
    engineId: keys ? keys.engineId : sp.engineId,
    engineBoots: sp.engineBoots,
    engineTime: sp.engineTime,
    userName: keys ? keys.userName : sp.userName,
    authParameters: keys && level !== 'noAuthNoPriv' ? new Uint8Array(keys.macLength) : EMPTY,
    privParameters: EMPTY,
  };
  const outgoing: V3Message = {
    version: 3,
    msgId: message.msgId,
    msgMaxSize: message.msgMaxSize,
    msgFlags: (message.msgFlags & ~0x03) | levelToFlags(level),
    securityModel: message.securityModel,
    securityParameters,
  };
  if (level === 'authPriv') {
    const encrypted = keys!.encrypt(encodeScopedPdu(scopedPdu), sp.engineBoots, sp.engineTime, options.salt);
    securityParameters.privParameters = encrypted.privParameters;
    outgoing.encryptedPdu = encrypted.ciphertext;
  } else {
    outgoing.scopedPdu = scopedPdu;
  }
  const { bytes, authParametersOffset } = encodeMessageWithOffsets(outgoing);
  // RFC 3414 §6.3.1: the MAC covers the whole message with the authentication parameters as zeros, which is
  // how it was just encoded; the MAC then takes the zeros' place.
  if (level !== 'noAuthNoPriv') bytes.set(keys!.computeMac(bytes), authParametersOffset);
  return bytes;
}

/** The timeliness check (RFC 3414 §3.2 step 7) decodeSecureMessage runs on authenticated messages. */
export type TimelinessCheck = (engineId: Uint8Array, engineBoots: number, engineTime: number) => boolean;

export interface DecodeSecureOptions {
  /**
   * Set when this side is the authoritative engine for the incoming message (an agent receiving a request, a
   * notification receiver receiving an inform): a message for any other engine ID (including the empty one of a
   * discovery probe) is refused with unknownEngineID (RFC 3414 §3.2 step 3).
   */
  authoritativeEngineId?: Uint8Array;
  /**
   * Called for authenticated messages once the MAC is verified and before decryption; false means not in the time
   * window. Use AuthoritativeClock.isInTimeWindow (agent) or EngineTimeCache.accept (manager).
   */
  timeliness?: TimelinessCheck;
}

export interface DecodedSecureMessage {
  /** The message with a plaintext scopedPdu (and no encryptedPdu), security parameters as received. */
  message: V3Message;
  /** The level the message was sent at (from its msgFlags). */
  level: SecurityLevel;
  /**
   * The user's keys at the message's level (a reply encoded with them goes out at the same level); undefined for
   * noAuthNoPriv messages with an empty user name (discovery).
   */
  keys?: LocalizedKeys;
  /** Bytes after the end of the message, ignored as Net-SNMP ignores them (0 for most messages). */
  trailingBytes: number;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Decodes an incoming v3 message and applies the USM's checks (RFC 3414 §3.2) in the RFC's order: engine ID, user,
 * level, MAC (constant time, over the exact received bytes), time window, decryption. A refusal throws UsmError whose
 * `reason` names the usmStats counter to increment and the report to send; input that is not a message throws
 * BerError.
 */
export function decodeSecureMessage(
  bytes: Uint8Array,
  resolveKeys: KeyResolver,
  options: DecodeSecureOptions = {},
): DecodedSecureMessage {
  const { message, authParametersOffset, trailingBytes } = decodeMessageWithOffsets(bytes);
  if (message.version !== 3) throw new BerError('msgVersion 3 (an SNMPv3 message)', 2, `got ${message.version}`);
  const sp = message.securityParameters;
  const userName = sp.userName;
  const level = flagsToLevel(message.msgFlags);
  if (level === undefined) {
    throw new UsmError('invalidMsgFlags', 'msgFlags ask for privacy without authentication', userName, message);
  }
  if ((level === 'authPriv') !== (message.encryptedPdu !== undefined)) {
    throw new BerError(
      level === 'authPriv' ? 'an encryptedPDU, as msgFlags ask for privacy' : 'a plaintext ScopedPDU',
      undefined,
      `msgFlags 0x${message.msgFlags.toString(16)}`,
    );
  }
  if (options.authoritativeEngineId && !equalBytes(sp.engineId, options.authoritativeEngineId)) {
    throw new UsmError(
      'unknownEngineID',
      'the message is for another (or an undiscovered) engine ID',
      userName,
      message,
    );
  }
  // Discovery (RFC 3414 §4) uses an empty user name at noAuthNoPriv: there is no user to look up.
  const keys = level === 'noAuthNoPriv' && userName === '' ? undefined : resolveKeys(userName, sp.engineId);
  if (level !== 'noAuthNoPriv' || userName !== '') {
    if (!keys) throw new UsmError('unknownUserName', `unknown user name '${userName}'`, userName, message);
    if (!levelCovers(keys.level, level)) {
      throw new UsmError('unsupportedSecLevel', `user '${userName}' does not support ${level}`, userName, message);
    }
  }
  // The keys handed back are at the message's level, so that a reply encoded with them goes out at that level.
  if (level === 'noAuthNoPriv') {
    return keys ? { message, level, keys: keys.withLevel(level), trailingBytes } : { message, level, trailingBytes };
  }

  // The MAC covers the message the sender wrote, not bytes a stack padded the datagram with (ignored, as Net-SNMP does).
  const signed = trailingBytes === 0 ? bytes : bytes.subarray(0, bytes.length - trailingBytes);
  if (!keys!.verifyMac(signed, authParametersOffset, sp.authParameters)) {
    throw new UsmError('wrongDigests', `authentication failed for user '${userName}'`, userName, message);
  }
  if (options.timeliness && !options.timeliness(sp.engineId, sp.engineBoots, sp.engineTime)) {
    throw new UsmError(
      'notInTimeWindow',
      `the message is outside the time window (user '${userName}')`,
      userName,
      message,
    );
  }
  if (level === 'authNoPriv') return { message, level, keys: keys!.withLevel(level), trailingBytes };

  const plaintext = keys!.decrypt(message.encryptedPdu!, sp.privParameters, sp.engineBoots, sp.engineTime);
  let scopedPdu: ScopedPdu;
  try {
    if (!plaintext) throw new BerError('decryptable privacy parameters');
    scopedPdu = decodeScopedPdu(plaintext);
  } catch (error) {
    // A wrong privacy key yields garbage that does not decode: RFC 3414 §3.2 step 8 counts it as a decryption error.
    if (error instanceof BerError) {
      throw new UsmError('decryptionErrors', `decryption failed for user '${userName}'`, userName, message);
    }
    throw error;
  }
  // Spelled out rather than a rest/spread copy: this is on every message's path, and V8 builds literals faster.
  const plain: V3Message = {
    version: 3,
    msgId: message.msgId,
    msgMaxSize: message.msgMaxSize,
    msgFlags: message.msgFlags,
    securityModel: message.securityModel,
    securityParameters: sp,
    scopedPdu,
  };
  return { message: plain, level, keys: keys!, trailingBytes };
}
