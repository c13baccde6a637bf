/** v3 decoding with a user's credentials, loaded only when they are given (node:crypto and the USM code). */
import type { V3Message } from '@snmpkit/ber';
import {
  type AuthProtocol,
  decodeSecureMessage,
  isAuthProtocol,
  isPrivProtocol,
  type PrivProtocol,
  type SecurityLevel,
  UsmKeyStore,
  type UsmUser,
} from '@snmpkit/usm';
import { type CommonOptions, UsageError } from '../args.js';

/** Net-SNMP's protocol names (SHA-256, AES-192, AES192C...) to @snmpkit/usm's (sha256, aes192, aes192c). */
function protocolName(text: string): string {
  return text.toLowerCase().replace(/-/g, '');
}

/** Net-SNMP's -l values, with its abbreviations. */
export function securityLevel(text: string | undefined, options: CommonOptions): SecurityLevel {
  if (text === undefined) {
    return options.privPassword ? 'authPriv' : options.authPassword ? 'authNoPriv' : 'noAuthNoPriv';
  }
  const t = text.toLowerCase();
  if (t === 'noauthnopriv' || t === 'noauth' || t === '1') return 'noAuthNoPriv';
  if (t === 'authnopriv' || t === 'auth' || t === '2') return 'authNoPriv';
  if (t === 'authpriv' || t === 'priv' || t === '3') return 'authPriv';
  throw new UsageError(`Invalid security level specified after -l flag: ${text}`);
}

/** The USM user that -u/-l/-a/-A/-x/-X describe (Net-SNMP's defaults: MD5 and DES). */
export function userFromOptions(options: CommonOptions): UsmUser {
  const level = securityLevel(options.level, options);
  const user: UsmUser = { name: options.user ?? '', level };
  if (level !== 'noAuthNoPriv') {
    const auth = protocolName(options.authProtocol ?? 'MD5');
    if (!isAuthProtocol(auth))
      throw new UsageError(`Invalid authentication protocol specified after -a flag: ${options.authProtocol}`);
    user.authProtocol = auth as AuthProtocol;
    user.authPassword = options.authPassword ?? '';
  }
  if (level === 'authPriv') {
    const priv = protocolName(options.privProtocol ?? 'DES');
    if (!isPrivProtocol(priv))
      throw new UsageError(`Invalid privacy protocol specified after -x flag: ${options.privProtocol}`);
    user.privProtocol = priv as PrivProtocol;
    user.privPassword = options.privPassword ?? '';
  }
  return user;
}

/** Checks the MAC and decrypts; the returned message has its plaintext scopedPdu. Throws on a wrong key. */
export function decodeWithCredentials(bytes: Uint8Array, options: CommonOptions): V3Message {
  const store = new UsmKeyStore([userFromOptions(options)]);
  return decodeSecureMessage(bytes, store.resolver()).message;
}
