/**
 * Notifications from an operator's review against Net-SNMP 5.9.3, golden both ways (see notification-harness.ts):
 * snmptrapd prints the same for snmpkit's notification as for Net-SNMP's, and `snmpkit trapd` prints what snmptrapd
 * prints.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type NetworkInterfaceInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryIpv4Address } from '../src/commands/notify.js';
import {
  at,
  expectSameBothWays,
  freeUdpPort,
  type NotificationPrinter,
  startSnmptrapd,
  startTrapd,
  waitFor,
} from './notification-harness.js';
import { BIN, NO_MIBS, runSnmpkit } from './run-snmpkit.js';

/** The engine of the v3 traps below, shared by snmptrap and snmpkit trap (-e). */
const ENGINE = '8000000001020399';
const USER = ['-v3', '-u', 'ops', '-l', 'authPriv', '-a', 'SHA', '-A', 'authpass123', '-x', 'AES', '-X', 'privpass123'];

let snmptrapd: NotificationPrinter;
let trapd: NotificationPrinter;

beforeAll(async () => {
  [snmptrapd, trapd] = await Promise.all([
    startSnmptrapd(['disableAuthorization yes', `createUser -e 0x${ENGINE} ops SHA authpass123 AES privpass123`]),
    startTrapd(['--user', `ops:SHA:authpass123:AES:privpass123@${ENGINE}`]),
  ]);
});

afterAll(async () => {
  await Promise.all([snmptrapd?.stop(), trapd?.stop()]);
});

describe("v1 trap with agent-addr '': the host's own address", () => {
  it('is the address snmptrap sends', async () => {
    const text = await expectSameBothWays(
      'snmptrap',
      ['-v1', '-c', 'public', '@', '.1.3.6.1.4.1.8072', '', '0', '0', '12'],
      { snmptrapd, trapd },
    );
    expect(text).toContain(`[${primaryIpv4Address()}]`);
  });

  it('is the first IPv4 address of an interface that is not a loopback, 0.0.0.0 without one', () => {
    const common = { netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null };
    const lo: NetworkInterfaceInfo = { ...common, address: '127.0.0.1', family: 'IPv4', internal: true };
    const v6: NetworkInterfaceInfo = { ...common, address: 'fe80::1', family: 'IPv6', internal: false, scopeid: 2 };
    const eth: NetworkInterfaceInfo = { ...common, address: '192.0.2.2', family: 'IPv4', internal: false };
    expect(primaryIpv4Address({ lo: [lo], eth0: [v6, eth] })).toBe('192.0.2.2');
    expect(primaryIpv4Address({ lo: [lo] })).toBe('0.0.0.0');
  });
});

describe('v3 traps from one engine ID, sent by snmptrap and snmpkit in turn', () => {
  it("are all taken, by snmptrapd and by snmpkit trapd: the engine's clock is the same on both sides", async () => {
    for (const receiver of [snmptrapd, trapd]) {
      const before = receiver.output().length;
      // Each trap names itself by a varbind, in the order sent; the receiver drops one outside its time window.
      const trap = (n: number) => [
        '-e',
        ENGINE,
        ...USER,
        '@',
        '',
        '.1.3.6.1.6.3.1.1.5.3',
        '.1.3.6.1.4.1.8072.9',
        'i',
        `${n}`,
      ];
      const sent = [
        await runNetSnmp('snmptrap', at(trap(1), receiver.port), { env: NO_MIBS }),
        await runSnmpkit(['trap', ...at(trap(2), receiver.port)]),
        await runNetSnmp('snmptrap', at(trap(3), receiver.port), { env: NO_MIBS }),
        await runSnmpkit(['trap', ...at(trap(4), receiver.port)]),
      ];
      for (const result of sent) expect([result.exitCode, result.stderr]).toEqual([0, '']);
      const text = await waitFor(
        () => receiver.output().slice(before),
        (t) => /8072\.9 = INTEGER: 4/.test(t),
        'the fourth trap',
      );
      expect([...text.matchAll(/8072\.9 = INTEGER: (\d)/g)].map((m) => m[1])).toEqual(['1', '2', '3', '4']);
    }
  });
});

/** A receiver started for one test: what it printed so far, and how to stop it. */
interface Receiver {
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `command args`, collecting stdout, once it has printed `ready`; stop() ends it by its pid. */
async function spawnReceiver(command: string, args: string[], ready: string, env: Record<string, string>) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const receiver: Receiver = {
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
    },
  };
  try {
    await waitFor(receiver.output, (t) => t.includes(ready), command);
  } catch (error) {
    await receiver.stop();
    throw error;
  }
  return receiver;
}

/** Time, ports and the per-run ends of the lines masked: what two receptions of one notification share. */
function masked(text: string): string {
  return text.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, 'DATE ').replace(/\]:\d+/g, ']:PORT');
}

describe('trapd prints the transport and the v1 Uptime as snmptrapd does', () => {
  // Each endpoint kind snmptrapd names differently; -O flags that change how a v1 trap's Uptime prints.
  for (const flags of [[], ['-Oq'], ['-OQ'], ['-Ot'], ['-Oqt'], ['-On']]) {
    it(`UDP, UDP/IPv6, TCP, TCP/IPv6 ${flags.join(' ')}`, async () => {
      const port = await freeUdpPort();
      const endpoints = [`udp:127.0.0.1:${port}`, `udp6:[::1]:${port}`, `tcp:127.0.0.1:${port}`, `tcp6:[::1]:${port}`];
      const dir = await mkdtemp(join(tmpdir(), 'snmpkit-review-b-'));
      const receivers: Receiver[] = [];
      try {
        await writeFile(join(dir, 'snmptrapd.conf'), 'disableAuthorization yes\n');
        const env = { ...NO_MIBS, SNMP_PERSISTENT_DIR: dir };
        const snmptrapdArgs = ['-f', '-Lo', '-C', '-c', join(dir, 'snmptrapd.conf'), ...flags, ...endpoints];
        receivers.push(await spawnReceiver('/usr/sbin/snmptrapd', snmptrapdArgs, 'NET-SNMP version', env));
        const theirs = receivers[0]!;
        // Per endpoint a v2c trap (a header line and the varbinds' line) and a v1 trap (three lines).
        const sends = endpoints.flatMap((e): [string[], number][] => [
          [['-v2c', '-c', 'public', e, '12', '.1.3.6.1.6.3.1.1.5.3'], 2],
          [
            [
              '-v1',
              '-c',
              'public',
              e,
              '.1.3.6.1.4.1.8072',
              '1.2.3.4',
              '6',
              '3',
              '12345678',
              '.1.3.6.1.2.1.1.3.0',
              't',
              '5',
            ],
            3,
          ],
        ]);
        const receive = async (receiver: Receiver, [args, lines]: [string[], number]) => {
          const before = receiver.output().length;
          expect((await runNetSnmp('snmptrap', args, { env: NO_MIBS })).exitCode).toBe(0);
          const complete = (t: string) => t.split('\n').length > lines;
          return masked(await waitFor(() => receiver.output().slice(before), complete, args.join(' ')));
        };
        const expected: string[] = [];
        for (const send of sends) expected.push(await receive(theirs, send));
        await theirs.stop();
        const trapdArgs = [BIN, 'trapd', ...flags, ...endpoints.flatMap((e) => ['--listen', e])];
        const ours = await spawnReceiver(process.execPath, trapdArgs, 'listening on tcp6', NO_MIBS);
        receivers.push(ours);
        for (const [i, send] of sends.entries()) expect(await receive(ours, send), send[0].join(' ')).toBe(expected[i]);
      } finally {
        await Promise.all(receivers.map((r) => r.stop()));
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
