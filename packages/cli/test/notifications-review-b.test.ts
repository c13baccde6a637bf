/**
 * Notifications from an operator's review against Net-SNMP 5.9.3, golden both ways (see notification-harness.ts):
 * snmptrapd prints the same for snmpkit's notification as for Net-SNMP's, and `snmpkit trapd` prints what snmptrapd
 * prints.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryIpv4Address } from '../src/commands/notify.js';
import { expectSameBothWays, type NotificationPrinter, startSnmptrapd, startTrapd } from './notification-harness.js';

let snmptrapd: NotificationPrinter;
let trapd: NotificationPrinter;

beforeAll(async () => {
  [snmptrapd, trapd] = await Promise.all([startSnmptrapd(['disableAuthorization yes']), startTrapd()]);
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
