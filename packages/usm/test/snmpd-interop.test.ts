import dgram from 'node:dgram';
import { decodeMessage, type V3Message } from '@snmpkit/ber';
import {
  type SnmpdInstance,
  snmpkitProtocolName,
  snmpkitUser,
  startSnmpd,
  TEST_AUTH_PASSWORD,
  TEST_AUTH_PROTOCOLS,
  TEST_PRIV_PROTOCOLS,
  testUserName,
  v3TestUsers,
} from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeSecureMessage,
  EngineTimeCache,
  encodeSecureMessage,
  type LocalizedKeys,
  type SecurityLevel,
  UsmError,
  UsmKeyStore,
  type UsmUser,
  usmReportReason,
} from '../src/index.js';

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

/**
 * The test users (@snmpkit/testkit) for every authentication protocol x every privacy protocol, the Cisco -C variants
 * too; snmpd lets the privacy users in at authNoPriv as well.
 */
const snmpdUsers = v3TestUsers(TEST_PRIV_PROTOCOLS).map((u) =>
  u.privProtocol ? { ...u, minimumLevel: 'authNoPriv' as const } : u,
);
const users: UsmUser[] = snmpdUsers.map(snmpkitUser);

/** A tiny v3 manager over one UDP socket: enough to talk to snmpd one request at a time. */
class Manager {
  readonly store = new UsmKeyStore(users);
  readonly times = new EngineTimeCache();
  engineId: Uint8Array = new Uint8Array(0);
  #msgId = 1000;
  readonly #socket = dgram.createSocket('udp4');
  readonly #inbox: Uint8Array[] = [];
  #waiter: ((bytes: Uint8Array) => void) | undefined;

  constructor(readonly port: number) {
    this.#socket.on('message', (bytes) => {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      if (waiter) waiter(new Uint8Array(bytes));
      else this.#inbox.push(new Uint8Array(bytes));
    });
  }

  bind(): Promise<void> {
    return new Promise((resolve) => this.#socket.bind(0, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #receive(timeoutMs = 3000): Promise<Uint8Array> {
    const queued = this.#inbox.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error('no answer from snmpd'));
      }, timeoutMs);
      this.#waiter = (bytes) => {
        clearTimeout(timer);
        resolve(bytes);
      };
    });
  }

  message(userName: string, clock = this.times.get(this.engineId) ?? { boots: 0, time: 0 }): V3Message {
    const msgId = ++this.#msgId;
    return {
      version: 3,
      msgId,
      msgMaxSize: 65507,
      msgFlags: 0x04,
      securityModel: 3,
      securityParameters: {
        engineId: this.engineId,
        engineBoots: clock.boots,
        engineTime: clock.time,
        userName,
        authParameters: new Uint8Array(0),
        privParameters: new Uint8Array(0),
      },
      scopedPdu: {
        contextEngineId: this.engineId,
        contextName: '',
        pdu: {
          type: 'GetRequest',
          requestId: msgId,
          errorStatus: 0,
          errorIndex: 0,
          varbinds: [{ oid: SYS_DESCR, value: { type: 'Null' } }],
        },
      },
    };
  }

  async send(bytes: Uint8Array, resolver = this.store.resolver()) {
    this.#socket.send(bytes, this.port, '127.0.0.1');
    const answer = await this.#receive();
    return decodeSecureMessage(answer, resolver, { timeliness: this.times.timeliness });
  }

  /** RFC 3414 §4: a noAuthNoPriv probe with an empty user and engine ID; the Report carries the engine's ID. */
  async discover(): Promise<void> {
    const { message } = await this.send(encodeSecureMessage(this.message(''), undefined));
    expect(usmReportReason(message.scopedPdu!.pdu)).toBe('unknownEngineID');
    const sp = message.securityParameters;
    this.engineId = sp.engineId;
    this.times.set(sp.engineId, sp.engineBoots, sp.engineTime);
  }

  keys(name: string, level?: SecurityLevel): LocalizedKeys {
    return this.store.keysFor(name, this.engineId, level)!;
  }
}

function sysDescrOf(message: V3Message): string {
  const pdu = message.scopedPdu!.pdu;
  expect(pdu.type).toBe('Response');
  const value = pdu.varbinds[0]!.value;
  if (value.type !== 'OctetString') throw new Error(`sysDescr came back as ${value.type}`);
  return Buffer.from(value.value).toString();
}

describe('interop with a real snmpd on loopback (Net-SNMP)', () => {
  let snmpd: SnmpdInstance;
  let manager: Manager;

  beforeAll(async () => {
    snmpd = await startSnmpd({ transports: ['udp'], users: snmpdUsers });
    manager = new Manager(snmpd.port);
    await manager.bind();
    await manager.discover();
  }, 120_000);

  afterAll(async () => {
    await manager?.close();
    await snmpd?.stop();
  });

  it('noAuthNoPriv GET', async () => {
    const { message, level } = await manager.send(encodeSecureMessage(manager.message(testUserName()), undefined));
    expect(level).toBe('noAuthNoPriv');
    expect(sysDescrOf(message)).toMatch(/^Linux /);
  });

  it.each(TEST_AUTH_PROTOCOLS)('%s authNoPriv GET', async (auth) => {
    const { message, level } = await manager.send(
      encodeSecureMessage(manager.message(''), manager.keys(testUserName(auth))),
    );
    expect(level).toBe('authNoPriv');
    expect(sysDescrOf(message)).toMatch(/^Linux /);
  });

  it.each(TEST_AUTH_PROTOCOLS.flatMap((a) => TEST_PRIV_PROTOCOLS.map((p) => [a, p] as const)))(
    '%s + %s authPriv GET: snmpd decrypts our request, we decrypt its response',
    async (auth, priv) => {
      const keys = manager.keys(testUserName(auth, priv));
      const { message, level, keys: replyKeys } = await manager.send(encodeSecureMessage(manager.message(''), keys));
      expect(level).toBe('authPriv');
      expect(replyKeys?.privProtocol).toBe(snmpkitProtocolName(priv));
      expect(sysDescrOf(message)).toMatch(/^Linux /);
      // The same user at authNoPriv (its minimumLevel allows it).
      const lower = await manager.send(
        encodeSecureMessage(manager.message(''), manager.keys(testUserName(auth, priv), 'authNoPriv')),
      );
      expect(lower.level).toBe('authNoPriv');
    },
  );

  it('wrong authentication password: snmpd reports usmStatsWrongDigests', async () => {
    const impostor = new UsmKeyStore([{ ...users[1]!, authPassword: 'wrongpass123' }]);
    const keys = impostor.keysFor(users[1]!.name, manager.engineId);
    const { message, level } = await manager.send(encodeSecureMessage(manager.message(''), keys));
    expect(level).toBe('noAuthNoPriv');
    expect(usmReportReason(message.scopedPdu!.pdu)).toBe('wrongDigests');
  });

  it('wrong passwords on our side: its authentic response fails with wrongDigests / decryptionErrors', async () => {
    const name = testUserName('SHA', 'AES');
    const user = users.find((u) => u.name === name)!;
    const wrongAuth = new UsmKeyStore([{ ...user, authPassword: 'wrongpass123' }]);
    const wrongPriv = new UsmKeyStore([{ ...user, privPassword: 'wrongpriv123' }]);
    const request = encodeSecureMessage(manager.message(''), manager.keys(name));
    const failure = (store: UsmKeyStore) =>
      manager.send(request, store.resolver()).then(
        () => 'accepted',
        (error: unknown) => (error instanceof UsmError ? error.reason : String(error)),
      );
    expect(await failure(wrongAuth)).toBe('wrongDigests');
    expect(await failure(wrongPriv)).toBe('decryptionErrors');
  });

  it('unknown user: snmpd reports usmStatsUnknownUserNames', async () => {
    const stranger = new UsmKeyStore([
      { name: 'stranger', level: 'authNoPriv', authProtocol: 'sha', authPassword: TEST_AUTH_PASSWORD },
    ]);
    const { message } = await manager.send(
      encodeSecureMessage(manager.message(''), stranger.keysFor('stranger', manager.engineId)),
      stranger.resolver(),
    );
    expect(usmReportReason(message.scopedPdu!.pdu)).toBe('unknownUserName');
  });

  it('a clock 1000 s off: snmpd reports notInTimeWindow (authenticated), we resynchronise and retry once', async () => {
    const keys = manager.keys(testUserName('SHA-256', 'AES'));
    const now = manager.times.get(manager.engineId)!;
    const skewed = manager.message('', { boots: now.boots, time: now.time + 1000 });
    const report = await manager.send(encodeSecureMessage(skewed, keys));
    expect(usmReportReason(report.message.scopedPdu!.pdu)).toBe('notInTimeWindow');
    expect(report.level).toBe('authNoPriv');
    const sp = report.message.securityParameters;
    manager.times.set(sp.engineId, sp.engineBoots, sp.engineTime);
    const { message } = await manager.send(encodeSecureMessage(manager.message(''), keys));
    expect(sysDescrOf(message)).toMatch(/^Linux /);
  });

  it('snmpd answers at the level we asked and echoes the engine it is', async () => {
    const bytes = encodeSecureMessage(manager.message(''), manager.keys(testUserName('MD5', 'DES')));
    const wire = decodeMessage(bytes) as V3Message;
    expect(wire.msgFlags).toBe(0x07);
    const { message } = await manager.send(bytes);
    expect(Buffer.from(message.securityParameters.engineId).equals(Buffer.from(manager.engineId))).toBe(true);
  });
});
