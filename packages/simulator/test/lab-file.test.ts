import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeMessage } from '@snmpkit/ber';
import { listen } from '@snmpkit/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabFileError, loadLabFile, parseLabFile, startLab, startLabFile, VirtualClock } from '../src/index.js';
import { ask, getPdu, show } from './helpers.js';
import { TEMPLATE } from './lab-template.js';

const FILE = `# a lab of routers and printers
seed 42

group routers
  template   router.snmprec      # relative to this file
  count      3
  address    127.1.0.1
  port       1161
  transport  udp tcp
  rocommunity public
  rocommunity sysonly -V system
  rwcommunity private
  rouser     admin:SHA:labpassword1:AES:labpassword2
  override   sysName "core {n:3}"
  override   sysLocation Rack {index}, row 7
  serial     SN{n:8}
  macs       off
  ip-address 10.1.0.1
  interfaces 4
  view       system included .1.3.6.1.2.1.1
  trap2sink  127.0.0.1:1162 public
  authtrapenable 1

group printers
  template /abs/printer.walk
  count    2
  layout   port
  port     20000
  transport udp6
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-lab-file-'));
  await writeFile(join(dir, 'router.snmprec'), TEMPLATE);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseLabFile', () => {
  it('reads groups, their devices, addresses, communities, users, overrides, views and sinks', () => {
    const file = parseLabFile(FILE, 'lab.conf');
    expect(file.seed).toBe(42);
    expect(file.groups.map((g) => [g.name, g.line, g.templateLine, g.template, g.count])).toEqual([
      ['routers', 4, 5, 'router.snmprec', 3],
      ['printers', 24, 25, '/abs/printer.walk', 2],
    ]);
    const [routers, printers] = file.groups as [(typeof file.groups)[0], (typeof file.groups)[0]];
    expect(routers).toMatchObject({
      address: '127.1.0.1',
      port: 1161,
      transports: ['udp', 'tcp'],
      communities: [
        { name: 'public', access: 'ro' },
        { name: 'sysonly', access: 'ro', readView: 'system' },
        { name: 'private', access: 'rw' },
      ],
      users: [{ name: 'admin', level: 'authPriv', access: 'ro' }],
      overrides: { sysName: 'core {n:3}', sysLocation: 'Rack {index}, row 7' },
      serial: 'SN{n:8}',
      macs: false,
      ipAddress: '10.1.0.1',
      interfaces: 4,
      sinks: [{ target: '127.0.0.1:1162', version: '2c', community: 'public' }],
      authTraps: true,
    });
    expect([...(routers.views as Map<string, unknown>).keys()]).toEqual(['system']);
    expect(printers).toMatchObject({ layout: 'port', port: 20000, transports: ['udp6'] });
  });

  const refused: [string, string][] = [
    ['count 3\n', 'lab.conf:1: count belongs in a group: start one with "group NAME"'],
    [
      'group a\n  tempalte x\n',
      'lab.conf:2: unknown directive "tempalte" (expected seed, scenario, control, group, template',
    ],
    [
      'group a\n  template x\n  count ten\n',
      'lab.conf:3: count: expected a whole number from 1 to 16777215, got "ten"',
    ],
    ['group a\n  count 2\n', 'lab.conf:1: group "a" has no template'],
    ['group a\n  template x\n', 'lab.conf:1: group "a" has no count'],
    ['group a\n  template x\n  count 1\ngroup a\n', 'lab.conf:4: a second group named "a"'],
    [
      'group a\n  template x\n  count 1\n  transport udp sctp\n',
      'lab.conf:4: transport: expected udp, udp6, tcp, tcp6, got "sctp"',
    ],
    ['group a\n  template x\n  count 1\n  address 127.1.0.256\n', 'lab.conf:4: address: expected an IPv4 address'],
    [
      'group a\n  template x\n  count 1\n  override sysName r-{serial}\n',
      'lab.conf:4: override: unknown placeholder {serial}',
    ],
    ['group a\n  template x\n  count 1\n  override sysName\n', 'lab.conf:4: expected override OID|NAME VALUE'],
    [
      'group a\n  template x\n  count 1\n  view v sideways .1\n',
      'lab.conf:4: "view v sideways .1": "sideways" is neither',
    ],
    [
      'group a\n  template x\n  count 1\n  rocommunity c -V nothere\n',
      'lab.conf:4: no view named "nothere" in group "a"',
    ],
    ['group a\n  template x\n  count 1\n  rouser bob:SHA\n', 'lab.conf:4: user bob:SHA'],
    ['group a\n  template x\n  count 1\n  trap2sink\n', 'lab.conf:4: expected trap2sink HOST [COMMUNITY [PORT]]'],
    [
      'group a\n  template x\n  count 1\n  authtrapenable yes\n',
      'lab.conf:4: authtrapenable: expected 1 (enabled) or 2',
    ],
    ['group a\n  template x\n  count 1\nseed 4\n', 'lab.conf:4: seed belongs before the first group'],
    ['# nothing\n', 'lab.conf:2: no group (group NAME)'],
  ];
  for (const [text, message] of refused) {
    it(`refuses: ${message}`, () => {
      const error = (() => {
        try {
          parseLabFile(text, 'lab.conf');
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(LabFileError);
      expect((error as Error).message.startsWith(message), (error as Error).message).toBe(true);
    });
  }

  it('never shows a user password in an error', () => {
    const error = (() => {
      try {
        parseLabFile('group a\n  template x\n  count 1\n  rouser bob:SHA:secretpass1:FOO:secretpass2\n', 'lab.conf');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^lab.conf:4: /);
    expect(error?.message).not.toContain('secretpass');
  });
});

describe('loadLabFile and startLabFile', () => {
  it('resolves templates against the file and names the template line of a missing one', async () => {
    const path = join(dir, 'missing.conf');
    await writeFile(path, 'group a\n  count 1\n  template nothere.snmprec\n');
    await expect(loadLabFile(path)).rejects.toThrow(`${path}:3: template nothere.snmprec: no such file`);
  });

  it("names the group's line when an address cannot be bound, and starts nothing", async () => {
    const blocker = await startLab({
      groups: [{ template: join(dir, 'router.snmprec'), count: 1, address: '127.3.9.2', port: 0 }],
    });
    try {
      const port = blocker.devices[0]!.port;
      const path = join(dir, 'clash.conf');
      await writeFile(path, `group late\n  template router.snmprec\n  count 2\n  address 127.3.9.1\n  port ${port}\n`);
      await expect(startLabFile(path)).rejects.toThrow(
        `${path}:1: device 2 (group "late"): cannot bind udp:127.3.9.2:${port}: EADDRINUSE`,
      );
    } finally {
      await blocker.close();
    }
  });

  it('serves what the file says: overrides, the view of a community, a read-write community', async () => {
    const path = join(dir, 'lab.conf');
    await writeFile(path, FILE.replace('/abs/printer.walk', 'router.snmprec'));
    const file = await loadLabFile(path);
    const lab = await startLab({ groups: file.groups, seed: file.seed ?? 1, listen: false, clock: new VirtualClock() });
    try {
      const d = lab.device(2)!;
      expect(d.engineId).toMatch(/^80001f8805[0-9a-f]{8}00000002$/);
      const all = await ask(d.agent, getPdu('GetRequest', '1.3.6.1.2.1.1.5.0', '1.3.6.1.2.1.1.6.0'));
      expect(show(all.varbinds)).toEqual([
        '1.3.6.1.2.1.1.5.0 = OctetString:core 002',
        '1.3.6.1.2.1.1.6.0 = OctetString:Rack 2, row 7',
      ]);
      const ip = await ask(d.agent, getPdu('GetRequest', '1.3.6.1.2.1.4.20.1.1.10.1.0.2'));
      expect(show(ip.varbinds)).toEqual(['1.3.6.1.2.1.4.20.1.1.10.1.0.2 = IpAddress:10.1.0.2']);
      // The sysonly community sees the system group and nothing else.
      const outside = await ask(d.agent, getPdu('GetRequest', '1.3.6.1.2.1.2.1.0'), 'sysonly');
      expect(outside.varbinds[0]!.value.type).toBe('NoSuchObject');
      const next = await ask(d.agent, getPdu('GetNextRequest', '1.3.6.1.2.1.1.6.0'), 'sysonly');
      expect(next.varbinds[0]!.value.type).toBe('EndOfMibView');
    } finally {
      await lab.close();
    }
  });

  it("sends a device's notifications from its own address to the group's sinks", async () => {
    const received: { address: string; bytes: Uint8Array }[] = [];
    const sink = await listen('udp:127.0.0.1:0', {
      onMessage: (bytes, remote) => received.push({ address: remote.source.address, bytes: Uint8Array.from(bytes) }),
    });
    const path = join(dir, 'sinks.conf');
    await writeFile(
      path,
      `group a\n  template router.snmprec\n  count 2\n  address 127.3.8.1\n  port 0\n  trap2sink 127.0.0.1:${sink.port} public\n`,
    );
    const lab = await startLabFile(path);
    try {
      const deliveries = await lab.device(2)!.notifications!.notify({ trapOid: '1.3.6.1.6.3.1.1.5.1' });
      expect(deliveries.map((d) => d.error)).toEqual([undefined]);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received.map((r) => r.address)).toEqual(['127.3.8.2']);
      const m = decodeMessage(received[0]!.bytes);
      expect(m.version === 1 && m.pdu.type).toBe('TrapV2');
    } finally {
      await lab.close();
      await sink.close();
    }
  });
});

describe('scenarios and the control endpoint from a lab file', () => {
  it('runs the scenario file on the lab clock and takes actions from another process over HTTP', async () => {
    await writeFile(join(dir, 'lab.scenario'), '10s routers linkDown ifIndex=2\n20s routers/1 reboot\n');
    const path = join(dir, 'scenario.conf');
    await writeFile(
      path,
      'scenario lab.scenario\ncontrol\ngroup routers\n  template router.snmprec\n  count 2\n  counters on\n',
    );
    const clock = new VirtualClock();
    const lab = await startLabFile(path, { listen: false, clock });
    try {
      const oper = (n: number) => lab.device(n)!.device.get('1.3.6.1.2.1.2.2.1.8.2');
      clock.advance(10_000);
      expect([oper(1), oper(2)]).toEqual([
        { type: 'Integer', value: 2 },
        { type: 'Integer', value: 2 },
      ]);
      clock.advance(10_000);
      expect(lab.devices.map((d) => d.agent.engineClock.boots)).toEqual([2, 1]);
      expect(lab.runner.events.map((e) => `${e.atMs} ${e.device} ${e.action}`)).toEqual([
        '10000 routers linkDown',
        '20000 routers/1 reboot',
      ]);
      // From another process: the control endpoint (here fetch, as curl would).
      const res = await fetch(`${lab.control!.url}/action`, {
        method: 'POST',
        body: JSON.stringify({ device: '127.1.0.2', action: 'linkUp', ifIndex: 2 }),
      });
      expect(await res.json()).toEqual({ ok: true, devices: 1 });
      expect([oper(1), oper(2)]).toEqual([
        { type: 'Integer', value: 2 },
        { type: 'Integer', value: 1 },
      ]);
    } finally {
      await lab.close();
    }
  });

  it('refuses a scenario that names no device of the lab, naming the scenario line, and starts nothing', async () => {
    await writeFile(join(dir, 'typo.scenario'), '# typo\n5s rooters linkDown ifIndex=1\n');
    const path = join(dir, 'typo.conf');
    await writeFile(path, 'scenario typo.scenario\ngroup routers\n  template router.snmprec\n  count 1\n');
    await expect(startLabFile(path, { listen: false })).rejects.toThrow(
      `${join(dir, 'typo.scenario')}:2: no device "rooters"`,
    );
  });
});
