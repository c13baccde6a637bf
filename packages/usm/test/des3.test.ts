/**
 * 3DES-EDE privacy (draft-reeder-snmpv3-usm-3desede-00, usm3DESEDEPrivProtocol) against vectors pysnmp 4.4.12
 * computed (its eso/priv/des3.py with pycryptodome, RFC 3414 A.3's password and engine ID; `_localInt` set to
 * 0x01020304 and engine boots 5, so that the salt is known). Live interop with pysnmp is in tests/interop.
 */
import { hexToBytes } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  LocalizedKeys,
  localizeKey,
  PRIV_PROTOCOLS,
  passwordToKey,
  privacyKey,
  privProtocolNamed,
} from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ENGINE = hexToBytes('000000000000000000000002');
const PLAINTEXT = Uint8Array.from({ length: 16 }, (_, i) => i);
const SALT = hexToBytes('0000000501020304');

// pysnmp pads with zeros and always adds a block when the plaintext is whole blocks: its ciphertext is ours plus
// one block (CBC: the first blocks are the same).
const PYSNMP = {
  md5: {
    key: '526f5eed9fcce26f8964c2930787d82b79eff44a90650ee0a3a40abfac5acc12',
    ciphertext: 'fc4b5e70ab40b5349b59797b51b33591695ee1cd85518006',
  },
  sha: {
    key: '6695febc9288e36282235fc7151f128497b38f3f9b8b6d78936ba6e7d19dfd9c',
    ciphertext: '135afabb12aeb151445f2bd71058986be696f62402a16601',
  },
} as const;

describe('3DES-EDE (usm3DESEDEPrivProtocol)', () => {
  it('is known by its OID and by the names other stacks use', () => {
    expect(PRIV_PROTOCOLS['3des'].oid).toBe('1.3.6.1.6.3.10.1.2.3');
    for (const name of ['3des', '3DES', '3DES-EDE', 'DES3', 'des3']) expect(privProtocolNamed(name)).toBe('3des');
  });

  for (const auth of ['md5', 'sha'] as const) {
    it(`${auth}: the key is extended as pysnmp extends it, and encrypts and decrypts as pysnmp does`, () => {
      const localized = localizeKey(auth, passwordToKey(auth, 'maplesyrup'), ENGINE);
      const key = privacyKey(auth, '3des', localized, ENGINE);
      expect(hex(key)).toBe(PYSNMP[auth].key);
      const keys = new LocalizedKeys({
        userName: 'u',
        engineId: ENGINE,
        level: 'authPriv',
        authProtocol: auth,
        authKey: localized,
        privProtocol: '3des',
        privKey: key,
      });
      const { ciphertext, privParameters } = keys.encrypt(PLAINTEXT, 5, 0, SALT);
      expect(hex(privParameters)).toBe(hex(SALT));
      expect(hex(ciphertext)).toBe(PYSNMP[auth].ciphertext.slice(0, 32));
      const theirs = keys.decrypt(hexToBytes(PYSNMP[auth].ciphertext), SALT, 5, 0);
      expect(hex(theirs!)).toBe(hex(Buffer.concat([PLAINTEXT, new Uint8Array(8)])));
      // Not single DES with the first 8 bytes: all 24 key bytes count.
      const des = new LocalizedKeys({
        userName: 'u',
        engineId: ENGINE,
        level: 'authPriv',
        authProtocol: auth,
        authKey: localized,
        privProtocol: 'des',
        privKey: Buffer.concat([key.subarray(0, 8), key.subarray(24, 32)]),
      });
      expect(hex(des.encrypt(PLAINTEXT, 5, 0, SALT).ciphertext)).not.toBe(hex(ciphertext));
    });
  }
});
