import { decodeMessage, encodeMessage, SnmpValue } from '@snmpkit/ber';
import { listen } from '@snmpkit/transport';
import { describe, expect, it } from 'vitest';
import { Agent, Device, ErrorStatus, VirtualClock } from '../src/index.js';
import { ask, getPdu, setPdu, show } from './helpers.js';

// snmpsim's variation modules, with the series and statuses its code produces (read from snmpsim 0.4.5's modules and
// checked against it on loopback: snmpsim.test.ts).

function agentOn(data: string, device?: Device) {
  const clock = new VirtualClock();
  const agent = new Agent({ device: device ?? Device.fromSnmprec(data), clock });
  return { clock, agent };
}

const get = async (agent: Agent, ...oids: string[]) => ask(agent, getPdu('GetRequest', ...oids));
const next = async (agent: Agent, ...oids: string[]) => ask(agent, getPdu('GetNextRequest', ...oids));
const set = async (agent: Agent, oid: string, value: SnmpValue) => ask(agent, setPdu([oid, value]), 'private');

describe('numeric', () => {
  const DATA = [
    '1.3.6.1.4.1.9.1|66:numeric|function=pow%<time>%2,scale=100,offset=100,rate=150',
    '1.3.6.1.4.1.9.2|65:numeric|rate=10,cumulative=1',
    '1.3.6.1.4.1.9.3|65:numeric|scale=2,offset=1,rate=10,cumulative=1',
    '1.3.6.1.4.1.9.4|2:numeric|initial=5,scale=3,rate=1',
    '1.3.6.1.4.1.9.5|2:numeric|function=sin,rate=1',
    '1.3.6.1.4.1.9.6|65:numeric|initial=4294967290,rate=1,wrap=1',
    '1.3.6.1.4.1.9.7|65:numeric|initial=4294967290,rate=1',
    '1.3.6.1.4.1.9.8|70:numeric|function=log%<time>%10,rate=1,initial=7',
  ].join('\n');
  const OIDS = DATA.split('\n').map((line) => line.split('|')[0]!);

  it("follows snmpsim's formula: f(t * rate), then scale, offset, initial (or the last value), min 0, max, wrap", async () => {
    const { clock, agent } = agentOn(DATA);
    clock.advance(1000);
    expect(show((await get(agent, OIDS[1]!, OIDS[2]!)).varbinds)).toEqual([
      '1.3.6.1.4.1.9.2 = Counter32:10', // 10 * 1 s, plus the initial 0
      '1.3.6.1.4.1.9.3 = Counter32:30', // 2 * 10, plus offset 1 * 1 s * rate 10
    ]);
    clock.advance(1000);
    expect(show((await get(agent, OIDS[0]!, OIDS[3]!)).varbinds)).toEqual([
      '1.3.6.1.4.1.9.1 = Gauge32:9000100', // pow(2 s * 150, 2) * 100 + 100
      '1.3.6.1.4.1.9.4 = Integer:11', // 2 s * 1 * scale 3 + initial 5: initial is not scaled
    ]);
    clock.advance(1000);
    // cumulative: f(t * rate) is added to the value read last (snmpsim's own series: it grows faster than rate).
    expect(show((await get(agent, OIDS[1]!, OIDS[2]!)).varbinds)).toEqual([
      '1.3.6.1.4.1.9.2 = Counter32:40', // 10 + 3 s * 10
      '1.3.6.1.4.1.9.3 = Counter32:110', // 30 + 2 * 30 + offset 1 * (3 - 1) s * 10
    ]);
    clock.advance(1000);
    expect(show((await get(agent, OIDS[4]!, OIDS[7]!)).varbinds)).toEqual([
      '1.3.6.1.4.1.9.5 = Integer:0', // sin(4) < 0: the default minimum is 0
      '1.3.6.1.4.1.9.8 = Counter64:7', // log(4, 10) = 0.6, plus 7, truncated
    ]);
    clock.advance(6000);
    expect(show((await get(agent, OIDS[5]!, OIDS[6]!)).varbinds)).toEqual([
      '1.3.6.1.4.1.9.6 = Counter32:5', // 4294967300 mod 4294967295 + min 0
      '1.3.6.1.4.1.9.7 = Counter32:4294967295', // no wrap: stops at max
    ]);
  });
});

describe('error, writecache and delay', () => {
  const DATA = [
    '1.3.6.1.2.1.2.2.1.1.1|2:error|op=get,status=authorizationError,value=1',
    '1.3.6.1.2.1.2.2.1.3.1|2:error|vlist=gt:2:wrongvalue,value=1',
    '1.3.6.1.2.1.2.2.1.4.1|2:error|op=set,status=commitfailed',
    '1.3.6.1.2.1.2.2.1.5.1|2|1500',
    '1.3.6.1.2.1.2.2.1.6.1|4:error|status=noaccess',
    '1.3.6.1.2.1.3.1.0|2:writecache|value=42,vlist=lt:40:wrongvalue:gt:50:noaccess',
    '1.3.6.1.2.1.3.2.0|66:writecache|value=100,op=set,status=noaccess',
    '1.3.6.1.2.1.3.3.0|66:writecache|value=100,op=get,status=noaccess',
    '1.3.6.1.2.1.4.1.0|2:delay|vlist=eq:0:100:eq:1:1000,value=1',
    '1.3.6.1.2.1.4.2.0|65:delay|value=5,wait=200000',
    '1.3.6.1.2.1.4.3.0|4:delay|wait=10',
  ].join('\n');

  it('error: a status answers GET and GETNEXT alike; without a value GET finds no instance and GETNEXT passes', async () => {
    const { agent } = agentOn(DATA);
    const denied = await get(agent, '1.3.6.1.2.1.2.2.1.5.1', '1.3.6.1.2.1.2.2.1.1.1');
    expect([denied.errorStatus, denied.errorIndex]).toEqual([ErrorStatus.authorizationError, 2]);
    const walked = await next(agent, '1.3.6.1.2.1.2.2.1');
    expect([walked.errorStatus, walked.errorIndex]).toEqual([ErrorStatus.authorizationError, 1]);
    expect((await get(agent, '1.3.6.1.2.1.2.2.1.6.1')).errorStatus).toBe(ErrorStatus.noAccess);
    expect(show((await get(agent, '1.3.6.1.2.1.2.2.1.4.1')).varbinds)).toEqual([
      '1.3.6.1.2.1.2.2.1.4.1 = NoSuchInstance',
    ]);
    expect(show((await next(agent, '1.3.6.1.2.1.2.2.1.3.1')).varbinds)).toEqual([
      '1.3.6.1.2.1.2.2.1.5.1 = Integer:1500',
    ]);
  });

  it('error: vlist chooses the SET status by the value; op=set status refuses SETs; other SETs are kept', async () => {
    const { agent } = agentOn(DATA);
    expect((await set(agent, '1.3.6.1.2.1.2.2.1.3.1', SnmpValue.integer(5))).errorStatus).toBe(ErrorStatus.wrongValue);
    expect((await set(agent, '1.3.6.1.2.1.2.2.1.3.1', SnmpValue.integer(2))).errorStatus).toBe(0);
    expect(show((await get(agent, '1.3.6.1.2.1.2.2.1.3.1')).varbinds)).toEqual(['1.3.6.1.2.1.2.2.1.3.1 = Integer:2']);
    expect((await set(agent, '1.3.6.1.2.1.2.2.1.4.1', SnmpValue.integer(1))).errorStatus).toBe(
      ErrorStatus.commitFailed,
    );
  });

  it('writecache: vlist, wrongType, and op=set/op=get statuses; a refused SET changes nothing', async () => {
    const { agent } = agentOn(DATA);
    const oid = '1.3.6.1.2.1.3.1.0';
    expect((await set(agent, oid, SnmpValue.integer(39))).errorStatus).toBe(ErrorStatus.wrongValue);
    expect((await set(agent, oid, SnmpValue.integer(51))).errorStatus).toBe(ErrorStatus.noAccess);
    expect((await set(agent, oid, SnmpValue.octetString('x'))).errorStatus).toBe(ErrorStatus.wrongType);
    expect((await set(agent, oid, SnmpValue.integer(45))).errorStatus).toBe(0);
    expect(show((await get(agent, oid)).varbinds)).toEqual([`${oid} = Integer:45`]);
    expect((await set(agent, '1.3.6.1.2.1.3.2.0', SnmpValue.gauge32(7))).errorStatus).toBe(ErrorStatus.noAccess);
    expect(show((await get(agent, '1.3.6.1.2.1.3.2.0')).varbinds)).toEqual(['1.3.6.1.2.1.3.2.0 = Gauge32:100']);
    expect((await get(agent, '1.3.6.1.2.1.3.3.0')).errorStatus).toBe(ErrorStatus.noAccess);
    expect((await set(agent, '1.3.6.1.2.1.3.3.0', SnmpValue.gauge32(9))).errorStatus).toBe(0);
  });

  it('writecache: the devices of one data directory share what was written, as snmpsim does', async () => {
    const writeCache = new Map();
    const line = '1.3.6.1.2.1.1.5.0|4:writecache|value=before\n';
    const a = Device.fromSnmprec(line, { writeCache });
    const b = Device.fromSnmprec(line, { writeCache });
    const agent = new Agent({
      devices: { a, b },
      communities: [
        { name: 'a', access: 'rw', device: 'a' },
        { name: 'b', device: 'b' },
      ],
    });
    const written = await ask(agent, setPdu(['1.3.6.1.2.1.1.5.0', SnmpValue.octetString('after')]), 'a');
    expect(written.errorStatus).toBe(0);
    const read = await ask(agent, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0'), 'b');
    expect(show(read.varbinds)).toEqual(['1.3.6.1.2.1.1.5.0 = OctetString:after']);
  });

  it('delay: vlist delays a SET by its value, a wait above 99,999 ms drops the response, no value reads Null', async () => {
    const { clock, agent } = agentOn(DATA);
    let answered = false;
    const setting = ask(agent, setPdu(['1.3.6.1.2.1.4.1.0', SnmpValue.integer(1)]), 'private').then((pdu) => {
      answered = true;
      return pdu;
    });
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    clock.advance(1);
    expect((await setting).errorStatus).toBe(0);
    const dropped = agent.request(
      encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.4.2.0') }),
      500_000,
    );
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(500_000);
    expect(await dropped).toBeUndefined();
    const nulled = get(agent, '1.3.6.1.2.1.4.3.0');
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10);
    expect(show((await nulled).varbinds)).toEqual(['1.3.6.1.2.1.4.3.0 = Null']);
  });
});

describe('multiplex', () => {
  it('serves the subtree from the snapshot the period chooses; without wrap it stays on the last', async () => {
    const snapshot = (n: number) => ({
      number: n,
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.10.1', value: SnmpValue.counter32(1000 + n) }],
    });
    const dirs: string[] = [];
    const data = '1.3.6.1.2.1.1.1.0|4|dev\n1.3.6.1.2.1.2|:multiplex|dir=variation/multiplex,period=10.0\n';
    const device = Device.fromSnmprec(data, {
      multiplexSnapshots: (dir) => {
        dirs.push(dir);
        return [snapshot(2), snapshot(0), snapshot(1)];
      },
    });
    expect(dirs).toEqual(['variation/multiplex']);
    const { clock, agent } = agentOn('', device);
    const read = async () => show((await next(agent, '1.3.6.1.2.1.1.1.0')).varbinds);
    const series: string[] = [];
    for (let i = 0; i < 5; i++) {
      series.push(...(await read()));
      clock.advance(10_000);
    }
    expect(series).toEqual([
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1000',
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1001',
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1002',
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1002', // the cycle starts again, but without wrap it stays on the last
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1002',
    ]);
    const wrapping = Device.fromSnmprec('1.3.6.1.2.1.2|:multiplex|dir=x,period=10,wrap=1\n', {
      multiplexSnapshots: () => [snapshot(0), snapshot(1)],
    });
    const w = agentOn('', wrapping);
    const values: string[] = [];
    for (let i = 0; i < 3; i++) {
      values.push(...show((await get(w.agent, '1.3.6.1.2.1.2.2.1.10.1')).varbinds));
      w.clock.advance(10_000);
    }
    expect(values.map((v) => v.slice(-4))).toEqual(['1000', '1001', '1000']);
    expect(() =>
      Device.fromSnmprec('1.3.6.1.2.1.2|:multiplex|dir=x,control=1.3.6.1.2.1.2.99.0\n', {
        multiplexSnapshots: () => [snapshot(0)],
      }),
    ).toThrow(/1: 1\.3\.6\.1\.2\.1\.2: multiplex: "control" .* is not supported/);
  });
});

describe('subprocess', () => {
  it('serves what the program prints, typed by the tag; only when allowed', async () => {
    const data = [
      '1.3.6.1.2.1.1.1.0|4:subprocess|printf %s-%s @OID@ @NEXTFLAG@',
      '1.3.6.1.2.1.1.3.0|67:subprocess|echo 123455',
      '1.3.6.1.2.1.1.4.0|2:subprocess|false',
    ].join('\n');
    expect(() => Device.fromSnmprec(data)).toThrow(
      /1: 1\.3\.6\.1\.2\.1\.1\.1\.0: subprocess: the record runs a program/,
    );
    const { agent } = agentOn('', Device.fromSnmprec(data, { allowSubprocess: true }));
    expect(show((await get(agent, '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.4.0')).varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:1.3.6.1.2.1.1.1.0-0',
      '1.3.6.1.2.1.1.3.0 = TimeTicks:123455',
      '1.3.6.1.2.1.1.4.0 = NoSuchInstance',
    ]);
    expect(show((await next(agent, '1.3.6.1.2.1.1')).varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:1.3.6.1.2.1.1.1.0-1',
    ]);
  });
});

describe('numeric arguments snmpsim reads and does not use', () => {
  it('takes time= as a number and ignores it (snmpsim 0.4.5 does), refuses it when not a number', () => {
    const device = Device.fromSnmprec('1.3.6.1.4.1.9.1|65:numeric|initial=7,rate=0,time=12345\n');
    expect(device.get('1.3.6.1.4.1.9.1')).toEqual({ type: 'Counter32', value: 7 });
    expect(() => Device.fromSnmprec('1.3.6.1.4.1.9.1|65:numeric|time=soon\n')).toThrow(
      /numeric: time=soon is not a number/,
    );
  });
});

describe('notification', () => {
  it('sends a v2c trap on GET (op=get), a v1 trap on a SET of a vlist value, a v3 trap as the authoritative engine', async () => {
    const received: Uint8Array[] = [];
    let arrived: () => void = () => {};
    const receiver = await listen('udp:127.0.0.1:0', {
      onMessage: (message) => {
        received.push(message);
        arrived();
      },
    });
    const next = () => new Promise<void>((resolve) => (arrived = resolve));
    try {
      const target = `host=127.0.0.1,port=${receiver.port}`;
      const data = [
        `1.3.6.1.2.1.1.1.0|4:notification|op=get,version=2c,community=traps,${target},trapoid=1.3.6.1.4.1.20408.4.1.1.2.0.432,uptime=12345,varbinds=1.3.6.1.2.1.1.1.0:s:snmpsim agent:1.3.6.1.2.1.1.3.0:i:42,value=sender`,
        `1.3.6.1.2.1.1.2.0|6:notification|op=set,vlist=eq:1.3.6.1.1.2,version=1,${target},trapoid=1.3.6.1.6.3.1.1.5.3,agentaddress=127.0.0.1,value=1.3.6.1.1.1`,
        `1.3.6.1.2.1.1.3.0|67:notification|op=get,version=3,user=usr,${target},trapoid=1.3.6.1.6.3.1.1.5.2,value=123456`,
      ].join('\n');
      const { agent } = agentOn(data);
      let arriving = next();
      expect(show((await get(agent, '1.3.6.1.2.1.1.1.0')).varbinds)).toEqual([
        '1.3.6.1.2.1.1.1.0 = OctetString:sender',
      ]);
      await arriving;
      const v2 = decodeMessage(received.at(-1)!);
      expect(v2.version === 1 && v2.community).toBe('traps');
      expect(v2.version === 1 && v2.pdu.type).toBe('TrapV2');
      expect(v2.version === 1 && show(v2.pdu.varbinds)).toEqual([
        '1.3.6.1.2.1.1.3.0 = TimeTicks:12345',
        '1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.4.1.20408.4.1.1.2.0.432',
        '1.3.6.1.2.1.1.1.0 = OctetString:snmpsim agent',
        '1.3.6.1.2.1.1.3.0 = Integer:42',
      ]);
      // A SET of another value sends nothing; of the vlist value, a v1 linkDown trap (generic 2).
      expect((await set(agent, '1.3.6.1.2.1.1.2.0', SnmpValue.objectIdentifier('1.3.6.1.1.9'))).errorStatus).toBe(0);
      arriving = next();
      expect((await set(agent, '1.3.6.1.2.1.1.2.0', SnmpValue.objectIdentifier('1.3.6.1.1.2'))).errorStatus).toBe(0);
      await arriving;
      expect(received).toHaveLength(2);
      const v1 = decodeMessage(received[1]!);
      expect(
        v1.version === 0 &&
          v1.pdu.type === 'TrapV1' && [v1.pdu.enterprise, v1.pdu.agentAddress, v1.pdu.genericTrap, v1.pdu.specificTrap],
      ).toEqual(['1.3.6.1.6.3.1.1.5', '127.0.0.1', 2, 0]);
      arriving = next();
      await get(agent, '1.3.6.1.2.1.1.3.0');
      await arriving;
      const v3 = decodeMessage(received[2]!);
      expect(
        v3.version === 3 && [
          v3.securityParameters.userName,
          Buffer.from(v3.securityParameters.engineId).toString('hex'),
        ],
      ).toEqual(['usr', agent.engineIdHex]);
      expect(v3.version === 3 && v3.scopedPdu?.pdu.type).toBe('TrapV2');
    } finally {
      await receiver.close();
    }
  });

  it('refuses what it cannot send: a v1 inform, no host (a v3 inform is sent through the sinks)', () => {
    expect(() =>
      Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4:notification|version=3,user=u,host=h,ntftype=inform\n'),
    ).not.toThrow();
    expect(() => Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4:notification|version=1,host=h,ntftype=inform\n')).toThrow(
      /SNMPv1 has no inform/,
    );
    expect(() => Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4:notification|version=2c\n')).toThrow(/no host=/);
  });
});
