/** v3 decoding with a user's credentials, loaded only when they are given (node:crypto and the USM code). */
import type { V3Message } from '@snmpkit/ber';
import { decodeSecureMessage, UsmKeyStore } from '@snmpkit/usm';
import type { CommonOptions } from '../args.js';
import { userFromOptions } from '../v3-user.js';

/** Checks the MAC and decrypts; the returned message has its plaintext scopedPdu. Throws on a wrong key. */
export function decodeWithCredentials(bytes: Uint8Array, options: CommonOptions): V3Message {
  const store = new UsmKeyStore([userFromOptions(options, 'snmpkit decode', true)]);
  return decodeSecureMessage(bytes, store.resolver()).message;
}
