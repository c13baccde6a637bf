import { UsmConfigError } from './errors.js';
import { localizeKey, MIN_PASSWORD_LENGTH, passwordToKey, privacyKey } from './keys.js';
import { LocalizedKeys, type LocalizedKeysInit } from './localized-keys.js';
import {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  type AuthProtocolName,
  authProtocolNamed,
  engineIdKey,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  type PrivProtocolName,
  privProtocolNamed,
  type SecurityLevel,
  type SecurityLevelName,
  securityLevelNamed,
} from './protocols.js';

/**
 * A key given instead of a password (Net-SNMP's -3m/-3M and -3k/-3K, pysnmp's authKeyType/privKeyType), bytes or
 * hex (`0x` optional). `master`: the password's key Ku (RFC 3414 A.2), localized to each engine as a password's is.
 * `localized`: the key already localized to the agent's engine (Kul), used as it is for whatever engine the user
 * talks to. A key longer than its protocol needs is cut to it, as Net-SNMP cuts it.
 */
export interface UsmKeyInput {
  type: 'master' | 'localized';
  key: Uint8Array | string;
}

/** A USM user as configured (Net-SNMP's createUser, the session's `user` option, the simulator's --user). */
export interface UsmUser {
  name: string;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  authPassword?: string;
  /** Instead of authPassword (it wins over the password when both are given). */
  authKey?: UsmKeyInput;
  privProtocol?: PrivProtocol;
  privPassword?: string;
  /** Instead of privPassword (it wins over the password when both are given). */
  privKey?: UsmKeyInput;
}

/**
 * A user as people write it: like `UsmUser`, with the level and protocols also in Net-SNMP's spellings (`SHA-256`,
 * `AES`, `authpriv`), so that one user object from a Net-SNMP configuration or the testkit's matrix works with the
 * key store, the session and the simulator. `validateUser` and `UsmKeyStore.addUser` read it into `UsmUserInfo`'s
 * canonical names.
 */
export interface UsmUserInput {
  name: string;
  level: SecurityLevelName;
  authProtocol?: AuthProtocolName;
  authPassword?: string;
  /** Instead of authPassword (it wins over the password when both are given). */
  authKey?: UsmKeyInput;
  privProtocol?: PrivProtocolName;
  privPassword?: string;
  /** Instead of privPassword (it wins over the password when both are given). */
  privKey?: UsmKeyInput;
}

/** A user's public description: everything but the secrets. */
export interface UsmUserInfo {
  name: string;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  privProtocol?: PrivProtocol;
}

/** How decodeSecureMessage finds keys: the user's keys localized to `engineId`, or undefined for an unknown user. */
export type KeyResolver = (userName: string, engineId: Uint8Array) => LocalizedKeys | undefined;

/** usmUserName is an SnmpAdminString (SIZE(1..32)) (RFC 3414 §5). */
const MAX_USER_NAME_BYTES = 32;
/** Localized keys kept per user; an agent needs one engine, a manager one per agent it talks to. */
const MAX_ENGINES_PER_USER = 1024;

function checkPassword(userName: string, what: string, password: unknown): string {
  if (typeof password !== 'string') throw new UsmConfigError(`user '${userName}': ${what} is required`);
  // Counted in bytes, like Net-SNMP: the key is made from the password's bytes. The length is not echoed.
  if (Buffer.byteLength(password, 'utf8') < MIN_PASSWORD_LENGTH) {
    throw new UsmConfigError(`user '${userName}': ${what} must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
  return password;
}

/** A name through one of the `...Named` readers; undefined for a value that is no string (a user from JSON). */
function named<T>(value: unknown, read: (name: string) => T | undefined): T | undefined {
  return typeof value === 'string' ? read(value) : undefined;
}

/**
 * Checks a user definition and says clearly what is wrong with it, and returns it in this package's names (the
 * level and protocols may be given in Net-SNMP's spellings, see UsmUserInput). Messages name the user and the
 * field, never the password.
 */
export function validateUser(user: UsmUserInput): UsmUserInfo {
  if (user === null || typeof user !== 'object') throw new UsmConfigError('a user must be an object');
  const { name } = user;
  const level = named(user.level, securityLevelNamed);
  if (typeof name !== 'string' || name.length === 0) throw new UsmConfigError('a user needs a non-empty name');
  if (Buffer.byteLength(name, 'utf8') > MAX_USER_NAME_BYTES) {
    throw new UsmConfigError(`user '${name}': a user name has at most ${MAX_USER_NAME_BYTES} bytes`);
  }
  if (level === undefined) {
    throw new UsmConfigError(`user '${name}': level must be noAuthNoPriv, authNoPriv or authPriv`);
  }
  const info: UsmUserInfo = { name, level };
  if (level === 'noAuthNoPriv') return info;
  const authProtocol = named(user.authProtocol, authProtocolNamed);
  if (authProtocol === undefined) {
    throw new UsmConfigError(
      `user '${name}': ${level} needs authProtocol (md5, sha, sha224, sha256, sha384 or sha512)` +
        (user.authProtocol === undefined ? '' : `, got '${String(user.authProtocol)}'`),
    );
  }
  if (user.authKey === undefined) checkPassword(name, 'authPassword', user.authPassword);
  else keyBytes(name, 'authKey', user.authKey, AUTH_PROTOCOLS[authProtocol].keyLength);
  info.authProtocol = authProtocol;
  if (level === 'authNoPriv') return info;
  const privProtocol = named(user.privProtocol, privProtocolNamed);
  if (privProtocol === undefined) {
    throw new UsmConfigError(
      `user '${name}': authPriv needs privProtocol (des, 3des, aes, aes192, aes256, aes192c or aes256c)` +
        (user.privProtocol === undefined ? '' : `, got '${String(user.privProtocol)}'`),
    );
  }
  if (user.privKey === undefined) checkPassword(name, 'privPassword', user.privPassword);
  else keyBytes(name, 'privKey', user.privKey, minimumPrivKeyLength(authProtocol, privProtocol, user.privKey));
  info.privProtocol = privProtocol;
  return info;
}

/**
 * The bytes of a key given instead of a password, cut to `length` when longer (as Net-SNMP cuts -3m/-3M/-3k; a
 * localized privacy key is kept whole, for the cipher to take what it needs); a key shorter than `length`, not hex,
 * or of no known type is a UsmConfigError that names the user and field, never the key.
 */
function keyBytes(userName: string, what: string, input: UsmKeyInput, length: number): Uint8Array {
  if (input === null || typeof input !== 'object' || (input.type !== 'master' && input.type !== 'localized')) {
    throw new UsmConfigError(`user '${userName}': ${what} must be { type: 'master' | 'localized', key }`);
  }
  let bytes: Uint8Array;
  if (input.key instanceof Uint8Array) bytes = input.key;
  else if (typeof input.key === 'string' && /^(0x)?([0-9a-f]{2})+$/i.test(input.key)) {
    bytes = Buffer.from(input.key.replace(/^0x/i, ''), 'hex');
  } else {
    throw new UsmConfigError(`user '${userName}': ${what}.key must be bytes or hex digits (whole bytes)`);
  }
  if (bytes.length < length) {
    throw new UsmConfigError(
      `user '${userName}': ${what} (${input.type}) needs at least ${length} bytes, got ${bytes.length}`,
    );
  }
  const whole = what === 'privKey' && input.type === 'localized';
  return Uint8Array.from(whole ? bytes : bytes.subarray(0, length));
}

/**
 * The least a privacy key may have: a master key is the authentication hash's length (it is localized as a
 * password's Ku is); a localized one, what the cipher takes unless the protocol extends shorter keys (RFC 3826
 * ciphers need 16 bytes; AES-192/256 and 3DES lengthen the hash's output).
 */
function minimumPrivKeyLength(authProtocol: AuthProtocol, privProtocol: PrivProtocol, key: UsmKeyInput): number {
  const hashLength = AUTH_PROTOCOLS[authProtocol].keyLength;
  if (key?.type === 'master') return hashLength;
  const cipher = PRIV_PROTOCOLS[privProtocol];
  return cipher.extension === 'none' ? cipher.keyLength : Math.min(hashLength, cipher.keyLength);
}

interface UserEntry {
  info: UsmUserInfo;
  authMaster: Uint8Array | undefined;
  privMaster: Uint8Array | undefined;
  /** Keys given already localized (Net-SNMP's -3k/-3K): used for every engine. */
  authLocalized: Uint8Array | undefined;
  privLocalized: Uint8Array | undefined;
  /** Localized keys by engine ID (hex). */
  localized: Map<string, LocalizedKeys>;
}

/**
 * The users a manager or an agent knows, with their keys. Master keys (the 1 MB password hash) are computed once,
 * when a user is added; keys localized to an engine once per (user, engine), on first use. Passwords are not kept.
 * Nothing secret appears in toString, JSON, util.inspect or errors.
 */
export class UsmKeyStore {
  readonly #users = new Map<string, UserEntry>();

  constructor(users: Iterable<UsmUserInput> = []) {
    for (const user of users) this.addUser(user);
  }

  /** Adds a user, or replaces the one with the same name (its cached keys go too). Throws UsmConfigError. */
  addUser(user: UsmUserInput): UsmUserInfo {
    const info = validateUser(user);
    const entry: UserEntry = {
      info,
      authMaster: undefined,
      privMaster: undefined,
      authLocalized: undefined,
      privLocalized: undefined,
      localized: new Map(),
    };
    const { authProtocol, privProtocol, name } = info;
    if (authProtocol) {
      const { authKey, privKey } = user;
      if (authKey) {
        const bytes = keyBytes(name, 'authKey', authKey, AUTH_PROTOCOLS[authProtocol].keyLength);
        if (authKey.type === 'master') entry.authMaster = bytes;
        else entry.authLocalized = bytes;
      } else {
        entry.authMaster = passwordToKey(authProtocol, user.authPassword!);
      }
      if (privProtocol && privKey) {
        const bytes = keyBytes(name, 'privKey', privKey, minimumPrivKeyLength(authProtocol, privProtocol, privKey));
        if (privKey.type === 'master') entry.privMaster = bytes;
        else entry.privLocalized = bytes;
      } else if (privProtocol) {
        // The same password gives the same Ku: computed once (and localized once, below).
        const samePassword = !authKey && user.privPassword === user.authPassword;
        entry.privMaster = samePassword ? entry.authMaster : passwordToKey(authProtocol, user.privPassword!);
      }
    }
    this.#users.set(info.name, entry);
    return { ...info };
  }

  removeUser(name: string): boolean {
    return this.#users.delete(name);
  }

  hasUser(name: string): boolean {
    return this.#users.has(name);
  }

  get size(): number {
    return this.#users.size;
  }

  /** The configured users, without secrets. */
  users(): UsmUserInfo[] {
    return [...this.#users.values()].map((entry) => ({ ...entry.info }));
  }

  userInfo(name: string): UsmUserInfo | undefined {
    const entry = this.#users.get(name);
    return entry ? { ...entry.info } : undefined;
  }

  /**
   * The user's keys localized to `engineId`, computed on first use and cached; undefined for an unknown user.
   * `level` asks for a lower level than the user's (an authPriv user sending authNoPriv).
   */
  keysFor(name: string, engineId: Uint8Array, level?: SecurityLevel): LocalizedKeys | undefined {
    const entry = this.#users.get(name);
    if (!entry) return undefined;
    const engineKey = engineIdKey(engineId);
    let keys = entry.localized.get(engineKey);
    if (!keys) {
      keys = localizeEntry(entry, engineId);
      if (entry.localized.size >= MAX_ENGINES_PER_USER) {
        // Maps iterate in insertion order: drop the oldest engine.
        entry.localized.delete(entry.localized.keys().next().value!);
      }
      entry.localized.set(engineKey, keys);
    }
    return level === undefined ? keys : keys.withLevel(level);
  }

  /** A KeyResolver over this store for decodeSecureMessage. */
  resolver(): KeyResolver {
    return (userName, engineId) => this.keysFor(userName, engineId);
  }

  toJSON(): { users: UsmUserInfo[] } {
    return { users: this.users() };
  }

  toString(): string {
    return `UsmKeyStore(${[...this.#users.keys()].join(', ')})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function localizeEntry(entry: UserEntry, engineId: Uint8Array): LocalizedKeys {
  const { info } = entry;
  const init: LocalizedKeysInit = { userName: info.name, engineId, level: info.level };
  if (info.authProtocol) {
    init.authProtocol = info.authProtocol;
    init.authKey = entry.authLocalized ?? localizeKey(info.authProtocol, entry.authMaster!, engineId);
    if (info.privProtocol) {
      init.privProtocol = info.privProtocol;
      const localizedPriv =
        entry.privLocalized ??
        (entry.privMaster === entry.authMaster && !entry.authLocalized
          ? init.authKey
          : localizeKey(info.authProtocol, entry.privMaster!, engineId));
      init.privKey = privacyKey(info.authProtocol, info.privProtocol, localizedPriv, engineId);
    }
  }
  return new LocalizedKeys(init);
}
