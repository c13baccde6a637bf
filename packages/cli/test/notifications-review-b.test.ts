/**
 * Notifications from an operator's review against Net-SNMP 5.9.3, golden both ways (see notification-harness.ts):
 * snmptrapd prints the same for snmpkit's notification as for Net-SNMP's, and `snmpkit trapd` prints what snmptrapd
 * prints.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryIpv4Address } from '../src/commands/notify.js';
import {
  at,
  expectSameBothWays,
  type NotificationPrinter,
  startSnmptrapd,
  startTrapd,
  waitFor,
} from './notification-harness.js';
import { NO_MIBS, runSnmpkit } from './run-snmpkit.js';

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
