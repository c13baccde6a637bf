/**
 * No password or key in what a program may print about an object that holds one (issue 17): util.inspect (what
 * console.log prints), JSON.stringify, String(), and the messages of the errors bad users raise.
 */
import { inspect } from 'node:util';
import { Device, startSimulator } from '@snmpkit/simulator';
import { localizeKey, passwordToKey, UsmKeyStore } from '@snmpkit/usm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationReceiver, Session, UsmMessageProcessing } from '../src/index.js';

const AUTH = 'auth-Secret-2468';
const PRIV = 'priv-Secret-1357';
const ENGINE = '80001f8804736563726574';
/** The localized keys too: a key is as good as the password for an attacker. */
const SECRETS = [
  AUTH,
  PRIV,
  Buffer.from(localizeKey('sha', passwordToKey('sha', AUTH), Buffer.from(ENGINE, 'hex'))).toString('hex'),
  Buffer.from(localizeKey('sha', passwordToKey('sha', PRIV), Buffer.from(ENGINE, 'hex'))).toString('hex'),
];
const USER = {
  name: 'keeper',
  level: 'authPriv',
  authProtocol: 'sha',
  authPassword: AUTH,
  privProtocol: 'aes',
  privPassword: PRIV,
} as const;

/** Every way the object may end up printed; JSON of a cyclic object throws, which prints nothing. */
function printed(value: unknown): string {
  const out = [
    inspect(value, { depth: Infinity, showHidden: true, getters: true }),
    inspect(value, { depth: Infinity }),
    String(value),
  ];
  try {
    out.push(JSON.stringify(value) ?? '');
  } catch (error) {
    out.push(String((error as Error).message));
  }
  return out.join('\n');
}

function expectNoSecret(what: string, value: unknown): void {
  const text = printed(value);
  for (const secret of SECRETS) expect(text.includes(secret), `${what} shows ${secret}`).toBe(false);
}

let simulator: Awaited<ReturnType<typeof startSimulator>>;

beforeAll(async () => {
  simulator = await startSimulator({
    data: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|x\n'),
    listen: ['udp:127.0.0.1:0'],
    users: [USER],
    engineId: ENGINE,
  });
});
afterAll(() => simulator?.close());

describe('objects that hold passwords or keys print none', () => {
  it('a v3 Session, before and after it has talked to the agent, and its options', async () => {
    const options = { peer: simulator.endpoints[0]!, version: 3 as const, user: USER, timeout: 2000, retries: 2 };
    const session = await Session.open(options);
    expectNoSecret('Session', session);
    await session.get(['1.3.6.1.2.1.1.1.0']);
    expectNoSecret('Session after a GET', session);
    await session.close();
  });

  it("usm's key store and the keys it localizes", () => {
    const store = new UsmKeyStore([USER]);
    expectNoSecret('UsmKeyStore', store);
    expectNoSecret('LocalizedKeys', store.keysFor(USER.name, Buffer.from(ENGINE, 'hex')));
  });

  it('the v3 message processing model', () => {
    expectNoSecret('UsmMessageProcessing', new UsmMessageProcessing({ user: USER }));
  });

  it('a NotificationReceiver with users (for informs and for traps from an engine)', async () => {
    const receiver = await NotificationReceiver.listen({
      listen: ['udp:127.0.0.1:0'],
      users: [USER, { ...USER, name: 'sender', engineId: ENGINE }],
      onNotification: () => {},
    });
    try {
      expectNoSecret('NotificationReceiver', receiver);
    } finally {
      await receiver.close();
    }
  });

  it('the agent and the simulator serving the user', () => {
    expectNoSecret('Simulator', simulator);
    expectNoSecret('Agent', simulator.agent);
  });

  it('errors about a bad user name the user and the field, not the password', async () => {
    const bad = { ...USER, privProtocol: 'rot13' } as unknown as typeof USER;
    const error = await Session.open({ peer: simulator.endpoints[0]!, version: 3, user: bad }).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expectNoSecret('Session.open error', error);
    const receiverError = await NotificationReceiver.listen({
      listen: ['udp:127.0.0.1:0'],
      users: [{ ...USER, authPassword: 'short' }],
      onNotification: () => {},
    }).catch((e) => e);
    expect(receiverError).toBeInstanceOf(Error);
    expectNoSecret('NotificationReceiver.listen error', receiverError);
  });
});
