/**
 * SNMPv3 notifications, both ways against Net-SNMP: snmptrap -v3 / snmpinform -v3 → NotificationReceiver, and
 * Session.trap/inform on v3 → snmptrapd (started here on a free loopback port, stopped by PID).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnmpValue } from '@snmpkit/ber';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Notification,
  NotificationReceiver,
  type NotificationSecurityFailure,
  type NotificationUser,
  Session,
  SNMP_TRAP_OID_0,
  SYS_UP_TIME_0,
  UsmMessageProcessing,
} from '../src/index.js';
import { cleanupAfterEach } from './helpers.js';
import { collectingReceiver, NOTIFICATION, SYS_NAME, sendWithNetSnmp, sysNameTrapArgs } from './receiver-harness.js';

const cleanup = cleanupAfterEach();

/** The sender's engine ID for traps (snmptrap -e; our Session's engineId). */
const SENDER_ENGINE = '8000000001020304';
/** The receiver's own engine ID (informs' authoritative engine). */
const RECEIVER_ENGINE = '80001f8803aabbccddeeff';

const AUTH = { name: 'authuser', level: 'authNoPriv', authProtocol: 'sha', authPassword: 'authpass123' } as const;
const PRIV = {
  name: 'privuser',
  level: 'authPriv',
  authProtocol: 'sha256',
  authPassword: 'authpass456',
  privProtocol: 'aes',
  privPassword: 'privpass456',
} as const;
const DES = {
  name: 'desuser',
  level: 'authPriv',
  authProtocol: 'md5',
  authPassword: 'md5pass789',
  privProtocol: 'des',
  privPassword: 'despass789',
} as const;

/** Net-SNMP's -u -l -a -A -x -X for a user. */
function netSnmpUser(user: NotificationUser): string[] {
  const args = ['-u', user.name, '-l', user.level];
  if (user.authProtocol) args.push('-a', user.authProtocol.toUpperCase(), '-A', user.authPassword!);
  if (user.privProtocol) args.push('-x', user.privProtocol.toUpperCase(), '-X', user.privPassword!);
  return args;
}

function receiver(users: NotificationUser[]) {
  return collectingReceiver({ listen: ['udp:127.0.0.1:0'], users, engineId: RECEIVER_ENGINE }, cleanup);
}

describe('NotificationReceiver: v3 from Net-SNMP snmptrap and snmpinform', () => {
  it('receives snmptrap -v3 traps (authNoPriv SHA, authPriv SHA-256/AES, MD5/DES) from the sender engine', async () => {
    const users = [AUTH, PRIV, DES].map((u) => ({ ...u, engineId: SENDER_ENGINE }));
    const { r, next } = await receiver(users);
    for (const [i, user] of users.entries()) {
      await sendWithNetSnmp('snmptrap', [
        '-v3',
        ...netSnmpUser(user),
        '-e',
        `0x${SENDER_ENGINE}`,
        r.endpoints[0]!.endpoint,
        ...sysNameTrapArgs('4242', `from ${user.name}`),
      ]);
      const got = (await next(i + 1))[i]!;
      expect(got).toMatchObject({
        version: 3,
        trapOid: NOTIFICATION,
        security: { userName: user.name, level: user.level, engineId: SENDER_ENGINE, contextName: '' },
      });
      expect(got.pdu.type).toBe('TrapV2');
      expect(got.pdu.varbinds).toEqual([
        { oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(4242) },
        { oid: SNMP_TRAP_OID_0, value: SnmpValue.objectIdentifier(NOTIFICATION) },
        { oid: SYS_NAME, value: SnmpValue.octetString(`from ${user.name}`) },
      ]);
      expect(got.varbinds).toBe(got.pdu.varbinds);
    }
    expect(r.stats).toMatchObject({ received: 3, acknowledged: 0, droppedSecurity: {} });
  });

  it('answers snmpinform -v3 discovery and acknowledges its informs (authNoPriv, authPriv)', async () => {
    const { r, next } = await receiver([AUTH, PRIV]);
    expect(Buffer.from(r.engineId!).toString('hex')).toBe(RECEIVER_ENGINE);
    for (const [i, user] of [AUTH, PRIV].entries()) {
      await sendWithNetSnmp('snmpinform', [
        '-v3',
        ...netSnmpUser(user),
        '-t',
        '2',
        '-r',
        '0',
        r.endpoints[0]!.endpoint,
        ...sysNameTrapArgs('', `inform ${i}`),
      ]);
      const got = (await next(i + 1))[i]!;
      expect(got.pdu.type).toBe('InformRequest');
      expect(got.security).toMatchObject({ userName: user.name, level: user.level, engineId: RECEIVER_ENGINE });
      expect(got.pdu.varbinds[2]).toEqual({ oid: SYS_NAME, value: SnmpValue.octetString(`inform ${i}`) });
    }
    // Each snmpinform discovered the engine first: an unknownEngineID report each.
    expect(r.stats).toMatchObject({
      received: 2,
      acknowledged: 2,
      reports: 2,
      droppedSecurity: { unknownEngineID: 2 },
    });
  });

  it('informs given the engine ID (-e) are resynchronised by an authenticated notInTimeWindow Report', async () => {
    const { r, next } = await receiver([PRIV]);
    await sendWithNetSnmp('snmpinform', [
      '-v3',
      ...netSnmpUser(PRIV),
      '-e',
      `0x${RECEIVER_ENGINE}`,
      '-t',
      '2',
      '-r',
      '1',
      r.endpoints[0]!.endpoint,
      '',
      NOTIFICATION,
    ]);
    const s = await Session.open({
      peer: r.endpoints[0]!.endpoint,
      version: 3,
      user: PRIV,
      engineId: RECEIVER_ENGINE,
      timeout: 2000,
      retries: 1,
    });
    cleanup.push(() => s.close());
    await s.inform(NOTIFICATION, [], { uptime: 3 });
    await next(2);
    // No discovery: each sender learnt the engine's boots and time from the Report and sent again.
    expect(r.stats).toMatchObject({
      received: 2,
      acknowledged: 2,
      reports: 2,
      droppedSecurity: { notInTimeWindow: 2 },
    });
  });

  it('drops traps of unknown users or engines, wrong passwords and garbage, counts them, and goes on', async () => {
    const { r, next } = await receiver([{ ...AUTH, engineId: SENDER_ENGINE }]);
    const endpoint = r.endpoints[0]!.endpoint;
    const send = (extra: string[]) =>
      runNetSnmp('snmptrap', ['-v3', ...extra, endpoint, '1', NOTIFICATION]).then((t) => expect(t.exitCode).toBe(0));
    // Another engine, another user, a wrong password.
    await send([...netSnmpUser(AUTH), '-e', '0x8000000009090909']);
    await send([...netSnmpUser({ ...AUTH, name: 'nobody' }), '-e', `0x${SENDER_ENGINE}`]);
    await send([...netSnmpUser({ ...AUTH, authPassword: 'wrongpass1' }), '-e', `0x${SENDER_ENGINE}`]);
    const raw = dgram.createSocket('udp4');
    // A v3 header and then nothing sensible: undecodable.
    for (const bytes of [Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x03), Uint8Array.of(0x30, 0x80, 1, 2)]) {
      await new Promise<void>((resolve) => raw.send(bytes, r.endpoints[0]!.port, '127.0.0.1', () => resolve()));
    }
    raw.close();
    // The receiver still works: a good trap after all that arrives.
    await send([...netSnmpUser(AUTH), '-e', `0x${SENDER_ENGINE}`]);
    const [got] = await next(1);
    expect(got!.security?.userName).toBe(AUTH.name);
    expect(r.stats).toMatchObject({
      received: 1,
      reports: 0,
      droppedUndecodable: 2,
      droppedSecurity: { unknownUserName: 2, wrongDigests: 1 },
    });
  });

  it('onSecurityFailure hears of each refused message: reason, claimed user, engine, source; no secret', async () => {
    const failures: NotificationSecurityFailure[] = [];
    const { r, next } = await collectingReceiver(
      {
        listen: ['udp:127.0.0.1:0'],
        users: [{ ...PRIV, engineId: SENDER_ENGINE }],
        onSecurityFailure: (failure) => {
          failures.push(failure);
          // A hook that throws is dropped: the receiver goes on (the good trap below still arrives).
          throw new Error('hook failed');
        },
      },
      cleanup,
    );
    const endpoint = r.endpoints[0]!.endpoint;
    const send = (user: NotificationUser) =>
      runNetSnmp('snmptrap', ['-v3', ...netSnmpUser(user), '-e', `0x${SENDER_ENGINE}`, endpoint, '1', NOTIFICATION]);
    await send({ ...PRIV, authPassword: 'wrong-auth-pw' });
    await send({ ...PRIV, privPassword: 'wrong-priv-pw' });
    await send({ ...PRIV, name: 'nobody' });
    await send(PRIV);
    await next(1);
    expect(failures.map((f) => [f.reason, f.userName, f.engineId, f.source.address, f.endpoint])).toEqual([
      ['wrongDigests', 'privuser', SENDER_ENGINE, '127.0.0.1', endpoint],
      ['decryptionErrors', 'privuser', SENDER_ENGINE, '127.0.0.1', endpoint],
      ['unknownUserName', 'nobody', SENDER_ENGINE, '127.0.0.1', endpoint],
    ]);
    const printed = JSON.stringify(failures);
    for (const secret of [PRIV.authPassword, PRIV.privPassword, 'wrong-auth-pw', 'wrong-priv-pw']) {
      expect(printed).not.toContain(secret);
    }
    expect(r.stats.droppedSecurity).toEqual({ wrongDigests: 1, decryptionErrors: 1, unknownUserName: 1 });
  });

  it('survives 400 mutated and truncated v3 traps and informs: each dropped and counted, or received', async () => {
    const { r, received } = await receiver([{ ...PRIV, engineId: SENDER_ENGINE }, PRIV]);
    const model = new UsmMessageProcessing({ user: PRIV, engineId: SENDER_ENGINE });
    const trap = model.encodeRequest(
      {
        type: 'TrapV2',
        requestId: 7,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid: SYS_NAME, value: SnmpValue.octetString('fuzz') }],
      },
      0,
    );
    const informer = new UsmMessageProcessing({ user: PRIV, engineId: RECEIVER_ENGINE });
    // The receiver's engine: boots 1, time 0 at listen (as if discovered), so that the inform is in its time window.
    informer.engineTimes.set(r.engineId!, 1, 0);
    const inform = informer.encodeRequest(
      { type: 'InformRequest', requestId: 8, errorStatus: 0, errorIndex: 0, varbinds: [] },
      0,
    );
    // A deterministic generator: a failure is reproducible.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const raw = dgram.createSocket('udp4');
    cleanup.push(() => new Promise<void>((resolve) => raw.close(() => resolve())));
    raw.on('message', () => {}); // Reports and acknowledgements to the mutated informs
    await new Promise<void>((resolve) => raw.bind(0, '127.0.0.1', resolve));
    const s = r.stats;
    const accounted = () =>
      s.received +
      s.droppedUndecodable +
      s.droppedUnexpected +
      s.droppedLevel +
      Object.values(s.droppedSecurity).reduce((a, b) => a + b, 0);
    const send = async (bytes: Uint8Array, total: number) => {
      await new Promise<void>((resolve) => raw.send(bytes, r.endpoints[0]!.port, '127.0.0.1', () => resolve()));
      // One at a time, so that the socket's buffer never overflows: every datagram must be accounted for.
      const deadline = Date.now() + 2000;
      while (accounted() < total && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    };
    for (let i = 0; i < 400; i++) {
      const original = i % 2 === 0 ? trap : inform;
      let bytes = Uint8Array.from(original);
      if (i % 5 === 4) bytes = bytes.subarray(0, random(bytes.length));
      else for (let k = 0, n = 1 + random(3); k < n; k++) bytes[random(bytes.length)] = random(256);
      await send(bytes, i + 1);
    }
    // Then the originals: still received, so the receiver lived through it all. (The inform under a new request-id:
    // an unharmed copy among the mutations may have been received already, making request-id 8 a retransmission.)
    const before = received.length;
    await send(trap, 401);
    const nextInform = informer.encodeRequest(
      { type: 'InformRequest', requestId: 9, errorStatus: 0, errorIndex: 0, varbinds: [] },
      0,
    );
    await send(nextInform, 402);
    expect(received.length).toBe(before + 2);
    expect(accounted()).toBe(402);
    // Most mutations break the MAC or the encoding; what got through came at the user's level or was refused.
    expect(s.droppedUndecodable + s.droppedSecurity.wrongDigests!).toBeGreaterThan(250);
    for (const n of received) expect(n.security?.level).toBe('authPriv');
  });

  it("drops a user's notifications below the level it was declared with (snmptrapd's authUser level)", async () => {
    const { r, next } = await receiver([{ ...PRIV, engineId: SENDER_ENGINE }]);
    for (const level of ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const) {
      await sendWithNetSnmp('snmptrap', [
        '-v3',
        ...netSnmpUser({ ...PRIV, level }).filter((_, i) => level !== 'noAuthNoPriv' || i < 4),
        '-e',
        `0x${SENDER_ENGINE}`,
        r.endpoints[0]!.endpoint,
        ...sysNameTrapArgs('1', level),
      ]);
    }
    const [got] = await next(1);
    expect(got!.pdu.varbinds[2]!.value).toEqual(SnmpValue.octetString('authPriv'));
    expect(r.stats).toMatchObject({ received: 1, droppedLevel: 2 });
  });

  it('a receiver without users drops v3 messages as unexpected', async () => {
    const r = await NotificationReceiver.listen({ listen: 'udp:127.0.0.1:0', onNotification: () => {} });
    cleanup.push(() => r.close());
    await sendWithNetSnmp('snmptrap', [
      '-v3',
      ...netSnmpUser(AUTH),
      '-e',
      `0x${SENDER_ENGINE}`,
      r.endpoints[0]!.endpoint,
      '1',
      NOTIFICATION,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.stats).toMatchObject({ received: 0, droppedUnexpected: 1 });
  });
});

describe('Session v3 notifications', () => {
  it('trap() and inform() reach our own receiver; the trap comes from the session engine', async () => {
    const { r, next } = await receiver([{ ...PRIV, engineId: SENDER_ENGINE }, PRIV]);
    const trapper = await Session.open({
      peer: r.endpoints[0]!.endpoint,
      version: 3,
      user: PRIV,
      engineId: SENDER_ENGINE,
    });
    cleanup.push(() => trapper.close());
    await trapper.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString('v3 trap') }], { uptime: 5 });
    const [trap] = await next(1);
    expect(trap!.security).toMatchObject({ engineId: SENDER_ENGINE, level: 'authPriv' });
    expect(trap!.pdu.varbinds[2]).toEqual({ oid: SYS_NAME, value: SnmpValue.octetString('v3 trap') });
    // Without engineId the session discovers the receiver's engine, which informs are sent to.
    const informer = await Session.open({
      peer: r.endpoints[0]!.endpoint,
      version: 3,
      user: PRIV,
      timeout: 2000,
      retries: 1,
    });
    cleanup.push(() => informer.close());
    const acked = await informer.inform(NOTIFICATION, [], { uptime: 6 });
    expect(acked[0]).toEqual({ oid: SYS_UP_TIME_0, value: SnmpValue.timeTicks(6) });
    const [, inform] = await next(2);
    expect(inform!.security).toMatchObject({ engineId: RECEIVER_ENGINE, level: 'authPriv' });
    expect(r.stats).toMatchObject({ received: 2, acknowledged: 1 });
  });
});

describe('v3 over TCP', () => {
  it('a v3 trap and a v3 inform (with discovery) over a TCP endpoint', async () => {
    const received: Notification[] = [];
    const r = await NotificationReceiver.listen({
      listen: 'tcp:127.0.0.1:0',
      users: [{ ...AUTH, engineId: SENDER_ENGINE }, AUTH],
      onNotification: (n) => received.push(n),
    });
    cleanup.push(() => r.close());
    const peer = r.endpoints[0]!.endpoint;
    const trapper = await Session.open({ peer, version: 3, user: AUTH, engineId: SENDER_ENGINE });
    cleanup.push(() => trapper.close());
    await trapper.trap(NOTIFICATION, [], { uptime: 1 });
    const informer = await Session.open({ peer, version: 3, user: AUTH, timeout: 2000, retries: 1 });
    cleanup.push(() => informer.close());
    await informer.inform(NOTIFICATION, [], { uptime: 2 });
    expect(received.map((n) => [n.pdu.type, n.security?.engineId])).toEqual([
      ['TrapV2', SENDER_ENGINE],
      ['InformRequest', Buffer.from(r.engineId!).toString('hex')],
    ]);
  });
});

describe('Session v3 traps and the receiver time window', () => {
  it('follows the sender engine time: later times pass, a time more than 150 s back is refused', async () => {
    const { r, next } = await receiver([{ ...AUTH, engineId: SENDER_ENGINE }]);
    const send = async (engineTime: number | undefined, marker: string) => {
      const s = await Session.open({
        peer: r.endpoints[0]!.endpoint,
        version: 3,
        user: AUTH,
        engineId: SENDER_ENGINE,
        ...(engineTime === undefined ? {} : { engineTime }),
      });
      cleanup.push(() => s.close());
      await s.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString(marker) }]);
    };
    await send(100, 'at 100');
    // The default is the host's uptime: later than 100 s on any machine that runs these tests.
    await send(undefined, 'at uptime');
    await send(0, 'at 0');
    await send(undefined, 'at uptime again');
    const got = await next(3);
    expect(got.map((n) => n.pdu.varbinds[2]!.value)).toEqual(
      ['at 100', 'at uptime', 'at uptime again'].map((m) => SnmpValue.octetString(m)),
    );
    expect(r.stats).toMatchObject({ received: 3, droppedSecurity: { notInTimeWindow: 1 }, reports: 0 });
  });
});

describe('Session v3 notifications to Net-SNMP snmptrapd', () => {
  let dir: string;
  let snmptrapd: ChildProcess;
  let port: number;
  let log = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'snmpkit-v3trapd-'));
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    port = socket.address().port;
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    const createUser = (u: NotificationUser, engine?: string) =>
      [
        'createUser',
        ...(engine ? ['-e', `0x${engine}`] : []),
        u.name,
        u.authProtocol!.toUpperCase(),
        u.authPassword,
        ...(u.privProtocol ? [u.privProtocol.toUpperCase(), u.privPassword] : []),
      ].join(' ');
    await writeFile(
      join(dir, 'snmptrapd.conf'),
      [
        createUser(AUTH, SENDER_ENGINE),
        createUser(PRIV, SENDER_ENGINE),
        createUser(DES, SENDER_ENGINE),
        createUser(PRIV),
        `oldEngineID 0x${RECEIVER_ENGINE}`,
        `authUser log,execute ${AUTH.name} auth`,
        `authUser log,execute ${PRIV.name} priv`,
        `authUser log,execute ${DES.name} priv`,
        '',
      ].join('\n'),
    );
    snmptrapd = spawn(
      '/usr/sbin/snmptrapd',
      ['-f', '-Lo', '-C', '-c', join(dir, 'snmptrapd.conf'), `udp:127.0.0.1:${port}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, MIBS: '', MIBDIRS: '/nonexistent', SNMP_PERSISTENT_DIR: dir },
      },
    );
    snmptrapd.stdout!.on('data', (b: Buffer) => {
      log += b.toString();
    });
    snmptrapd.stderr!.on('data', (b: Buffer) => {
      log += b.toString();
    });
    const deadline = Date.now() + 5000;
    while (!log.includes('NET-SNMP version')) {
      if (Date.now() > deadline) throw new Error(`snmptrapd did not start:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  });

  afterAll(async () => {
    if (snmptrapd?.pid !== undefined && snmptrapd.exitCode === null) {
      const exited = new Promise((resolve) => snmptrapd.once('exit', resolve));
      process.kill(snmptrapd.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(snmptrapd.pid!, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function logged(marker: string): Promise<string> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const line = log.split('\n').find((l) => l.includes(marker));
      if (line) return line;
      if (Date.now() > deadline) throw new Error(`snmptrapd did not log ${marker}:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it.each([AUTH, PRIV, DES])('trap() as $name ($level) is logged with its varbinds', async (user) => {
    const s = await Session.open({ peer: `127.0.0.1:${port}`, version: 3, user, engineId: SENDER_ENGINE });
    cleanup.push(() => s.close());
    const marker = `trap-from-${user.name}`;
    await s.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString(marker) }], { uptime: 1234 });
    const line = await logged(marker);
    expect(line).toContain('iso.3.6.1.2.1.1.3.0 = Timeticks: (1234) 0:00:12.34');
    expect(line).toContain(`iso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.4.1.8072.2.3.0.1`);
    expect(line).toContain(`iso.3.6.1.2.1.1.5.0 = STRING: "${marker}"`);
  });

  it('inform() discovers snmptrapd engine and is acknowledged', async () => {
    const s = await Session.open({ peer: `127.0.0.1:${port}`, version: 3, user: PRIV, timeout: 2000, retries: 1 });
    cleanup.push(() => s.close());
    const engineId = (s.messageProcessing as { engineId?: Uint8Array }).engineId;
    expect(Buffer.from(engineId!).toString('hex')).toBe(RECEIVER_ENGINE);
    const marker = 'inform-from-privuser';
    const acked = await s.inform(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString(marker) }], {
      uptime: 99,
    });
    expect(acked[2]).toEqual({ oid: SYS_NAME, value: SnmpValue.octetString(marker) });
    expect(await logged(marker)).toContain('Timeticks: (99)');
  });

  it('a trap with a wrong password is not logged', async () => {
    const s = await Session.open({
      peer: `127.0.0.1:${port}`,
      version: 3,
      user: { ...AUTH, authPassword: 'not-the-password' },
      engineId: SENDER_ENGINE,
    });
    cleanup.push(() => s.close());
    await s.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString('wrong-password-trap') }]);
    // A good one after it: once it is logged, the bad one had its chance.
    const good = await Session.open({ peer: `127.0.0.1:${port}`, version: 3, user: AUTH, engineId: SENDER_ENGINE });
    cleanup.push(() => good.close());
    await good.trap(NOTIFICATION, [{ oid: SYS_NAME, value: SnmpValue.octetString('after-wrong-password') }]);
    await logged('after-wrong-password');
    expect(log).toContain(`Authentication failed for ${AUTH.name}`);
    expect(log).not.toContain('wrong-password-trap');
  });
});
