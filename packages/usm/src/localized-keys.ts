import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { CbcContexts, CfbContexts } from './ciphers.js';
import { UsmConfigError } from './errors.js';
import {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  engineIdKey,
  isAuthProtocol,
  isPrivProtocol,
  isSecurityLevel,
  levelCovers,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  type SecurityLevel,
} from './protocols.js';

/** What a LocalizedKeys is built from. Keys are the localized ones: authKey as long as the hash, privKey as long as
 * the cipher needs (already extended for AES-192/256; DES: 8 key bytes then 8 pre-IV bytes). */
export interface LocalizedKeysInit {
  userName: string;
  engineId: Uint8Array;
  level: SecurityLevel;
  authProtocol?: AuthProtocol;
  authKey?: Uint8Array;
  privProtocol?: PrivProtocol;
  privKey?: Uint8Array;
}

/** The result of encrypting a ScopedPDU: the ciphertext and the msgPrivacyParameters (the salt) to send. */
export interface Encrypted {
  ciphertext: Uint8Array;
  privParameters: Uint8Array;
}

const DES_BLOCK = 8;
const SALT_LENGTH = 8;
/** Stands in for the received MAC while verifying it; as long as the longest MAC (HMAC-SHA-512: 48). */
const ZEROS = new Uint8Array(48);

/**
 * Salts must never repeat under one key (RFC 3414 §8.1.1.1, RFC 3826 §3.1.2.1). Counters that start at a random
 * value and increase per message meet that for every key in this process, whatever engine it belongs to.
 */
const saltState = { desCounter: randomBytes(4).readUInt32BE(0), aesHigh: 0, aesLow: 0 };
{
  const seed = randomBytes(8);
  saltState.aesHigh = seed.readUInt32BE(0);
  saltState.aesLow = seed.readUInt32BE(4);
}

function nextDesSalt(engineBoots: number): Uint8Array {
  // RFC 3414 §8.1.1.1: the salt is snmpEngineBoots followed by a local 32-bit integer.
  const salt = Buffer.allocUnsafe(SALT_LENGTH);
  salt.writeUInt32BE(engineBoots >>> 0, 0);
  saltState.desCounter = (saltState.desCounter + 1) >>> 0;
  salt.writeUInt32BE(saltState.desCounter, 4);
  return salt;
}

function nextAesSalt(): Uint8Array {
  // RFC 3826 §3.1.2.1: a 64-bit integer, incremented per message (wrapping).
  saltState.aesLow = (saltState.aesLow + 1) >>> 0;
  if (saltState.aesLow === 0) saltState.aesHigh = (saltState.aesHigh + 1) >>> 0;
  const salt = Buffer.allocUnsafe(SALT_LENGTH);
  salt.writeUInt32BE(saltState.aesHigh, 0);
  salt.writeUInt32BE(saltState.aesLow, 4);
  return salt;
}

function aesIv(engineBoots: number, engineTime: number, salt: Uint8Array): Buffer {
  // RFC 3826 §3.1.2.1: IV = snmpEngineBoots || snmpEngineTime || salt, all big-endian.
  const iv = Buffer.allocUnsafe(16);
  iv.writeUInt32BE(engineBoots >>> 0, 0);
  iv.writeUInt32BE(engineTime >>> 0, 4);
  iv.set(salt, 8);
  return iv;
}

/**
 * A user's keys localized to one authoritative engine: everything the USM needs to authenticate and encrypt
 * messages for that (user, engine) pair. The key bytes live in private fields: they never show up in JSON,
 * toString, util.inspect or errors. Build them with UsmKeyStore (which caches), or directly from localized keys.
 */
export class LocalizedKeys {
  readonly userName: string;
  readonly engineId: Uint8Array;
  /** The level these keys are used at: at most what the user is configured for. */
  readonly level: SecurityLevel;
  readonly authProtocol: AuthProtocol | undefined;
  readonly privProtocol: PrivProtocol | undefined;
  readonly #authKey: KeyObject | undefined;
  /** The privacy key's cipher contexts (see ciphers.ts): DES-CBC or AES-CFB. */
  readonly #privacy: CbcContexts | CfbContexts | undefined;
  /** DES and 3DES: the pre-IV, the last 8 bytes of the localized privacy key (RFC 3414 §8.1.1.1). */
  readonly #desPreIv: Uint8Array | undefined;
  readonly #macLength: number;
  readonly #hash: string;
  /** withLevel views, made once: decodeSecureMessage hands one out per message. */
  readonly #views = new Map<SecurityLevel, LocalizedKeys>();

  constructor(init: LocalizedKeysInit) {
    const { userName, level, authProtocol, privProtocol, authKey, privKey } = init;
    if (typeof userName !== 'string') throw new UsmConfigError('userName must be a string');
    if (!isSecurityLevel(level)) throw new UsmConfigError(`user '${userName}': unknown security level`);
    this.userName = userName;
    this.engineId = Uint8Array.from(init.engineId);
    this.level = level;
    this.authProtocol = undefined;
    this.privProtocol = undefined;
    this.#macLength = 0;
    this.#hash = '';
    if (level !== 'noAuthNoPriv') {
      if (!isAuthProtocol(authProtocol)) {
        throw new UsmConfigError(`user '${userName}': ${level} needs an authentication protocol`);
      }
      const info = AUTH_PROTOCOLS[authProtocol];
      if (!authKey || authKey.length !== info.keyLength) {
        throw new UsmConfigError(`user '${userName}': a localized ${authProtocol} key has ${info.keyLength} bytes`);
      }
      this.authProtocol = authProtocol;
      this.#authKey = createSecretKey(Uint8Array.from(authKey));
      this.#macLength = info.macLength;
      this.#hash = info.hash;
    }
    if (level === 'authPriv') {
      if (!isPrivProtocol(privProtocol)) {
        throw new UsmConfigError(`user '${userName}': authPriv needs a privacy protocol`);
      }
      const info = PRIV_PROTOCOLS[privProtocol];
      if (!privKey || privKey.length !== info.keyLength) {
        throw new UsmConfigError(`user '${userName}': a localized ${privProtocol} key has ${info.keyLength} bytes`);
      }
      this.privProtocol = privProtocol;
      if (info.cipher === 'des') {
        // The key, then the 8-byte pre-IV (RFC 3414 §8.1.1.1; the 3DES draft's §5.1.1.1.1 likewise after 24 bytes).
        // Single DES as triple DES with one key three times: EDE with K1=K2=K3 is DES, and OpenSSL 3 keeps
        // des-ede3-cbc in its default provider while plain des-cbc moved to the legacy one.
        const preIvAt = info.keyLength - DES_BLOCK;
        const k = privKey.subarray(0, preIvAt);
        const key = k.length === DES_BLOCK ? Buffer.concat([k, k, k]) : k;
        this.#privacy = new CbcContexts('des-ede3-cbc', key, DES_BLOCK);
        this.#desPreIv = Uint8Array.from(privKey.subarray(preIvAt, info.keyLength));
      } else {
        const bits = info.keyLength * 8;
        this.#privacy = new CfbContexts(`aes-${bits}-cfb`, `aes-${bits}-ecb`, privKey);
      }
    }
  }

  /** Length of msgAuthenticationParameters for these keys (0 without authentication). */
  get macLength(): number {
    return this.#macLength;
  }

  /** The same keys used at a lower (or equal) level, e.g. an authPriv user sending an authNoPriv request. */
  withLevel(level: SecurityLevel): LocalizedKeys {
    if (!isSecurityLevel(level)) throw new UsmConfigError(`unknown security level '${String(level)}'`);
    if (level === this.level) return this;
    if (!levelCovers(this.level, level)) {
      throw new UsmConfigError(`user '${this.userName}' is configured for ${this.level}, not ${level}`);
    }
    const cached = this.#views.get(level);
    if (cached) return cached;
    // A lower level keeps only the secrets it needs, so the view cannot be used above its level.
    const init: LocalizedKeysInit = { userName: this.userName, engineId: this.engineId, level };
    if (level === 'authNoPriv') {
      init.authProtocol = this.authProtocol;
      init.authKey = this.#authKey?.export();
    }
    const view = new LocalizedKeys(init);
    this.#views.set(level, view);
    return view;
  }

  /** The truncated HMAC of `message` (whose authentication parameters must be zeros), RFC 3414 §6.3.1/§7.3.1. */
  computeMac(message: Uint8Array): Uint8Array {
    if (!this.#authKey) throw new UsmConfigError(`user '${this.userName}' has no authentication key`);
    return createHmac(this.#hash, this.#authKey).update(message).digest().subarray(0, this.#macLength);
  }

  /**
   * Checks the MAC of a received message in constant time (RFC 3414 §6.3.2/§7.3.2). The MAC is computed over the
   * exact received bytes with the `received.length` bytes at `macOffset` taken as zeros, without copying the input.
   */
  verifyMac(message: Uint8Array, macOffset: number, received: Uint8Array): boolean {
    if (!this.#authKey || received.length !== this.#macLength) return false;
    const end = macOffset + received.length;
    if (macOffset < 0 || end > message.length) return false;
    const hmac = createHmac(this.#hash, this.#authKey);
    hmac.update(message.subarray(0, macOffset));
    hmac.update(ZEROS.subarray(0, received.length));
    hmac.update(message.subarray(end));
    return timingSafeEqual(hmac.digest().subarray(0, this.#macLength), received);
  }

  /**
   * Encrypts a serialized ScopedPDU (RFC 3414 §8.1.1.1 for DES, RFC 3826 §3.1.3 for AES). `engineBoots` and
   * `engineTime` are those of the authoritative engine, as sent in the message. `salt` is for reproducing known
   * vectors only: reusing a salt under the same key breaks the cipher.
   */
  encrypt(plaintext: Uint8Array, engineBoots: number, engineTime: number, salt?: Uint8Array): Encrypted {
    const privacy = this.#privacy;
    if (!privacy) throw new UsmConfigError(`user '${this.userName}' has no privacy key`);
    if (salt !== undefined && salt.length !== SALT_LENGTH) throw new UsmConfigError('a salt has 8 bytes');
    if (this.#desPreIv) {
      const privParameters = salt ?? nextDesSalt(engineBoots);
      const iv = Buffer.allocUnsafe(DES_BLOCK);
      for (let i = 0; i < DES_BLOCK; i++) iv[i] = this.#desPreIv[i]! ^ privParameters[i]!;
      // Pad to whole blocks. RFC 3414 §8.1.1.2 leaves the padding's value open (the ScopedPDU carries its own
      // length); like Net-SNMP, each pad byte holds the pad length, so our output matches its byte for byte.
      const padLength = (DES_BLOCK - (plaintext.length % DES_BLOCK)) % DES_BLOCK;
      const padded = Buffer.alloc(plaintext.length + padLength, padLength);
      padded.set(plaintext, 0);
      return { ciphertext: privacy.encrypt(iv, padded), privParameters };
    }
    const privParameters = salt ?? nextAesSalt();
    return { ciphertext: privacy.encrypt(aesIv(engineBoots, engineTime, privParameters), plaintext), privParameters };
  }

  /**
   * Decrypts an encryptedPDU. Returns undefined when the parameters make decryption impossible (wrong salt length,
   * DES ciphertext not a whole number of blocks): RFC 3414 §8.3.2 / RFC 3826 §3.1.4 call that a decryption error.
   */
  decrypt(
    ciphertext: Uint8Array,
    privParameters: Uint8Array,
    engineBoots: number,
    engineTime: number,
  ): Uint8Array | undefined {
    const privacy = this.#privacy;
    if (!privacy) throw new UsmConfigError(`user '${this.userName}' has no privacy key`);
    if (privParameters.length !== SALT_LENGTH) return undefined;
    if (this.#desPreIv) {
      if (ciphertext.length === 0 || ciphertext.length % DES_BLOCK !== 0) return undefined;
      const iv = Buffer.allocUnsafe(DES_BLOCK);
      for (let i = 0; i < DES_BLOCK; i++) iv[i] = this.#desPreIv[i]! ^ privParameters[i]!;
      return privacy.decrypt(iv, ciphertext);
    }
    return privacy.decrypt(aesIv(engineBoots, engineTime, privParameters), ciphertext);
  }

  /** A description without secrets. */
  describe(): {
    userName: string;
    engineId: string;
    level: SecurityLevel;
    authProtocol?: string;
    privProtocol?: string;
  } {
    return {
      userName: this.userName,
      engineId: engineIdKey(this.engineId),
      level: this.level,
      ...(this.authProtocol ? { authProtocol: this.authProtocol } : {}),
      ...(this.privProtocol ? { privProtocol: this.privProtocol } : {}),
    };
  }

  toJSON(): ReturnType<LocalizedKeys['describe']> {
    return this.describe();
  }

  toString(): string {
    const d = this.describe();
    return `LocalizedKeys(${d.userName}@${d.engineId}, ${d.level}${d.authProtocol ? `, ${d.authProtocol}` : ''}${
      d.privProtocol ? `, ${d.privProtocol}` : ''
    })`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
