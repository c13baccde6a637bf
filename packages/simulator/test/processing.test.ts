import { SnmpValue } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { Agent, Device, ErrorStatus } from '../src/index.js';
import { ask, bulkPdu, getPdu, setPdu, show } from './helpers.js';

const DATA = `1.3.6.1.2.1.1.1.0|4|Test device
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.1.3.0|67|500
1.3.6.1.2.1.1.5.0|4:writecache|value=router1
1.3.6.1.2.1.1.6.0|4|lab
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.2.1|4|eth0
1.3.6.1.2.1.2.2.1.2.2|4|eth1
1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615
1.3.6.1.2.1.31.1.1.1.6.2|70|7
1.3.6.1.2.1.31.1.1.1.18.1|4|uplink
`;

function agent(options: Partial<ConstructorParameters<typeof Agent>[0]> = {}): Agent {
  return new Agent({ device: Device.fromSnmprec(DATA), ...options });
}

describe('GET', () => {
  it('answers values and, on v2c, noSuchObject/noSuchInstance for what is missing', async () => {
    const r = await ask(agent(), getPdu('GetRequest', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.1', '1.3.6.1.2.1.1.99.0'));
    expect(r.errorStatus).toBe(0);
    expect(show(r.varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:Test device',
      '1.3.6.1.2.1.1.1 = NoSuchInstance',
      '1.3.6.1.2.1.1.99.0 = NoSuchObject',
    ]);
  });

  it('answers noSuchName with the index of the first missing OID on v1, echoing the request', async () => {
    const r = await ask(agent(), getPdu('GetRequest', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.99.0'), 'public', 0);
    expect(r.errorStatus).toBe(ErrorStatus.noSuchName);
    expect(r.errorIndex).toBe(2);
    expect(show(r.varbinds)).toEqual(['1.3.6.1.2.1.1.1.0 = Null', '1.3.6.1.2.1.1.99.0 = Null']);
  });

  it('refuses a Counter64 on v1 with noSuchName (RFC 3584 §4.2.2.1)', async () => {
    const r = await ask(agent(), getPdu('GetRequest', '1.3.6.1.2.1.31.1.1.1.6.1'), 'public', 0);
    expect(r.errorStatus).toBe(ErrorStatus.noSuchName);
    expect(r.errorIndex).toBe(1);
  });

  it('drops an unknown community silently and counts it', async () => {
    const a = agent();
    const { encodeMessage } = await import('@snmpkit/ber');
    const reply = await a.request(
      encodeMessage({ version: 1, community: 'nope', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') }),
      100,
    );
    expect(reply).toBeUndefined();
    expect(a.stats.badCommunityNames).toBe(1);
    expect(a.stats.answered).toBe(0);
  });

  it('drops garbage and counts it as a parse error', async () => {
    const a = agent();
    expect(await a.request(Uint8Array.from([0x30, 0x03, 0x02, 0x01]), 50)).toBeUndefined();
    expect(a.stats.parseErrors).toBe(1);
  });
});

describe('GETNEXT', () => {
  it('answers the lexicographic successor, and endOfMibView at the end on v2c', async () => {
    const r = await ask(
      agent(),
      getPdu('GetNextRequest', '1.3.6.1.2.1.1', '1.3.6.1.2.1.2.2.1.2.2', '1.3.6.1.2.1.31.1.1.1.18.1'),
    );
    expect(show(r.varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:Test device',
      '1.3.6.1.2.1.31.1.1.1.6.1 = Counter64:18446744073709551615',
      '1.3.6.1.2.1.31.1.1.1.18.1 = EndOfMibView',
    ]);
  });

  it('skips Counter64 values on v1 and answers noSuchName past the end', async () => {
    const a = agent();
    const r = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.2.2.1.2.2'), 'public', 0);
    expect(show(r.varbinds)).toEqual(['1.3.6.1.2.1.31.1.1.1.18.1 = OctetString:uplink']);
    const end = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.31.1.1.1.18.1'), 'public', 0);
    expect(end.errorStatus).toBe(ErrorStatus.noSuchName);
    expect(end.errorIndex).toBe(1);
  });
});

describe('GETBULK', () => {
  it('answers non-repeaters once and repeaters max-repetitions times (RFC 3416 §4.2.3)', async () => {
    const r = await ask(agent(), bulkPdu(1, 2, '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.2.2.1.1', '1.3.6.1.2.1.2.2.1.2'));
    expect(show(r.varbinds)).toEqual([
      '1.3.6.1.2.1.1.2.0 = ObjectIdentifier:1.3.6.1.4.1.8072.3.2.10',
      '1.3.6.1.2.1.2.2.1.1.1 = Integer:1',
      '1.3.6.1.2.1.2.2.1.2.1 = OctetString:eth0',
      '1.3.6.1.2.1.2.2.1.1.2 = Integer:2',
      '1.3.6.1.2.1.2.2.1.2.2 = OctetString:eth1',
    ]);
  });

  it('stops repeating once every repeater is past the end of the MIB', async () => {
    const r = await ask(agent(), bulkPdu(0, 50, '1.3.6.1.2.1.31.1.1.1.6.2'));
    expect(show(r.varbinds)).toEqual([
      '1.3.6.1.2.1.31.1.1.1.18.1 = OctetString:uplink',
      '1.3.6.1.2.1.31.1.1.1.18.1 = EndOfMibView',
    ]);
  });

  it('cuts the response to the size limit instead of answering tooBig', async () => {
    const device = new Device();
    for (let i = 1; i <= 200; i++) device.set(`1.3.6.1.4.1.99.1.${i}`, SnmpValue.octetString('x'.repeat(20)));
    const a = new Agent({ device, maxMessageSize: 484 });
    const { encodeMessage } = await import('@snmpkit/ber');
    const pdu = bulkPdu(0, 200, '1.3.6.1.4.1.99');
    const reply = await a.request(encodeMessage({ version: 1, community: 'public', pdu }));
    expect(reply!.length).toBeLessThanOrEqual(484);
    const r = await ask(a, pdu);
    expect(r.errorStatus).toBe(0);
    expect(r.varbinds.length).toBeGreaterThan(5);
    expect(r.varbinds.length).toBeLessThan(200);
    expect(r.varbinds.map((vb) => vb.oid)).toEqual(r.varbinds.map((_, i) => `1.3.6.1.4.1.99.1.${i + 1}`));
  });

  it('is dropped on v1 (no GetBulk in SNMPv1)', async () => {
    const a = agent();
    const { encodeMessage } = await import('@snmpkit/ber');
    const bytes = encodeMessage({ version: 0, community: 'public', pdu: bulkPdu(0, 5, '1.3.6') });
    expect(await a.request(bytes, 50)).toBeUndefined();
    expect(a.stats.unsupportedPdus).toBe(1);
  });
});

describe('tooBig', () => {
  it('answers tooBig with no varbinds on v2c and with the request varbinds on v1', async () => {
    const device = new Device();
    device.set('1.3.6.1.4.1.99.1.0', SnmpValue.octetString('y'.repeat(600)));
    const a = new Agent({ device, maxMessageSize: 484 });
    const v2 = await ask(a, getPdu('GetRequest', '1.3.6.1.4.1.99.1.0'));
    expect(v2.errorStatus).toBe(ErrorStatus.tooBig);
    expect(v2.errorIndex).toBe(0);
    expect(v2.varbinds).toEqual([]);
    const v1 = await ask(a, getPdu('GetRequest', '1.3.6.1.4.1.99.1.0'), 'public', 0);
    expect(v1.errorStatus).toBe(ErrorStatus.tooBig);
    expect(show(v1.varbinds)).toEqual(['1.3.6.1.4.1.99.1.0 = Null']);
  });
});

describe('SET', () => {
  it('writes a writecache value and reads it back', async () => {
    const a = agent();
    const r = await ask(a, setPdu(['1.3.6.1.2.1.1.5.0', SnmpValue.octetString('core2')]), 'private');
    expect(r.errorStatus).toBe(0);
    expect(show(r.varbinds)).toEqual(['1.3.6.1.2.1.1.5.0 = OctetString:core2']);
    const g = await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0'));
    expect(show(g.varbinds)).toEqual(['1.3.6.1.2.1.1.5.0 = OctetString:core2']);
  });

  it('is all or nothing: one refused varbind leaves the others unwritten', async () => {
    const a = agent();
    const r = await ask(
      a,
      setPdu(
        ['1.3.6.1.2.1.1.5.0', SnmpValue.octetString('changed')],
        ['1.3.6.1.2.1.1.1.0', SnmpValue.octetString('x')],
      ),
      'private',
    );
    expect(r.errorStatus).toBe(ErrorStatus.notWritable);
    expect(r.errorIndex).toBe(2);
    const g = await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0'));
    expect(show(g.varbinds)).toEqual(['1.3.6.1.2.1.1.5.0 = OctetString:router1']);
  });

  it('answers wrongType, wrongLength, noCreation, inconsistentValue and noAccess', async () => {
    const device = Device.fromSnmprec(
      `${DATA}1.3.6.1.2.1.2.2.1.7.1|2:writecache|value=1,vlist=eq:3:inconsistentValue\n`,
    );
    device.setWritable('1.3.6.1.2.1.31.1.1.1.18.1', { maxLength: 8 });
    const a = new Agent({ device });
    const statusOf = async (oid: string, value: SnmpValue, community = 'private') =>
      (await ask(a, setPdu([oid, value]), community)).errorStatus;
    expect(await statusOf('1.3.6.1.2.1.1.5.0', SnmpValue.integer(5))).toBe(ErrorStatus.wrongType);
    expect(await statusOf('1.3.6.1.2.1.31.1.1.1.18.1', SnmpValue.octetString('far too long'))).toBe(
      ErrorStatus.wrongLength,
    );
    expect(await statusOf('1.3.6.1.2.1.31.1.1.1.18.1', SnmpValue.octetString('ok'))).toBe(0);
    expect(await statusOf('1.3.6.1.2.1.31.1.1.1.18.9', SnmpValue.octetString('new'))).toBe(ErrorStatus.noCreation);
    expect(await statusOf('1.3.6.1.2.1.2.2.1.7.1', SnmpValue.integer(3))).toBe(ErrorStatus.inconsistentValue);
    expect(await statusOf('1.3.6.1.2.1.2.2.1.7.1', SnmpValue.integer(2))).toBe(0);
    expect(await statusOf('1.3.6.1.2.1.1.5.0', SnmpValue.octetString('x'), 'public')).toBe(ErrorStatus.noAccess);
    expect(a.stats.badCommunityUses).toBe(1);
  });

  it('maps v2 SET errors to v1 ones (RFC 3584 §4.4)', async () => {
    const a = agent();
    const wrongType = await ask(a, setPdu(['1.3.6.1.2.1.1.5.0', SnmpValue.integer(5)]), 'private', 0);
    expect(wrongType.errorStatus).toBe(ErrorStatus.badValue);
    const notWritable = await ask(a, setPdu(['1.3.6.1.2.1.1.1.0', SnmpValue.octetString('x')]), 'private', 0);
    expect(notWritable.errorStatus).toBe(ErrorStatus.noSuchName);
  });

  it('creates rows under a creatable subtree', async () => {
    const device = Device.fromSnmprec(DATA);
    device.allowCreation('1.3.6.1.4.1.99.2', { type: 'OctetString' });
    const a = new Agent({ device });
    expect((await ask(a, setPdu(['1.3.6.1.4.1.99.2.1.5', SnmpValue.octetString('row')]), 'private')).errorStatus).toBe(
      0,
    );
    expect((await ask(a, setPdu(['1.3.6.1.4.1.99.2.1.6', SnmpValue.integer(1)]), 'private')).errorStatus).toBe(
      ErrorStatus.wrongType,
    );
    expect(show((await ask(a, getPdu('GetRequest', '1.3.6.1.4.1.99.2.1.5'))).varbinds)).toEqual([
      '1.3.6.1.4.1.99.2.1.5 = OctetString:row',
    ]);
  });
});

describe('communities and devices', () => {
  it('serves one device per community name', async () => {
    const a = new Agent({
      devices: {
        switch: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|a switch\n'),
        router: Device.fromSnmprec('1.3.6.1.2.1.1.1.0|4|a router\n'),
      },
    });
    expect(show((await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), 'switch')).varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:a switch',
    ]);
    expect(show((await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.1.0'), 'router')).varbinds)).toEqual([
      '1.3.6.1.2.1.1.1.0 = OctetString:a router',
    ]);
  });
});

describe('a failing dynamic value', () => {
  it('answers genErr at its varbind instead of taking the agent down', async () => {
    const device = Device.fromSnmprec(DATA);
    device.define('1.3.6.1.2.1.1.4.0', () => {
      throw new Error('sensor offline');
    });
    const a = new Agent({ device });
    const r = await ask(a, getPdu('GetRequest', '1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.4.0'));
    expect(r.errorStatus).toBe(ErrorStatus.genErr);
    expect(r.errorIndex).toBe(2);
    const next = await ask(a, getPdu('GetNextRequest', '1.3.6.1.2.1.1.3.0'));
    expect(next.errorStatus).toBe(ErrorStatus.genErr);
  });
});
