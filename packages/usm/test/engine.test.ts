import { decodeMessage, encodeMessage, MsgFlags, type Pdu } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  AuthoritativeClock,
  decodeSecureMessage,
  discoveryMessage,
  EngineTimeCache,
  encodeSecureMessage,
  engineIdFrom,
  UsmAuthoritativeEngine,
  UsmConfigError,
  UsmKeyStore,
  usmMessage,
  usmReportReason,
} from '../src/index.js';

const ENGINE_ID = Uint8Array.from([0x80, 0x00, 0x1f, 0x88, 0x04, 0x65, 0x6e, 0x67]);
const USER = {
  name: 'alice',
  level: 'authPriv',
  authProtocol: 'SHA-256',
  authPassword: 'alice-auth-pass',
  privProtocol: 'AES',
  privPassword: 'alice-priv-pass',
} as const;
const get = (requestId: number): Pdu => ({
  type: 'GetRequest',
  requestId,
  errorStatus: 0,
  errorIndex: 0,
  varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: { type: 'Null' } }],
});

function setup() {
  let now = 1_000_000;
  const engine = new UsmAuthoritativeEngine({
    engineId: ENGINE_ID,
    boots: 4,
    now: () => now,
    users: new UsmKeyStore([USER]),
    msgMaxSize: 1500,
  });
  const manager = new UsmKeyStore([USER]);
  const request = (pdu: Pdu, boots: number, time: number, contextName = 'ctx') =>
    encodeSecureMessage(
      usmMessage({
        msgId: 31,
        reportable: true,
        engineId: ENGINE_ID,
        engineBoots: boots,
        engineTime: time,
        userName: USER.name,
        contextName,
        pdu,
      }),
      manager.keysFor(USER.name, ENGINE_ID),
    );
  return { engine, manager, request, advance: (ms: number) => (now += ms) };
}

describe('UsmAuthoritativeEngine', () => {
  it('refuses a discovery probe with an unknownEngineID Report carrying its engine ID, boots and time', () => {
    const { engine, advance } = setup();
    advance(42_000);
    const result = engine.receive(encodeSecureMessage(discoveryMessage({ msgId: 9, requestId: 5 }), undefined));
    expect(result).toMatchObject({ accepted: false, reason: 'unknownEngineID' });
    if (result.accepted) return;
    const report = decodeMessage(result.report!);
    if (report.version !== 3) throw new Error('not v3');
    expect(report).toMatchObject({ msgId: 9, msgMaxSize: 1500, msgFlags: 0 });
    expect(report.securityParameters).toMatchObject({ engineId: ENGINE_ID, engineBoots: 4, engineTime: 42 });
    expect(report.scopedPdu!.pdu).toMatchObject({ type: 'Report', requestId: 5 });
    expect(usmReportReason(report.scopedPdu!.pdu)).toBe('unknownEngineID');
    expect(engine.usmStats.get('unknownEngineID')).toBe(1);
  });

  it('accepts an authPriv request and responds at its level, with its msgID and context', () => {
    const { engine, manager, request } = setup();
    const result = engine.receive(request(get(77), 4, 0));
    if (!result.accepted) throw new Error(`refused: ${result.reason}`);
    expect(result).toMatchObject({ level: 'authPriv', userLevel: 'authPriv' });
    expect(result.message.scopedPdu!.pdu).toMatchObject({ type: 'GetRequest', requestId: 77 });
    const answer = engine.respond(result.message, result.keys, {
      type: 'Response',
      requestId: 77,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid: '1.3.6.1.2.1.1.1.0', value: { type: 'Integer', value: 1 } }],
    });
    const decoded = decodeSecureMessage(answer, manager.resolver());
    expect(decoded.level).toBe('authPriv');
    expect(decoded.message).toMatchObject({ msgId: 31, msgMaxSize: 1500 });
    expect(decoded.message.msgFlags & MsgFlags.reportable).toBe(0);
    expect(decoded.message.scopedPdu).toMatchObject({ contextEngineId: ENGINE_ID, contextName: 'ctx' });
    expect(decoded.message.scopedPdu!.pdu).toMatchObject({ type: 'Response', requestId: 77 });
  });

  it('reports notInTimeWindow authenticated (RFC 3414 §3.2 step 7a), so that the manager learns the time', () => {
    const { engine, manager, request, advance } = setup();
    advance(1_000_000);
    const result = engine.receive(request(get(3), 4, 0));
    expect(result).toMatchObject({ accepted: false, reason: 'notInTimeWindow' });
    if (result.accepted) return;
    const times = new EngineTimeCache();
    const report = decodeSecureMessage(result.report!, manager.resolver(), { timeliness: times.timeliness });
    expect(report.level).toBe('authNoPriv');
    expect(usmReportReason(report.message.scopedPdu!.pdu)).toBe('notInTimeWindow');
    expect(times.get(ENGINE_ID)).toEqual({ boots: 4, time: 1000 });
  });

  it('counts but does not report a refused message that is not reportable, and drops priv-without-auth', () => {
    const { engine } = setup();
    const stranger = usmMessage({
      msgId: 1,
      reportable: false,
      engineId: ENGINE_ID,
      engineBoots: 4,
      engineTime: 0,
      userName: 'mallory',
      pdu: get(1),
    });
    expect(engine.receive(encodeMessage(stranger))).toEqual({
      accepted: false,
      reason: 'unknownUserName',
      report: undefined,
    });
    expect(engine.usmStats.get('unknownUserName')).toBe(1);
    const invalid = encodeMessage({ ...stranger, msgFlags: MsgFlags.priv | MsgFlags.reportable });
    expect(engine.receive(invalid)).toEqual({ accepted: false, reason: 'invalidMsgFlags', report: undefined });
  });

  it('follows its clock: a reboot or a set boots/time is what the next Report says', () => {
    const { engine } = setup();
    engine.clock.set(9, 500);
    expect(engine.clock.read()).toEqual({ boots: 9, time: 500 });
    engine.clock.reboot();
    expect(engine.clock.read()).toEqual({ boots: 10, time: 0 });
    expect(() => new AuthoritativeClock({ engineId: ENGINE_ID, boots: -1 })).toThrow(UsmConfigError);
  });
});

describe('usmMessage and engineIdFrom', () => {
  it('builds the plaintext header every v3 sender uses: empty auth/priv parameters, context defaults', () => {
    const m = usmMessage({
      msgId: 2,
      reportable: true,
      engineId: ENGINE_ID,
      engineBoots: 1,
      engineTime: 2,
      userName: 'u',
      pdu: get(1),
    });
    expect(m).toMatchObject({ version: 3, msgMaxSize: 65507, msgFlags: MsgFlags.reportable, securityModel: 3 });
    expect(m.securityParameters.authParameters).toHaveLength(0);
    expect(m.securityParameters.privParameters).toHaveLength(0);
    expect(m.scopedPdu).toMatchObject({ contextEngineId: ENGINE_ID, contextName: '' });
  });

  it('reads engine IDs from hex (0x, spaces and colons allowed) or bytes, with clear errors', () => {
    expect(engineIdFrom('0x80001f8804656e67')).toEqual(ENGINE_ID);
    expect(engineIdFrom('80:00:1f:88:04:65:6e:67')).toEqual(ENGINE_ID);
    expect(engineIdFrom(ENGINE_ID)).not.toBe(ENGINE_ID);
    expect(() => engineIdFrom('80zz', 'engineId')).toThrow(new UsmConfigError('engineId is not hex: "80zz"'));
    expect(() => engineIdFrom('8000', 'engineId', true)).toThrow(
      new UsmConfigError('engineId has 2 bytes; an engine ID has 5 to 32'),
    );
  });
});
