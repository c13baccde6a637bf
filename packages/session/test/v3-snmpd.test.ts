import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, SnmpValue } from '@snmpkit/ber';
import {
  type NetSnmpAuthProtocol,
  type NetSnmpPrivProtocol,
  type SnmpdInstance,
  snmpkitUser,
  startSnmpd,
  TEST_AUTH_PASSWORD,
  TEST_PRIV_PASSWORD,
  testUser,
  testUserName,
  V3_TEST_USERS,
} from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GeneralError,
  RequestTimeoutError,
  ResponseError,
  Session,
  type SessionOptions,
  type UsmMessageProcessing,
  type V3User,
} from '../src/index.js';
import {
  SnmpMsg,
  SnmpSecLevel,
  SnmpVersion,
  snmpAddNullVar,
  snmpPduCreate,
  snmpSessClose,
  snmpSessOpen,
  snmpSessSynchResponse,
} from '../src/raw.js';
import { rawSessionParams } from './helpers.js';

/**
 * SNMPv3 sessions against Net-SNMP's snmpd on loopback: one agent with a user per auth protocol x privacy protocol
 * (and a noAuthNoPriv one), GET, a GETBULK walk and a SET for each; then the refusals snmpd reports.
 */

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYSTEM = '1.3.6.1.2.1.1';

/** Our users: noAuthNoPriv, and every auth protocol without privacy and with each privacy protocol. */
const users: V3User[] = V3_TEST_USERS.map(snmpkitUser);
/** The user of these protocols (Net-SNMP's names), for the tests that need one. */
const user = (auth: NetSnmpAuthProtocol, priv?: NetSnmpPrivProtocol): V3User => snmpkitUser(testUser(auth, priv));

let snmpd: SnmpdInstance;
const sessions: Session[] = [];

async function open(options: Partial<SessionOptions>): Promise<Session> {
  // 5 s per attempt: 31 sessions open at once, each deriving its keys, and none may count a retransmission; a test
  // that expects a timeout asks for a short one.
  const session = await Session.open({ peer: snmpd.endpoints.udp!, version: 3, timeout: 5000, retries: 1, ...options });
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  // Read-write for every user, noauth too (docker/snmpd's is read-only): each one SETs.
  snmpd = await startSnmpd({ transports: ['udp', 'tcp'], users: V3_TEST_USERS.map((u) => ({ ...u, access: 'rw' })) });
}, 120_000);

afterAll(async () => {
  for (const s of sessions) await s.close();
  await snmpd?.stop();
});

const text = (value: SnmpValue) => (value.type === 'OctetString' ? Buffer.from(value.value).toString() : undefined);

describe('v3 sessions against snmpd: every auth protocol x noAuthNoPriv / authNoPriv / authPriv (DES, AES-128/192/256)', () => {
  it.concurrent.each(users.map((u) => [u.name, u] as const))('%s: GET, GETBULK walk, SET', async (name, u) => {
    const session = await open({ user: u });
    const [descr] = await session.get([SYS_DESCR]);
    expect(text(descr!.value)).toMatch(/^Linux /);
    const walk = await session.walkAll(SYSTEM);
    expect(walk.length).toBeGreaterThan(5);
    expect(walk[0]!.oid).toBe(SYS_DESCR);
    expect(walk.every((vb) => vb.oid.startsWith(`${SYSTEM}.`))).toBe(true);
    // Every walk step was a GETBULK (no fallback on snmpd).
    const location = SnmpValue.octetString(`rack of ${name}`);
    expect(await session.set([{ oid: snmpd.writableOid, value: location }])).toEqual([
      { oid: snmpd.writableOid, value: location },
    ]);
    // Discovery gave the engine ID snmpd reports as snmpEngineID.0 (1.3.6.1.6.3.10.2.1.1.0).
    const [engineId] = await session.get(['1.3.6.1.6.3.10.2.1.1.0']);
    expect(engineId!.value.type).toBe('OctetString');
    expect(session.stats).toMatchObject({ retransmissions: 0, timeouts: 0, droppedUndecodable: 0 });
  });
});

describe('v3 over TCP (RFC 3430)', () => {
  it('discovery, GET and a walk over one TCP connection give what UDP gives', async () => {
    const udp = await open({ user: user('SHA-384', 'AES') });
    const tcp = await open({ peer: snmpd.endpoints.tcp!, user: user('SHA-384', 'AES') });
    expect(await tcp.get([SYS_DESCR])).toEqual(await udp.get([SYS_DESCR]));
    const [a, b] = [await tcp.walkAll('1.3.6.1.6.3.15.1.2.2.1.3'), await udp.walkAll('1.3.6.1.6.3.15.1.2.2.1.3')];
    expect(a.length).toBe(users.length); // usmUserSecurityName of every user
    expect(a).toEqual(b);
  });
});

describe('v3 refusals from snmpd', () => {
  it('a wrong authentication password: GeneralError SNMPERR_AUTHENTICATION_FAILURE (usmStatsWrongDigests), at once', async () => {
    const started = performance.now();
    // One attempt of 60 s: the Report must come long before it, however busy the machine.
    const error = await open({
      user: { ...user('SHA-256', 'AES'), authPassword: 'not-the-password' },
      timeout: 60_000,
      retries: 0,
    })
      .then((s) => s.get([SYS_DESCR]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneralError);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_AUTHENTICATION_FAILURE', number: -35 } });
    expect((error as Error).message).toMatch(/usmStatsWrongDigests|wrongDigests/);
    expect((error as Error).message).not.toMatch(/not-the-password/);
    // A Report, not a timeout: timing out would take the whole 60 s.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('an unknown user: GeneralError SNMPERR_UNKNOWN_USER_NAME', async () => {
    const session = await open({ user: { name: 'nobody', level: 'noAuthNoPriv' } });
    await expect(session.get([SYS_DESCR])).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_UNKNOWN_USER_NAME', number: -33 },
    });
    const authUser = await open({ user: { ...user('MD5', 'DES'), name: 'nobody-either' } });
    await expect(authUser.get([SYS_DESCR])).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_USER_NAME' } });
  });

  it('a level the user was not created for: GeneralError SNMPERR_UNSUPPORTED_SEC_LEVEL', async () => {
    // 'shaonly' has no privacy key at snmpd.
    const session = await open({
      user: { ...user('SHA'), level: 'authPriv', privProtocol: 'aes', privPassword: TEST_PRIV_PASSWORD },
    });
    await expect(session.get([SYS_DESCR])).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_UNSUPPORTED_SEC_LEVEL', number: -34 },
    });
  });

  it('a level below the access rule (rwuser ... priv): ResponseError authorizationError from snmpd VACM', async () => {
    const { privProtocol: _p, privPassword: _q, ...authOnly } = user('SHA', 'AES');
    const session = await open({ user: { ...authOnly, level: 'authNoPriv' } });
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ statusName: 'authorizationError', status: 16 });
  });

  it('a wrong privacy password: snmpd sends no Report (it drops the message), so the honest outcome is a timeout', async () => {
    // snmpd authenticates the message, fails to parse the decrypted garbage, counts usmStatsDecryptionErrors and
    // (Net-SNMP 5.9) answers nothing: the request fails after its retries with RequestTimeoutError.
    const session = await open({ user: { ...user('SHA', 'AES'), privPassword: 'wrong-privacy' }, timeout: 150 });
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(session.stats).toMatchObject({ timeouts: 1, responses: 1 }); // the one response: discovery's Report
  });
});

describe('v3 time synchronisation with snmpd', () => {
  it('a notion of engine time 1000 s off: the authenticated notInTimeWindow Report resynchronises, one resend', async () => {
    const session = await open({ user: user('SHA-512', 'AES-256') });
    const model = session.messageProcessing as UsmMessageProcessing;
    const engineId = model.engineId!;
    const now = model.engineTimes.get(engineId)!;
    model.engineTimes.set(engineId, now.boots, now.time + 1000);
    expect(text((await session.get([SYS_DESCR]))[0]!.value)).toMatch(/^Linux /);
    expect(session.stats).toMatchObject({ requests: 2, retransmissions: 1, responses: 2 });
    expect(Math.abs(model.engineTimes.get(engineId)!.time - now.time)).toBeLessThan(5);
  });

  it('an engine ID given beforehand (no probe): the first request learns boots and time from the Report', async () => {
    const first = await open({ user: user('MD5') });
    const engineId = bytesToHex((first.messageProcessing as UsmMessageProcessing).engineId!);
    const session = await open({ user: user('SHA', 'DES'), engineId });
    expect(session.stats.requests).toBe(0);
    expect(text((await session.get([SYS_DESCR]))[0]!.value)).toMatch(/^Linux /);
    expect(session.stats).toMatchObject({ requests: 1, retransmissions: 1, responses: 1 });
  });
});

describe('the raw facade with v3', () => {
  it('securityName, securityAuthProto/Password, securityPrivProto/Password, securityLevel', async () => {
    const t = await snmpSessOpen(
      rawSessionParams({
        version: SnmpVersion.SNMP_VERSION_3,
        retries: 1,
        timeout: 500_000,
        peername: snmpd.endpoints.udp!,
        community: '',
        securityName: testUserName('SHA-224', 'AES-192'),
        securityLevel: SnmpSecLevel.SNMP_SEC_LEVEL_AUTHPRIV,
        securityAuthProto: 'SHA-224',
        securityAuthPassword: TEST_AUTH_PASSWORD,
        securityPrivProto: 'AES-192',
        securityPrivPassword: TEST_PRIV_PASSWORD,
      }),
    );
    try {
      const [[oid, value]] = (await snmpSessSynchResponse(
        t,
        snmpAddNullVar(snmpPduCreate(SnmpMsg.SNMP_MSG_GET), SYS_DESCR),
      )) as [[string, SnmpValue]];
      expect(oid).toBe(SYS_DESCR);
      expect(text(value)).toMatch(/^Linux /);
    } finally {
      await snmpSessClose(t);
    }
  });
});

describe('snmpd restarts under a v3 session', () => {
  /** snmpd on `port` with one user and `dir` as its persistent directory (engine ID and boots live there). */
  async function runSnmpd(dir: string, port: number, extra: string[] = []): Promise<{ stop(): Promise<void> }> {
    const conf = join(dir, 'snmpd.conf');
    await writeFile(
      conf,
      [
        `agentaddress udp:127.0.0.1:${port}`,
        `createUser restart SHA-256 "${TEST_AUTH_PASSWORD}" AES "${TEST_PRIV_PASSWORD}"`,
        'rwuser restart priv',
        ...extra,
      ].join('\n'),
    );
    // Not -C, which would skip the persistent file where snmpd keeps its engine ID and boots: SNMPCONFPATH makes
    // this directory and the persistent one the only configuration paths (snmpd reads the latter only if listed).
    const child = spawn('/usr/sbin/snmpd', ['-f', '-Lf', join(dir, 'snmpd.log')], {
      stdio: 'ignore',
      env: {
        ...process.env,
        SNMPCONFPATH: `${dir}:${join(dir, 'persist')}`,
        SNMP_PERSISTENT_DIR: join(dir, 'persist'),
        MIBS: '',
        MIBDIRS: '/nonexistent',
      },
    });
    const exited = once(child, 'exit');
    return {
      // By PID: SIGTERM (snmpd then writes boots to its persistent file), SIGKILL if it is still there after 3 s.
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        process.kill(child.pid!, 'SIGTERM');
        const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      },
    };
  }

  const freeUdpPort = () =>
    new Promise<number>((resolve) => {
      const s = createSocket('udp4');
      s.bind(0, '127.0.0.1', () => {
        const p = s.address().port;
        s.close(() => resolve(p));
      });
    });

  /** A session as user `restart`; its discovery waits for the agent to come up (retries); one GET answered. */
  async function openRestartUser(port: number): Promise<{ session: Session; model: UsmMessageProcessing }> {
    const session = await open({
      peer: `udp:127.0.0.1:${port}`,
      user: { ...user('SHA-256', 'AES'), name: 'restart' },
      timeout: 300,
      retries: 10,
      backoff: 1,
    });
    expect(text((await session.get([SYS_DESCR]))[0]!.value)).toMatch(/^Linux /);
    return { session, model: session.messageProcessing as UsmMessageProcessing };
  }

  it('boots go up by one on restart: the session resynchronises from the Report and goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snmpkit-restart-'));
    const port = await freeUdpPort();
    let agent = await runSnmpd(dir, port);
    try {
      const { session, model } = await openRestartUser(port);
      const before = model.engineTimes.get(model.engineId!)!;
      await agent.stop();
      agent = await runSnmpd(dir, port);
      const retransmitted = session.stats.retransmissions;
      // The first request after the restart may go before snmpd listens: retried; then refused as notInTimeWindow.
      expect(text((await session.get([SYS_DESCR]))[0]!.value)).toMatch(/^Linux /);
      expect(model.engineTimes.get(model.engineId!)!.boots).toBe(before.boots + 1);
      expect(session.stats.retransmissions).toBeGreaterThan(retransmitted);
      expect(session.stats).toMatchObject({ timeouts: 0, resyncs: 1, rediscoveries: 0 });
    } finally {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('replaced by an snmpd with another engine ID (state lost): the session rediscovers it and goes on', async () => {
    const first = await mkdtemp(join(tmpdir(), 'snmpkit-replaced-'));
    const second = await mkdtemp(join(tmpdir(), 'snmpkit-replaced-'));
    const port = await freeUdpPort();
    // snmpd.conf's engineID: the engine ID is built from this text (Net-SNMP's enterprise, format 4: text).
    let agent = await runSnmpd(first, port, ['engineID snmpkit-first']);
    try {
      const { session, model } = await openRestartUser(port);
      const before = bytesToHex(model.engineId!);
      await agent.stop();
      agent = await runSnmpd(second, port, ['engineID snmpkit-second']);
      // The first request after the restart may go before snmpd listens: retried; then refused as unknownEngineID.
      const [vb] = await session.get(['1.3.6.1.6.3.10.2.1.1.0']);
      const after = bytesToHex(model.engineId!);
      expect(after).not.toBe(before);
      expect(Buffer.from(after, 'hex').toString('latin1')).toContain('snmpkit-second');
      // snmpEngineID.0 as the new agent gives it: the session talks to it, authenticated with keys localized to it.
      expect(vb!.value.type === 'OctetString' && bytesToHex(vb!.value.value)).toBe(after);
      expect(session.stats).toMatchObject({ rediscoveries: 1, timeouts: 0 });
    } finally {
      await agent.stop();
      await rm(first, { recursive: true, force: true });
      await rm(second, { recursive: true, force: true });
    }
  }, 120_000);
});
