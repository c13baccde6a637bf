import type { SnmpdUser } from './snmpd.js';

/**
 * The SNMPv3 users snmpkit's tests run against real agents: one per authentication protocol x privacy protocol, with
 * the names and passwords docker/snmpd/snmpd.conf creates (test/v3-users.test.ts keeps that file and this one equal).
 */

/**
 * The authentication protocols of the test matrix, in Net-SNMP's names (createUser, `-a`): every one Net-SNMP has.
 * The names themselves are @snmpkit/usm's table (NET_SNMP_AUTH_NAMES); testkit cannot depend on usm (usm's tests use
 * testkit), so usm's protocol-names test checks that this list and that table agree.
 */
export const TEST_AUTH_PROTOCOLS = ['MD5', 'SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'] as const;

/**
 * The privacy protocols of the test matrix, in Net-SNMP's names (createUser, `-x`): every one Net-SNMP has (usm's
 * NET_SNMP_PRIV_NAMES, checked as above). AES-192/256 extend the key as
 * draft-blumenthal-aes-usm-04 does; the `-C` ones as the Reeder draft (Cisco's variant).
 */
export const TEST_PRIV_PROTOCOLS = ['DES', 'AES', 'AES-192', 'AES-256', 'AES-192-C', 'AES-256-C'] as const;

export type NetSnmpAuthProtocol = (typeof TEST_AUTH_PROTOCOLS)[number];
export type NetSnmpPrivProtocol = (typeof TEST_PRIV_PROTOCOLS)[number];

/** @snmpkit/usm's name for a protocol Net-SNMP calls `Name`: lower case without dashes ('SHA-224' is 'sha224'). */
export type SnmpkitProtocolName<Name extends string> = Name extends `${infer Head}-${infer Tail}`
  ? SnmpkitProtocolName<`${Head}${Tail}`>
  : Lowercase<Name>;

export function snmpkitProtocolName<Name extends string>(name: Name): SnmpkitProtocolName<Name> {
  return name.toLowerCase().replace(/-/g, '') as SnmpkitProtocolName<Name>;
}

export type SecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

/** The privacy protocols of the standard matrix (docker/snmpd/snmpd.conf): the -C variants are left out. */
export const STANDARD_PRIV_PROTOCOLS: readonly NetSnmpPrivProtocol[] = ['DES', 'AES', 'AES-192', 'AES-256'];

export const TEST_AUTH_PASSWORD = 'authpass123';
export const TEST_PRIV_PASSWORD = 'privpass123';

/** A v3 user for startSnmpd and the Net-SNMP tools, with its security level spelled out. */
export interface V3TestUser extends SnmpdUser {
  level: SecurityLevel;
}

/** The same user in @snmpkit/usm's canonical names (its UsmUser): 'sha224', 'aes192'. */
export interface SnmpkitTestUser {
  name: string;
  level: SecurityLevel;
  authProtocol?: SnmpkitProtocolName<NetSnmpAuthProtocol>;
  authPassword?: string;
  privProtocol?: SnmpkitProtocolName<NetSnmpPrivProtocol>;
  privPassword?: string;
}

/**
 * The name snmpd.conf gives the user of these protocols: `<auth><priv>` in lower case without dashes
 * ('sha256aes192'), `<auth>only` without privacy, `noauth` without either.
 */
export function testUserName(auth?: NetSnmpAuthProtocol, priv?: NetSnmpPrivProtocol): string {
  if (!auth) return 'noauth';
  return `${snmpkitProtocolName(auth)}${priv ? snmpkitProtocolName(priv) : 'only'}`;
}

/** The user of these protocols, with the test passwords: noAuthNoPriv without `auth`, authNoPriv without `priv`. */
export function testUser(auth?: NetSnmpAuthProtocol, priv?: NetSnmpPrivProtocol): V3TestUser {
  const name = testUserName(auth, priv);
  if (!auth) return { name, level: 'noAuthNoPriv' };
  if (!priv) return { name, level: 'authNoPriv', authProtocol: auth, authPassword: TEST_AUTH_PASSWORD };
  return {
    name,
    level: 'authPriv',
    authProtocol: auth,
    authPassword: TEST_AUTH_PASSWORD,
    privProtocol: priv,
    privPassword: TEST_PRIV_PASSWORD,
  };
}

/**
 * The matrix: `noauth` (read-only, as in snmpd.conf), then for each authentication protocol its authNoPriv user and
 * one authPriv user per privacy protocol in `privProtocols`.
 */
export function v3TestUsers(privProtocols: readonly NetSnmpPrivProtocol[] = STANDARD_PRIV_PROTOCOLS): V3TestUser[] {
  const users: V3TestUser[] = [{ ...testUser(), access: 'ro' }];
  for (const auth of TEST_AUTH_PROTOCOLS) {
    users.push(testUser(auth), ...privProtocols.map((priv) => testUser(auth, priv)));
  }
  return users;
}

/** The 31 users docker/snmpd/snmpd.conf creates. */
export const V3_TEST_USERS: readonly V3TestUser[] = v3TestUsers();

/** The Net-SNMP tools' security arguments for a user: `-u NAME -l LEVEL [-a AUTH -A PASS [-x PRIV -X PASS]]`. */
export function netSnmpUserArgs(user: V3TestUser): string[] {
  const args = ['-u', user.name, '-l', user.level];
  if (user.authProtocol) args.push('-a', user.authProtocol, '-A', user.authPassword ?? '');
  if (user.privProtocol) args.push('-x', user.privProtocol, '-X', user.privPassword ?? '');
  return args;
}

/**
 * The user in @snmpkit/usm's canonical protocol names, for APIs typed with its UsmUser. UsmKeyStore,
 * Session.open({ user }) and the simulator's Agent take a V3TestUser as it is (they read Net-SNMP's names).
 */
export function snmpkitUser(user: V3TestUser): SnmpkitTestUser {
  return {
    name: user.name,
    level: user.level,
    ...(user.authProtocol && { authProtocol: snmpkitProtocolName(user.authProtocol), authPassword: user.authPassword }),
    ...(user.privProtocol && { privProtocol: snmpkitProtocolName(user.privProtocol), privPassword: user.privPassword }),
  };
}
