/**
 * The USM user that Net-SNMP's -u -l -a -A -x -X describe, with Net-SNMP's defaults (noAuthNoPriv; MD5 and DES
 * when a level needs them) and its messages for bad values. Loaded only for SNMPv3.
 */
import {
  authProtocolNamed,
  MIN_PASSWORD_LENGTH,
  parseUserSpec as readUserSpec,
  type SecurityLevel,
  securityLevelNamed,
  type UsmUser,
  type UsmUserSpec,
} from '@snmpkit/usm';
import { type CommonOptions, UsageError } from './args.js';
import { netSnmpPrivProtocolOf } from './snmp-conf.js';

/**
 * Net-SNMP's -l values (usm's table), with its abbreviations and the short words only -l takes. Without -l Net-SNMP sends noAuthNoPriv; `infer` (for decode, where
 * only the credentials matter) takes the level from the passphrases given instead.
 */
export function securityLevel(options: CommonOptions, infer = false): SecurityLevel {
  const text = options.level;
  if (text === undefined) {
    if (!infer) return 'noAuthNoPriv';
    const priv = options.privPassword ?? options.privLocalizedKey ?? options.privMasterKey;
    const auth = options.authPassword ?? options.authLocalizedKey ?? options.authMasterKey;
    return priv ? 'authPriv' : auth ? 'authNoPriv' : 'noAuthNoPriv';
  }
  const level = securityLevelNamed(text, { shortWords: true });
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
    const auth = authProtocolNamed(options.authProtocol ?? 'MD5', { abbreviations: true });
    if (auth === undefined) {
      throw new UsageError(`Invalid authentication protocol specified after -3a flag: ${options.authProtocol}`);
    }
    user.authProtocol = auth;
    const authKey = keyOf(options.authLocalizedKey, options.authPassword, options.authMasterKey);
    if (authKey) user.authKey = authKey;
    else {
      checkPassphrase(options.authPassword, 'authentication', program);
      user.authPassword = options.authPassword;
    }
  }
  if (level === 'authPriv') {
    const priv = netSnmpPrivProtocolOf(options.privProtocol ?? 'DES');
    if (priv === undefined) {
      throw new UsageError(`Invalid privacy protocol specified after -3x flag: ${options.privProtocol}`);
    }
    user.privProtocol = priv;
    const privKey = keyOf(options.privLocalizedKey, options.privPassword, options.privMasterKey);
    if (privKey) user.privKey = privKey;
    else {
      checkPassphrase(options.privPassword, 'privacy', program);
      user.privPassword = options.privPassword;
    }
  }
  return user;
}

/**
 * The key the options give for one secret, in Net-SNMP's order: a localized key (-3k/-3K) wins over the pass phrase
 * (-A/-X), which wins over a master key (-3m/-3M; snmp_parse_args makes the master key from the pass phrase over
 * it). Undefined: the pass phrase is used (or missing).
 */
function keyOf(localized: string | undefined, password: string | undefined, master: string | undefined) {
  if (localized !== undefined) return { type: 'localized', key: localized } as const;
  if (password === undefined && master !== undefined) return { type: 'master', key: master } as const;
  return undefined;
}

/**
 * trapd's `--user NAME[:AUTHPROTO:AUTHPASS[:PRIVPROTO:PRIVPASS]][@ENGINEID]`, read by @snmpkit/usm's parseUserSpec
 * (the one reader simulate's --user also uses): `@ENGINEID` (hex, as snmptrapd's `createUser -e`) binds the user to
 * traps from that sending engine. A bad spec is a usage error that shows it with its passwords as `***`.
 */
export function parseUserSpec(spec: string): UsmUserSpec {
  try {
    return readUserSpec(spec);
  } catch (error) {
    throw new UsageError(`--user ${(error as Error).message}`);
  }
}
