/** v3 decoding with a user's credentials, loaded only when they are given (node:crypto and the USM code). */
import type { V3Message } from '@snmpkit/ber';
import { decodeSecureMessage, UsmKeyStore } from '@snmpkit/usm';
import type { CommonOptions } from '../args.js';
import { userFromOptions } from '../v3-user.js';

/**
 * A decoder for the user the options describe: it checks each message's MAC and decrypts it, and returns the
 * message with its plaintext scopedPdu; it throws on a wrong key. The passphrases are turned into keys once, here
 * (this throws on bad credentials), and the keys localized to each engine ID are kept, so that a dump of many
 * messages costs one key derivation, not one per message.
 */
export function credentialDecoder(options: CommonOptions): (bytes: Uint8Array) => V3Message {
  const resolver = new UsmKeyStore([userFromOptions(options, 'snmpkit decode', true)]).resolver();
  return (bytes) => decodeSecureMessage(bytes, resolver).message;
}
