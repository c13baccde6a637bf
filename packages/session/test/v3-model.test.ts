import { decodeMessage, encodeMessage, type V3Message } from '@snmpkit/ber';
import { Agent, Device, VirtualClock } from '@snmpkit/simulator';
import { snmpkitUser, testUser } from '@snmpkit/testkit';
import { decodeSecureMessage, encodeSecureMessage, UsmKeyStore, type UsmUser, usmMessage } from '@snmpkit/usm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClientTransport,
  GeneralError,
  type MessageSource,
  RequestTimeoutError,
  Session,
  UsmMessageProcessing,
  type UsmMessageProcessingOptions,
} from '../src/index.js';

/**
 * The v3 model against @snmpkit/simulator's agent over its in-memory transport, with a virtual clock for engine
 * time on both sides: discovery, reports, time window, agent restarts, hours-long sessions, msgID handling.
 * A relay between session and agent lets a test drop, hold, rewrite or inspect messages.
 */

/** One authPriv and one authNoPriv user of the test matrix (@snmpkit/testkit). */
const USER: UsmUser = snmpkitUser(testUser('SHA-256', 'AES'));
const AUTH_ONLY: UsmUser = snmpkitUser(testUser('SHA'));
const ENGINE_ID = '80001f8804736e6d706b69742d7633';
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const HOUR = 3_600_000;

/** Session ⇄ relay ⇄ agent: every message passes `toAgent`/`toSession`, which may drop (false) or act. */
class Relay implements ClientTransport {
  readonly sent: Uint8Array[] = [];
  toAgent: (bytes: Uint8Array, index: number) => boolean = () => true;
  toSession: (bytes: Uint8Array) => boolean = () => true;
  private listener: ((message: Uint8Array, source: MessageSource) => void) | undefined;
  private inner: ReturnType<Agent['connect']>;

  constructor(agent: Agent) {
    this.inner = this.#connect(agent);
  }
  #connect(agent: Agent): ReturnType<Agent['connect']> {
    const inner = agent.connect();
    inner.onMessage((bytes, source) => {
      if (this.toSession(bytes)) this.listener?.(bytes, source);
    });
    return inner;
  }
  /** From now on messages go to `agent`, at the same address: the agent was replaced. */
  replaceAgent(agent: Agent): void {
    this.inner.close();
    this.inner = this.#connect(agent);
  }
  send(message: Uint8Array): void {
    this.sent.push(message);
    if (this.toAgent(message, this.sent.length - 1)) this.inner.send(message);
  }
  onMessage(listener: (message: Uint8Array, source: MessageSource) => void): void {
    this.listener = listener;
  }
  /** Hands bytes to the session as if the agent had sent them. */
  deliver(bytes: Uint8Array): void {
    this.listener?.(bytes, { address: 'memory', port: 0 });
  }
  close(): void {
    this.inner.close();
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

function setup(options: { user?: UsmUser; agentUsers?: UsmUser[]; boots?: number } = {}) {
  const clock = new VirtualClock(1_000_000);
  const makeAgent = (engineId: string, engineBoots: number, description = 'simulated device') => {
    const made = new Agent({
      device: Device.fromSnmprec(`${SYS_DESCR}|4|${description}\n1.3.6.1.2.1.1.5.0|4:writecache|value=sim\n`),
      users: (options.agentUsers ?? [USER]).map((u) => ({ ...u, access: 'rw' as const })),
      engineId,
      engineBoots,
      clock,
    });
    cleanup.push(() => made.close());
    return made;
  };
  const agent = makeAgent(ENGINE_ID, options.boots ?? 7);
  const relay = new Relay(agent);
  /** Another agent, with its own engine ID and boots, takes the first one's place (same address, same users). */
  const replace = (engineId: string, engineBoots = 1, description = 'replacement device') => {
    const replacement = makeAgent(engineId, engineBoots, description);
    relay.replaceAgent(replacement);
    return replacement;
  };
  // 5 s per attempt: no answer of the in-memory agent is that late even on a saturated machine, so a retry happens
  // only where a test drops or holds a message (and then asks for a short timeout itself).
  const open = async (model: Partial<UsmMessageProcessingOptions> = {}, timeout = 5000, backoff = 2) => {
    const messageProcessing = new UsmMessageProcessing({
      user: options.user ?? USER,
      now: () => clock.now(),
      ...model,
    });
    const session = await Session.open({ transport: relay, messageProcessing, timeout, retries: 1, backoff });
    cleanup.push(() => session.close());
    return { session, model: messageProcessing };
  };
  return { clock, agent, relay, open, replace };
}

const v3 = (bytes: Uint8Array) => decodeMessage(bytes) as V3Message;
const descr = async (session: Session) => {
  const [vb] = await session.get([SYS_DESCR]);
  return vb!.value.type === 'OctetString' ? Buffer.from(vb!.value.value).toString() : vb!.value.type;
};

describe('users as a configuration written for Net-SNMP gives them', () => {
  it("takes Net-SNMP's protocol names and a level in any case, and works with them", async () => {
    const { open } = setup();
    const user = { ...USER, level: 'authpriv', authProtocol: 'SHA-256', privProtocol: 'aes' };
    const { session, model } = await open({ user: user as unknown as UsmUser });
    expect(model.user).toMatchObject({ level: 'authPriv', authProtocol: 'sha256', privProtocol: 'aes' });
    expect(await descr(session)).toBe('simulated device');
  });

  it('names the accepted protocols when one is unknown', () => {
    const user = { ...USER, authProtocol: 'SHA-999' } as unknown as UsmUser;
    expect(() => new UsmMessageProcessing({ user })).toThrow(/unknown authProtocol "SHA-999" \(MD5, SHA, SHA-224/);
  });
});

describe('engine discovery', () => {
  it('opens with the RFC 3414 §4 probe; the Report gives the engine ID, boots and time', async () => {
    const { relay, open, clock } = setup({ boots: 7 });
    clock.advance(42_000); // the agent has been up 42 s
    const { session, model } = await open();
    expect(relay.sent).toHaveLength(1);
    const probe = v3(relay.sent[0]!);
    expect(probe.msgFlags).toBe(0x04); // noAuthNoPriv, reportable
    expect(probe.securityParameters).toMatchObject({ userName: '', engineBoots: 0, engineTime: 0 });
    expect(probe.securityParameters.engineId).toHaveLength(0);
    expect(probe.scopedPdu!.pdu.varbinds).toEqual([]);
    expect(Buffer.from(model.engineId!).toString('hex')).toBe(ENGINE_ID);
    expect(model.engineTimes.get(model.engineId!)).toEqual({ boots: 7, time: 42 });
    // The first request goes authPriv, with the learnt engine ID, boots and time, and is answered.
    expect(await descr(session)).toBe('simulated device');
    const request = v3(relay.sent[1]!);
    expect(request.msgFlags).toBe(0x07);
    expect(request.securityParameters).toMatchObject({ userName: USER.name, engineBoots: 7, engineTime: 42 });
    expect(request.encryptedPdu).toBeDefined();
    expect(session.stats).toMatchObject({ requests: 2, retransmissions: 0, responses: 2 });
  });

  it('contextName and contextEngineId go into the scoped PDU (default: the discovered engine ID)', async () => {
    const { relay, open, agent } = setup({ user: AUTH_ONLY, agentUsers: [AUTH_ONLY] });
    const { session } = await open();
    await descr(session);
    const plain = v3(relay.sent[1]!).scopedPdu!;
    expect(Buffer.from(plain.contextEngineId).toString('hex')).toBe(ENGINE_ID);
    expect(plain.contextName).toBe('');
    const other = await open({ contextName: 'nowhere', contextEngineId: '8000000001020304' });
    const error = await other.session.get([SYS_DESCR]).catch((e: unknown) => e);
    const sent = v3(relay.sent.at(-1)!).scopedPdu!;
    expect(sent.contextName).toBe('nowhere');
    expect(Buffer.from(sent.contextEngineId).toString('hex')).toBe('8000000001020304');
    // The simulator reports snmpUnknownContexts for a context it does not serve.
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_BAD_CONTEXT' } });
    expect(agent.stats.unknownContexts).toBe(1);
  });

  it('no answer to the probe: Session.open fails with RequestTimeoutError and releases the transport', async () => {
    const { relay, open } = setup();
    relay.toAgent = () => false;
    await expect(open({}, 30)).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(relay.sent).toHaveLength(2); // the probe and its retry (retries: 1), each with its own msgID
    expect(v3(relay.sent[0]!).msgId).not.toBe(v3(relay.sent[1]!).msgId);
  });
});

describe('reports become typed errors', () => {
  it.each([
    ['an unknown user', { ...USER, name: 'mallory' }, 'SNMPERR_UNKNOWN_USER_NAME', -33, 'unknownUserName'],
    [
      'a wrong auth password',
      { ...USER, authPassword: 'wrong-auth-pw' },
      'SNMPERR_AUTHENTICATION_FAILURE',
      -35,
      'wrongDigests',
    ],
    [
      'a wrong priv password',
      { ...USER, privPassword: 'wrong-priv-pw' },
      'SNMPERR_DECRYPTION_ERR',
      -37,
      'decryptionErrors',
    ],
  ] as const)('%s', async (_what, user, name, number, counter) => {
    const { open, agent } = setup({ user });
    const { session } = await open();
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneralError);
    expect(error).toMatchObject({ code: 'ERR_SNMP_GENERAL', snmpError: { name, number } });
    expect(agent.stats.usm[counter]).toBe(1);
    expect(session.stats.timeouts).toBe(0);
  });

  it('a level the agent does not have for the user: SNMPERR_UNSUPPORTED_SEC_LEVEL', async () => {
    const authOnly: UsmUser = { name: 'bob', level: 'authNoPriv', authProtocol: 'md5', authPassword: 'authpass123' };
    const { open } = setup({
      agentUsers: [authOnly],
      user: { ...authOnly, level: 'authPriv', privProtocol: 'des', privPassword: 'privpass123' },
    });
    const { session } = await open();
    await expect(session.get([SYS_DESCR])).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_UNSUPPORTED_SEC_LEVEL', number: -34 },
    });
  });

  it('an engine ID given beforehand that is not the agent’s: SNMPERR_UNKNOWN_ENG_ID', async () => {
    const { open, relay } = setup();
    const { session } = await open({ engineId: '80001f88040102030405' });
    expect(relay.sent).toHaveLength(0); // no probe
    await expect(session.get([SYS_DESCR])).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_UNKNOWN_ENG_ID', number: -32 },
    });
    // The caller's engine ID is kept (as Net-SNMP keeps -e): no rediscovery, the same failure next time.
    expect(session.stats.rediscoveries).toBe(0);
    await expect(session.get([SYS_DESCR])).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_ENG_ID' } });
  });
});

describe('engine time', () => {
  it('a session that lives for hours: engine time advances locally, no resynchronisation needed', async () => {
    const { open, clock, agent, relay } = setup();
    const { session, model } = await open();
    expect(await descr(session)).toBe('simulated device');
    clock.advance(6 * HOUR);
    expect(await descr(session)).toBe('simulated device');
    expect(v3(relay.sent.at(-1)!).securityParameters.engineTime).toBe(6 * 3600);
    expect(session.stats.retransmissions).toBe(0);
    expect(agent.stats.usm.notInTimeWindow).toBe(0);
    expect(model.engineTimes.get(model.engineId!)!.time).toBe(6 * 3600);
  });

  it('the same with a notion that does not advance (a frozen clock) needs a resync: the local advance matters', async () => {
    const { open, clock, agent } = setup();
    const { session } = await open({ now: () => 0 });
    clock.advance(6 * HOUR);
    expect(await descr(session)).toBe('simulated device');
    expect(agent.stats.usm.notInTimeWindow).toBe(1);
    expect(session.stats.retransmissions).toBe(1);
  });

  it('the agent restarts (boots + 1, time from 0): notInTimeWindow Report, resync, the request is resent once', async () => {
    const { open, clock, agent, relay } = setup({ boots: 7 });
    const { session, model } = await open();
    clock.advance(HOUR);
    await descr(session);
    agent.restart();
    clock.advance(5_000);
    const before = relay.sent.length;
    expect(await descr(session)).toBe('simulated device');
    expect(agent.stats.usm.notInTimeWindow).toBe(1);
    expect(session.stats.retransmissions).toBe(1);
    expect(session.stats).toMatchObject({ resyncs: 1, rediscoveries: 0 });
    expect(model.engineTimes.get(model.engineId!)).toEqual({ boots: 8, time: 5 });
    // Two messages for that request: the one refused (boots 7) and the resend (boots 8), with different msgIDs.
    const [refused, resent] = relay.sent.slice(before).map(v3);
    expect(refused!.securityParameters.engineBoots).toBe(7);
    expect(resent!.securityParameters).toMatchObject({ engineBoots: 8, engineTime: 5 });
    expect(refused!.msgId).not.toBe(resent!.msgId);
    // Later requests go with the new boots at once.
    await descr(session);
    expect(session.stats.retransmissions).toBe(1);
  });

  it('an agent whose boots went down (lost its persistent state) is followed too', async () => {
    const { open, agent } = setup({ boots: 7 });
    const { session, model } = await open();
    await descr(session);
    agent.jumpEngineClock({ boots: -5 });
    expect(await descr(session)).toBe('simulated device');
    expect(model.engineTimes.get(model.engineId!)!.boots).toBe(2);
  });

  it('resynchronises once per request: a second notInTimeWindow fails with SNMPERR_NOT_IN_TIME_WINDOW', async () => {
    const { open, agent, relay } = setup();
    const { session } = await open();
    await descr(session);
    const first = relay.sent.length;
    // Every message of this request reaches an agent whose boots have just moved on.
    relay.toAgent = (_bytes, index) => {
      if (index >= first) agent.jumpEngineClock({ boots: 1 });
      return true;
    };
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_NOT_IN_TIME_WINDOW', number: -36 } });
    expect(relay.sent.length - first).toBe(2);
  });
});

describe('the agent’s engine ID changes under a long-lived session (agent replaced, state lost)', () => {
  const NEW_ENGINE_ID = '80001f8804736e6d706b69742d4e4557';
  const NO_AUTH: UsmUser = { name: 'anon', level: 'noAuthNoPriv' };

  it.each([
    ['authPriv', USER],
    ['authNoPriv', AUTH_ONLY],
    ['noAuthNoPriv', NO_AUTH],
  ] as const)(
    '%s: rediscovers from the unknownEngineID Report and resends once; counted in stats',
    async (_level, user) => {
      const { open, relay, replace, clock } = setup({ user, agentUsers: [user] });
      const { session, model } = await open();
      expect(await descr(session)).toBe('simulated device');
      clock.advance(HOUR);
      const replacement = replace(NEW_ENGINE_ID, 3);
      clock.advance(5_000);
      const before = relay.sent.length;
      expect(await descr(session)).toBe('replacement device');
      expect(session.stats).toMatchObject({ rediscoveries: 1, resyncs: 0, retransmissions: 1, timeouts: 0 });
      expect(replacement.stats.usm.unknownEngineID).toBe(1);
      expect(Buffer.from(model.engineId!).toString('hex')).toBe(NEW_ENGINE_ID);
      // The refused message went to the old engine; the resend to the new one, with its boots and time, a new msgID.
      const [refused, resent] = relay.sent.slice(before).map(v3);
      expect(Buffer.from(refused!.securityParameters.engineId).toString('hex')).toBe(ENGINE_ID);
      expect(Buffer.from(resent!.securityParameters.engineId).toString('hex')).toBe(NEW_ENGINE_ID);
      expect(resent!.securityParameters).toMatchObject({ engineBoots: 3, engineTime: 5 });
      expect(refused!.msgId).not.toBe(resent!.msgId);
      // Later requests go to the new engine at once.
      expect(await descr(session)).toBe('replacement device');
      expect(session.stats).toMatchObject({ rediscoveries: 1, retransmissions: 1 });
      expect(replacement.stats.usm.unknownEngineID).toBe(1);
    },
  );

  it('requests in flight when the agent changed: each is resent, the rediscovery counted once', async () => {
    const { open, replace } = setup();
    const { session } = await open();
    await descr(session);
    replace(NEW_ENGINE_ID);
    const results = await Promise.all([descr(session), descr(session), descr(session)]);
    expect(results).toEqual(['replacement device', 'replacement device', 'replacement device']);
    expect(session.stats).toMatchObject({ rediscoveries: 1, retransmissions: 3, timeouts: 0 });
  });

  it('once per request: an engine that changes again during the resend fails it with SNMPERR_UNKNOWN_ENG_ID', async () => {
    const { open, relay, replace } = setup();
    const { session } = await open();
    await descr(session);
    const first = relay.sent.length;
    // Each message of this request finds yet another agent, with yet another engine ID.
    let generation = 0;
    relay.toAgent = (_bytes, index) => {
      if (index >= first) replace(`80001f88040a0b0c0d${(++generation).toString(16).padStart(2, '0')}`);
      return true;
    };
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_ENG_ID', number: -32 } });
    expect(relay.sent.length - first).toBe(2);
    expect(session.stats.rediscoveries).toBe(1);
  });

  it('a Report naming the very engine the request was sent to is not followed (no loop): the request fails', async () => {
    const { open, relay, agent } = setup();
    const { session } = await open();
    await descr(session);
    // Rewrite the agent's answers into unknownEngineID Reports from the session's own engine ID.
    relay.toSession = (bytes) => {
      const m = v3(bytes);
      const sp = m.securityParameters;
      const report = usmMessage({
        msgId: m.msgId,
        reportable: false,
        engineId: sp.engineId,
        engineBoots: sp.engineBoots,
        engineTime: sp.engineTime,
        userName: '',
        pdu: {
          type: 'Report',
          requestId: 0,
          errorStatus: 0,
          errorIndex: 0,
          varbinds: [{ oid: '1.3.6.1.6.3.15.1.1.4.0', value: { type: 'Counter32', value: 1 } }],
        },
      });
      relay.deliver(encodeMessage(report));
      return false;
    };
    const error = await session.get([SYS_DESCR]).catch((e: unknown) => e);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_UNKNOWN_ENG_ID' } });
    expect(session.stats.rediscoveries).toBe(0);
    expect(agent.stats.answered).toBeGreaterThan(0);
  });
});

describe('bytes after the end of a message', () => {
  it('an authenticated, encrypted response with padding after it is taken (the MAC covers the message) and counted', async () => {
    const { open, relay } = setup();
    const { session } = await open();
    await descr(session);
    relay.toSession = (bytes) => {
      relay.deliver(Uint8Array.from([...bytes, 0, 0, 0]));
      return false;
    };
    expect(await descr(session)).toBe('simulated device');
    // Three responses: the discovery Report, the first GET's, the padded one.
    expect(session.stats).toMatchObject({ trailingBytes: 1, responses: 3, droppedUndecodable: 0 });
  });
});

describe('msgIDs and security levels', () => {
  it('a retry is a new message (new msgID, same request-id); a late reply to the first attempt is accepted', async () => {
    const { open, relay, agent } = setup({ user: AUTH_ONLY, agentUsers: [AUTH_ONLY] });
    // The retry waits 50 s (backoff 1000): the held reply is delivered long before that on a machine of any speed.
    const { session } = await open({}, 50, 1000);
    // Counted from here: with 50 ms the discovery probe at open may itself have been retried (the agent derives the
    // user's keys first), and the Report to that retry is let in before counting.
    await agent.settled();
    const first = relay.sent.length;
    const before = { ...session.stats };
    let held: Uint8Array | undefined;
    relay.toSession = (bytes) => {
      if (held === undefined && v3(bytes).msgId === v3(relay.sent[first]!).msgId) {
        held = bytes;
        return false;
      }
      return true;
    };
    relay.toAgent = (_bytes, index) => index !== first + 1; // the retry is lost
    const result = session.get([SYS_DESCR]);
    await new Promise((r) => setTimeout(r, 70));
    const [a, b] = [v3(relay.sent[first]!), v3(relay.sent[first + 1]!)];
    expect(a.msgId).not.toBe(b.msgId);
    expect(a.scopedPdu!.pdu).toEqual(b.scopedPdu!.pdu); // same request-id and varbinds
    relay.deliver(held!);
    expect((await result)[0]!.oid).toBe(SYS_DESCR);
    relay.deliver(held!); // again: the request is over, its msgIDs forgotten
    const { retransmissions, responses, droppedUnknownId } = session.stats;
    expect({
      retransmissions: retransmissions - before.retransmissions,
      responses: responses - before.responses,
      droppedUnknownId: droppedUnknownId - before.droppedUnknownId,
    }).toEqual({ retransmissions: 1, responses: 1, droppedUnknownId: 1 });
  });

  it('a reply after the request timed out is counted as late, not as an unknown request-id', async () => {
    const { open, relay } = setup({ user: AUTH_ONLY, agentUsers: [AUTH_ONLY] });
    const { session } = await open({}, 30);
    const held: Uint8Array[] = [];
    relay.toSession = (bytes) => {
      held.push(bytes);
      return false;
    };
    await expect(session.get([SYS_DESCR])).rejects.toBeInstanceOf(RequestTimeoutError);
    // The answers to both attempts, held until the request is over. (On a busy machine the discovery probe may have
    // been retried at open, and the Report to its retry arrives here too: only Responses count.)
    const responses = held.filter((bytes) => v3(bytes).scopedPdu?.pdu.type === 'Response');
    expect(responses).toHaveLength(2);
    for (const bytes of responses) relay.deliver(bytes);
    expect(session.stats).toMatchObject({ droppedLate: 2, droppedUnknownId: 0 });
  });

  it('a response at a lower level than the request is dropped; a response with another request-id too', async () => {
    const { open, relay } = setup();
    const { session } = await open();
    const keys = new UsmKeyStore([USER]);
    const forged: Uint8Array[] = [];
    relay.toSession = (bytes) => {
      const { message, keys: k } = decodeSecureMessage(bytes, keys.resolver());
      // The same response sent noAuthNoPriv, and authPriv with a wrong request-id: neither may be taken.
      forged.push(encodeSecureMessage(message, k!.withLevel('noAuthNoPriv')));
      const pdu = message.scopedPdu!.pdu;
      const wrongId = { ...message, scopedPdu: { ...message.scopedPdu!, pdu: { ...pdu, requestId: 1 } } };
      forged.push(encodeSecureMessage(wrongId as V3Message, k!));
      for (const f of forged.splice(0)) relay.deliver(f);
      return true;
    };
    expect(await descr(session)).toBe('simulated device');
    expect(session.stats.droppedUnexpected).toBe(2);
    expect(session.stats.responses).toBe(2);
  });
});
