import { decodeMessage, encodeMessage, type Pdu, type SnmpMessage } from '@snmpkit/ber';
import { snmpkitUser, testUser } from '@snmpkit/testkit';
import { decodeSecureMessage, UsmAuthoritativeEngine, UsmKeyStore, type UsmUser } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  Device,
  NotificationOriginator,
  type NotificationSink,
  parseSink,
  parseSinks,
  SinkConfigError,
  TRAP_OIDS,
  VirtualClock,
} from '../src/index.js';
import { memorySink, show } from './helpers.js';

const USER: UsmUser = snmpkitUser(testUser('SHA-256', 'AES'));
const AGENT_ENGINE = Uint8Array.from([0x80, 0, 0x1f, 0x88, 4, 0x61, 0x67, 0x74]);
const RECEIVER_ENGINE = Uint8Array.from([0x80, 0, 0x1f, 0x88, 4, 0x72, 0x63, 0x76]);

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(sinks: (NotificationSink | string)[], respond?: (bytes: Uint8Array) => Uint8Array | undefined) {
  const clock = new VirtualClock();
  const device = Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|dev\n1.3.6.1.2.1.11.30.0|2|1\n');
  device.setWritable('1.3.6.1.2.1.11.30.0');
  const agent = new Agent({
    device,
    clock,
    engineId: AGENT_ENGINE,
    engineBoots: 4,
    communities: [{ name: 'private', access: 'rw' }],
  });
  const sink = memorySink(respond);
  const originator = NotificationOriginator.forAgent(agent, sinks, {
    agentAddress: '127.1.0.7',
    openTransport: sink.open,
  });
  return { clock, agent, device, sink, originator };
}

function v1v2(bytes: Uint8Array): SnmpMessage & { version: 0 | 1 } {
  const m = decodeMessage(bytes);
  if (m.version === 3) throw new Error('v3');
  return m;
}

describe('parseSink: snmpd sink lines', () => {
  it('reads trapsink, trap2sink, informsink (HOST [COMMUNITY [PORT]])', () => {
    expect(parseSink('trapsink 127.0.0.1')).toEqual({ target: '127.0.0.1', version: '1', community: 'public' });
    expect(parseSink('trap2sink udp:127.0.0.1 traps 1162')).toEqual({
      target: 'udp:127.0.0.1:1162',
      version: '2c',
      community: 'traps',
    });
    expect(parseSink('informsink localhost:1162 inf')).toEqual({
      target: 'localhost:1162',
      version: '2c',
      inform: true,
      community: 'inf',
    });
  });

  it('reads trapsess with v3 users, -Ci, -r and -t', () => {
    const sink = parseSink(
      'trapsess -Ci -r 2 -t 0.5 -v 3 -u alice -l authPriv -a SHA-256 -A secret123 -x AES -X other123 127.0.0.1:1162',
    );
    expect(sink).toEqual({
      target: '127.0.0.1:1162',
      version: '3',
      inform: true,
      retries: 2,
      timeoutMs: 500,
      user: {
        name: 'alice',
        level: 'authPriv',
        authProtocol: 'sha256',
        authPassword: 'secret123',
        privProtocol: 'aes',
        privPassword: 'other123',
      },
    });
    expect(parseSink('trapsess -v 2c -c pub 127.0.0.1')).toEqual({
      target: '127.0.0.1',
      version: '2c',
      community: 'pub',
    });
  });

  it('skips comments, also after a line', () => {
    expect(parseSinks('# sinks\ntrap2sink 127.0.0.1 public 1162   # after a line\n')).toEqual([
      { target: '127.0.0.1:1162', version: '2c', community: 'public' },
    ]);
  });

  it('names the file and line of a bad line, without the passwords', () => {
    expect(() => parseSinks('trap2sink 127.0.0.1\ntrapsink\n', 'lab.conf')).toThrow(
      /lab\.conf:2: expected trapsink HOST/,
    );
    expect(() =>
      parseSinks('# sinks\ntrapsess -v 3 -u bob -l authNoPriv -a NOPE -A hunter2hunter2 h\n', 'lab.conf'),
    ).toThrow(SinkConfigError);
    try {
      parseSink('trapsess -v 3 -u bob -l authNoPriv -a SHA -A short h', 'f:3');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/^f:3: user bob/);
      expect((error as Error).message).not.toContain('short');
    }
    expect(() => parseSink('trapsess -Ci -v 1 h')).toThrow(/SNMPv1 has no inform/);
    expect(() => parseSink('sink h')).toThrow(/expected trapsink, trap2sink, informsink or trapsess/);
  });
});

describe('NotificationOriginator', () => {
  it('trapsink: a v1 trap converted per RFC 3584 (linkDown is generic 2), agent-addr and time-stamp', async () => {
    const { clock, sink, originator } = setup(['trapsink 127.0.0.1 v1com']);
    clock.advance(12_340);
    const [delivery] = await originator.notify({
      trapOid: TRAP_OIDS.linkDown,
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.2', value: { type: 'Integer', value: 2 } }],
    });
    expect(delivery).toEqual({ target: '127.0.0.1', kind: 'trap', messages: 1 });
    const m = v1v2(sink.received[0]!);
    expect(m.community).toBe('v1com');
    const pdu = m.pdu as Extract<Pdu, { type: 'TrapV1' }>;
    expect(pdu).toMatchObject({
      type: 'TrapV1',
      enterprise: '1.3.6.1.6.3.1.1.5',
      agentAddress: '127.1.0.7',
      genericTrap: 2,
      specificTrap: 0,
      timestamp: 1234,
    });
    expect(show(pdu.varbinds)).toEqual(['1.3.6.1.2.1.2.2.1.1.2 = Integer:2']);
  });

  it('trap2sink: a v2c trap with sysUpTime.0 and snmpTrapOID.0 first', async () => {
    const { clock, sink, originator } = setup(['trap2sink 127.0.0.1']);
    clock.advance(5000);
    await originator.notify({ trapOid: TRAP_OIDS.coldStart });
    const m = v1v2(sink.received[0]!);
    expect(m.version).toBe(1);
    expect(m.pdu.type).toBe('TrapV2');
    expect(show(m.pdu.varbinds)).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:500',
      '1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.6.3.1.1.5.1',
    ]);
  });

  it('informsink: retransmitted every timeout with the same request-id until acknowledged', async () => {
    let seen = 0;
    const { clock, sink, originator } = setup(
      [{ target: 'h', version: '2c', inform: true, timeoutMs: 1000, retries: 5 }],
      (bytes) => {
        const m = v1v2(bytes);
        if (++seen < 3 || m.pdu.type !== 'InformRequest') return undefined;
        return encodeMessage({ version: 1, community: m.community, pdu: { ...m.pdu, type: 'Response' } });
      },
    );
    const done = originator.notify({ trapOid: TRAP_OIDS.linkUp });
    for (let i = 0; i < 2; i++) {
      await turn();
      clock.advance(1000);
    }
    const [delivery] = await done;
    expect(delivery).toEqual({ target: 'h', kind: 'inform', messages: 3, acknowledged: true });
    const ids = sink.received.map((b) => (v1v2(b).pdu as { requestId: number }).requestId);
    expect(new Set(ids).size).toBe(1);
    expect(originator.stats).toMatchObject({ informs: 1, acknowledged: 1, retransmissions: 2 });
  });

  it('informsink: gives up after the retries, unacknowledged', async () => {
    const { clock, sink, originator } = setup([
      { target: 'h', version: '2c', inform: true, timeoutMs: 500, retries: 2 },
    ]);
    const done = originator.notify({ trapOid: TRAP_OIDS.linkUp });
    for (let i = 0; i < 3; i++) {
      await turn();
      clock.advance(500);
    }
    const [delivery] = await done;
    expect(delivery).toMatchObject({ acknowledged: false, messages: 3 });
    expect(sink.received).toHaveLength(3);
    expect(originator.stats.unacknowledged).toBe(1);
  });

  it('v3 trap: authoritative engine is the agent (its ID and boots), keys localized to it', async () => {
    const { clock, sink, originator } = setup([{ target: 'h', version: '3', user: USER }]);
    clock.advance(3000);
    await originator.notify({ trapOid: TRAP_OIDS.warmStart });
    const decoded = decodeSecureMessage(sink.received[0]!, new UsmKeyStore([USER]).resolver());
    expect(decoded.level).toBe('authPriv');
    expect(decoded.message.securityParameters).toMatchObject({ engineId: AGENT_ENGINE, engineBoots: 4, engineTime: 3 });
    expect(decoded.message.scopedPdu!.pdu.type).toBe('TrapV2');
    expect(decoded.message.scopedPdu!.contextEngineId).toEqual(AGENT_ENGINE);
  });

  it("v3 inform: discovers the receiver's engine, then sends authenticated with its boots and time", async () => {
    const receiverClock = new VirtualClock(50_000);
    const receiver = new UsmAuthoritativeEngine({
      engineId: RECEIVER_ENGINE,
      boots: 9,
      now: () => receiverClock.now(),
      users: new UsmKeyStore([USER]),
    });
    const informs: Pdu[] = [];
    const { sink, originator } = setup([{ target: 'h', version: '3', inform: true, user: USER }], (bytes) => {
      const r = receiver.receive(bytes);
      if (!r.accepted) return r.report;
      const pdu = r.message.scopedPdu!.pdu;
      informs.push(pdu);
      return receiver.respond(r.message, r.keys, { ...pdu, type: 'Response' } as Pdu);
    });
    const [delivery] = await originator.notify({ trapOid: TRAP_OIDS.linkDown });
    expect(delivery).toMatchObject({ kind: 'inform', acknowledged: true, messages: 2 });
    expect(informs.map((p) => p.type)).toEqual(['InformRequest']);
    const second = decodeSecureMessage(sink.received[1]!, new UsmKeyStore([USER]).resolver());
    expect(second.message.securityParameters).toMatchObject({ engineId: RECEIVER_ENGINE, engineBoots: 9 });
    // The notification's context engine is the sender's own (RFC 3413 §3.3).
    expect(second.message.scopedPdu!.contextEngineId).toEqual(AGENT_ENGINE);
    expect(originator.stats.discoveries).toBe(1);
  });

  it('authenticationFailure on a bad community while snmpEnableAuthenTraps.0 is 1; none once SET to 2', async () => {
    const { agent, device, sink, originator } = setup(['trap2sink h']);
    originator.sendAuthenticationFailures(agent, { device });
    const get: Pdu = { type: 'GetRequest', requestId: 1, errorStatus: 0, errorIndex: 0, varbinds: [] };
    const badCommunity = () =>
      agent.receive(encodeMessage({ version: 1, community: 'wrong', pdu: get }), {
        key: 'k',
        source: { address: '127.0.0.9', port: 9 },
        send: () => expect.unreachable('a bad community is not answered'),
      });
    badCommunity();
    await turn();
    expect(sink.received).toHaveLength(1);
    expect(show(v1v2(sink.received[0]!).pdu.varbinds)[1]).toBe(
      '1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.6.3.1.1.5.5',
    );
    const off: Pdu = {
      type: 'SetRequest',
      requestId: 2,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: '1.3.6.1.2.1.11.30.0', value: { type: 'Integer', value: 2 } }],
    };
    await agent.request(encodeMessage({ version: 1, community: 'private', pdu: off }));
    badCommunity();
    await turn();
    expect(sink.received).toHaveLength(1);
  });

  it('a sink that cannot be opened is reported in the delivery, not thrown', async () => {
    const clock = new VirtualClock();
    const originator = new NotificationOriginator({
      sinks: ['trap2sink h'],
      engine: () => ({ engineId: AGENT_ENGINE, boots: 1, time: 0 }),
      uptimeMs: () => 0,
      clock,
      openTransport: () => Promise.reject(new Error('no route')),
    });
    expect(await originator.notify({ trapOid: TRAP_OIDS.coldStart })).toEqual([
      { target: 'h', kind: 'trap', messages: 0, error: 'no route' },
    ]);
    expect(originator.stats.failures).toBe(1);
  });
});
