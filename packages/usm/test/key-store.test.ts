import { inspect } from 'node:util';
import { hexToBytes } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  LocalizedKeys,
  localizeKey,
  passwordToKey,
  privacyKey,
  UsmConfigError,
  UsmKeyStore,
  type UsmUser,
  validateUser,
} from '../src/index.js';

const ENGINE_A = hexToBytes('80001f8880d803316272ab046b00000000');
const ENGINE_B = hexToBytes('8000000001020304');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const full: UsmUser = {
  name: 'ops',
  level: 'authPriv',
  authProtocol: 'sha',
  authPassword: 'SecretAuthPass',
  privProtocol: 'aes256c',
  privPassword: 'SecretPrivPass',
};

describe('user validation', () => {
  it.each([
    [{ ...full, authPassword: 'short' }, /authPassword must be at least 8 characters/],
    [{ ...full, privPassword: '1234567' }, /privPassword must be at least 8 characters/],
    [{ ...full, authPassword: undefined }, /authPassword is required/],
    [{ ...full, privPassword: undefined }, /privPassword is required/],
    [{ ...full, authProtocol: undefined }, /authPriv needs authProtocol/],
    [{ ...full, privProtocol: undefined }, /authPriv needs privProtocol/],
    [{ ...full, authProtocol: 'sha3' }, /got 'sha3'/],
    [{ ...full, privProtocol: 'idea' }, /got 'idea'/],
    [{ ...full, level: 'authOnly' }, /level must be/],
    [{ ...full, name: '' }, /non-empty name/],
    [{ ...full, name: 'x'.repeat(33) }, /at most 32 bytes/],
  ] as [UsmUser, RegExp][])('refuses %#', (user, message) => {
    expect(() => new UsmKeyStore([user])).toThrow(UsmConfigError);
    expect(() => validateUser(user)).toThrow(message);
  });

  it('never echoes a password in its errors', () => {
    for (const password of ['short', 'p4ss']) {
      try {
        validateUser({ ...full, privPassword: password });
        expect.unreachable();
      } catch (error) {
        expect(String((error as Error).message)).not.toContain(password);
      }
    }
  });

  it('counts bytes, and accepts exactly 8', () => {
    expect(validateUser({ ...full, authPassword: '12345678', privPassword: 'éééé' })).toEqual({
      name: 'ops',
      level: 'authPriv',
      authProtocol: 'sha',
      privProtocol: 'aes256c',
    });
  });

  it('needs nothing more for noAuthNoPriv, and ignores protocols a level does not use', () => {
    expect(validateUser({ name: 'guest', level: 'noAuthNoPriv' })).toEqual({ name: 'guest', level: 'noAuthNoPriv' });
    expect(validateUser({ ...full, level: 'authNoPriv', privPassword: 'x' })).toEqual({
      name: 'ops',
      level: 'authNoPriv',
      authProtocol: 'sha',
    });
  });
});

describe('UsmKeyStore', () => {
  it('localizes the keys as the definitions say', () => {
    const store = new UsmKeyStore([full]);
    const keys = store.keysFor('ops', ENGINE_A)!;
    const expectedAuth = localizeKey('sha', passwordToKey('sha', 'SecretAuthPass'), ENGINE_A);
    const expectedPriv = privacyKey(
      'sha',
      'aes256c',
      localizeKey('sha', passwordToKey('sha', 'SecretPrivPass'), ENGINE_A),
      ENGINE_A,
    );
    const reference = new LocalizedKeys({
      userName: 'ops',
      engineId: ENGINE_A,
      level: 'authPriv',
      authProtocol: 'sha',
      authKey: expectedAuth,
      privProtocol: 'aes256c',
      privKey: expectedPriv,
    });
    const message = new Uint8Array([1, 2, 3, 4]);
    expect(hex(keys.computeMac(message))).toBe(hex(reference.computeMac(message)));
    const salt = hexToBytes('0102030405060708');
    expect(hex(keys.encrypt(message, 1, 2, salt).ciphertext)).toBe(
      hex(reference.encrypt(message, 1, 2, salt).ciphertext),
    );
  });

  it('caches localized keys per (user, engine): the same object on a hit, new ones for another engine', () => {
    const store = new UsmKeyStore([full]);
    const a = store.keysFor('ops', ENGINE_A);
    expect(store.keysFor('ops', Uint8Array.from(ENGINE_A))).toBe(a);
    const b = store.keysFor('ops', ENGINE_B)!;
    expect(b).not.toBe(a);
    expect(hex(b.engineId)).toBe(hex(ENGINE_B));
    expect(hex(b.computeMac(new Uint8Array(4)))).not.toBe(hex(a!.computeMac(new Uint8Array(4))));
    expect(store.keysFor('ops', ENGINE_A, 'authNoPriv')).toBe(store.keysFor('ops', ENGINE_A, 'authNoPriv'));
  });

  it('answers undefined for an unknown user; replaces and removes users', () => {
    const store = new UsmKeyStore([full]);
    expect(store.keysFor('nobody', ENGINE_A)).toBeUndefined();
    const before = store.keysFor('ops', ENGINE_A)!;
    store.addUser({ ...full, authPassword: 'AnotherPass1' });
    const after = store.keysFor('ops', ENGINE_A)!;
    expect(hex(after.computeMac(new Uint8Array(4)))).not.toBe(hex(before.computeMac(new Uint8Array(4))));
    expect(store.removeUser('ops')).toBe(true);
    expect(store.hasUser('ops')).toBe(false);
    expect(store.size).toBe(0);
  });

  it('refuses a level above the user', () => {
    const store = new UsmKeyStore([
      { name: 'a', level: 'authNoPriv', authProtocol: 'md5', authPassword: 'authpass123' },
    ]);
    expect(() => store.keysFor('a', ENGINE_A, 'authPriv')).toThrow(/configured for authNoPriv, not authPriv/);
  });

  it('keeps secrets out of JSON, toString, util.inspect', () => {
    const store = new UsmKeyStore([full]);
    const keys = store.keysFor('ops', ENGINE_A)!;
    const authKey = hex(localizeKey('sha', passwordToKey('sha', 'SecretAuthPass'), ENGINE_A));
    const views = [
      JSON.stringify(store),
      JSON.stringify(keys),
      String(store),
      String(keys),
      inspect(store, { showHidden: true, depth: 10 }),
      inspect(keys, { showHidden: true, depth: 10 }),
      inspect({ nested: [keys, store] }, { depth: 10 }),
    ].join('\n');
    expect(views).not.toMatch(/SecretAuthPass|SecretPrivPass/);
    expect(views).not.toContain(authKey);
    expect(views).not.toContain(authKey.slice(0, 16));
    expect(views).toContain('ops');
    expect(JSON.parse(JSON.stringify(keys))).toEqual({
      userName: 'ops',
      engineId: hex(ENGINE_A),
      level: 'authPriv',
      authProtocol: 'sha',
      privProtocol: 'aes256c',
    });
    expect(store.users()).toEqual([{ name: 'ops', level: 'authPriv', authProtocol: 'sha', privProtocol: 'aes256c' }]);
  });

  it('LocalizedKeys checks key lengths', () => {
    expect(
      () =>
        new LocalizedKeys({
          userName: 'u',
          engineId: ENGINE_A,
          level: 'authNoPriv',
          authProtocol: 'sha',
          authKey: new Uint8Array(16),
        }),
    ).toThrow(/20 bytes/);
    expect(
      () =>
        new LocalizedKeys({
          userName: 'u',
          engineId: ENGINE_A,
          level: 'authPriv',
          authProtocol: 'sha',
          authKey: new Uint8Array(20),
          privProtocol: 'aes192',
          privKey: new Uint8Array(16),
        }),
    ).toThrow(/24 bytes/);
  });
});

describe('keys given instead of passwords (Net-SNMP -3m/-3M master, -3k/-3K localized)', () => {
  const authMaster = passwordToKey('sha', 'SecretAuthPass');
  const privMaster = passwordToKey('sha', 'SecretPrivPass');
  const mac = (keys: LocalizedKeys) => hex(keys.computeMac(new Uint8Array([9, 8, 7])));
  const secret = (keys: LocalizedKeys) => hex(keys.encrypt(new Uint8Array(16), 1, 2, new Uint8Array(8)).ciphertext);
  const byPassword = new UsmKeyStore([full]);
  const { authPassword: _a, privPassword: _p, ...keyless } = full;

  it.each([
    ['master keys (bytes)', { type: 'master', key: authMaster }, { type: 'master', key: privMaster }],
    [
      'master keys (hex, 0x, longer: cut)',
      { type: 'master', key: `0x${hex(authMaster)}ff` },
      { type: 'master', key: hex(privMaster) },
    ],
    [
      'localized keys',
      { type: 'localized', key: hex(localizeKey('sha', authMaster, ENGINE_A)) },
      { type: 'localized', key: localizeKey('sha', privMaster, ENGINE_A) },
    ],
  ] as const)('%s give the keys the passwords give', (_, authKey, privKey) => {
    const store = new UsmKeyStore([{ ...keyless, authKey, privKey }]);
    const keys = store.keysFor('ops', ENGINE_A)!;
    const expected = byPassword.keysFor('ops', ENGINE_A)!;
    expect(mac(keys)).toBe(mac(expected));
    expect(secret(keys)).toBe(secret(expected));
  });

  it('a master key is localized to each engine; a localized key is used as it is', () => {
    const master = new UsmKeyStore([
      { ...keyless, authKey: { type: 'master', key: authMaster }, privPassword: 'SecretPrivPass' },
    ]);
    expect(mac(master.keysFor('ops', ENGINE_B)!)).toBe(mac(byPassword.keysFor('ops', ENGINE_B)!));
    const localized = new UsmKeyStore([
      {
        ...keyless,
        authKey: { type: 'localized', key: localizeKey('sha', authMaster, ENGINE_A) },
        privPassword: 'SecretPrivPass',
      },
    ]);
    expect(mac(localized.keysFor('ops', ENGINE_B)!)).toBe(mac(byPassword.keysFor('ops', ENGINE_A)!));
  });

  it('a key wins over a password given with it', () => {
    const store = new UsmKeyStore([
      { ...full, authPassword: 'NotTheOne1', authKey: { type: 'master', key: authMaster } },
    ]);
    expect(mac(store.keysFor('ops', ENGINE_A)!)).toBe(mac(byPassword.keysFor('ops', ENGINE_A)!));
  });

  it.each([
    [{ type: 'master', key: '0x0011' }, /authKey \(master\) needs at least 20 bytes, got 2/],
    [{ type: 'localized', key: 'zz'.repeat(20) }, /authKey.key must be bytes or hex digits/],
    [{ type: 'derived', key: hex(authMaster) }, /authKey must be \{ type: 'master' \| 'localized', key \}/],
  ])('refuses a key that cannot be one, naming the field, never the key: %o', (authKey, message) => {
    const user = { ...keyless, privPassword: 'SecretPrivPass', authKey } as unknown as UsmUser;
    expect(() => validateUser(user)).toThrow(message);
    const error = (() => {
      try {
        new UsmKeyStore([user]);
      } catch (e) {
        return e as Error;
      }
    })()!;
    expect(error).toBeInstanceOf(UsmConfigError);
    expect(error.message).not.toContain(String(authKey.key).replace(/^0x/, ''));
  });

  it('a localized privacy key shorter than its cipher takes is refused (AES-128: 16 bytes)', () => {
    const user: UsmUser = {
      ...keyless,
      privProtocol: 'aes',
      authPassword: 'SecretAuthPass',
      privKey: { type: 'localized', key: '00'.repeat(15) },
    };
    expect(() => validateUser(user)).toThrow(/privKey \(localized\) needs at least 16 bytes, got 15/);
    expect(() => validateUser({ ...user, privKey: { type: 'localized', key: '00'.repeat(16) } })).not.toThrow();
  });
});
