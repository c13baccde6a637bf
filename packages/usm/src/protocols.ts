import { hexToBytes } from '@snmpkit/ber';
import { UsmConfigError } from './errors.js';

/** Authentication protocols: HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414) and the HMAC-SHA-2 family (RFC 7860). */
export type AuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/**
 * Privacy protocols: DES-CBC (RFC 3414 §8), AES-128-CFB (RFC 3826), AES-192/256-CFB with the key extension of
 * draft-blumenthal-aes-usm-04 (`aes192`, `aes256`: Net-SNMP's `-x AES-192`/`AES-256`) or of the Reeder draft
 * (`aes192c`, `aes256c`: Cisco's variant, Net-SNMP's `-x AES-192-C`/`AES-256-C`), and 3DES-EDE-CBC
 * (`3des`: draft-reeder-snmpv3-usm-3desede-00's usm3DESEDEPrivProtocol, offered by pysnmp, SNMP4J and Cisco; not
 * by Net-SNMP).
 */
export type PrivProtocol = 'des' | '3des' | 'aes' | 'aes192' | 'aes256' | 'aes192c' | 'aes256c';

export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

/**
 * Net-SNMP's names for the authentication protocols, as its `-a` and `createUser` take them (snmpusm.c's table:
 * with and without the dash, `SHA1`/`SHA-1` for `SHA`). It compares them without regard to case.
 */
type NetSnmpAuthName =
  | 'MD5'
  | 'SHA'
  | 'SHA1'
  | 'SHA-1'
  | 'SHA-224'
  | 'SHA224'
  | 'SHA-256'
  | 'SHA256'
  | 'SHA-384'
  | 'SHA384'
  | 'SHA-512'
  | 'SHA512';

/** Net-SNMP's names for the privacy protocols (`-x`, `createUser`): with and without dashes, `AES-128` for `AES`. */
type NetSnmpPrivName =
  | 'DES'
  | 'AES'
  | 'AES-128'
  | 'AES128'
  | 'AES-192'
  | 'AES192'
  | 'AES-256'
  | 'AES256'
  | 'AES-192-C'
  | 'AES192C'
  | 'AES-256-C'
  | 'AES256C';

/**
 * An authentication protocol as a user may write it: this package's name (`sha256`) or Net-SNMP's (`SHA-256`,
 * `SHA`), in upper or lower case. `authProtocolNamed` turns it into an `AuthProtocol`; it also takes mixed case,
 * which this type leaves out to stay a finite list that editors can offer.
 */
export type AuthProtocolName = AuthProtocol | NetSnmpAuthName | Lowercase<NetSnmpAuthName>;

/** Other stacks' names for 3DES-EDE (pysnmp's `usm3DESEDEPrivProtocol`, SNMP4J's `3DES`, `DES3`, `3DES-EDE`). */
type TripleDesName = '3DES' | '3DES-EDE' | 'DES3' | 'des3';

/** A privacy protocol as a user may write it (`aes256c`, `AES-256-C`, `AES`); `privProtocolNamed` reads it. */
export type PrivProtocolName = PrivProtocol | NetSnmpPrivName | Lowercase<NetSnmpPrivName> | TripleDesName;

/** A security level as a user may write it: `authPriv`, or all in lower case as in `-l authpriv`. */
export type SecurityLevelName = SecurityLevel | Lowercase<SecurityLevel>;

export interface AuthProtocolInfo {
  /** node:crypto digest name. */
  readonly hash: string;
  /** Length of the master and localized keys: the digest length. */
  readonly keyLength: number;
  /** Length of msgAuthenticationParameters: the truncated HMAC (RFC 3414 §6/§7, RFC 7860 §4.2.1). */
  readonly macLength: number;
  /** The protocol's OID in SNMP-USM-MIB / SNMP-USM-HMAC-SHA2-MIB. */
  readonly oid: string;
}

export const AUTH_PROTOCOLS: Readonly<Record<AuthProtocol, AuthProtocolInfo>> = {
  md5: { hash: 'md5', keyLength: 16, macLength: 12, oid: '1.3.6.1.6.3.10.1.1.2' },
  sha: { hash: 'sha1', keyLength: 20, macLength: 12, oid: '1.3.6.1.6.3.10.1.1.3' },
  sha224: { hash: 'sha224', keyLength: 28, macLength: 16, oid: '1.3.6.1.6.3.10.1.1.4' },
  sha256: { hash: 'sha256', keyLength: 32, macLength: 24, oid: '1.3.6.1.6.3.10.1.1.5' },
  sha384: { hash: 'sha384', keyLength: 48, macLength: 32, oid: '1.3.6.1.6.3.10.1.1.6' },
  sha512: { hash: 'sha512', keyLength: 64, macLength: 48, oid: '1.3.6.1.6.3.10.1.1.7' },
};

export type KeyExtension = 'none' | 'blumenthal' | 'reeder';

export interface PrivProtocolInfo {
  /**
   * 'des' uses CBC with padding (DES, or 3DES-EDE when the key has 24 bytes); the AES protocols use CFB-128 without
   * padding.
   */
  readonly cipher: 'des' | 'aes';
  /** Bytes of localized key the cipher needs (DES: 8 key bytes and 8 pre-IV bytes; 3DES: 24 and 8). */
  readonly keyLength: number;
  /** How a localized key shorter than keyLength is lengthened. */
  readonly extension: KeyExtension;
  /** The protocol's OID (usmDESPrivProtocol, usmAesCfb128Protocol, or the draft/Cisco ones Net-SNMP uses). */
  readonly oid: string;
}

export const PRIV_PROTOCOLS: Readonly<Record<PrivProtocol, PrivProtocolInfo>> = {
  des: { cipher: 'des', keyLength: 16, extension: 'none', oid: '1.3.6.1.6.3.10.1.2.2' },
  // draft-reeder-snmpv3-usm-3desede-00: K1|K2|K3|pre-IV from a key extended as the draft's §2.1 (and pysnmp) do.
  '3des': { cipher: 'des', keyLength: 32, extension: 'reeder', oid: '1.3.6.1.6.3.10.1.2.3' },
  aes: { cipher: 'aes', keyLength: 16, extension: 'none', oid: '1.3.6.1.6.3.10.1.2.4' },
  aes192: { cipher: 'aes', keyLength: 24, extension: 'blumenthal', oid: '1.3.6.1.4.1.14832.1.3' },
  aes256: { cipher: 'aes', keyLength: 32, extension: 'blumenthal', oid: '1.3.6.1.4.1.14832.1.4' },
  aes192c: { cipher: 'aes', keyLength: 24, extension: 'reeder', oid: '1.3.6.1.4.1.9.12.6.1.1' },
  aes256c: { cipher: 'aes', keyLength: 32, extension: 'reeder', oid: '1.3.6.1.4.1.9.12.6.1.2' },
};

export const SECURITY_LEVELS: readonly SecurityLevel[] = ['noAuthNoPriv', 'authNoPriv', 'authPriv'];

export function isAuthProtocol(value: unknown): value is AuthProtocol {
  return typeof value === 'string' && Object.hasOwn(AUTH_PROTOCOLS, value);
}

export function isPrivProtocol(value: unknown): value is PrivProtocol {
  return typeof value === 'string' && Object.hasOwn(PRIV_PROTOCOLS, value);
}

/** A protocol name as users write it: any case, with or without dashes (`SHA-256`, `sha256`, `AES-256-C`). */
function nameKey(name: string): string {
  return name.toLowerCase().replaceAll('-', '');
}

/**
 * Every name of each protocol, dashes left out, in the order Net-SNMP tries them (snmpusm.c / snmp_parse_args.c):
 * this package's names, Net-SNMP's aliases (`SHA1`, `AES128`) and other stacks' names for 3DES-EDE (pysnmp's,
 * SNMP4J's `DES3`, `3DES-EDE`). Net-SNMP takes a name that only begins one of them as the first it begins: `SHA-2` is
 * SHA-224, `AES-19` AES-192, `S` SHA (the `abbreviations` option).
 */
const AUTH_NAME_ORDER: readonly (readonly [string, AuthProtocol])[] = [
  ['md5', 'md5'],
  ['sha', 'sha'],
  ['sha1', 'sha'],
  ['sha224', 'sha224'],
  ['sha256', 'sha256'],
  ['sha384', 'sha384'],
  ['sha512', 'sha512'],
];
const PRIV_NAME_ORDER: readonly (readonly [string, PrivProtocol])[] = [
  ['des', 'des'],
  ['aes', 'aes'],
  ['aes128', 'aes'],
  ['aes192', 'aes192'],
  ['aes256', 'aes256'],
  ['aes192c', 'aes192c'],
  ['aes256c', 'aes256c'],
  ['3des', '3des'],
  ['3desede', '3des'],
  ['des3', '3des'],
];

/** How names are read: `abbreviations` also takes a name that only begins one, as Net-SNMP's -a and -x do. */
export interface ProtocolNameOptions {
  abbreviations?: boolean;
}

function protocolIn<T>(
  order: readonly (readonly [string, T])[],
  name: string,
  options: ProtocolNameOptions,
): T | undefined {
  if (typeof name !== 'string') return undefined;
  const key = nameKey(name);
  if (key === '') return undefined;
  const whole = order.find(([n]) => n === key);
  return whole ? whole[1] : options.abbreviations ? order.find(([n]) => n.startsWith(key))?.[1] : undefined;
}

/**
 * The authentication protocol a name means, in this package's spelling (`sha256`) or Net-SNMP's (`-a SHA-256`,
 * `SHA`, `SHA1`, `MD5`), any case; with `abbreviations`, also Net-SNMP's abbreviations (`SHA-2`: SHA-224), as
 * command lines and user specs take them (so that an object's `sha3` is not silently SHA-384). Undefined for an
 * unknown name.
 */
export function authProtocolNamed(name: string, options: ProtocolNameOptions = {}): AuthProtocol | undefined {
  return protocolIn(AUTH_NAME_ORDER, name, options);
}

/**
 * The privacy protocol a name means, in this package's spelling (`aes256c`) or Net-SNMP's (`-x AES-256-C`, `AES`,
 * `AES128`, `DES`), or another stack's name for 3DES-EDE, any case; with `abbreviations`, also Net-SNMP's
 * abbreviations (`AES-19`: AES-192). Undefined for an unknown name.
 */
export function privProtocolNamed(name: string, options: ProtocolNameOptions = {}): PrivProtocol | undefined {
  return protocolIn(PRIV_NAME_ORDER, name, options);
}

/**
 * Net-SNMP's spelling of each protocol (snmpcmd's -a/-x, snmpd.conf's createUser): how its tools print and take
 * them. 3DES-EDE has none: Net-SNMP does not offer it, and its tools refuse `-x 3DES`.
 */
export const NET_SNMP_AUTH_NAMES = {
  md5: 'MD5',
  sha: 'SHA',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
} as const satisfies Readonly<Record<AuthProtocol, string>>;
export const NET_SNMP_PRIV_NAMES = {
  des: 'DES',
  aes: 'AES',
  aes192: 'AES-192',
  aes256: 'AES-256',
  aes192c: 'AES-192-C',
  aes256c: 'AES-256-C',
} as const satisfies Readonly<Partial<Record<PrivProtocol, string>>>;

/** An authentication protocol as Net-SNMP spells it (`SHA-256`). */
export type NetSnmpAuthProtocol = (typeof NET_SNMP_AUTH_NAMES)[AuthProtocol];
/** A privacy protocol as Net-SNMP spells it (`AES-192-C`); Net-SNMP has no 3DES. */
export type NetSnmpPrivProtocol = (typeof NET_SNMP_PRIV_NAMES)[keyof typeof NET_SNMP_PRIV_NAMES];

/** True when Net-SNMP's tools offer the privacy protocol (all but 3DES-EDE). */
export function isNetSnmpPrivProtocol(protocol: PrivProtocol): protocol is keyof typeof NET_SNMP_PRIV_NAMES {
  return Object.hasOwn(NET_SNMP_PRIV_NAMES, protocol);
}

/**
 * Net-SNMP's security level names, lower case (it reads them in any case), as -l and snmp.conf's defSecurityLevel
 * take them: the names, their numbers and the abbreviations ap, anp, nanp; the short words noauth, auth and priv
 * only -l takes (snmp.conf says "Unknown security level" for them).
 */
const LEVEL_NAMES: Readonly<Record<string, { level: SecurityLevel; shortWord?: true }>> = {
  noauthnopriv: { level: 'noAuthNoPriv' },
  authnopriv: { level: 'authNoPriv' },
  authpriv: { level: 'authPriv' },
  '1': { level: 'noAuthNoPriv' },
  '2': { level: 'authNoPriv' },
  '3': { level: 'authPriv' },
  nanp: { level: 'noAuthNoPriv' },
  anp: { level: 'authNoPriv' },
  ap: { level: 'authPriv' },
  noauth: { level: 'noAuthNoPriv', shortWord: true },
  auth: { level: 'authNoPriv', shortWord: true },
  priv: { level: 'authPriv', shortWord: true },
};

/**
 * The security level a name means, any case: `authPriv`, `authpriv`, Net-SNMP's numbers (1-3) and abbreviations
 * (`ap`, `anp`, `nanp`); with `shortWords` also `noauth`, `auth` and `priv`, as Net-SNMP's -l (not its snmp.conf)
 * takes them. Undefined for an unknown name.
 */
export function securityLevelNamed(name: string, options: { shortWords?: boolean } = {}): SecurityLevel | undefined {
  if (typeof name !== 'string') return undefined;
  const key = name.toLowerCase();
  const entry = Object.hasOwn(LEVEL_NAMES, key) ? LEVEL_NAMES[key] : undefined;
  return entry === undefined || (entry.shortWord && !options.shortWords) ? undefined : entry.level;
}

export function isSecurityLevel(value: unknown): value is SecurityLevel {
  return typeof value === 'string' && (SECURITY_LEVELS as readonly string[]).includes(value);
}

/** The msgFlags auth/priv bits for a level (RFC 3412 §6.4); the reportable bit is the caller's. */
export function levelToFlags(level: SecurityLevel): number {
  return level === 'authPriv' ? 0x03 : level === 'authNoPriv' ? 0x01 : 0x00;
}

/** The level that msgFlags ask for, or undefined for the invalid combination priv-without-auth. */
export function flagsToLevel(msgFlags: number): SecurityLevel | undefined {
  switch (msgFlags & 0x03) {
    case 0x00:
      return 'noAuthNoPriv';
    case 0x01:
      return 'authNoPriv';
    case 0x03:
      return 'authPriv';
    default:
      return undefined;
  }
}

const LEVEL_RANK: Record<SecurityLevel, number> = { noAuthNoPriv: 0, authNoPriv: 1, authPriv: 2 };

/** True when `level` offers at least the protection of `wanted` (authPriv > authNoPriv > noAuthNoPriv). */
export function levelCovers(level: SecurityLevel, wanted: SecurityLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[wanted];
}

/**
 * A fresh snmpEngineID (RFC 3411 §5 format 5: enterprise 8072 with the "octets" bit, 8 random bytes): what an engine
 * that was given none uses, so that no two engines share one (a message captured from one would replay against the
 * other).
 */
export function randomEngineId(): Uint8Array {
  const id = new Uint8Array(13);
  id.set([0x80, 0x00, 0x1f, 0x88, 0x05]);
  crypto.getRandomValues(id.subarray(5));
  return id;
}

/** An engine ID as a map key (hex). */
export function engineIdKey(engineId: Uint8Array): string {
  return Buffer.from(engineId.buffer, engineId.byteOffset, engineId.byteLength).toString('hex');
}

/** snmpEngineID is an SnmpEngineID: 5 to 32 bytes (RFC 3411 §5). */
export const MIN_ENGINE_ID_BYTES = 5;
export const MAX_ENGINE_ID_BYTES = 32;

/**
 * An engine ID as people give it: bytes (copied), or hex as @snmpkit/ber's hexToBytes reads it (an optional `0x`,
 * spaces and colons ignored). With `checkLength`, one of RFC 3411's 5 to 32 bytes. Throws UsmConfigError naming
 * `what` (the option) and the value.
 */
export function engineIdFrom(value: Uint8Array | string, what = 'engine ID', checkLength = false): Uint8Array {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = Uint8Array.from(value);
  else if (typeof value !== 'string') {
    throw new UsmConfigError(`${what} must be hex or bytes, got ${value === null ? 'null' : typeof value}`);
  } else {
    try {
      bytes = hexToBytes(value);
    } catch {
      throw new UsmConfigError(`${what} is not hex: ${JSON.stringify(value)}`);
    }
  }
  if (checkLength && (bytes.length < MIN_ENGINE_ID_BYTES || bytes.length > MAX_ENGINE_ID_BYTES)) {
    throw new UsmConfigError(
      `${what} has ${bytes.length} bytes; an engine ID has ${MIN_ENGINE_ID_BYTES} to ${MAX_ENGINE_ID_BYTES}`,
    );
  }
  return bytes;
}
