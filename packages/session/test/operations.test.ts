import { SnmpValue, type VarBind } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import {
  GeneralError,
  octetStringHex,
  octetStringText,
  ResponseError,
  Session,
  type SessionOptions,
  UsmMessageProcessing,
} from '../src/index.js';
import { FakeTransport, responseTo } from './helpers.js';

/** A session over an in-memory transport whose agent is `answer` (request varbinds → reply bytes). */
async function scripted(
  answer: (request: Uint8Array, index: number) => Uint8Array,
  options: Partial<SessionOptions> = {},
) {
  const transport = new FakeTransport();
  let index = 0;
  transport.onSend = (message) => {
    const reply = answer(message, index++);
    queueMicrotask(() => transport.deliver(reply));
  };
  const session = await Session.open({ transport, timeout: 200, retries: 0, ...options });
  return { transport, session };
}

const vb = (oid: string, value: VarBind['value']): VarBind => ({ oid, value });

describe('input checks: bad input fails before anything is sent', () => {
  async function expectGeneral(
    run: (s: Session) => Promise<unknown>,
    name: string,
    message: RegExp,
    version: '1' | '2c' = '2c',
  ) {
    const transport = new FakeTransport();
    const session = await Session.open({ transport, version });
    const error = await run(session).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GeneralError);
    expect((error as GeneralError).snmpError.name).toBe(name);
    expect((error as Error).message).toMatch(message);
    expect(transport.sent).toHaveLength(0);
  }

  it('malformed OIDs', async () => {
    await expectGeneral((s) => s.get(['1.3.6.x']), 'SNMPERR_UNKNOWN_OBJID', /malformed OID "1\.3\.6\.x"/);
    await expectGeneral((s) => s.getNext(['5.1']), 'SNMPERR_UNKNOWN_OBJID', /first arc is 0, 1 or 2/);
    await expectGeneral((s) => s.walkAll('1..3'), 'SNMPERR_UNKNOWN_OBJID', /walk root/);
    await expectGeneral((s) => s.get([]), 'SNMPERR_NO_VARS', /at least one OID/);
  });

  it('values out of range or of the wrong kind', async () => {
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.integer(2 ** 31))]),
      'SNMPERR_RANGE',
      /Integer 2147483648/,
    );
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.gauge32(-1))]),
      'SNMPERR_RANGE',
      /0\.\.4294967295/,
    );
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.counter64(2n ** 64n))]),
      'SNMPERR_RANGE',
      /2\^64-1/,
    );
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.ipAddress('10.0.0.256'))]),
      'SNMPERR_VALUE',
      /IpAddress/,
    );
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', { type: 'OctetString', value: 'text' as unknown as Uint8Array })]),
      'SNMPERR_VAR_TYPE',
      /Uint8Array/,
    );
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.endOfMibView())]),
      'SNMPERR_VAR_TYPE',
      /response-only/,
    );
  });

  it('v2 features on a v1 session, and bad GETBULK counts', async () => {
    await expectGeneral((s) => s.getBulk(['1.3.6.1']), 'SNMPERR_V2_IN_V1', /GETBULK/, '1');
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.counter64(1n))]),
      'SNMPERR_V2_IN_V1',
      /Counter64/,
      '1',
    );
    await expectGeneral((s) => s.getBulk(['1.3.6.1'], { nonRepeaters: -1 }), 'SNMPERR_BAD_REPEATERS', /-1/);
    await expectGeneral((s) => s.getBulk(['1.3.6.1'], { maxRepetitions: 1.5 }), 'SNMPERR_BAD_REPETITIONS', /1\.5/);
    await expectGeneral((s) => s.walkAll('1.3.6.1', { maxRepetitions: 0 }), 'SNMPERR_BAD_REPETITIONS', /at least 1/);
  });

  it('mistakes plain JavaScript allows are named for what they are', async () => {
    const loose = (value: unknown) => value as never;
    await expectGeneral(
      (s) => s.get(loose('1.3.6.1.2.1.1.1.0')),
      'SNMPERR_GENERR',
      /^Generic error: get takes an array of OIDs, got string "1\.3\.6\.1\.2\.1\.1\.1\.0" \(write get\(\["1\.3\.6\.1\.2\.1\.1\.1\.0"\]\)\)$/,
    );
    await expectGeneral(
      (s) => s.getNext(loose(undefined)),
      'SNMPERR_GENERR',
      /getNext takes an array of OIDs, got undefined/,
    );
    await expectGeneral((s) => s.getBulk([]), 'SNMPERR_NO_VARS', /give getBulk at least one OID/);
    await expectGeneral(
      (s) => s.set([{ oid: '1.3.6.1.2.1.1.6.0', value: loose('hello') }]),
      'SNMPERR_VAR_TYPE',
      /the value for 1\.3\.6\.1\.2\.1\.1\.6\.0 must be an SnmpValue \(\{ type, value \}\) such as SnmpValue\.octetString\("hello"\), got string "hello"$/,
    );
    await expectGeneral(
      (s) => s.set([{ oid: '1.3.6.1.2.1.1.6.0', value: loose(7) }]),
      'SNMPERR_VAR_TYPE',
      /such as SnmpValue\.integer\(7\).*got 7$/,
    );
    await expectGeneral(
      (s) => s.set(loose({ oid: '1.3.6.1.2.1.1.6.0', value: SnmpValue.integer(1) })),
      'SNMPERR_GENERR',
      /set takes an array of varbinds \(\{ oid, value \}\), got an object/,
    );
    await expectGeneral(
      (s) => s.getBulk(['1.3.6.1'], { maxRepetitions: loose('5') }),
      'SNMPERR_BAD_REPETITIONS',
      /^Bad value for max-repetitions: option maxRepetitions must be a number, got string "5"$/,
    );
    await expectGeneral(
      (s) => s.walkAll('1.3.6.1', { maxRepetitions: loose('5') }),
      'SNMPERR_BAD_REPETITIONS',
      /walk option maxRepetitions must be a number, got string "5"$/,
    );
  });

  it('option values of the wrong type, a bad community and unknown option names fail Session.open', async () => {
    const transport = new FakeTransport();
    const loose = (options: Record<string, unknown>) => Session.open({ transport, ...options } as SessionOptions);
    await expect(loose({ timeout: '1000' })).rejects.toThrow(
      /^Generic error: option timeout must be a number, got string "1000"$/,
    );
    await expect(loose({ maxRepetitions: '5' })).rejects.toThrow(
      /^Bad value for max-repetitions: option maxRepetitions must be a number, got string "5"$/,
    );
    await expect(loose({ community: 5 })).rejects.toThrow(
      /^Bad community specified: option community must be a string or a Uint8Array, got 5$/,
    );
    await expect(loose({ community: 'caf€' })).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_BAD_COMMUNITY' } });
    await expect(loose({ useGetBulk: 'no' })).rejects.toThrow(/useGetBulk must be true or false, got string "no"/);
    await expect(loose({ timout: 5 })).rejects.toThrow(
      /^Generic error: unknown option 'timout' \(did you mean 'timeout'\?\)$/,
    );
    await expect(loose({ Community: 'x' })).rejects.toThrow(
      /unknown option 'Community' \(did you mean 'community'\?\)/,
    );
    await expect(loose({ colour: 'blue' })).rejects.toThrow(/unknown option 'colour' \(options: peer, version, /);
    await expect(Session.open(undefined as never)).rejects.toThrow(/Session\.open takes an options object/);
    await expect(Session.open({ peer: 161 as never })).rejects.toThrow(/option peer must be a peer name/);
    expect(transport.sent).toHaveLength(0);
    // A community given as bytes goes out as those bytes.
    const bytes = Uint8Array.of(0x70, 0xff, 0x00, 0x41);
    const session = await Session.open({ transport, community: bytes, timeout: 10, retries: 0 });
    await session.get(['1.3.6.1.2.1.1.1.0']).catch(() => {});
    expect(Buffer.from(transport.request().community, 'latin1')).toEqual(Buffer.from(bytes));
    await session.close();
  });

  it('a request larger than the maximum message size is SNMPERR_TOO_LONG', async () => {
    await expectGeneral(
      (s) => s.set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.octetString(new Uint8Array(70_000)))]),
      'SNMPERR_TOO_LONG',
      /70\d{3} bytes, the maximum message size 65507/,
    );
  });

  it('bad options and versions fail Session.open', async () => {
    const transport = new FakeTransport();
    await expect(Session.open({ transport, version: '4' as never })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_VERSION' },
    });
    // v3 needs a user; a bad one fails with Net-SNMP's codes, and a short password names no secret.
    await expect(Session.open({ transport, version: 3 })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_SEC_NAME', number: -27 },
    });
    await expect(
      Session.open({ transport, version: 3, user: { name: 'u', level: 'privileged' as never } }),
    ).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_BAD_SEC_LEVEL', number: -28 } });
    const short = await Session.open({
      transport,
      version: 3,
      user: { name: 'u', level: 'authNoPriv', authProtocol: 'sha', authPassword: 'secret7' },
    }).catch((e: unknown) => e);
    expect(short).toMatchObject({ snmpError: { name: 'SNMPERR_GENERR' } });
    expect(String((short as Error).message)).toMatch(/authPassword must be at least 8/);
    expect(String((short as Error).message)).not.toMatch(/secret7/);
    // A model and a version that disagree; a model alone sets the version.
    const v3Model = new UsmMessageProcessing({ user: { name: 'u', level: 'noAuthNoPriv' }, engineId: '8000000001' });
    await expect(Session.open({ transport, version: '2c', messageProcessing: v3Model })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_BAD_VERSION' },
    });
    expect((await Session.open({ transport, messageProcessing: v3Model })).wireVersion).toBe(3);
    expect(transport.sent).toHaveLength(0);
    await expect(Session.open({ transport, backoff: 0.5 })).rejects.toThrow(/backoff must be a number >= 1/);
    await expect(Session.open({ transport, retries: -1 })).rejects.toThrow(/retries/);
    await expect(Session.open({})).rejects.toMatchObject({ snmpError: { name: 'SNMPERR_BAD_ADDRESS' } });
  });
});

describe('operations over a scripted agent', () => {
  it('get sends a GetRequest with NULL values and returns typed values (Counter64 as bigint)', async () => {
    const { transport, session } = await scripted((req) =>
      responseTo(req, [
        vb('1.3.6.1.2.1.31.1.1.1.6.1', SnmpValue.counter64(2n ** 63n + 5n)),
        vb('1.3.6.1.2.1.1.5.0', SnmpValue.octetString('héllo')),
      ]),
    );
    const result = await session.get(['.1.3.6.1.2.1.31.1.1.1.6.1', '1.3.6.1.2.1.1.5.0']);
    const sent = transport.request();
    expect(sent).toMatchObject({
      version: 1,
      community: 'public',
      pdu: { type: 'GetRequest', errorStatus: 0, errorIndex: 0 },
    });
    expect(sent.pdu.varbinds).toEqual([
      vb('1.3.6.1.2.1.31.1.1.1.6.1', SnmpValue.null()),
      vb('1.3.6.1.2.1.1.5.0', SnmpValue.null()),
    ]);
    expect(result[0]!.value).toEqual({ type: 'Counter64', value: 9223372036854775813n });
    expect(octetStringText(result[1]!.value)).toBe('héllo');
    expect(octetStringHex(result[1]!.value, ':')).toBe('68:c3:a9:6c:6c:6f');
    expect(octetStringHex(result[1]!.value, ' ', true)).toBe('68 C3 A9 6C 6C 6F');
    expect(octetStringText(result[0]!.value)).toBeUndefined();
  });

  it('getBulk sends non-repeaters and max-repetitions', async () => {
    const { transport, session } = await scripted((req) => responseTo(req, []));
    await session.getBulk(['1.3.6.1.2.1.1', '1.3.6.1.2.1.2'], { nonRepeaters: 1, maxRepetitions: 7 });
    expect(transport.request().pdu).toMatchObject({ type: 'GetBulkRequest', nonRepeaters: 1, maxRepetitions: 7 });
  });

  it('a non-zero error-status is a ResponseError naming the status, the index and the failed varbind', async () => {
    const { session } = await scripted((req) => responseTo(req, undefined, 17, 2));
    const error = await session
      .set([vb('1.3.6.1.2.1.1.6.0', SnmpValue.octetString('a')), vb('1.3.6.1.2.1.1.1.0', SnmpValue.octetString('b'))])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({ code: 'ERR_SNMP_RESPONSE', status: 17, statusName: 'notWritable', index: 2 });
    expect((error as ResponseError).varbind).toEqual(vb('1.3.6.1.2.1.1.1.0', SnmpValue.octetString('b')));
    expect((error as Error).message).toBe('Error in packet. Reason: notWritable; failed object: 1.3.6.1.2.1.1.1.0');
  });

  it('walk (v2c) uses GETBULK from the last OID and stops at the end of the subtree', async () => {
    const { transport, session } = await scripted((req, i) => {
      const pages: VarBind[][] = [
        [vb('1.3.6.1.2.1.1.1.0', SnmpValue.integer(1)), vb('1.3.6.1.2.1.1.2.0', SnmpValue.integer(2))],
        [vb('1.3.6.1.2.1.1.3.0', SnmpValue.integer(3)), vb('1.3.6.1.2.1.2.1.0', SnmpValue.integer(4))],
      ];
      return responseTo(req, pages[i]!);
    });
    const got = await session.walkAll('1.3.6.1.2.1.1', { maxRepetitions: 2 });
    expect(got.map((v) => v.oid)).toEqual(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.3.0']);
    expect(transport.request(0).pdu).toMatchObject({
      type: 'GetBulkRequest',
      maxRepetitions: 2,
      varbinds: [{ oid: '1.3.6.1.2.1.1' }],
    });
    expect(transport.request(1).pdu.varbinds[0]!.oid).toBe('1.3.6.1.2.1.1.2.0');
    expect(transport.sent).toHaveLength(2);
  });

  it('breaking out of a walk stops it: nothing is sent after the request read ahead, nothing left pending', async () => {
    const { transport, session } = await scripted((req, i) =>
      responseTo(req, [
        vb(`1.3.6.1.9.${2 * i + 1}`, SnmpValue.integer(1)),
        vb(`1.3.6.1.9.${2 * i + 2}`, SnmpValue.integer(2)),
      ]),
    );
    const seen: string[] = [];
    for await (const v of session.walk('1.3.6.1.9', { maxRepetitions: 2 })) {
      seen.push(v.oid);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['1.3.6.1.9.1', '1.3.6.1.9.2', '1.3.6.1.9.3']);
    // two pages read, and the one read ahead of the second: aborted when the loop broke, nothing sent after it
    expect(transport.sent).toHaveLength(3);
    expect(session.pending).toBe(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(transport.sent).toHaveLength(3);
  });

  it('a walk reads one page ahead; breaking out aborts that request, whose late reply is dropped as late', async () => {
    const transport = new FakeTransport();
    const session = await Session.open({ transport, timeout: 1000, retries: 0 });
    const page = (req: Uint8Array, i: number) =>
      responseTo(req, [
        vb(`1.3.6.1.9.${2 * i + 1}`, SnmpValue.integer(1)),
        vb(`1.3.6.1.9.${2 * i + 2}`, SnmpValue.integer(2)),
      ]);
    const walk = session.walk('1.3.6.1.9', { maxRepetitions: 2 });
    const first = walk.next();
    transport.deliver(page(transport.sent[0]!, 0));
    expect((await first).value).toEqual(vb('1.3.6.1.9.1', SnmpValue.integer(1)));
    // the second page was asked for as soon as the first arrived, before the caller wanted it
    expect(transport.sent).toHaveLength(2);
    expect(transport.request(1).pdu.varbinds[0]!.oid).toBe('1.3.6.1.9.2');
    expect(session.pending).toBe(1);
    await walk.return?.();
    expect(session.pending).toBe(0);
    transport.deliver(page(transport.sent[1]!, 1));
    // the session's own read-ahead, not a spoof or a duplicate: droppedLate, not droppedUnknownId
    expect(session.stats).toMatchObject({ requests: 2, responses: 1, droppedLate: 1, droppedUnknownId: 0 });
  });

  it('walk stops on endOfMibView', async () => {
    const { transport, session } = await scripted((req) =>
      responseTo(req, [vb('1.3.6.1.9.1', SnmpValue.integer(1)), vb('1.3.6.1.9.1', SnmpValue.endOfMibView())]),
    );
    expect((await session.walkAll('1.3.6.1.9')).map((v) => v.oid)).toEqual(['1.3.6.1.9.1']);
    expect(transport.sent).toHaveLength(1);
  });

  it('a non-increasing OID fails the walk with SNMPERR_OID_NONINCREASING instead of looping', async () => {
    const { transport, session } = await scripted((req, i) =>
      responseTo(req, [vb(i === 0 ? '1.3.6.1.9.5' : '1.3.6.1.9.3', SnmpValue.integer(1))]),
    );
    const error = await session.walkAll('1.3.6.1.9', { maxRepetitions: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ snmpError: { name: 'SNMPERR_OID_NONINCREASING', number: -65 } });
    expect((error as Error).message).toContain('1.3.6.1.9.3 after 1.3.6.1.9.5');
    expect(transport.sent).toHaveLength(2);
    // a repeated OID is non-increasing too
    const again = await scripted((req) => responseTo(req, [vb('1.3.6.1.9.5', SnmpValue.integer(1))]));
    await expect(again.session.walkAll('1.3.6.1.9', { maxRepetitions: 1 })).rejects.toMatchObject({
      snmpError: { name: 'SNMPERR_OID_NONINCREASING' },
    });
  });

  it('walk (v1) uses GETNEXT and ends on noSuchName', async () => {
    const { transport, session } = await scripted(
      (req, i) =>
        i < 2 ? responseTo(req, [vb(`1.3.6.1.9.${i + 1}`, SnmpValue.integer(i))]) : responseTo(req, undefined, 2, 1),
      { version: '1' },
    );
    const got = await session.walkAll('1.3.6.1.9');
    expect(got.map((v) => v.oid)).toEqual(['1.3.6.1.9.1', '1.3.6.1.9.2']);
    expect(transport.request(0)).toMatchObject({ version: 0, pdu: { type: 'GetNextRequest' } });
    expect(transport.sent).toHaveLength(3);
  });

  it('walk of a leaf instance GETs the root when the subtree is empty (as snmpwalk does), unless told not to', async () => {
    const leaf = '1.3.6.1.2.1.1.5.0';
    const answer = (req: Uint8Array, i: number) =>
      i === 0
        ? responseTo(req, [vb('1.3.6.1.2.1.1.6.0', SnmpValue.octetString('x'))])
        : responseTo(req, [vb(leaf, SnmpValue.octetString('host'))]);
    const { transport, session } = await scripted(answer);
    expect(await session.walkAll(leaf)).toEqual([vb(leaf, SnmpValue.octetString('host'))]);
    expect(transport.request(1).pdu.type).toBe('GetRequest');
    const other = await scripted(answer);
    expect(await other.session.walkAll(leaf, { getRootIfEmpty: false })).toEqual([]);
    expect(other.transport.sent).toHaveLength(1);
  });

  it('table() returns rows keyed by index, each mapping column number to value', async () => {
    const entry = '1.3.6.1.2.1.2.2.1';
    const { session } = await scripted((req, i) =>
      responseTo(
        req,
        i === 0
          ? [
              vb(`${entry}.1.1`, SnmpValue.integer(1)),
              vb(`${entry}.1.2`, SnmpValue.integer(2)),
              vb(`${entry}.2.1`, SnmpValue.octetString('lo')),
              vb(`${entry}.2.2`, SnmpValue.octetString('eth0')),
            ]
          : [vb('1.3.6.1.2.1.2.3.0', SnmpValue.integer(0))],
      ),
    );
    const rows = await session.table('1.3.6.1.2.1.2.2');
    expect([...rows.keys()]).toEqual(['1', '2']);
    expect(rows.get('2')).toEqual(
      new Map<number, SnmpValue>([
        [1, SnmpValue.integer(2)],
        [2, SnmpValue.octetString('eth0')],
      ]),
    );
  });
});
