import { type Cipher, createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';

/**
 * The USM's two privacy modes on OpenSSL cipher contexts that live as long as the key, each message set to its own
 * IV by the chaining arithmetic of the mode rather than by a new context.
 *
 * Why: every createCipheriv/createDecipheriv makes a new OpenSSL context (OpenSSL 3 fetches the algorithm again
 * for each one) and a stream object for the garbage collector: about 2.4 µs per message, twice per exchange on
 * each side, more than the block cipher work itself. A context kept per key costs one `update` call instead.
 *
 * How: a context in CBC or CFB mode carries one block of state (the chaining register) from one `update` to the
 * next. Messages are fed in whole blocks, so after each message the register is a block we know, and the next
 * message's IV is brought in through it:
 *  - CBC: C1 = E(P1 ^ register). Encrypting P1 ^ IV ^ register gives E(P1 ^ IV); decrypting gives D(C1) ^ register,
 *    and XOR with register ^ IV gives D(C1) ^ IV. After a message the register is its last ciphertext block.
 *  - CFB decryption: the register takes the ciphertext as it is fed, so feeding the IV as a block first sets it
 *    (the block's output is discarded).
 *  - CFB encryption: the register takes the ciphertext the context outputs, so the block fed first is IV ^ E(register)
 *    (E from an ECB context on the same key): its ciphertext, and the register, is then the IV.
 * The results equal one-context-per-message encryption byte for byte (the tests compare them).
 */

/** XOR of `a` and `b` into `out`, for `length` bytes. */
function xorInto(out: Uint8Array, a: Uint8Array, b: Uint8Array, length: number, outOffset = 0): void {
  for (let i = 0; i < length; i++) out[outOffset + i] = a[i]! ^ b[i]!;
}

/**
 * DES-CBC (as des-ede3-cbc with the key three times, see LocalizedKeys) on two persistent contexts. Input must be
 * whole 8-byte blocks: the USM pads before encrypting and refuses other ciphertext lengths before decrypting.
 */
export class CbcContexts {
  readonly #encrypt: Cipher;
  readonly #decrypt: Decipher;
  /** The encryption context's register: the last ciphertext block it produced. */
  readonly #encryptRegister: Uint8Array;
  /** The decryption context's register: the last ciphertext block it was fed. */
  readonly #decryptRegister: Uint8Array;

  constructor(
    algorithm: string,
    key: Uint8Array,
    readonly blockSize: number,
  ) {
    const zeros = Buffer.alloc(blockSize);
    this.#encrypt = createCipheriv(algorithm, key, zeros).setAutoPadding(false);
    this.#decrypt = createDecipheriv(algorithm, key, zeros).setAutoPadding(false);
    this.#encryptRegister = new Uint8Array(blockSize);
    this.#decryptRegister = new Uint8Array(blockSize);
  }

  /** Encrypts `padded` (whole blocks, at least one), whose first block it overwrites. */
  encrypt(iv: Uint8Array, padded: Uint8Array): Buffer {
    const n = this.blockSize;
    for (let i = 0; i < n; i++) padded[i]! ^= iv[i]! ^ this.#encryptRegister[i]!;
    const out = this.#encrypt.update(padded);
    this.#encryptRegister.set(out.subarray(out.length - n));
    return out;
  }

  /** Decrypts `ciphertext` (whole blocks, at least one). */
  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    const n = this.blockSize;
    const out = this.#decrypt.update(ciphertext);
    for (let i = 0; i < n; i++) out[i]! ^= iv[i]! ^ this.#decryptRegister[i]!;
    this.#decryptRegister.set(ciphertext.subarray(ciphertext.length - n));
    return out;
  }
}

const AES_BLOCK = 16;

/** AES in CFB-128 mode (RFC 3826) on persistent contexts; any input length. */
export class CfbContexts {
  readonly #encrypt: Cipher;
  readonly #decrypt: Decipher;
  /** E(block) on the same key: what the encryption context will XOR its next block with. */
  readonly #ecb: Cipher;
  /** The encryption context's register: the last ciphertext block it produced (it starts at the zero IV). */
  readonly #encryptRegister = new Uint8Array(AES_BLOCK);

  constructor(algorithm: string, ecbAlgorithm: string, key: Uint8Array) {
    const zeros = Buffer.alloc(AES_BLOCK);
    this.#encrypt = createCipheriv(algorithm, key, zeros);
    this.#decrypt = createDecipheriv(algorithm, key, zeros);
    this.#ecb = createCipheriv(ecbAlgorithm, key, null).setAutoPadding(false);
  }

  encrypt(iv: Uint8Array, plaintext: Uint8Array): Buffer {
    const keystream = this.#ecb.update(this.#encryptRegister);
    // [IV ^ E(register) | plaintext | zeros to a whole block]: whole blocks keep the register a known block.
    const padded = (plaintext.length + AES_BLOCK - 1) & ~(AES_BLOCK - 1);
    const input = Buffer.allocUnsafe(AES_BLOCK + padded);
    xorInto(input, iv, keystream, AES_BLOCK);
    input.set(plaintext, AES_BLOCK);
    input.fill(0, AES_BLOCK + plaintext.length);
    const out = this.#encrypt.update(input);
    this.#encryptRegister.set(out.subarray(out.length - AES_BLOCK));
    return out.subarray(AES_BLOCK, AES_BLOCK + plaintext.length);
  }

  decrypt(iv: Uint8Array, ciphertext: Uint8Array): Buffer {
    // [IV | ciphertext | zeros to a whole block]: the IV block sets the register; whole blocks keep it aligned.
    const padded = (ciphertext.length + AES_BLOCK - 1) & ~(AES_BLOCK - 1);
    const input = Buffer.allocUnsafe(AES_BLOCK + padded);
    input.set(iv, 0);
    input.set(ciphertext, AES_BLOCK);
    input.fill(0, AES_BLOCK + ciphertext.length);
    return this.#decrypt.update(input).subarray(AES_BLOCK, AES_BLOCK + ciphertext.length);
  }
}
