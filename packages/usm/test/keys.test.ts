import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { hexToBytes } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  extendKeyBlumenthal,
  extendKeyReeder,
  localizeKey,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  passwordToKey,
  privacyKey,
} from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ALL_AUTH = Object.keys(AUTH_PROTOCOLS) as AuthProtocol[];
// RFC 3414 A.3's engine ID and password.
const RFC_ENGINE = hexToBytes('000000000000000000000002');
const RFC_PASSWORD = 'maplesyrup';

/** RFC 3414 A.2.1's sample code, transcribed: 64-byte chunks of the repeated password, 1 MB in total. */
function referencePasswordToKey(hash: string, password: string): Buffer {
  const pw = Buffer.from(password);
  const digest = createHash(hash);
  const chunk = Buffer.alloc(64);
  let index = 0;
  for (let count = 0; count < 1_048_576; count += 64) {
    for (let i = 0; i < 64; i++) chunk[i] = pw[index++ % pw.length]!;
    digest.update(chunk);
  }
  return digest.digest();
}

describe('RFC 3414 Appendix A.3 vectors', () => {
  it('A.3.1 MD5: Ku and Kul for "maplesyrup"', () => {
    const ku = passwordToKey('md5', RFC_PASSWORD);
    expect(hex(ku)).toBe('9faf3283884e92834ebc9847d8edd963');
    expect(hex(localizeKey('md5', ku, RFC_ENGINE))).toBe('526f5eed9fcce26f8964c2930787d82b');
  });

  it('A.3.2 SHA: Ku and Kul for "maplesyrup"', () => {
    const ku = passwordToKey('sha', RFC_PASSWORD);
    expect(hex(ku)).toBe('9fb5cc0381497b3793528939ff788d5d79145211');
    expect(hex(localizeKey('sha', ku, RFC_ENGINE))).toBe('6695febc9288e36282235fc7151f128497b38f3f');
  });
});

describe('RFC 7860 SHA-2 keys', () => {
  it.each([
    ['sha224', 28, 16],
    ['sha256', 32, 24],
    ['sha384', 48, 32],
    ['sha512', 64, 48],
  ] as const)('%s: %i-byte keys, %i-byte truncated MAC', (protocol, keyLength, macLength) => {
    const ku = passwordToKey(protocol, RFC_PASSWORD);
    expect(ku.length).toBe(keyLength);
    expect(localizeKey(protocol, ku, RFC_ENGINE).length).toBe(keyLength);
    expect(AUTH_PROTOCOLS[protocol].macLength).toBe(macLength);
  });

  it.each(ALL_AUTH)('%s: password-to-key matches the RFC 3414 A.2.1 algorithm transcribed independently', (p) => {
    const expected = referencePasswordToKey(AUTH_PROTOCOLS[p].hash, 'authpass123');
    expect(hex(passwordToKey(p, 'authpass123'))).toBe(hex(expected));
    // A password longer than the 64-byte chunk, so that the chunk boundary wraps mid-password.
    const long = 'x'.repeat(70) + 'yz';
    expect(hex(passwordToKey(p, long))).toBe(hex(referencePasswordToKey(AUTH_PROTOCOLS[p].hash, long)));
  });

  it.each(ALL_AUTH)('%s: localized key equals H(Ku || engineID || Ku) computed by hand', (p) => {
    const ku = passwordToKey(p, 'authpass123');
    const engine = hexToBytes('80001f8880d803316272ab046b00000000');
    const byHand = createHash(AUTH_PROTOCOLS[p].hash).update(ku).update(engine).update(ku).digest();
    expect(hex(localizeKey(p, ku, engine))).toBe(hex(byHand));
  });
});

describe('independent implementation: the net-snmp npm package', () => {
  const require = createRequire(import.meta.url);
  const netSnmp = require('net-snmp') as {
    Authentication: { passwordToKey(protocol: number, password: string | Buffer, engineId: Buffer): Buffer };
    Encryption: {
      generateLocalizedKeyBlumenthal(alg: { KEY_LENGTH: number }, auth: number, pw: string, engineId: Buffer): Buffer;
      generateLocalizedKeyReeder(alg: { KEY_LENGTH: number }, auth: number, pw: string, engineId: Buffer): Buffer;
    };
    AuthProtocols: Record<string, number>;
  };
  const engine = Buffer.from('80001f8880d803316272ab046b00000000', 'hex');

  it.each(ALL_AUTH)('%s: same localized key', (p) => {
    const theirs = netSnmp.Authentication.passwordToKey(netSnmp.AuthProtocols[p]!, 'privpass123', engine);
    expect(hex(localizeKey(p, passwordToKey(p, 'privpass123'), engine))).toBe(hex(theirs));
  });

  it.each([
    ['md5', 24],
    ['md5', 32],
    ['sha', 24],
    ['sha', 32],
    ['sha224', 32],
  ] as const)('%s: Blumenthal and Reeder extensions to %i bytes', (p, length) => {
    const kul = localizeKey(p, passwordToKey(p, 'privpass123'), engine);
    const id = netSnmp.AuthProtocols[p]!;
    const blumenthal = netSnmp.Encryption.generateLocalizedKeyBlumenthal(
      { KEY_LENGTH: length },
      id,
      'privpass123',
      engine,
    );
    const reeder = netSnmp.Encryption.generateLocalizedKeyReeder({ KEY_LENGTH: length }, id, 'privpass123', engine);
    expect(hex(extendKeyBlumenthal(p, kul, length))).toBe(hex(blumenthal));
    expect(hex(extendKeyReeder(p, kul, engine, length))).toBe(hex(reeder));
  });
});

describe('key extension from the definitions', () => {
  const engine = RFC_ENGINE;
  const kul = localizeKey('sha', passwordToKey('sha', RFC_PASSWORD), engine);

  it('Blumenthal: Kul || H(Kul), truncated', () => {
    const byHand = Buffer.concat([kul, createHash('sha1').update(kul).digest()]);
    expect(hex(extendKeyBlumenthal('sha', kul, 32))).toBe(hex(byHand.subarray(0, 32)));
    expect(hex(extendKeyBlumenthal('sha', kul, 24))).toBe(hex(byHand.subarray(0, 24)));
  });

  it('Blumenthal over several rounds hashes the whole key so far', () => {
    const md5 = localizeKey('md5', passwordToKey('md5', RFC_PASSWORD), engine);
    const round1 = Buffer.concat([md5, createHash('md5').update(md5).digest()]);
    const round2 = Buffer.concat([round1, createHash('md5').update(round1).digest()]);
    expect(hex(extendKeyBlumenthal('md5', md5, 40))).toBe(hex(round2.subarray(0, 40)));
  });

  it('Reeder: Kul || localize(passwordToKey(Kul)), truncated', () => {
    const second = localizeKey('sha', passwordToKey('sha', kul), engine);
    expect(hex(extendKeyReeder('sha', kul, engine, 32))).toBe(hex(Buffer.concat([kul, second]).subarray(0, 32)));
  });

  it('the two extensions differ, and are not used when the hash is long enough', () => {
    expect(hex(extendKeyBlumenthal('sha', kul, 32))).not.toBe(hex(extendKeyReeder('sha', kul, engine, 32)));
    const long = localizeKey('sha512', passwordToKey('sha512', RFC_PASSWORD), engine);
    for (const priv of ['aes256', 'aes256c'] as PrivProtocol[]) {
      expect(hex(privacyKey('sha512', priv, long, engine))).toBe(hex(long.subarray(0, 32)));
    }
  });

  it.each(Object.keys(PRIV_PROTOCOLS) as PrivProtocol[])(
    '%s: privacy keys have the cipher key length for every hash',
    (priv) => {
      for (const auth of ALL_AUTH) {
        const key = privacyKey(auth, priv, localizeKey(auth, passwordToKey(auth, RFC_PASSWORD), engine), engine);
        expect(key.length).toBe(PRIV_PROTOCOLS[priv].keyLength);
      }
    },
  );
});

describe('input checks', () => {
  it('refuses empty passwords, unknown protocols and master keys of the wrong length', () => {
    expect(() => passwordToKey('sha', '')).toThrow(/empty password/);
    expect(() => passwordToKey('sha3' as AuthProtocol, 'authpass123')).toThrow(/unknown authentication protocol/);
    expect(() => localizeKey('sha', new Uint8Array(16), RFC_ENGINE)).toThrow(/20 bytes, got 16/);
  });

  it('takes strings as UTF-8 and bytes as they are', () => {
    expect(hex(passwordToKey('md5', 'pässwörd'))).toBe(hex(passwordToKey('md5', Buffer.from('pässwörd', 'utf8'))));
  });
});
