import { decodeMessage, encodeMessage, MsgFlags, type Pdu, type V3Message } from '@snmpkit/ber';
import { snmpkitUser, testUser } from '@snmpkit/testkit';
import { decodeSecureMessage, encodeSecureMessage, UsmKeyStore, type UsmUser, usmReportReason } from '@snmpkit/usm';
import { describe, expect, it } from 'vitest';
import { Agent, Device, VirtualClock } from '../src/index.js';
import { getPdu, show } from './helpers.js';

/** An authPriv user of the test matrix (@snmpkit/testkit). */
const USER: UsmUser = snmpkitUser(testUser('SHA-256', 'AES'));
const ENGINE_ID = Uint8Array.from([0x80, 0x00, 0x1f, 0x88, 0x04, 0x74, 0x65, 0x73, 0x74]);
const EMPTY = new Uint8Array(0);

function message(pdu: Pdu, options: { engineId?: Uint8Array; boots?: number; time?: number; user?: string } = {}) {
  const engineId = options.engineId ?? EMPTY;
  const m: V3Message = {
    version: 3,
    msgId: 77,
    msgMaxSize: 65507,
    msgFlags: MsgFlags.reportable,
    securityModel: 3,
    securityParameters: {
      engineId,
      engineBoots: options.boots ?? 0,
      engineTime: options.time ?? 0,
      userName: options.user ?? '',
      authParameters: EMPTY,
      privParameters: EMPTY,
    },
    scopedPdu: { contextEngineId: engineId, contextName: '', pdu },
  };
  return m;
}

function setup() {
  const clock = new VirtualClock();
  const agent = new Agent({
    device: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|secure device\n'),
    users: [{ ...USER, access: 'rw' }],
    engineId: ENGINE_ID,
    engineBoots: 7,
    clock,
  });
  const keys = new UsmKeyStore([USER]);
  return { clock, agent, keys };
}

async function secureRequest(agent: Agent, keys: UsmKeyStore, boots: number, time: number) {
  const m = message(getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), { engineId: ENGINE_ID, boots, time, user: USER.name });
  const bytes = encodeSecureMessage(m, keys.keysFor(USER.name, ENGINE_ID));
  const reply = await agent.request(bytes);
  return decodeSecureMessage(reply!, keys.resolver());
}

describe('v3 agent', () => {
  it('answers discovery with a report carrying its engine ID, boots and time (usmStatsUnknownEngineIDs)', async () => {
    const { clock, agent } = setup();
    clock.advance(42_000);
    const reply = decodeMessage((await agent.request(encodeMessage(message(getPdu('GetRequest')))))!);
    expect(reply.version).toBe(3);
    if (reply.version !== 3) return;
    expect(Buffer.from(reply.securityParameters.engineId)).toEqual(Buffer.from(ENGINE_ID));
    expect(reply.securityParameters.engineBoots).toBe(7);
    expect(reply.securityParameters.engineTime).toBe(42);
    expect(reply.scopedPdu!.pdu.type).toBe('Report');
    expect(usmReportReason(reply.scopedPdu!.pdu)).toBe('unknownEngineID');
    expect(show(reply.scopedPdu!.pdu.varbinds)).toEqual(['1.3.6.1.6.3.15.1.1.4.0 = Counter32:1']);
    expect(agent.stats.usm.unknownEngineID).toBe(1);
  });

  it('answers an authPriv GET at authPriv', async () => {
    const { agent, keys } = setup();
    const decoded = await secureRequest(agent, keys, 7, 0);
    expect(decoded.level).toBe('authPriv');
    expect(agent.stats.requests).toEqual({ GetRequest: 1 });
    expect(show(decoded.message.scopedPdu!.pdu.varbinds)).toEqual(['1.3.6.1.2.1.1.1.0 = OctetString:secure device']);
  });

  it('reports notInTimeWindow, authenticated, after an engine time jump; the new time then works', async () => {
    const { agent, keys } = setup();
    agent.setFaults('time-jump=1000');
    const report = await secureRequest(agent, keys, 7, 0);
    expect(report.level).toBe('authNoPriv');
    expect(usmReportReason(report.message.scopedPdu!.pdu)).toBe('notInTimeWindow');
    expect(report.message.securityParameters.engineTime).toBe(1000);
    expect(agent.stats.faults.timeJumps).toBe(1);
    const answer = await secureRequest(agent, keys, 7, 1000);
    expect(answer.message.scopedPdu!.pdu.type).toBe('Response');
  });

  it('follows a boots jump and a restart', async () => {
    const { clock, agent, keys } = setup();
    agent.setFaults('boots-jump=2@1');
    expect((await secureRequest(agent, keys, 7, 0)).message.scopedPdu!.pdu.type).toBe('Response');
    const stale = await secureRequest(agent, keys, 7, 0);
    expect(usmReportReason(stale.message.scopedPdu!.pdu)).toBe('notInTimeWindow');
    expect(stale.message.securityParameters.engineBoots).toBe(9);
    clock.advance(5000);
    agent.restart();
    expect(agent.engineClock).toEqual({ boots: 10, time: 0 });
  });

  it('reports unknown users and wrong digests, and drops priv-without-auth silently', async () => {
    const { clock, agent, keys } = setup();
    const stranger = message(getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), { engineId: ENGINE_ID, boots: 7, user: 'bob' });
    const r1 = decodeMessage((await agent.request(encodeMessage(stranger)))!);
    expect(r1.version === 3 && usmReportReason(r1.scopedPdu!.pdu)).toBe('unknownUserName');

    const good = message(getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), { engineId: ENGINE_ID, boots: 7, user: USER.name });
    const bytes = encodeSecureMessage(good, keys.keysFor(USER.name, ENGINE_ID, 'authNoPriv'));
    bytes[bytes.length - 3]! ^= 0x01; // the varbind's value: the HMAC no longer matches
    const r2 = decodeMessage((await agent.request(bytes))!);
    expect(r2.version === 3 && usmReportReason(r2.scopedPdu!.pdu)).toBe('wrongDigests');

    const invalid = { ...stranger, msgFlags: MsgFlags.priv | MsgFlags.reportable };
    const dropped = agent.request(
      encodeMessage({ ...invalid, scopedPdu: undefined, encryptedPdu: Uint8Array.of(1, 2, 3) }),
      10,
    );
    clock.advance(10);
    expect(await dropped).toBeUndefined();
    expect(agent.stats.invalidMsgs).toBe(1);
    expect(agent.stats.usm).toMatchObject({ unknownUserName: 1, wrongDigests: 1 });
    expect(agent.stats.requests).toEqual({});
  });
});

describe('v3 message size', () => {
  it("cuts a GETBULK response to the request's msgMaxSize", async () => {
    const device = new Device();
    for (let i = 1; i <= 100; i++) device.set(`1.3.6.1.4.1.99.1.${i}`, { type: 'Integer', value: i * 1000 });
    const agent = new Agent({ device, users: [USER], engineId: ENGINE_ID, clock: new VirtualClock() });
    const keys = new UsmKeyStore([USER]);
    const pdu: Pdu = {
      type: 'GetBulkRequest',
      requestId: 5,
      nonRepeaters: 0,
      maxRepetitions: 100,
      varbinds: [{ oid: '1.3.6.1.4.1.99', value: { type: 'Null' } }],
    };
    const m = message(pdu, { engineId: ENGINE_ID, user: USER.name, boots: 1 });
    m.msgMaxSize = 484;
    const reply = await agent.request(encodeSecureMessage(m, keys.keysFor(USER.name, ENGINE_ID)));
    expect(reply!.length).toBeLessThanOrEqual(484);
    const varbinds = decodeSecureMessage(reply!, keys.resolver()).message.scopedPdu!.pdu.varbinds;
    expect(varbinds.length).toBeGreaterThan(10);
    expect(varbinds.length).toBeLessThan(100);
    expect(varbinds.map((vb) => vb.oid)).toEqual(varbinds.map((_, i) => `1.3.6.1.4.1.99.1.${i + 1}`));
  });
});
