import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  netSnmpUserArgs,
  snmpkitProtocolName,
  snmpkitUser,
  testUser,
  V3_TEST_USERS,
  v3TestUsers,
} from '../src/index.js';
import { configLines } from '../src/snmpd.js';

const DOCKER_CONF = new URL('../../../docker/snmpd/snmpd.conf', import.meta.url);
const isUserLine = (line: string) => /^(createUser|rouser|rwuser) /.test(line);

describe('the v3 test users', () => {
  it('are the users docker/snmpd/snmpd.conf creates, line for line', () => {
    const docker = readFileSync(DOCKER_CONF, 'utf8').split('\n').filter(isUserLine);
    const generated = configLines({ users: V3_TEST_USERS }, 161, ['udp']).filter(isUserLine);
    expect(generated).toEqual(docker);
    expect(V3_TEST_USERS).toHaveLength(31);
  });

  it('extend to other privacy protocols, and to a lower minimum level', () => {
    const cisco = v3TestUsers(['AES-256-C']);
    expect(cisco.map((u) => u.name)).toContain('sha512aes256c');
    const lines = configLines({ users: [{ ...testUser('MD5', 'DES'), minimumLevel: 'authNoPriv' }] }, 161, ['udp']);
    expect(lines.filter(isUserLine)).toEqual([
      'createUser md5des MD5 "authpass123" DES "privpass123"',
      'rwuser md5des auth',
    ]);
  });

  it("give the Net-SNMP tools' arguments and @snmpkit/usm's protocol names", () => {
    expect(netSnmpUserArgs(testUser())).toEqual(['-u', 'noauth', '-l', 'noAuthNoPriv']);
    expect(netSnmpUserArgs(testUser('SHA-224', 'AES-192'))).toEqual([
      ...['-u', 'sha224aes192', '-l', 'authPriv'],
      ...['-a', 'SHA-224', '-A', 'authpass123', '-x', 'AES-192', '-X', 'privpass123'],
    ]);
    expect(snmpkitUser(testUser('SHA-384'))).toEqual({
      name: 'sha384only',
      level: 'authNoPriv',
      authProtocol: 'sha384',
      authPassword: 'authpass123',
    });
    expect(snmpkitUser(testUser('MD5', 'AES-192-C'))).toMatchObject({ authProtocol: 'md5', privProtocol: 'aes192c' });
    // The type follows the value: a literal @snmpkit/usm accepts where it wants an AuthProtocol.
    const sha512: 'sha512' = snmpkitProtocolName('SHA-512');
    expect(sha512).toBe('sha512');
  });
});
