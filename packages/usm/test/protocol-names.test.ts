import { TEST_AUTH_PROTOCOLS, TEST_PRIV_PROTOCOLS } from '@snmpkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  AUTH_PROTOCOLS,
  type AuthProtocol,
  type AuthProtocolName,
  authProtocolNamed,
  isNetSnmpPrivProtocol,
  NET_SNMP_AUTH_NAMES,
  NET_SNMP_PRIV_NAMES,
  PRIV_PROTOCOLS,
  type PrivProtocol,
  type PrivProtocolName,
  parseUserSpec,
  privProtocolNamed,
  redactUserSpec,
  SECURITY_LEVELS,
  type SecurityLevel,
  type SecurityLevelName,
  securityLevelNamed,
  UsmConfigError,
  UsmKeyStore,
  type UsmUserInput,
  validateUser,
} from '../src/index.js';

describe('protocol and level names as users write them', () => {
  it("takes this package's names and Net-SNMP's -a names, any case", () => {
    for (const name of Object.keys(AUTH_PROTOCOLS)) {
      expect(authProtocolNamed(name)).toBe(name);
      expect(authProtocolNamed(name.toUpperCase())).toBe(name);
    }
    expect(authProtocolNamed('SHA-256')).toBe('sha256');
    expect(authProtocolNamed('sha-512')).toBe('sha512');
    expect(authProtocolNamed('SHA')).toBe('sha');
    expect(authProtocolNamed('SHA1')).toBe('sha');
    expect(authProtocolNamed('MD5')).toBe('md5');
    for (const unknown of ['SHA-999', 'sha2', '', 'hasOwnProperty', 'toString', 'x']) {
      expect(authProtocolNamed(unknown)).toBeUndefined();
    }
  });

  it("takes this package's names and Net-SNMP's -x names, any case", () => {
    for (const name of Object.keys(PRIV_PROTOCOLS)) {
      expect(privProtocolNamed(name)).toBe(name);
      expect(privProtocolNamed(name.toUpperCase())).toBe(name);
    }
    expect(privProtocolNamed('AES-256-C')).toBe('aes256c');
    expect(privProtocolNamed('AES-192')).toBe('aes192');
    expect(privProtocolNamed('AES')).toBe('aes');
    expect(privProtocolNamed('AES-128')).toBe('aes');
    expect(privProtocolNamed('DES')).toBe('des');
    for (const unknown of ['AES-512', 'DES-4', '', 'constructor']) expect(privProtocolNamed(unknown)).toBeUndefined();
    // Other stacks' names for 3DES-EDE.
    for (const name of ['3DES', '3des-ede', 'DES3']) expect(privProtocolNamed(name)).toBe('3des');
  });

  it("reads Net-SNMP's abbreviations as its -a and -x do: the first protocol, in its order, that a name begins", () => {
    // snmpget -a SHA-2 uses SHA-224; -x AES-19 AES-192; a whole name wins over a longer one it begins.
    const abbreviations = { abbreviations: true };
    expect(authProtocolNamed('SHA-2', abbreviations)).toBe('sha224');
    expect(authProtocolNamed('sha-25', abbreviations)).toBe('sha256');
    expect(authProtocolNamed('S', abbreviations)).toBe('sha');
    expect(authProtocolNamed('m', abbreviations)).toBe('md5');
    expect(authProtocolNamed('SHA', abbreviations)).toBe('sha');
    expect(privProtocolNamed('AES-19', abbreviations)).toBe('aes192');
    expect(privProtocolNamed('AES-256-', abbreviations)).toBe('aes256');
    expect(privProtocolNamed('AES-192-c', abbreviations)).toBe('aes192c');
    expect(privProtocolNamed('A', abbreviations)).toBe('aes');
    expect(privProtocolNamed('D', abbreviations)).toBe('des');
    expect(privProtocolNamed('3', abbreviations)).toBe('3des');
    // Without the option (objects, the library's users) only whole names: `sha3` is not SHA-384.
    expect(authProtocolNamed('sha3')).toBeUndefined();
    expect(authProtocolNamed('SHA-2')).toBeUndefined();
    expect(privProtocolNamed('AES-19')).toBeUndefined();
  });

  it("spells every protocol as Net-SNMP does, and the testkit's matrix is exactly Net-SNMP's protocols", () => {
    for (const [protocol, name] of Object.entries(NET_SNMP_AUTH_NAMES)) expect(authProtocolNamed(name)).toBe(protocol);
    for (const [protocol, name] of Object.entries(NET_SNMP_PRIV_NAMES)) expect(privProtocolNamed(name)).toBe(protocol);
    expect(Object.keys(NET_SNMP_AUTH_NAMES).sort()).toEqual(Object.keys(AUTH_PROTOCOLS).sort());
    expect((Object.keys(PRIV_PROTOCOLS) as PrivProtocol[]).filter((p) => !isNetSnmpPrivProtocol(p))).toEqual(['3des']);
    expect([...TEST_AUTH_PROTOCOLS]).toEqual(Object.values(NET_SNMP_AUTH_NAMES));
    expect([...TEST_PRIV_PROTOCOLS]).toEqual(Object.values(NET_SNMP_PRIV_NAMES));
  });

  it('takes security levels in any case', () => {
    for (const level of SECURITY_LEVELS) {
      expect(securityLevelNamed(level)).toBe(level);
      expect(securityLevelNamed(level.toLowerCase())).toBe(level);
      expect(securityLevelNamed(level.toUpperCase())).toBe(level);
    }
    expect(securityLevelNamed('priv')).toBeUndefined();
    expect(securityLevelNamed('')).toBeUndefined();
    // Net-SNMP's numbers and abbreviations; the short words only as its -l takes them.
    expect(['1', '2', '3', 'nanp', 'ANP', 'ap'].map((l) => securityLevelNamed(l))).toEqual([
      'noAuthNoPriv',
      'authNoPriv',
      'authPriv',
      'noAuthNoPriv',
      'authNoPriv',
      'authPriv',
    ]);
    expect(securityLevelNamed('auth')).toBeUndefined();
    expect(['noauth', 'auth', 'PRIV'].map((l) => securityLevelNamed(l, { shortWords: true }))).toEqual([
      'noAuthNoPriv',
      'authNoPriv',
      'authPriv',
    ]);
    for (const l of ['0', '4', 'nap', 'apx']) expect(securityLevelNamed(l, { shortWords: true }), l).toBeUndefined();
  });
});

/*
 * Every spelling the name types admit, with what it means. `satisfies Record<...>` makes tsc (the package's
 * typecheck) fail if a type gains or loses a spelling this table does not list; the tests below then check that the
 * run-time readers agree with each one.
 */
const AUTH_NAMES = {
  md5: 'md5',
  sha: 'sha',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  MD5: 'md5',
  SHA: 'sha',
  SHA1: 'sha',
  'SHA-1': 'sha',
  sha1: 'sha',
  'sha-1': 'sha',
  'SHA-224': 'sha224',
  SHA224: 'sha224',
  'sha-224': 'sha224',
  'SHA-256': 'sha256',
  SHA256: 'sha256',
  'sha-256': 'sha256',
  'SHA-384': 'sha384',
  SHA384: 'sha384',
  'sha-384': 'sha384',
  'SHA-512': 'sha512',
  SHA512: 'sha512',
  'sha-512': 'sha512',
} as const satisfies Record<AuthProtocolName, AuthProtocol>;

const PRIV_NAMES = {
  des: 'des',
  aes: 'aes',
  aes192: 'aes192',
  aes256: 'aes256',
  aes192c: 'aes192c',
  aes256c: 'aes256c',
  DES: 'des',
  AES: 'aes',
  'AES-128': 'aes',
  AES128: 'aes',
  'aes-128': 'aes',
  aes128: 'aes',
  'AES-192': 'aes192',
  AES192: 'aes192',
  'aes-192': 'aes192',
  'AES-256': 'aes256',
  AES256: 'aes256',
  'aes-256': 'aes256',
  'AES-192-C': 'aes192c',
  AES192C: 'aes192c',
  'aes-192-c': 'aes192c',
  'AES-256-C': 'aes256c',
  AES256C: 'aes256c',
  'aes-256-c': 'aes256c',
  '3des': '3des',
  '3DES': '3des',
  '3DES-EDE': '3des',
  DES3: '3des',
  des3: '3des',
} as const satisfies Record<PrivProtocolName, PrivProtocol>;

const LEVEL_NAMES = {
  noAuthNoPriv: 'noAuthNoPriv',
  authNoPriv: 'authNoPriv',
  authPriv: 'authPriv',
  noauthnopriv: 'noAuthNoPriv',
  authnopriv: 'authNoPriv',
  authpriv: 'authPriv',
} as const satisfies Record<SecurityLevelName, SecurityLevel>;

describe('the name types (AuthProtocolName, PrivProtocolName, SecurityLevelName)', () => {
  it('admit only spellings the readers turn into the protocol or level they mean', () => {
    for (const [name, protocol] of Object.entries(AUTH_NAMES)) expect(authProtocolNamed(name), name).toBe(protocol);
    for (const [name, protocol] of Object.entries(PRIV_NAMES)) expect(privProtocolNamed(name), name).toBe(protocol);
    for (const [name, level] of Object.entries(LEVEL_NAMES)) expect(securityLevelNamed(name), name).toBe(level);
  });

  it('stay precise: unknown spellings do not type-check', () => {
    // @ts-expect-error: no such protocol
    const auth: AuthProtocolName = 'SHA-999';
    // @ts-expect-error: no such protocol
    const priv: PrivProtocolName = 'AES-512';
    // @ts-expect-error: snmpd.conf's rouser level word, which the readers do not take
    const level: SecurityLevelName = 'priv';
    expect([authProtocolNamed(auth), privProtocolNamed(priv), securityLevelNamed(level)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("let UsmKeyStore and validateUser take a user in Net-SNMP's spellings, read into canonical names", () => {
    const netSnmp: UsmUserInput = {
      name: 'ops',
      level: 'authpriv',
      authProtocol: 'SHA-256',
      authPassword: 'authpass123',
      privProtocol: 'AES-256-C',
      privPassword: 'privpass123',
    };
    const canonical = { name: 'ops', level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes256c' };
    expect(validateUser(netSnmp)).toEqual(canonical);
    const store = new UsmKeyStore([netSnmp]);
    expect(store.userInfo('ops')).toEqual(canonical);
    // The keys are those of the same user in canonical names: same protocols, same passwords.
    const engineId = Uint8Array.from([0x80, 0, 0x1f, 0x88, 0x80, 1, 2, 3, 4]);
    const same = new UsmKeyStore([{ ...netSnmp, level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes256c' }]);
    const message = new Uint8Array(64).fill(7);
    expect(store.keysFor('ops', engineId)!.computeMac(message)).toEqual(
      same.keysFor('ops', engineId)!.computeMac(message),
    );
  });

  it('still refuses an unknown name at run time (a user from JSON), saying what it got', () => {
    const user = { name: 'ops', level: 'authNoPriv', authProtocol: 'SHA-999', authPassword: 'authpass123' };
    expect(() => validateUser(user as unknown as UsmUserInput)).toThrow(/got 'SHA-999'/);
  });
});

describe('parseUserSpec', () => {
  it('reads the level from the fields given, protocols by any name the table reads', () => {
    expect(parseUserSpec('guest')).toEqual({ name: 'guest', level: 'noAuthNoPriv' });
    expect(parseUserSpec('a:SHA-2:authpass123')).toEqual({
      name: 'a',
      level: 'authNoPriv',
      authProtocol: 'sha224',
      authPassword: 'authpass123',
    });
    expect(parseUserSpec('b:md5:authpass123:3DES:privpass123@0x80001F8804AABBCCDD')).toEqual({
      name: 'b',
      level: 'authPriv',
      authProtocol: 'md5',
      authPassword: 'authpass123',
      privProtocol: '3des',
      privPassword: 'privpass123',
      engineId: '80001f8804aabbccdd',
    });
  });

  it('refuses a malformed spec with UsmConfigError that shows no password', () => {
    const cases: [string, RegExp][] = [
      ['c:SHA', /expected NAME\[:AUTHPROTO:AUTHPASS\[:PRIVPROTO:PRIVPASS\]\]\[@ENGINEID\]/],
      [':SHA:secret-one', /expected NAME/],
      ['c:secret-one:SHA', /field 2 is not a known authentication protocol/],
      ['c:SHA:secret-one:secret-two:AES', /field 4 is not a known privacy protocol/],
      ['c:SHA:secret-one@8000', /engine ID has 2 bytes/],
      ['c:SHA:secret-one@abc', /engine ID is not whole bytes of hex/],
    ];
    for (const [spec, why] of cases) {
      let error: unknown;
      try {
        parseUserSpec(spec);
      } catch (e) {
        error = e;
      }
      expect(error, spec).toBeInstanceOf(UsmConfigError);
      expect((error as Error).message, spec).toMatch(why);
      expect((error as Error).message, spec).not.toMatch(/secret/);
    }
  });
});

describe('redactUserSpec', () => {
  it('keeps the name and the protocol names, hides every other field', () => {
    expect(redactUserSpec('alice:SHA-256:pass-word-1:AES:pass-word-2')).toBe('alice:SHA-256:***:AES:***');
    // Out of place: the password where the protocol belongs is hidden as well.
    expect(redactUserSpec('alice:pass-word-1:SHA')).toBe('alice:***:***');
    expect(redactUserSpec('alice')).toBe('alice');
  });
});
