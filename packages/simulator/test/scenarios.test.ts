import { spawn } from 'node:child_process';
import { decodeMessage, encodeMessage, type SnmpValue } from '@snmpkit/ber';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Device,
  LivingCounters,
  NotificationOriginator,
  parseScenario,
  ScenarioError,
  ScenarioRunner,
  SeededRandom,
  type SimulatedDevice,
  startControlEndpoint,
  VirtualClock,
} from '../src/index.js';
import { ask, getPdu, memorySink, show } from './helpers.js';

const DATA = `1.3.6.1.2.1.1.1.0|4|router
1.3.6.1.2.1.1.3.0|67|0
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.7.1|2|1
1.3.6.1.2.1.2.2.1.7.2|2|1
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.9.1|67|0
1.3.6.1.2.1.2.2.1.9.2|67|0
1.3.6.1.2.1.2.2.1.10.1|65|1000
1.3.6.1.2.1.2.2.1.10.2|65|2000
1.3.6.1.2.1.31.1.1.1.6.2|70|5000
`;
const IF_IN_OCTETS_2 = '1.3.6.1.2.1.2.2.1.10.2';

function lab(count: number, clock = new VirtualClock()) {
  const sink = memorySink();
  const devices: SimulatedDevice[] = [];
  for (let i = 1; i <= count; i++) {
    const device = Device.fromSnmprec(DATA);
    const agent = new Agent({ device, clock, engineBoots: 1 });
    devices.push({
      name: `dev-${i}`,
      agent,
      device,
      counters: new LivingCounters(device, { seed: i }),
      notifications: NotificationOriginator.forAgent(agent, ['trap2sink memory'], { openTransport: sink.open }),
    });
  }
  const runner = new ScenarioRunner({
    clock,
    devices: (name) => (name === '*' ? devices : devices.filter((d) => d.name === name)),
  });
  return { clock, sink, devices, runner };
}

const value = (d: SimulatedDevice, oid: string): SnmpValue | undefined =>
  d.device.get(oid, {
    uptimeMs: d.agent.uptimeMs,
    random: new SeededRandom(1),
    operation: 'get',
    engine: () => ({ engineId: d.agent.engineId, ...d.agent.engineClock }),
  });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const trapsIn = (sink: ReturnType<typeof memorySink>) =>
  sink.received.map((b) => {
    const m = decodeMessage(b);
    return m.version === 3 ? [] : show(m.pdu.varbinds);
  });

describe('living counters', () => {
  it('grow on the device clock, seeded: the same seed repeats, another seed differs', async () => {
    const { clock, devices } = lab(2);
    const again = lab(1);
    clock.advance(60_000);
    again.clock.advance(60_000);
    const [a, b] = devices as [SimulatedDevice, SimulatedDevice];
    const first = await ask(a.agent, getPdu('GetRequest', IF_IN_OCTETS_2));
    const grown = Number(first.varbinds[0]!.value.type === 'Counter32' ? first.varbinds[0]!.value.value : -1);
    expect(grown).toBe(2000 + Math.floor(a.counters!.rate(IF_IN_OCTETS_2) * 60));
    expect(grown).toBeGreaterThan(2000);
    expect(value(again.devices[0]!, IF_IN_OCTETS_2)).toEqual(value(a, IF_IN_OCTETS_2));
    expect(value(b, IF_IN_OCTETS_2)).not.toEqual(value(a, IF_IN_OCTETS_2));
    // Counter64 too, as a bigint.
    expect(value(a, '1.3.6.1.2.1.31.1.1.1.6.2')?.type).toBe('Counter64');
    expect(a.counters!.oids).toHaveLength(3);
  });

  it('perAgent on a lab template: counters defined once, shared; each device (engine ID) counts at its own rates', async () => {
    const clock = new VirtualClock();
    const template = Device.fromSnmprec(DATA);
    const counters = new LivingCounters(template, { seed: 7, perAgent: true });
    const devices = [1, 2].map((n) => {
      const device = Device.fromTemplate(template);
      const agent = new Agent({ device, clock, engineId: `80001f880401020${n}` });
      return { name: `d${n}`, agent, device, counters: counters.forAgent(agent) };
    });
    const [a, b] = devices as [SimulatedDevice, SimulatedDevice];
    clock.advance(30_000);
    const at30 = (d: SimulatedDevice) => (value(d, IF_IN_OCTETS_2) as { value: number }).value;
    expect(at30(a)).toBe(2000 + Math.floor(a.counters!.rate(IF_IN_OCTETS_2) * 30));
    expect(at30(b)).toBe(2000 + Math.floor(b.counters!.rate(IF_IN_OCTETS_2) * 30));
    expect(at30(a)).not.toBe(at30(b));
    const got = await ask(b.agent, getPdu('GetRequest', IF_IN_OCTETS_2));
    expect(got.varbinds[0]!.value).toEqual({ type: 'Counter32', value: at30(b) });
    // A reboot of one device resets its counters only.
    a.agent.restart();
    a.counters!.reset();
    clock.advance(1_000);
    expect(at30(a)).toBe(Math.floor(a.counters!.rate(IF_IN_OCTETS_2)));
    expect(at30(b)).toBe(2000 + Math.floor(b.counters!.rate(IF_IN_OCTETS_2) * 31));
  });

  it('a Counter32 wraps past 2^32 back to small values', () => {
    const { clock, devices } = lab(1);
    const d = devices[0]!;
    d.counters!.wrapIn(IF_IN_OCTETS_2, 10_000, d.agent.uptimeMs);
    clock.advance(9_000);
    const before = value(d, IF_IN_OCTETS_2) as { value: number };
    expect(before.value).toBeGreaterThan(2 ** 32 - d.counters!.rate(IF_IN_OCTETS_2) * 2 - 1);
    clock.advance(2_000);
    const after = value(d, IF_IN_OCTETS_2) as { value: number };
    expect(after.value).toBeLessThan(before.value);
    expect(after.value).toBeLessThanOrEqual(Math.ceil(d.counters!.rate(IF_IN_OCTETS_2) * 1.5));
  });
});

describe('scenarios on the virtual clock', () => {
  it('linkDown then linkUp: ifOperStatus, ifLastChange, and the notifications with IF-MIB varbinds', async () => {
    const { clock, sink, devices, runner } = lab(2);
    runner.add(parseScenario('10s dev-2 linkDown ifIndex=2\n25s dev-2 linkUp ifIndex=2\n', 'test.scenario')).start();
    clock.advance(10_000);
    await turn();
    const d = devices[1]!;
    expect(value(d, '1.3.6.1.2.1.2.2.1.8.2')).toEqual({ type: 'Integer', value: 2 });
    expect(value(d, '1.3.6.1.2.1.2.2.1.9.2')).toEqual({ type: 'TimeTicks', value: 1000 });
    expect(value(devices[0]!, '1.3.6.1.2.1.2.2.1.8.2')).toEqual({ type: 'Integer', value: 1 });
    expect(trapsIn(sink)).toEqual([
      [
        '1.3.6.1.2.1.1.3.0 = TimeTicks:1000',
        '1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.6.3.1.1.5.3',
        '1.3.6.1.2.1.2.2.1.1.2 = Integer:2',
        '1.3.6.1.2.1.2.2.1.7.2 = Integer:1',
        '1.3.6.1.2.1.2.2.1.8.2 = Integer:2',
      ],
    ]);
    clock.advance(15_000);
    await turn();
    expect(value(d, '1.3.6.1.2.1.2.2.1.8.2')).toEqual({ type: 'Integer', value: 1 });
    expect(value(d, '1.3.6.1.2.1.2.2.1.9.2')).toEqual({ type: 'TimeTicks', value: 2500 });
    expect(trapsIn(sink)[1]![1]).toBe('1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.6.3.1.1.5.4');
    expect(runner.events.map((e) => `${e.atMs} ${e.device} ${e.action}`)).toEqual([
      '10000 dev-2 linkDown',
      '25000 dev-2 linkUp',
    ]);
  });

  it("linkDown stops the interface's counters (no traffic) and linkUp lets them grow on from there", () => {
    const { clock, devices, runner } = lab(1);
    const d = devices[0]!;
    const HC_IN_2 = '1.3.6.1.2.1.31.1.1.1.6.2';
    const IF_IN_OCTETS_1 = '1.3.6.1.2.1.2.2.1.10.1';
    const rate = (oid: string) => d.counters!.rate(oid);
    runner
      .at(10_000, 'dev-1', { action: 'linkDown', ifIndex: 2 })
      .at(40_000, 'dev-1', { action: 'linkUp', ifIndex: 2 });
    runner.start();
    clock.advance(30_000);
    // Down since 10 s: what it had counted then.
    expect(value(d, IF_IN_OCTETS_2)).toEqual({
      type: 'Counter32',
      value: 2000 + Math.floor(rate(IF_IN_OCTETS_2) * 10),
    });
    expect(value(d, HC_IN_2)).toEqual({ type: 'Counter64', value: 5000n + BigInt(Math.floor(rate(HC_IN_2) * 10)) });
    // Interface 1 is up: it counts on.
    expect(value(d, IF_IN_OCTETS_1)).toEqual({
      type: 'Counter32',
      value: 1000 + Math.floor(rate(IF_IN_OCTETS_1) * 30),
    });
    clock.advance(20_000); // 50 s: up again since 40 s, counting for 10 s more
    const held = 2000 + Math.floor(rate(IF_IN_OCTETS_2) * 10);
    expect(value(d, IF_IN_OCTETS_2)).toEqual({
      type: 'Counter32',
      value: held + Math.floor(rate(IF_IN_OCTETS_2) * 10),
    });
  });

  it('reboot: silent while down, then uptime from 0, boots + 1, counters from 0, coldStart', async () => {
    const { clock, sink, devices, runner } = lab(1);
    const d = devices[0]!;
    runner.at(60_000, '*', { action: 'reboot', downMs: 5_000 }).start();
    clock.advance(61_000);
    expect(d.agent.answering).toBe(false);
    const lost = d.agent.request(getRequestBytes(), 1000);
    clock.advance(1000);
    expect(await lost).toBeUndefined();
    expect(d.agent.stats.unanswered).toBe(1);
    clock.advance(3_000); // 65 s: up again
    await turn();
    expect(d.agent.answering).toBe(true);
    expect(d.agent.engineClock.boots).toBe(2);
    expect(d.agent.uptimeMs).toBe(0);
    expect(value(d, IF_IN_OCTETS_2)).toEqual({ type: 'Counter32', value: 0 });
    expect(trapsIn(sink)).toEqual([
      ['1.3.6.1.2.1.1.3.0 = TimeTicks:0', '1.3.6.1.6.3.1.1.4.1.0 = ObjectIdentifier:1.3.6.1.6.3.1.1.5.1'],
    ]);
    clock.advance(10_000);
    expect((value(d, '1.3.6.1.2.1.1.3.0') as { value: number }).value).toBe(1000);
  });

  it('stopAnswering for a while, slow answers for a while, then normal', async () => {
    const { clock, devices, runner } = lab(1);
    const { agent } = devices[0]!;
    runner
      .at(1_000, 'dev-1', { action: 'stopAnswering', durationMs: 2_000 })
      .at(5_000, 'dev-1', { action: 'slow', delayMs: 700, durationMs: 3_000 })
      .start();
    clock.advance(1_500);
    expect(agent.answering).toBe(false);
    clock.advance(1_500);
    expect(agent.answering).toBe(true);
    clock.advance(2_000); // 5 s: slow
    let answered = false;
    const slow = agent.request(getRequestBytes(), 5_000).then((r) => {
      answered = r !== undefined;
    });
    clock.advance(699);
    await turn();
    expect(answered).toBe(false);
    clock.advance(1);
    await slow;
    expect(answered).toBe(true);
    clock.advance(3_000); // 8.7 s: back to normal
    expect(agent.responseDelayMs).toBe(0);
  });

  it('counterWrap moves ifInOctets so that it wraps when told', () => {
    const { clock, devices, runner } = lab(1);
    const d = devices[0]!;
    runner.at(0, 'dev-1', { action: 'counterWrap', ifIndex: 2, inMs: 5_000 }).start();
    clock.advance(4_999);
    expect((value(d, IF_IN_OCTETS_2) as { value: number }).value).toBeGreaterThan(2 ** 31);
    clock.advance(1_001);
    expect((value(d, IF_IN_OCTETS_2) as { value: number }).value).toBeLessThan(2 ** 31);
  });

  it('a step that cannot apply is logged with its error; the others go on', () => {
    const { clock, runner } = lab(1);
    runner
      .at(0, 'dev-1', { action: 'linkDown', ifIndex: 9 })
      .at(0, 'dev-1', { action: 'linkDown', ifIndex: 1 })
      .start();
    clock.advance(0);
    expect(runner.events).toEqual([
      { atMs: 0, device: 'dev-1', action: 'linkDown', error: 'dev-1: no interface 9 (no ifOperStatus.9)' },
      { atMs: 0, device: 'dev-1', action: 'linkDown' },
    ]);
  });
});

function getRequestBytes(): Uint8Array {
  return encodeMessage({ version: 1, community: 'public', pdu: getPdu('GetRequest', '1.3.6.1.2.1.1.1.0') });
}

describe('scenario files', () => {
  it('reads TIME DEVICE ACTION NAME=VALUE lines, durations with units', () => {
    expect(
      parseScenario(
        '# outage\n0 * stopAnswering durationMs=2s\n1.5m core reboot downMs=500ms\n\n2h core slow delayMs=250\n',
        's',
      ),
    ).toEqual([
      { atMs: 0, device: '*', action: { action: 'stopAnswering', durationMs: 2000 }, source: 's:2' },
      { atMs: 90_000, device: 'core', action: { action: 'reboot', downMs: 500 }, source: 's:3' },
      { atMs: 7_200_000, device: 'core', action: { action: 'slow', delayMs: 250 }, source: 's:5' },
    ]);
  });

  it('names the file and line of a bad step', () => {
    const bad = (text: string) => () => parseScenario(text, 'lab.scenario');
    expect(bad('0 * linkDown\n')).toThrow(/^lab\.scenario:1: linkDown needs ifIndex$/);
    expect(bad('\n5x * reboot\n')).toThrow(/^lab\.scenario:2: "5x" is not a duration/);
    expect(bad('1s * explode\n')).toThrow(/lab\.scenario:1: action "explode": expected one of linkDown/);
    expect(bad('1s * linkUp ifIndex=two\n')).toThrow(/ifIndex must be a non-negative integer/);
    expect(bad('1s * reboot color=red\n')).toThrow(/reboot: unknown argument "color" \(known: downMs\)/);
    expect(bad('1s *\n')).toThrow(ScenarioError);
    const { runner } = lab(1);
    runner.add(parseScenario('1s nosuch reboot\n', 'lab.scenario'));
    expect(() => runner.start()).toThrow(/^lab\.scenario:1: no device "nosuch"$/);
  });
});

describe('control endpoint', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('refuses to listen anywhere but loopback', async () => {
    const { runner } = lab(1);
    await expect(startControlEndpoint({ runner, host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });

  it('takes commands from another process: linkDown applied, answers in JSON; bad ones get 400/404', async () => {
    const { devices, runner, sink } = lab(2);
    const control = await startControlEndpoint({ runner, deviceNames: () => devices.map((d) => d.name) });
    closers.push(control.close);
    expect(control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // A client in another process, as a test suite in another language would be.
    const script = `
      const url = process.argv[1];
      const post = (body) => fetch(url + '/action', { method: 'POST', body }).then(async (r) => [r.status, await r.json()]);
      (async () => {
        const out = [];
        out.push(await post(JSON.stringify({ device: 'dev-2', action: 'linkDown', ifIndex: 2 })));
        out.push(await post('{oops'));
        out.push(await post(JSON.stringify({ device: 'dev-9', action: 'reboot' })));
        out.push(await post(JSON.stringify({ device: '*', action: 'linkDown' })));
        out.push(await fetch(url + '/devices').then((r) => r.json()));
        console.log(JSON.stringify(out));
      })();`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script, control.url], { stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (b: Buffer) => {
        text += b.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`client exited ${code}`))));
    });
    const [ok, notJson, noDevice, missing, names] = JSON.parse(output) as unknown[];
    expect(ok).toEqual([200, { ok: true, devices: 1 }]);
    expect(notJson).toEqual([400, { ok: false, error: expect.stringMatching(/^not JSON/) }]);
    expect(noDevice).toEqual([404, { ok: false, error: 'no device "dev-9"' }]);
    expect(missing).toEqual([400, { ok: false, error: 'linkDown needs ifIndex' }]);
    expect(names).toEqual({ ok: true, devices: ['dev-1', 'dev-2'] });
    expect(value(devices[1]!, '1.3.6.1.2.1.2.2.1.8.2')).toEqual({ type: 'Integer', value: 2 });
    expect(value(devices[0]!, '1.3.6.1.2.1.2.2.1.8.2')).toEqual({ type: 'Integer', value: 1 });
    await turn();
    expect(sink.received).toHaveLength(1);
  });
});
