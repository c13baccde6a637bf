import { decodeMessage, encodeMessage, MsgFlags, type V3Message } from '@snmpkit/ber';
import { describe, expect, it } from 'vitest';
import { Device, LabError, labEngineIdHex, labMac, startLab, VirtualClock } from '../src/index.js';
import { ask, getPdu, setPdu, show } from './helpers.js';
import { TEMPLATE } from './lab-template.js';

const text = (v: { type: string; value?: unknown } | undefined) =>
  v && v.type === 'OctetString' ? Buffer.from(v.value as Uint8Array).toString('latin1') : undefined;

function template(): Device {
  return Device.fromSnmprec(TEMPLATE, { source: 'template.snmprec' });
}

/** Every varbind of the agent's device by GETNEXT, as a manager walks it. */
async function walk(agent: Parameters<typeof ask>[0]): Promise<string[]> {
  const out: string[] = [];
  let oid = '0.0';
  for (;;) {
    const pdu = await ask(agent, getPdu('GetNextRequest', oid));
    const vb = pdu.varbinds[0]!;
    if (vb.value.type === 'EndOfMibView') return out;
    out.push(...show([vb]));
    oid = vb.oid;
  }
}

describe('a device derived from a template', () => {
  it('reads the template, shadows it with its own values and hides what it removes, in GETNEXT order', async () => {
    const base = template();
    const a = Device.fromTemplate(base);
    const b = Device.fromTemplate(base);
    a.set('1.3.6.1.2.1.1.5.0', { type: 'OctetString', value: Buffer.from('a') });
    a.set('1.3.6.1.2.1.2.2.1.1.3', { type: 'Integer', value: 3 });
    expect(a.removeSubtree('1.3.6.1.2.1.4.20')).toBe(4);
    expect(a.remove('1.3.6.1.2.1.47.1.1.1.1.11.2')).toBe(true);
    expect(text(a.get('1.3.6.1.2.1.1.5.0'))).toBe('a');
    expect(text(b.get('1.3.6.1.2.1.1.5.0'))).toBe('router');
    expect(a.get('1.3.6.1.2.1.4.20.1.1.10.0.0.1')).toBeUndefined();
    expect(b.get('1.3.6.1.2.1.4.20.1.1.10.0.0.1')).toEqual({ type: 'IpAddress', value: '10.0.0.1' });
    // What a walk of the derived device gives is what a device built with the same changes gives.
    const copy = Device.fromVarbinds(base.varbinds());
    copy.set('1.3.6.1.2.1.1.5.0', { type: 'OctetString', value: Buffer.from('a') });
    copy.set('1.3.6.1.2.1.2.2.1.1.3', { type: 'Integer', value: 3 });
    copy.removeSubtree('1.3.6.1.2.1.4.20');
    copy.remove('1.3.6.1.2.1.47.1.1.1.1.11.2');
    expect(show(a.varbinds())).toEqual(show(copy.varbinds()));
    expect(a.size).toBe(copy.size);
    expect(a.ownSize).toBe(2);
    expect(b.size).toBe(base.size);
  });

  it('answers noSuchInstance for a removed row of an object it still has, noSuchObject when none is left', () => {
    const base = template();
    const d = Device.fromTemplate(base);
    d.remove('1.3.6.1.2.1.2.2.1.1.2');
    const ctx = { uptimeMs: 0, random: { next: () => 0 } as never, operation: 'get' as const, subtreeCache: new Map() };
    expect(d.read('1.3.6.1.2.1.2.2.1.1.2', ctx)).toBe('NoSuchInstance');
    d.remove('1.3.6.1.2.1.2.2.1.1.1');
    expect(d.read('1.3.6.1.2.1.2.2.1.1.2', ctx)).toBe('NoSuchObject');
  });

  it('refuses changes to a template once devices share it, and refuses a derived device as a template', () => {
    const base = template();
    const d = Device.fromTemplate(base);
    expect(() => base.set('1.3.6.1.2.1.1.5.0', { type: 'OctetString', value: new Uint8Array() })).toThrow(
      /template of derived devices/,
    );
    expect(() => base.remove('1.3.6.1.2.1.1.5.0')).toThrow(RangeError);
    expect(() => Device.fromTemplate(d)).toThrow(/derived device cannot be a template/);
  });
});

describe('startLab on the in-memory transport', () => {
  it('gives each device its own sysName, MACs, serial numbers, IP row and engine ID', async () => {
    const lab = await startLab({
      groups: [
        {
          name: 'routers',
          template: template(),
          count: 3,
          overrides: { sysName: 'rtr-{n:3}', sysDescr: '{value} #{index}' },
        },
      ],
      listen: false,
      seed: 7,
      clock: new VirtualClock(),
    });
    try {
      expect(lab.devices.map((d) => d.address)).toEqual(['127.1.0.1', '127.1.0.2', '127.1.0.3']);
      const d2 = lab.device(2)!;
      expect(lab.at('127.1.0.2')).toBe(d2);
      const pdu = await ask(
        d2.agent,
        getPdu(
          'GetRequest',
          '1.3.6.1.2.1.1.5.0',
          '1.3.6.1.2.1.1.1.0',
          '1.3.6.1.2.1.2.2.1.6.2',
          '1.3.6.1.2.1.2.2.1.6.1',
          '1.3.6.1.2.1.47.1.1.1.1.11.1',
          '1.3.6.1.2.1.47.1.1.1.1.11.2',
          '1.3.6.1.2.1.4.20.1.1.127.1.0.2',
          '1.3.6.1.2.1.4.20.1.2.127.1.0.2',
          '1.3.6.1.2.1.4.20.1.1.10.0.0.1',
          '1.3.6.1.6.3.10.2.1.1.0',
        ),
      );
      const [name, descr, mac, emptyMac, serial, noSerial, ip, ifIndex, oldIp, engineId] = pdu.varbinds.map(
        (vb) => vb.value,
      );
      expect(text(name)).toBe('rtr-002');
      expect(text(descr)).toBe('Lab router #2');
      expect(mac).toEqual({ type: 'OctetString', value: labMac(7, 2, 2) });
      expect(Buffer.from(labMac(7, 2, 2)).toString('hex')).toMatch(/^02..00000202$/);
      expect(emptyMac).toEqual({ type: 'OctetString', value: new Uint8Array() }); // no MAC in the template: none
      expect(text(serial)).toBe('FOC1234-000002');
      expect(text(noSerial)).toBe('');
      expect(ip).toEqual({ type: 'IpAddress', value: '127.1.0.2' });
      expect(ifIndex).toEqual({ type: 'Integer', value: 2 });
      expect(oldIp?.type).toBe('NoSuchObject'); // as a device built without the row answers (nothing under its parent)
      expect(Buffer.from((engineId as { value: Uint8Array }).value).toString('hex')).toBe(labEngineIdHex(7, 2));
      expect(d2.engineId).toBe(labEngineIdHex(7, 2));
      expect(new Set(lab.devices.map((d) => d.engineId)).size).toBe(3);
      // The template's data is not copied: each device holds only its overrides.
      expect(d2.device.template).toBe(lab.device(1)!.device.template);
      expect(d2.device.ownSize).toBeLessThan(12);
    } finally {
      await lab.close();
    }
  });

  it('keeps what a SET writes on the device written to', async () => {
    const lab = await startLab({
      groups: [{ template: template(), count: 2 }],
      listen: false,
      clock: new VirtualClock(),
    });
    try {
      const [one, two] = lab.devices;
      const value = { type: 'OctetString' as const, value: Buffer.from('row 9') };
      const set = await ask(one!.agent, setPdu(['1.3.6.1.2.1.1.6.0', value]), 'private');
      expect(set.errorStatus).toBe(0);
      const read = async (d: typeof one) =>
        text((await ask(d!.agent, getPdu('GetRequest', '1.3.6.1.2.1.1.6.0'))).varbinds[0]!.value);
      expect(await read(one)).toBe('row 9');
      expect(await read(two)).toBe('rack');
      expect(text(one!.device.template!.get('1.3.6.1.2.1.1.6.0'))).toBe('rack');
      // A second SET reaches the device's own copy; a read-only object stays read-only.
      expect((await ask(one!.agent, setPdu(['1.3.6.1.2.1.1.6.0', value]), 'private')).errorStatus).toBe(0);
      const refused = await ask(one!.agent, setPdu(['1.3.6.1.2.1.1.1.0', value]), 'private');
      expect(refused.errorStatus).toBe(17); // notWritable
    } finally {
      await lab.close();
    }
  });

  it('walks each device as the template with its overrides, in order and without repeats', async () => {
    const lab = await startLab({
      groups: [{ template: template(), count: 2 }],
      listen: false,
      clock: new VirtualClock(),
    });
    try {
      const lines = await walk(lab.device(2)!.agent);
      expect(lines).toEqual(show(lab.device(2)!.device.varbinds()));
      // The template's OIDs, the IP row under a new index, and snmpEngineTime, which a lab device serves live.
      expect(lines.length).toBe(template().size + 1);
      expect(lines).toContain('1.3.6.1.6.3.10.2.1.3.0 = Integer:0');
      expect(lines).toContain('1.3.6.1.2.1.1.5.0 = OctetString:router-2');
      expect(lines).toContain('1.3.6.1.2.1.4.20.1.1.127.1.0.2 = IpAddress:127.1.0.2');
    } finally {
      await lab.close();
    }
  });

  it('gives each device its own v3 engine: discovery reports its engine ID, boots 1 and its own time', async () => {
    const clock = new VirtualClock();
    const lab = await startLab({
      groups: [{ template: template(), count: 2, users: ['admin:SHA:labpassword1:AES:labpassword2'] }],
      listen: false,
      seed: 3,
      clock,
    });
    try {
      for (const d of lab.devices) {
        const m: V3Message = {
          version: 3,
          msgId: 1,
          msgMaxSize: 65507,
          msgFlags: MsgFlags.reportable,
          securityModel: 3,
          securityParameters: {
            engineId: new Uint8Array(),
            engineBoots: 0,
            engineTime: 0,
            userName: '',
            authParameters: new Uint8Array(),
            privParameters: new Uint8Array(),
          },
          scopedPdu: {
            contextEngineId: new Uint8Array(),
            contextName: '',
            pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.5.0'),
          },
        };
        const reply = decodeMessage((await d.agent.request(encodeMessage(m)))!);
        expect(reply.version).toBe(3);
        if (reply.version !== 3) continue;
        expect(Buffer.from(reply.securityParameters.engineId).toString('hex')).toBe(labEngineIdHex(3, d.number));
        expect(reply.securityParameters.engineBoots).toBe(1);
      }
      lab.device(1)!.agent.restart();
      expect(lab.device(1)!.agent.engineClock.boots).toBe(2);
      expect(lab.device(2)!.agent.engineClock.boots).toBe(1);
    } finally {
      await lab.close();
    }
  });

  it('calls onDevice for each device before it listens, and reports progress', async () => {
    const seen: number[] = [];
    const progress: [number, number][] = [];
    const lab = await startLab({
      groups: [
        { template: template(), count: 3 },
        { template: template(), count: 2, layout: 'port', port: 20000 },
      ],
      listen: false,
      clock: new VirtualClock(),
      onDevice: (d) => seen.push(d.number),
      onProgress: (started, total) => progress.push([started, total]),
    });
    await lab.close();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(lab.groups.map((g) => g.description)).toEqual([
      'udp 127.1.0.1 .. 127.1.0.3 port 161',
      'udp 127.0.0.1 ports 20000 .. 20001',
    ]);
  });
});

describe('fewer interfaces than the template', () => {
  it('leaves out the ifTable rows past the count, in the shared table, and says so in ifNumber', async () => {
    const lab = await startLab({ groups: [{ template: template(), count: 2, interfaces: 1 }], listen: false });
    try {
      const d = lab.device(2)!;
      const lines = await walk(d.agent);
      expect(lines.filter((l) => l.startsWith('1.3.6.1.2.1.2.2.1.'))).toEqual([
        '1.3.6.1.2.1.2.2.1.1.1 = Integer:1',
        '1.3.6.1.2.1.2.2.1.6.1 = OctetString',
        '1.3.6.1.2.1.2.2.1.7.1 = Integer:1',
        '1.3.6.1.2.1.2.2.1.8.1 = Integer:1',
        '1.3.6.1.2.1.2.2.1.9.1 = TimeTicks:0',
        '1.3.6.1.2.1.2.2.1.10.1 = Counter32:1000',
      ]);
      expect(lines).toContain('1.3.6.1.2.1.2.1.0 = Integer:1');
      expect(d.device.ownSize).toBe(lab.device(1)!.device.ownSize);
    } finally {
      await lab.close();
    }
  });
});

describe('devices that live in a lab', () => {
  it('counts each device at its own rates from one definition in the shared table, and reboots one alone', async () => {
    const clock = new VirtualClock();
    const lab = await startLab({ groups: [{ template: template(), count: 3, counters: true }], listen: false, clock });
    try {
      clock.advance(60_000);
      // Read through each device's agent: its uptime and engine are what the counters count from.
      const octets = async (n: number) =>
        (await ask(lab.device(n)!.agent, getPdu('GetRequest', '1.3.6.1.2.1.2.2.1.10.1'))).varbinds[0]!.value as {
          value: number;
        };
      const values = await Promise.all([1, 2, 3].map(async (n) => (await octets(n)).value));
      expect(new Set(values).size).toBe(3); // not identical across devices
      expect(values.every((v) => v > 1000)).toBe(true);
      // The counters live in the template's table: nothing per device but the overrides.
      expect(lab.device(1)!.device.ownSize).toBe(lab.device(2)!.device.ownSize);
      lab.runner.apply('2', { action: 'reboot' });
      expect((await octets(2)).value).toBeLessThan(values[1]!);
      expect((await octets(1)).value).toBe(values[0]);
      expect(lab.devices.map((d) => d.agent.engineClock.boots)).toEqual([1, 2, 1]);
      expect(lab.find('group1').length).toBe(3);
      expect(lab.find('group1/3')[0]!.number).toBe(3);
      expect(lab.find('127.1.0.2')[0]!.name).toBe('group1/2');
      expect(lab.find('nothing')).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});

describe('startLab refuses bad groups, naming the group and what was expected', () => {
  const refuse = async (group: Parameters<typeof startLab>[0]['groups'][0], pattern: RegExp) => {
    const error = await startLab({ groups: [group], listen: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('refuses counts, layouts, placeholders, addresses and templates that cannot work', async () => {
    await refuse({ name: 'g', template: template(), count: 0 }, /group "g": count must be a whole number from 1/);
    await refuse({ template: template(), count: 2, transports: ['udp6'] }, /udp6 needs layout 'port'/);
    await refuse(
      { template: template(), count: 1, overrides: { sysName: 'x-{serial}' } },
      /unknown placeholder \{serial\}/,
    );
    await refuse({ template: template(), count: 1, overrides: { 'not an oid': 'x' } }, /neither an OID/);
    await refuse({ template: template(), count: 2, address: '255.255.255.255' }, /past 255.255.255.255/);
    await refuse({ template: template(), count: 5, layout: 'port', port: 65534 }, /ports 65534 .. 65538/);
    await refuse({ template: '/nonexistent/device.snmprec', count: 1 }, /template \/nonexistent\/device.snmprec/);
  });
});
