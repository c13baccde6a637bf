import { createHash } from 'node:crypto';
import { UsmConfigError } from './errors.js';
import { AUTH_PROTOCOLS, type AuthProtocol, PRIV_PROTOCOLS, type PrivProtocol } from './protocols.js';

/** RFC 3414 A.2: the password is repeated to fill one megabyte, which is hashed once. */
const EXPANSION_BYTES = 1_048_576;

/** RFC 3414 §11.2 (and every agent since) refuses pass phrases shorter than this. */
export const MIN_PASSWORD_LENGTH = 8;

function authInfo(protocol: AuthProtocol) {
  const info = AUTH_PROTOCOLS[protocol];
  if (!info) throw new UsmConfigError(`unknown authentication protocol '${String(protocol)}'`);
  return info;
}

function passwordBytes(password: string | Uint8Array): Uint8Array {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
}

/**
 * Password to master key Ku (RFC 3414 A.2, RFC 7860 §9.3): the digest of the password repeated over 1 MB.
 * This is deliberately slow (a few milliseconds): compute it once per user, as UsmKeyStore does.
 * Strings are taken as UTF-8; a Uint8Array is used as is (the Reeder key extension feeds keys back in here).
 */
export function passwordToKey(protocol: AuthProtocol, password: string | Uint8Array): Uint8Array {
  const { hash } = authInfo(protocol);
  const bytes = passwordBytes(password);
  if (bytes.length === 0) throw new UsmConfigError('an empty password cannot be turned into a key');
  // One buffer of the repeated password and one digest call: much faster than feeding 64-byte chunks.
  const expanded = Buffer.allocUnsafe(EXPANSION_BYTES);
  expanded.set(bytes.subarray(0, EXPANSION_BYTES), 0);
  let filled = Math.min(bytes.length, EXPANSION_BYTES);
  while (filled < EXPANSION_BYTES) {
    const copy = Math.min(filled, EXPANSION_BYTES - filled);
    expanded.copyWithin(filled, 0, copy);
    filled += copy;
  }
  return new Uint8Array(createHash(hash).update(expanded).digest());
}

/** Key localization (RFC 3414 §2.6, A.2): Kul = H(Ku || engineID || Ku). */
export function localizeKey(protocol: AuthProtocol, masterKey: Uint8Array, engineId: Uint8Array): Uint8Array {
  const { hash, keyLength } = authInfo(protocol);
  if (masterKey.length !== keyLength) {
    throw new UsmConfigError(`a ${protocol} master key has ${keyLength} bytes, got ${masterKey.length}`);
  }
  return new Uint8Array(createHash(hash).update(masterKey).update(engineId).update(masterKey).digest());
}

/**
 * draft-blumenthal-aes-usm-04 §3.1.2.1: while the key is too short, append the digest of the whole key so far,
 * then truncate. Net-SNMP's AES-192/AES-256 (and most vendors' non-Cisco AES-192/256) use this.
 */
export function extendKeyBlumenthal(protocol: AuthProtocol, localizedKey: Uint8Array, length: number): Uint8Array {
  const { hash } = authInfo(protocol);
  let key = Buffer.from(localizedKey);
  while (key.length < length) key = Buffer.concat([key, createHash(hash).update(key).digest()]);
  return new Uint8Array(key.subarray(0, length));
}

/**
 * draft-reeder-snmpv3-usm-3desede-00 §2.1 (Cisco's AES-192/256, Net-SNMP's AES-192-C/AES-256-C): while the key is
 * too short, treat the latest localized piece as a password, run password-to-key and localization on it again, and
 * append the result. Each round costs one 1 MB hash: another reason to cache localized keys.
 */
export function extendKeyReeder(
  protocol: AuthProtocol,
  localizedKey: Uint8Array,
  engineId: Uint8Array,
  length: number,
): Uint8Array {
  const parts: Uint8Array[] = [localizedKey];
  let total = localizedKey.length;
  let latest = localizedKey;
  while (total < length) {
    latest = localizeKey(protocol, passwordToKey(protocol, latest), engineId);
    parts.push(latest);
    total += latest.length;
  }
  return new Uint8Array(Buffer.concat(parts).subarray(0, length));
}

/**
 * The privacy key a cipher uses: the privacy password's localized key (made with the user's authentication hash),
 * extended when the cipher needs more bytes than the hash gives, and truncated to the cipher's key length.
 */
export function privacyKey(
  authProtocol: AuthProtocol,
  privProtocol: PrivProtocol,
  localizedPrivKey: Uint8Array,
  engineId: Uint8Array,
): Uint8Array {
  const info = PRIV_PROTOCOLS[privProtocol];
  if (!info) throw new UsmConfigError(`unknown privacy protocol '${String(privProtocol)}'`);
  if (localizedPrivKey.length >= info.keyLength) return localizedPrivKey.slice(0, info.keyLength);
  if (info.extension === 'blumenthal') return extendKeyBlumenthal(authProtocol, localizedPrivKey, info.keyLength);
  if (info.extension === 'reeder') return extendKeyReeder(authProtocol, localizedPrivKey, engineId, info.keyLength);
  // Every hash gives at least 16 bytes, which is all that DES and AES-128 need.
  throw new UsmConfigError(`${privProtocol} needs a ${info.keyLength}-byte key; ${authProtocol} gives fewer`);
}
