import { SnmpValue } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { DataFormatError, Device, formatSnmprec, parseSnmprec, parseWalk } from '../src/index.js';
import { show } from './helpers.js';

describe('.snmprec', () => {
  it('reads the three value encodings and every tag', () => {
    const device = Device.fromSnmprec(
      [
        '1.3.6.1.4.1.1.1.0|2|-5',
        '1.3.6.1.4.1.1.2.0|4|plain text|with a bar',
        '1.3.6.1.4.1.1.3.0|4x|00ff7c',
        "1.3.6.1.4.1.1.4.0|4e|tab\\there\\x00\\\\\\v\\'q",
        '1.3.6.1.4.1.1.5.0|5|',
        '1.3.6.1.4.1.1.6.0|6|1.3.6.1.4.1.8072',
        '1.3.6.1.4.1.1.7.0|64|10.0.0.1',
        '1.3.6.1.4.1.1.8.0|64x|0a000002',
        '1.3.6.1.4.1.1.9.0|65|4294967295',
        '1.3.6.1.4.1.1.10.0|66|7',
        '1.3.6.1.4.1.1.11.0|67|100',
        '1.3.6.1.4.1.1.12.0|68x|9f780441200000',
        '1.3.6.1.4.1.1.13.0|70|18446744073709551615',
      ].join('\n'),
    );
    const vbs = device.varbinds();
    expect(show(vbs)).toEqual([
      '1.3.6.1.4.1.1.1.0 = Integer:-5',
      '1.3.6.1.4.1.1.2.0 = OctetString:plain text|with a bar',
      '1.3.6.1.4.1.1.3.0 = OctetString:\u0000ÿ|',
      "1.3.6.1.4.1.1.4.0 = OctetString:tab\there\u0000\\\u000b'q",
      '1.3.6.1.4.1.1.5.0 = Null',
      '1.3.6.1.4.1.1.6.0 = ObjectIdentifier:1.3.6.1.4.1.8072',
      '1.3.6.1.4.1.1.7.0 = IpAddress:10.0.0.1',
      '1.3.6.1.4.1.1.8.0 = IpAddress:10.0.0.2',
      '1.3.6.1.4.1.1.9.0 = Counter32:4294967295',
      '1.3.6.1.4.1.1.10.0 = Gauge32:7',
      '1.3.6.1.4.1.1.11.0 = TimeTicks:100',
      '1.3.6.1.4.1.1.12.0 = Opaque:\u009fx\u0004A \u0000\u0000',
      '1.3.6.1.4.1.1.13.0 = Counter64:18446744073709551615',
    ]);
    const opaque = vbs[11]!.value;
    expect(opaque.type === 'Opaque' && opaque.opaque).toEqual({ type: 'Float', value: 10 });
  });

  it('sorts unsorted input and keeps the last of duplicate OIDs', () => {
    const device = Device.fromSnmprec('1.3.6.1.10|2|1\n1.3.6.1.9|2|2\n1.3.6.1.10|2|3\n1.3.6.1.9.1|2|4\n');
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.9 = Integer:2',
      '1.3.6.1.9.1 = Integer:4',
      '1.3.6.1.10 = Integer:3',
    ]);
  });

  it('names the line of a malformed record', () => {
    expect(() => Device.fromSnmprec('1.3.6.1.1|2|1\n# comment\nnot a record\n')).toThrow(DataFormatError);
    expect(() => Device.fromSnmprec('1.3.6.1.1|2|1\n1.3.6.1.2|99|1\n')).toThrow(/2: unknown tag/);
    expect(() => Device.fromSnmprec('1.3.6.1.1|2:nosuchmodule|x\n')).toThrow(/unknown variation module/);
  });

  it('round-trips through formatSnmprec (printable text plain, other bytes hex)', () => {
    const device = new Device();
    device.set('1.3.6.1.4.1.2.1', SnmpValue.octetString('hello world'));
    device.set('1.3.6.1.4.1.2.2', SnmpValue.octetString(Uint8Array.from([0, 1, 0xfe])));
    device.set('1.3.6.1.4.1.2.3', SnmpValue.counter64(2n ** 63n));
    device.set('1.3.6.1.4.1.2.4', SnmpValue.ipAddress('192.168.1.1'));
    const text = formatSnmprec(device.varbinds());
    expect(text).toBe(
      '1.3.6.1.4.1.2.1|4|hello world\n1.3.6.1.4.1.2.2|4x|0001fe\n1.3.6.1.4.1.2.3|70|9223372036854775808\n1.3.6.1.4.1.2.4|64|192.168.1.1\n',
    );
    expect(parseSnmprec(text).map((r) => r.tag)).toEqual([4, 4, 70, 64]);
    expect(Device.fromSnmprec(text).varbinds()).toEqual(device.varbinds());
  });
});

describe('Net-SNMP walk output', () => {
  it('imports -On and -ObentU output by TYPE prefix, joining multi-line values', () => {
    const walk = [
      '.1.3.6.1.2.1.1.1.0 = STRING: "Linux \\"box\\" 5.10"',
      '.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10',
      '.1.3.6.1.2.1.1.3.0 = Timeticks: (4242) 0:00:42.42',
      '.1.3.6.1.2.1.1.4.0 = STRING: "line one',
      'line two"',
      '.1.3.6.1.2.1.1.7.0 = INTEGER: 72',
      '.1.3.6.1.2.1.2.2.1.3.1 = INTEGER: ethernetCsmacd(6)',
      '.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 1000000000',
      '.1.3.6.1.2.1.2.2.1.6.1 = Hex-STRING: 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF ',
      '00 01 ',
      '.1.3.6.1.2.1.2.2.1.10.1 = Counter32: 12',
      '.1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress: 10.0.0.1',
      '.1.3.6.1.2.1.25.1.1.0 = Timeticks: 77',
      '.1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 123456789012',
      '.1.3.6.1.2.1.31.1.1.1.18.1 = ""',
      '.1.3.6.1.2.1.99.0 = No Such Object available on this agent at this OID',
    ].join('\n');
    const device = Device.fromWalk(walk, { liveSysUpTime: false });
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:Linux "box" 5.10',
      '1.3.6.1.2.1.1.2.0 = ObjectIdentifier:1.3.6.1.4.1.8072.3.2.10',
      '1.3.6.1.2.1.1.3.0 = TimeTicks:4242',
      '1.3.6.1.2.1.1.4.0 = OctetString:line one\nline two',
      '1.3.6.1.2.1.1.7.0 = Integer:72',
      '1.3.6.1.2.1.2.2.1.3.1 = Integer:6',
      '1.3.6.1.2.1.2.2.1.5.1 = Gauge32:1000000000',
      `1.3.6.1.2.1.2.2.1.6.1 = OctetString:${Buffer.from('00112233445566778899aabbccddeeff0001', 'hex').toString('latin1')}`,
      '1.3.6.1.2.1.2.2.1.10.1 = Counter32:12',
      '1.3.6.1.2.1.4.20.1.1.10.0.0.1 = IpAddress:10.0.0.1',
      '1.3.6.1.2.1.25.1.1.0 = TimeTicks:77',
      '1.3.6.1.2.1.31.1.1.1.6.1 = Counter64:123456789012',
      '1.3.6.1.2.1.31.1.1.1.18.1 = OctetString',
    ]);
  });

  it('reads a bare number as TimeTicks (-Ot), and names a value it cannot read', () => {
    const device = Device.fromWalk('.1.3.6.1.2.1.1.3.0 = 4242\n.1.3.6.1.2.1.25.1.1.0 = 77\n', { liveSysUpTime: false });
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:4242',
      '1.3.6.1.2.1.25.1.1.0 = TimeTicks:77',
    ]);
    expect(() =>
      Device.fromWalk('.1.3.6.1.2.1.1.1.0 = STRING: "a"\n.1.3.6.1.2.1.1.3.0 = soon\n', { source: 'w' }),
    ).toThrow('w:2: 1.3.6.1.2.1.1.3.0: cannot read the value "soon": expected TYPE: VALUE');
    // Net-SNMP's note on a type the MIB did not expect is not part of the value.
    const wrong = Device.fromWalk('.1.3.6.1.2.1.2.2.1.5.1 = Wrong Type (should be Gauge32): Counter32: 5\n');
    expect(show(wrong.varbinds())).toEqual(['1.3.6.1.2.1.2.2.1.5.1 = Counter32:5']);
  });

  it('refuses symbolic OIDs with a hint', () => {
    expect(() => parseWalk('.1.3.6.1.2.1.1.2.0 = OID: NET-SNMP-MIB::netSnmpAgentOIDs.10\n')).toThrow(/-On/);
  });
});

describe('the programmatic API', () => {
  it('sets, removes and defines values, subtrees included', () => {
    const device = Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|a\n1.3.6.1.2.1.2.1.0|2|2\n1.3.6.1.2.1.2.2.1.1.1|2|1\n');
    device.set('1.3.6.1.2.1.1.5.0', SnmpValue.octetString('name'));
    expect(device.remove('1.3.6.1.2.1.1.1.0')).toBe(true);
    expect(device.remove('1.3.6.1.2.1.1.1.0')).toBe(false);
    let calls = 0;
    device.define('1.3.6.1.2.1.1.3.0', (ctx) => SnmpValue.timeTicks(Math.floor(ctx.uptimeMs / 10) + ++calls));
    device.defineSubtree('1.3.6.1.2.1.2.2', () => [
      { oid: '1.3.6.1.2.1.2.2.1.2.2', value: SnmpValue.octetString('eth1') },
      { oid: '1.3.6.1.2.1.2.2.1.2.1', value: SnmpValue.octetString('eth0') },
    ]);
    expect(show(device.varbinds())).toEqual([
      '1.3.6.1.2.1.1.3.0 = TimeTicks:1',
      '1.3.6.1.2.1.1.5.0 = OctetString:name',
      '1.3.6.1.2.1.2.1.0 = Integer:2',
      '1.3.6.1.2.1.2.2.1.2.1 = OctetString:eth0',
      '1.3.6.1.2.1.2.2.1.2.2 = OctetString:eth1',
    ]);
    expect(device.get('1.3.6.1.2.1.2.2.1.1.1')).toBeUndefined(); // hidden under the dynamic subtree
    expect(device.removeDynamicSubtree('1.3.6.1.2.1.2.2')).toBe(true);
    expect(device.get('1.3.6.1.2.1.2.2.1.1.1')).toEqual(SnmpValue.integer(1));
    expect(device.removeSubtree('1.3.6.1.2.1.2')).toBe(2);
    expect(device.size).toBe(2);
  });

  it('refuses invalid OIDs and unencodable values up front', () => {
    const device = new Device();
    expect(() => device.set('1.3.x', SnmpValue.integer(1))).toThrow(/not a valid OID/);
    expect(() => device.set('1.3.6', SnmpValue.integer(2 ** 40))).toThrow(RangeError);
  });
});

describe('the value cache', () => {
  it('decodes evicted values again from their text, and keeps values set since', () => {
    const text = Array.from({ length: 50 }, (_, i) => `1.3.6.1.4.1.3.${i + 1}|4|value ${i + 1}\n`).join('');
    const device = Device.fromSnmprec(text, { cacheSize: 4 });
    device.set('1.3.6.1.4.1.3.7', SnmpValue.octetString('set by hand'));
    const expected = Array.from(
      { length: 50 },
      (_, i) => `1.3.6.1.4.1.3.${i + 1} = OctetString:${i === 6 ? 'set by hand' : `value ${i + 1}`}`,
    );
    expect(show(device.varbinds())).toEqual(expected);
    expect(show(device.varbinds())).toEqual(expected); // a second walk, after every entry was evicted once
  });
});
