import { netSnmpUserArgs, runNetSnmp, testUser, V3_TEST_USERS, type V3TestUser } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type AgentUser, Device } from '../src/index.js';

/**
 * Users written in Net-SNMP's spellings (`SHA-256`, `AES`, `authpriv`) are taken as they are: the testkit's matrix
 * needs no snmpkitUser() first, and a user from a Net-SNMP configuration works. This file also type-checks that
 * (the package's typecheck compiles test/): before, `AgentUser` only took @snmpkit/usm's names.
 */
const SYS_DESCR = '.1.3.6.1.2.1.1.1.0';

// Type level: the testkit's users (Net-SNMP's names) are AgentUsers as they are.
const matrix: AgentUser[] = [...V3_TEST_USERS];
/** A matrix user written in lower case, with its level as `-l authpriv` spells it. */
const netSnmpLower = { ...testUser('SHA-512', 'AES-256-C'), name: 'lower' };
const lowerCase: AgentUser = { ...netSnmpLower, level: 'authpriv', authProtocol: 'sha-512', privProtocol: 'aes-256-c' };

describe('an Agent with users in Net-SNMP spellings', () => {
  let agent: Agent;
  let endpoint: string;
  beforeAll(async () => {
    agent = new Agent({
      device: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|named users\n'),
      users: [...matrix, lowerCase],
    });
    endpoint = (await agent.listen('udp:127.0.0.1:0')).endpoint;
  });
  afterAll(async () => {
    await agent?.close();
  });

  const get = (user: V3TestUser) =>
    runNetSnmp('snmpget', ['-v3', ...netSnmpUserArgs(user), '-Ov', endpoint, SYS_DESCR]);

  it('is built without UsmConfigError and answers Net-SNMP at each user of the matrix', async () => {
    for (const user of [testUser(), testUser('MD5'), testUser('SHA', 'AES'), testUser('SHA-256', 'AES-256')]) {
      const r = await get(user);
      expect(r.stderr, user.name).toBe('');
      expect(r.stdout.trim(), user.name).toBe('STRING: "named users"');
    }
  });

  it('reads a lower-case level: an authpriv user answers at authPriv, and refuses authNoPriv', async () => {
    const user: V3TestUser = netSnmpLower;
    const ok = await get(user);
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('STRING: "named users"');
    const below = await get({ ...user, level: 'authNoPriv' });
    expect(below.stderr).toContain('authorizationError');
  });
});
