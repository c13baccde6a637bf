import { Agent, Device } from '@snmpkit/simulator';
import { type SnmpdInstance, startSnmpd, testUser, V3_TEST_USERS } from '@snmpkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Session, type SnmpValue, UsmMessageProcessing, type V3User } from '../src/index.js';

/**
 * One user object works everywhere: a user in Net-SNMP's spellings (`SHA-256`, `AES`, `authpriv`), or the testkit's
 * matrix as it is (no snmpkitUser() first), opens a session, and the simulator's Agent takes the same object. The
 * package's typecheck compiles this file: before, `V3User` only took @snmpkit/usm's names (TS2820 on 'SHA-256').
 */
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

/** Written as Session.open's option, literally: the literal types must be accepted. */
const opsUser = {
  name: 'ops',
  level: 'authPriv',
  authProtocol: 'SHA-256',
  authPassword: 'authpass123',
  privProtocol: 'AES',
  privPassword: 'privpass123',
} as const satisfies V3User;
/** A matrix user written in lower case, with its level as `-l authpriv` spells it. */
const lowerCase: V3User = {
  ...testUser('SHA-512', 'AES-256-C'),
  name: 'lower',
  level: 'authpriv',
  authProtocol: 'sha-512',
  privProtocol: 'aes-256-c',
};
// The testkit's users (Net-SNMP's names) are V3Users as they are.
const matrix: V3User[] = [...V3_TEST_USERS];

const text = (value: SnmpValue) => (value.type === 'OctetString' ? Buffer.from(value.value).toString() : value.type);

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function open(peer: string, user: V3User): Promise<Session> {
  const session = await Session.open({ peer, version: 3, timeout: 1000, retries: 1, user });
  stops.push(() => session.close());
  return session;
}

describe("v3 users in Net-SNMP's spellings", () => {
  it('type-check as Session.open({ user }) written inline', () => {
    // Compiles only if the literal spellings are accepted; nothing is sent (no peer is opened).
    const options: Parameters<typeof Session.open>[0] = {
      version: 3,
      user: { name: 'ops', level: 'authPriv', authProtocol: 'SHA-256', privProtocol: 'AES', authPassword: 'x' },
    };
    // @ts-expect-error: unknown spellings are still refused by the type
    const wrong: V3User = { name: 'ops', level: 'authPriv', authProtocol: 'SHA-999' };
    expect([options.user?.authProtocol, wrong.authProtocol]).toEqual(['SHA-256', 'SHA-999']);
  });

  it("the simulator's Agent takes the same user objects and answers a v3 GET from a Session", async () => {
    const agent = new Agent({
      device: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|one user object\n'),
      users: [opsUser, lowerCase, ...matrix],
    });
    stops.push(() => agent.close());
    const { endpoint } = await agent.listen('udp:127.0.0.1:0');
    for (const user of [opsUser, lowerCase, testUser('MD5', 'DES'), testUser('SHA-224')]) {
      const session = await open(endpoint, user);
      const [vb] = await session.get([SYS_DESCR]);
      expect(text(vb!.value), user.name).toBe('one user object');
    }
    // What the session reads back is in @snmpkit/usm's names.
    const session = await open(endpoint, lowerCase);
    expect(session.messageProcessing).toBeInstanceOf(UsmMessageProcessing);
    expect((session.messageProcessing as UsmMessageProcessing).user).toEqual({
      name: 'lower',
      level: 'authPriv',
      authProtocol: 'sha512',
      privProtocol: 'aes256c',
    });
  });

  it('startSnmpd and the session take the same testkit user', async () => {
    const user = testUser('SHA-256', 'AES-192');
    const snmpd: SnmpdInstance = await startSnmpd({ transports: ['udp'], users: [user] });
    stops.push(() => snmpd.stop());
    const session = await open(snmpd.endpoints.udp!, user);
    const [vb] = await session.get([SYS_DESCR]);
    expect(text(vb!.value)).toMatch(/^Linux /);
  });
});
