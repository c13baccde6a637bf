import { BerError, decodeMessage, hexToBytes, SnmpValue, type V3Message } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  decodeSecureMessage,
  encodeSecureMessage,
  type KeyResolver,
  LocalizedKeys,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  UsmError,
  type UsmErrorReason,
  UsmKeyStore,
  type UsmUser,
} from '../src/index.js';

const ENGINE = hexToBytes('80001f8880d803316272ab046b00000000');
const OTHER_ENGINE = hexToBytes('8000000001020304');

function request(
  overrides: Partial<V3Message['securityParameters']> = {},
  pduType: 'GetRequest' | 'Response' = 'GetRequest',
): V3Message {
  return {
    version: 3,
    msgId: 12345,
    msgMaxSize: 65507,
    msgFlags: 0x04,
    securityModel: 3,
    securityParameters: {
      engineId: ENGINE,
      engineBoots: 7,
      engineTime: 123456,
      userName: '',
      authParameters: new Uint8Array(0),
      privParameters: new Uint8Array(0),
      ...overrides,
    },
    scopedPdu: {
      contextEngineId: ENGINE,
      contextName: '',
      pdu: {
        type: pduType,
        requestId: 99,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [
          {
            oid: '1.3.6.1.2.1.1.1.0',
            value: pduType === 'Response' ? SnmpValue.octetString('a router') : SnmpValue.null(),
          },
        ],
      },
    },
  };
}

/** An authPriv user with the usual test passwords unless told otherwise. */
function authPrivUser(
  name: string,
  authProtocol: AuthProtocol,
  privProtocol: PrivProtocol,
  passwords: Partial<Pick<UsmUser, 'authPassword' | 'privPassword'>> = {},
): UsmUser {
  return {
    name,
    level: 'authPriv',
    authProtocol,
    authPassword: 'authpass123',
    privProtocol,
    privPassword: 'privpass123',
    ...passwords,
  };
}

function authNoPrivUser(name: string, authProtocol: AuthProtocol, authPassword = 'authpass123'): UsmUser {
  return { name, level: 'authNoPriv', authProtocol, authPassword };
}

function reasonOf(action: () => unknown): UsmErrorReason | 'accepted' {
  try {
    action();
    return 'accepted';
  } catch (error) {
    if (error instanceof UsmError) return error.reason;
    throw error;
  }
}

const ALL_AUTH = Object.keys(AUTH_PROTOCOLS) as AuthProtocol[];
const ALL_PRIV = Object.keys(PRIV_PROTOCOLS) as PrivProtocol[];
const matrix = ALL_AUTH.flatMap((auth) => ALL_PRIV.map((priv) => [auth, priv] as const));

describe('round trips', () => {
  it.each(matrix)('%s + %s: authPriv encode → decode gives the plaintext back', (auth, priv) => {
    const store = new UsmKeyStore([authPrivUser('u', auth, priv)]);
    const keys = store.keysFor('u', ENGINE)!;
    const original = request();
    const bytes = encodeSecureMessage(original, keys);
    const wire = decodeMessage(bytes) as V3Message;
    expect(wire.msgFlags).toBe(0x07);
    expect(wire.encryptedPdu).toBeDefined();
    expect(wire.securityParameters.userName).toBe('u');
    expect(wire.securityParameters.authParameters.length).toBe(AUTH_PROTOCOLS[auth].macLength);
    expect(wire.securityParameters.privParameters.length).toBe(8);
    if (priv === 'des') {
      // RFC 3414 §8.1.1.1: the DES salt starts with the engine boots.
      expect([...wire.securityParameters.privParameters.subarray(0, 4)]).toEqual([0, 0, 0, 7]);
      expect(wire.encryptedPdu!.length % 8).toBe(0);
    }
    const decoded = decodeSecureMessage(bytes, store.resolver());
    expect(decoded.level).toBe('authPriv');
    expect(decoded.message.scopedPdu).toEqual(original.scopedPdu);
    expect(decoded.message.msgFlags).toBe(0x07);
  });

  it.each(ALL_AUTH)('%s: authNoPriv encode → decode', (auth) => {
    const store = new UsmKeyStore([authNoPrivUser('u', auth)]);
    const bytes = encodeSecureMessage(request(), store.keysFor('u', ENGINE));
    const decoded = decodeSecureMessage(bytes, store.resolver());
    expect(decoded.level).toBe('authNoPriv');
    expect(decoded.message.msgFlags).toBe(0x05);
    expect(decoded.message.scopedPdu).toEqual(request().scopedPdu);
  });

  it('an authPriv user can send authNoPriv, and the reply keys come back at the message level', () => {
    const store = new UsmKeyStore([authPrivUser('u', 'sha', 'aes')]);
    const bytes = encodeSecureMessage(request(), store.keysFor('u', ENGINE, 'authNoPriv'));
    const decoded = decodeSecureMessage(bytes, store.resolver());
    expect(decoded.level).toBe('authNoPriv');
    expect(decoded.keys!.level).toBe('authNoPriv');
    const reply = encodeSecureMessage(request({}, 'Response'), decoded.keys);
    expect((decodeMessage(reply) as V3Message).msgFlags & 0x03).toBe(0x01);
  });

  it('noAuthNoPriv without keys: discovery probe with an empty user', () => {
    const probe = request({ engineId: new Uint8Array(0) });
    const bytes = encodeSecureMessage(probe, undefined);
    const decoded = decodeSecureMessage(bytes, () => {
      throw new Error('discovery must not look a user up');
    });
    expect(decoded.level).toBe('noAuthNoPriv');
    expect(decoded.keys).toBeUndefined();
    expect(decoded.message.msgFlags).toBe(0x04);
  });

  it('never repeats a salt, and the same plaintext encrypts differently each time', () => {
    for (const priv of ['des', 'aes'] as const) {
      const store = new UsmKeyStore([authPrivUser('u', 'sha', priv)]);
      const keys = store.keysFor('u', ENGINE)!;
      const salts = new Set<string>();
      const ciphertexts = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const wire = decodeMessage(encodeSecureMessage(request(), keys)) as V3Message;
        salts.add(Buffer.from(wire.securityParameters.privParameters).toString('hex'));
        ciphertexts.add(Buffer.from(wire.encryptedPdu!).toString('hex'));
      }
      expect(salts.size).toBe(200);
      expect(ciphertexts.size).toBe(200);
    }
  });

  it('takes the user name and engine ID from the keys, keeps msgID, reportable and the engine clock', () => {
    const store = new UsmKeyStore([authNoPrivUser('alice', 'md5')]);
    const wire = decodeMessage(
      encodeSecureMessage(request({ userName: 'bob', engineId: OTHER_ENGINE }), store.keysFor('alice', ENGINE)),
    ) as V3Message;
    expect(wire.securityParameters.userName).toBe('alice');
    expect(Buffer.from(wire.securityParameters.engineId).toString('hex')).toBe(Buffer.from(ENGINE).toString('hex'));
    expect(wire.msgId).toBe(12345);
    expect(wire.msgFlags).toBe(0x05);
    expect(wire.securityParameters.engineBoots).toBe(7);
    expect(wire.securityParameters.engineTime).toBe(123456);
  });

  it('refuses to encode without a plaintext scopedPdu', () => {
    const { scopedPdu: _omitted, ...rest } = request();
    expect(() => encodeSecureMessage({ ...rest, encryptedPdu: new Uint8Array(8) }, undefined)).toThrow(
      /plaintext scopedPdu/,
    );
  });
});

describe('refusals (RFC 3414 §3.2)', () => {
  const users = new UsmKeyStore([
    authPrivUser('priv', 'sha256', 'aes'),
    authNoPrivUser('auth', 'md5'),
    { name: 'open', level: 'noAuthNoPriv' },
  ]);
  const resolver: KeyResolver = users.resolver();
  const privKeys = users.keysFor('priv', ENGINE)!;

  it('wrong authentication password → wrongDigests', () => {
    const impostor = new UsmKeyStore([authPrivUser('priv', 'sha256', 'aes', { authPassword: 'guessed-wrong' })]);
    expect(
      reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), impostor.keysFor('priv', ENGINE)), resolver)),
    ).toBe('wrongDigests');
  });

  it('wrong privacy password → decryptionErrors', () => {
    for (const priv of ALL_PRIV) {
      const right = new UsmKeyStore([authPrivUser('p', 'sha', priv)]);
      const wrong = new UsmKeyStore([authPrivUser('p', 'sha', priv, { privPassword: 'privpass124' })]);
      const bytes = encodeSecureMessage(request(), wrong.keysFor('p', ENGINE));
      expect(reasonOf(() => decodeSecureMessage(bytes, right.resolver()))).toBe('decryptionErrors');
    }
  });

  it('any flipped bit → wrongDigests (the MAC covers the whole message)', () => {
    const bytes = encodeSecureMessage(request(), privKeys);
    let refused = 0;
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Uint8Array.from(bytes);
      tampered[i]! ^= 0x01;
      try {
        decodeSecureMessage(tampered, resolver);
      } catch (error) {
        // Flipping a bit of the framing may make the bytes undecodable, or change the user or flags.
        if (error instanceof BerError || error instanceof UsmError) {
          refused++;
          continue;
        }
        throw error;
      }
    }
    expect(refused).toBe(bytes.length);
    const macAt = Buffer.from(bytes).indexOf(
      Buffer.from(
        decodeMessage(bytes).version === 3 ? (decodeMessage(bytes) as V3Message).securityParameters.authParameters : [],
      ),
    );
    const wrongMac = Uint8Array.from(bytes);
    wrongMac[macAt + 3]! ^= 0x80;
    expect(reasonOf(() => decodeSecureMessage(wrongMac, resolver))).toBe('wrongDigests');
  });

  it('a MAC of the wrong length → wrongDigests', () => {
    const md5 = users.keysFor('auth', ENGINE)!;
    const sha256 = new LocalizedKeys({
      userName: 'auth',
      engineId: ENGINE,
      level: 'authNoPriv',
      authProtocol: 'sha256',
      authKey: new Uint8Array(32),
    });
    expect(md5.macLength).toBe(12);
    expect(reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), sha256), resolver))).toBe('wrongDigests');
  });

  it('unknown user → unknownUserName, at every level', () => {
    const stranger = new UsmKeyStore([authNoPrivUser('stranger', 'md5')]);
    expect(
      reasonOf(() =>
        decodeSecureMessage(encodeSecureMessage(request(), stranger.keysFor('stranger', ENGINE)), resolver),
      ),
    ).toBe('unknownUserName');
    expect(
      reasonOf(() => decodeSecureMessage(encodeSecureMessage(request({ userName: 'stranger' }), undefined), resolver)),
    ).toBe('unknownUserName');
  });

  it('level above the user → unsupportedSecLevel', () => {
    const claimsPriv = new UsmKeyStore([authPrivUser('auth', 'md5', 'des')]);
    expect(
      reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), claimsPriv.keysFor('auth', ENGINE)), resolver)),
    ).toBe('unsupportedSecLevel');
    const claimsAuth = new UsmKeyStore([authNoPrivUser('open', 'md5')]);
    expect(
      reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), claimsAuth.keysFor('open', ENGINE)), resolver)),
    ).toBe('unsupportedSecLevel');
    // Lower than the user's level is allowed.
    expect(
      reasonOf(() => decodeSecureMessage(encodeSecureMessage(request({ userName: 'priv' }), undefined), resolver)),
    ).toBe('accepted');
  });

  it('another engine, or the empty one of a probe, on the authoritative side → unknownEngineID', () => {
    const options = { authoritativeEngineId: ENGINE };
    expect(reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), privKeys), resolver, options))).toBe(
      'accepted',
    );
    const foreign = users.keysFor('priv', OTHER_ENGINE);
    expect(reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), foreign), resolver, options))).toBe(
      'unknownEngineID',
    );
    const probe = encodeSecureMessage(request({ engineId: new Uint8Array(0) }), undefined);
    expect(reasonOf(() => decodeSecureMessage(probe, resolver, options))).toBe('unknownEngineID');
  });

  it('the timeliness check runs after the MAC and before decryption → notInTimeWindow', () => {
    const seen: number[][] = [];
    const options = {
      timeliness: (_engine: Uint8Array, boots: number, time: number) => {
        seen.push([boots, time]);
        return false;
      },
    };
    expect(reasonOf(() => decodeSecureMessage(encodeSecureMessage(request(), privKeys), resolver, options))).toBe(
      'notInTimeWindow',
    );
    expect(seen).toEqual([[7, 123456]]);
    // Not consulted for a forged message, nor for unauthenticated ones.
    const forged = encodeSecureMessage(
      request(),
      new UsmKeyStore([authNoPrivUser('priv', 'sha256', 'forged-pass')]).keysFor('priv', ENGINE),
    );
    expect(reasonOf(() => decodeSecureMessage(forged, resolver, options))).toBe('wrongDigests');
    expect(
      reasonOf(() =>
        decodeSecureMessage(encodeSecureMessage(request({ userName: 'open' }), undefined), resolver, options),
      ),
    ).toBe('accepted');
    expect(seen.length).toBe(1);
  });

  it('priv without auth in msgFlags → invalidMsgFlags', () => {
    const bytes = encodeSecureMessage(request({ userName: 'open' }), undefined);
    const wire = decodeMessage(bytes) as V3Message;
    const flagsAt = Buffer.from(bytes).indexOf(Buffer.from([0x04, 0x01, wire.msgFlags]));
    bytes[flagsAt + 2] = 0x06;
    expect(reasonOf(() => decodeSecureMessage(bytes, resolver))).toBe('invalidMsgFlags');
  });

  it('undecodable input throws BerError, not UsmError', () => {
    expect(() => decodeSecureMessage(new Uint8Array([0x30, 0x03, 0x02, 0x01]), resolver)).toThrow(BerError);
    expect(() =>
      decodeSecureMessage(
        hexToBytes('302902010104067075626c6963a01c0204000000010201000201003010300e060a2b060102010101000500'),
        resolver,
      ),
    ).toThrow(BerError);
  });

  it('errors name the user and reason, never a key or password', () => {
    const bytes = encodeSecureMessage(
      request(),
      new UsmKeyStore([authPrivUser('priv', 'sha256', 'aes', { privPassword: 'wrongpriv1' })]).keysFor('priv', ENGINE),
    );
    try {
      decodeSecureMessage(bytes, resolver);
      expect.unreachable();
    } catch (error) {
      const e = error as UsmError;
      expect(e.reason).toBe('decryptionErrors');
      expect(e.userName).toBe('priv');
      expect(e.snmpErrorName).toBe('SNMPERR_DECRYPTION_ERR');
      expect(e.snmpErrorCode).toBe(-37);
      expect(`${e.message} ${e.stack} ${JSON.stringify(e)}`).not.toMatch(/privpass|wrongpriv|authpass/);
    }
  });
});
