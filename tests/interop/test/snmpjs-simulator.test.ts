import dgram from 'node:dgram';
import { bytesToHex, type CommunityMessage, SnmpValue, type VarBind } from '@snmpkit/ber';
import { Agent, Device, startSimulator } from '@snmpkit/simulator';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ENT,
  encodeWithSnmpjs,
  fromSjMessage,
  IF_ENTRY,
  parseWithSnmpjs,
  plainValue,
  READ_ONLY,
  type SjMessage,
  SYS,
  servedVarbinds,
  snmpjs,
  WRITABLE,
} from './snmpjs-helpers.js';

/**
 * Our simulator answering requests that snmpjs encodes, its answers parsed by snmpjs's parser: the same data set
 * the snmpjs agent serves in snmpjs-agent.test.ts, held by a simulator Device and reached in memory
 * (Agent.request), and once over UDP on loopback. Where the snmpjs agent deviates, the simulator's answer is the
 * RFC's, and snmpjs reads it.
 */

const INITIAL = SnmpValue.octetString('initial');
const device = Device.fromVarbinds(servedVarbinds(INITIAL), { liveSysUpTime: false });
device.setWritable(WRITABLE);
const agent = new Agent({ device }); // public: read-only, private: read-write
const SERVED = servedVarbinds(INITIAL);
const NO_REPLY_MS = 200;

afterAll(async () => {
  await agent.close();
});

let nextId = 1000;

function request(
  version: 0 | 1,
  type: 'GetRequest' | 'GetNextRequest' | 'SetRequest',
  varbinds: VarBind[],
  community = 'public',
): CommunityMessage {
  return { version, community, pdu: { type, requestId: nextId++, errorStatus: 0, errorIndex: 0, varbinds } };
}

const nulls = (oids: string[]): VarBind[] => oids.map((oid) => ({ oid, value: SnmpValue.null() }));

/** Sends snmpjs's encoding of `message` to the simulator; snmpjs parses the answer. */
async function ask(message: CommunityMessage, timeoutMs = 2000): Promise<{ reply: Uint8Array; parsed: SjMessage }> {
  const reply = await agent.request(Uint8Array.from(encodeWithSnmpjs(message)), timeoutMs);
  if (!reply) throw new Error('the simulator did not answer');
  return { reply, parsed: parseWithSnmpjs(reply) };
}

function response(message: CommunityMessage, varbinds: VarBind[], errorStatus = 0, errorIndex = 0): CommunityMessage {
  const requestId = message.pdu.type === 'TrapV1' ? 0 : message.pdu.requestId;
  return {
    version: message.version,
    community: message.community,
    pdu: { type: 'Response', requestId, errorStatus, errorIndex, varbinds: varbinds.map(plainVarbind) },
  };
}

const plainVarbind = (vb: VarBind): VarBind => ({ oid: vb.oid, value: plainValue(vb.value) });
const served = (oid: string) => SERVED.find((vb) => vb.oid === oid)!;

describe.each([
  { version: 0 as const, name: 'v1' },
  { version: 1 as const, name: 'v2c' },
])('the simulator answers snmpjs $name requests', ({ version }) => {
  // SMIv1 has no Counter64: a v1 agent answers noSuchName for it and a v1 GETNEXT skips it (RFC 3584 §4.2.2.1).
  const visible = version === 0 ? SERVED.filter((vb) => vb.value.type !== 'Counter64') : SERVED;

  it('GET of every served instance (scalars of each type, table cells), one request', async () => {
    const message = request(version, 'GetRequest', nulls(visible.map((vb) => vb.oid)));
    const { parsed } = await ask(message);
    expect(fromSjMessage(parsed)).toEqual(response(message, visible));
    if (version === 0) {
      // Counter64 in v1: noSuchName, where the snmpjs agent sends the Counter64.
      const counter64 = request(0, 'GetRequest', nulls([`${SYS}.1.0`, `${ENT}.1.4.0`]));
      expect(fromSjMessage((await ask(counter64)).parsed)).toEqual(response(counter64, counter64.pdu.varbinds, 2, 2));
    }
  });

  it('a walk with snmpjs GETNEXTs gives every instance in order, and ends as the version says', async () => {
    const got: VarBind[] = [];
    let oid = '1.3.6.1';
    let last: CommunityMessage | undefined;
    for (let i = 0; i < visible.length + 2; i++) {
      const { parsed } = await ask(request(version, 'GetNextRequest', nulls([oid])));
      last = fromSjMessage(parsed);
      const pdu = last.pdu;
      if (pdu.type !== 'Response' || pdu.errorStatus !== 0) break;
      const vb = pdu.varbinds[0]!;
      if (vb.value.type === 'EndOfMibView') break;
      got.push(vb);
      oid = vb.oid;
    }
    expect(got).toEqual(visible.map(plainVarbind));
    const end = last!.pdu;
    if (version === 0) {
      // v1: noSuchName at the end of the MIB (RFC 1157), where the snmpjs agent sends endOfMibView.
      expect(end).toMatchObject({ errorStatus: 2, errorIndex: 1 });
    } else {
      expect(end).toMatchObject({ errorStatus: 0, varbinds: [{ oid, value: { type: 'EndOfMibView' } }] });
    }
  });

  it('missing objects: v1 noSuchName, v2c exception values (which snmpjs reads as its Null with tags 0x80/0x81)', async () => {
    const message = request(version, 'GetRequest', nulls([`${SYS}.4.0`, `${SYS}.1.1`, `${IF_ENTRY}.2.3`]));
    const { parsed } = await ask(message);
    if (version === 0) {
      expect(fromSjMessage(parsed)).toEqual(response(message, message.pdu.varbinds, 2, 1));
    } else {
      expect(parsed.pdu.varbinds.map((vb) => [vb.data.typename, vb.data.tag])).toEqual([
        ['Null', 0x80],
        ['Null', 0x81],
        ['Null', 0x81],
      ]);
      expect(fromSjMessage(parsed)).toEqual(
        response(message, [
          { oid: `${SYS}.4.0`, value: SnmpValue.noSuchObject() },
          { oid: `${SYS}.1.1`, value: SnmpValue.noSuchInstance() },
          { oid: `${IF_ENTRY}.2.3`, value: SnmpValue.noSuchInstance() },
        ]),
      );
    }
  });

  it('a community it does not know gets no answer (the snmpjs agent answers any community)', async () => {
    const before = agent.stats.badCommunityNames;
    const reply = await agent.request(
      Uint8Array.from(encodeWithSnmpjs(request(version, 'GetRequest', nulls([`${SYS}.1.0`]), 'nobody'))),
      NO_REPLY_MS,
    );
    expect(reply).toBeUndefined();
    expect(agent.stats.badCommunityNames).toBe(before + 1);
  });

  it('SET: read-only object refused with an error-status (the snmpjs agent crashes), writable one written', async () => {
    const readOnly = request(version, 'SetRequest', [{ oid: READ_ONLY, value: SnmpValue.octetString('x') }], 'private');
    const refused = fromSjMessage((await ask(readOnly)).parsed);
    // v2c notWritable (17); v1 noSuchName (2), RFC 3584 §4.4.
    expect(refused.pdu).toMatchObject({ type: 'Response', errorStatus: version === 0 ? 2 : 17, errorIndex: 1 });
    const now = SnmpValue.octetString(`written by snmpjs v${version === 0 ? '1' : '2c'}`);
    const write = request(version, 'SetRequest', [{ oid: WRITABLE, value: now }], 'private');
    expect(fromSjMessage((await ask(write)).parsed)).toEqual(response(write, [{ oid: WRITABLE, value: now }]));
    const read = request(version, 'GetRequest', nulls([WRITABLE]));
    expect(fromSjMessage((await ask(read)).parsed)).toEqual(response(read, [{ oid: WRITABLE, value: now }]));
    // Through the read-only community: refused (v2c noAccess 6, v1 noSuchName 2).
    const viaPublic = request(version, 'SetRequest', [{ oid: WRITABLE, value: INITIAL }], 'public');
    expect(fromSjMessage((await ask(viaPublic)).parsed).pdu).toMatchObject({
      errorStatus: version === 0 ? 2 : 6,
      errorIndex: 1,
    });
    device.set(WRITABLE, INITIAL, { writable: true });
  });
});

describe('the simulator and snmpjs, byte for byte', () => {
  it("the simulator's answer is what snmpjs encodes for the same Response", async () => {
    const message = request(1, 'GetRequest', nulls([`${SYS}.1.0`, `${SYS}.2.0`, `${SYS}.3.0`, `${IF_ENTRY}.2.1`]));
    const { reply, parsed } = await ask(message);
    expect(bytesToHex(reply)).toBe(bytesToHex(encodeWithSnmpjs(fromSjMessage(parsed))));
  });

  it('unsigned values with the top bit set: the simulator writes the leading zero, and snmpjs reads the value', async () => {
    const oid = `${ENT}.1.2.0`; // Counter32 2^31
    const message = request(1, 'GetRequest', nulls([oid]));
    const { reply, parsed } = await ask(message);
    expect(bytesToHex(reply)).toMatch(/41050080000000$/);
    expect(parsed.pdu.varbinds[0]!.data.value).toBe(0x80000000);
    expect(fromSjMessage(parsed)).toEqual(response(message, [served(oid)]));
  });

  it('GETBULK from snmpjs (counts carried in error_status/error_index): answered, where the snmpjs agent is silent', async () => {
    const message: CommunityMessage = {
      version: 1,
      community: 'public',
      pdu: {
        type: 'GetBulkRequest',
        requestId: 4242,
        nonRepeaters: 1,
        maxRepetitions: 3,
        varbinds: nulls([`${SYS}.7`, `${IF_ENTRY}.2`]),
      },
    };
    const { parsed } = await ask(message);
    expect(parsed.pdu.op).toBe(snmpjs.pdu.Response);
    expect(fromSjMessage(parsed)).toEqual(
      response(message, [
        served(`${SYS}.7.0`),
        served(`${IF_ENTRY}.2.1`),
        served(`${IF_ENTRY}.2.2`),
        served(`${IF_ENTRY}.2.10`),
      ]),
    );
  });
});

describe('over UDP on loopback', () => {
  it('the simulator on 127.0.0.1:0 answers a datagram snmpjs encoded; snmpjs parses the answer', async () => {
    const simulator = await startSimulator({
      data: Device.fromVarbinds(SERVED, { liveSysUpTime: false }),
      listen: ['udp:127.0.0.1:0'],
    });
    const socket = dgram.createSocket('udp4');
    try {
      const port = Number(simulator.endpoints[0]!.split(':').at(-1));
      expect(port).toBeGreaterThan(0);
      const message = request(1, 'GetNextRequest', nulls([SYS, IF_ENTRY]));
      const answer = new Promise<Buffer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no answer from the simulator')), 2000);
        socket.once('message', (bytes) => {
          clearTimeout(timer);
          resolve(bytes);
        });
      });
      socket.send(encodeWithSnmpjs(message), port, '127.0.0.1');
      expect(fromSjMessage(parseWithSnmpjs(await answer))).toEqual(
        response(message, [served(`${SYS}.1.0`), served(`${IF_ENTRY}.1.1`)]),
      );
    } finally {
      socket.close();
      await simulator.close();
    }
  });
});
