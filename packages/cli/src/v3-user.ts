/**
 * The USM user that Net-SNMP's -u -l -a -A -x -X describe, with Net-SNMP's defaults (noAuthNoPriv; MD5 and DES
 * when a level needs them) and its messages for bad values. Loaded only for SNMPv3.
 */
import { MIN_PASSWORD_LENGTH, redactUserSpec, type SecurityLevel, type UsmUser } from '@snmpkit/usm';
import { type CommonOptions, UsageError } from './args.js';
import { authProtocolOf, privProtocolOf, securityLevelOf } from './snmp-conf.js';

/**
 * Net-SNMP's -l values (snmp-conf.ts's table), with its abbreviations. Without -l Net-SNMP sends noAuthNoPriv; `infer` (for decode, where
 * only the credentials matter) takes the level from the passphrases given instead.
 */
export function securityLevel(options: CommonOptions, infer = false): SecurityLevel {
  const text = options.level;
  if (text === undefined) {
    if (!infer) return 'noAuthNoPriv';
    return options.privPassword ? 'authPriv' : options.authPassword ? 'authNoPriv' : 'noAuthNoPriv';
  }
  const level = securityLevelOf(text, 'option');
  if (level !== undefined) return level;
  throw new UsageError(`Invalid security level specified after -3l flag: ${text}`);
}

/** A passphrase USM cannot turn into a key: Net-SNMP's three lines about it. */
export class PassphraseError extends Error {
  override readonly name = 'PassphraseError';
}

function checkPassphrase(
  passphrase: string | undefined,
  which: 'authentication' | 'privacy',
  program: string,
): asserts passphrase is string {
  // No -A/-X at all: Net-SNMP gets no key and fails with these, before anything is sent.
  if (passphrase === undefined) {
    throw new PassphraseError(
      which === 'authentication'
        ? `${program}: USM authentication failure (incorrect password or key)`
        : `${program}: USM generic error`,
    );
  }
  if (passphrase.length >= MIN_PASSWORD_LENGTH) return;
  throw new PassphraseError(
    `Error: passphrase chosen is below the length requirements of the USM (min=${MIN_PASSWORD_LENGTH}).\n` +
      `${program}:  (The supplied password length is too short.)\n` +
      `Error generating a key (Ku) from the supplied ${which} pass phrase. `,
  );
}

/** The user the options describe; `program` names the command in Net-SNMP's passphrase messages. */
export function userFromOptions(options: CommonOptions, program: string, infer = false): UsmUser {
  const level = securityLevel(options, infer);
  const user: UsmUser = { name: options.user ?? '', level };
  if (level !== 'noAuthNoPriv') {
    // Net-SNMP's names, aliases (SHA1, AES128) and abbreviations (SHA-2), as -a and snmp.conf's defAuthType take them.
    const auth = authProtocolOf(options.authProtocol ?? 'MD5');
    if (auth === undefined) {
      throw new UsageError(`Invalid authentication protocol specified after -3a flag: ${options.authProtocol}`);
    }
    user.authProtocol = auth;
    checkPassphrase(options.authPassword, 'authentication', program);
    user.authPassword = options.authPassword;
  }
  if (level === 'authPriv') {
    const priv = privProtocolOf(options.privProtocol ?? 'DES');
    if (priv === undefined) {
      throw new UsageError(`Invalid privacy protocol specified after -3x flag: ${options.privProtocol}`);
    }
    user.privProtocol = priv;
    checkPassphrase(options.privPassword, 'privacy', program);
    user.privPassword = options.privPassword;
  }
  return user;
}

/** A receiver's user from `--user`: the USM user, and the sending engine whose traps it authenticates. */
export interface UserSpec extends UsmUser {
  /** Hex; absent: the user is for informs, sent to the receiver's own engine. */
  engineId?: string;
}

/**
 * `NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]` (trapd's --user): the level follows from what is
 * given, protocols are spelled as Net-SNMP's -a/-x take them (SHA-256, AES-192-C...). `@ENGINEID` (hex, as
 * snmptrapd's `createUser -e`) binds the user to traps from that sending engine. Passwords cannot hold `:`.
 */
export function parseUserSpec(spec: string): UserSpec {
  let rest = spec;
  let engineId: string | undefined;
  const at = /@((?:0x)?[0-9a-f]+)$/i.exec(rest);
  if (at) {
    engineId = at[1]!.replace(/^0x/i, '');
    rest = rest.slice(0, at.index);
  }
  const parts = rest.split(':');
  const [name, auth, authPassword, priv, privPassword] = parts;
  if (!name || (parts.length !== 1 && parts.length !== 3 && parts.length !== 5)) {
    throw new UsageError(
      `--user ${redactUserSpec(spec)}: expected NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]`,
    );
  }
  if (engineId !== undefined && engineId.length % 2 !== 0) {
    throw new UsageError(`--user ${redactUserSpec(spec)}: the engine ID is not whole bytes of hex`);
  }
  const user: UserSpec = { name, level: 'noAuthNoPriv', ...(engineId !== undefined ? { engineId } : {}) };
  if (auth !== undefined) {
    const authProtocol = authProtocolOf(auth);
    if (authProtocol === undefined) {
      throw new UsageError(`--user ${redactUserSpec(spec)}: field 2 is not a known authentication protocol`);
    }
    Object.assign(user, { level: 'authNoPriv', authProtocol, authPassword });
  }
  if (priv !== undefined) {
    const privProtocol = privProtocolOf(priv);
    if (privProtocol === undefined) {
      throw new UsageError(`--user ${redactUserSpec(spec)}: field 4 is not a known privacy protocol`);
    }
    Object.assign(user, { level: 'authPriv', privProtocol, privPassword });
  }
  return user;
}
