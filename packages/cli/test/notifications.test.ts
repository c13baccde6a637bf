/**
 * Notifications, golden both ways: Net-SNMP's snmptrapd and `snmpkit trapd` run side by side; each notification is
 * sent by snmptrap/snmpinform and by `snmpkit trap`/`snmpkit inform` with the same arguments. What snmptrapd prints
 * for snmpkit's notification must equal what it prints for Net-SNMP's (the sender is right), and what
 * `snmpkit trapd` prints for Net-SNMP's must equal what snmptrapd prints (the receiver is right). Timestamps and
 * ports, which differ between runs, are masked.
 */
import { type NetSnmpTool, runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSameBothWays,
  firstJsonNotification,
  freeUdpPort,
  type NotificationPrinter,
  startSnmptrapd,
  startTrapd,
} from './notification-harness.js';
import { NO_MIBS, runSnmpkit } from './run-snmpkit.js';

let snmptrapd: NotificationPrinter;
let trapd: NotificationPrinter;

beforeAll(async () => {
  snmptrapd = await startSnmptrapd(['disableAuthorization yes']);
  trapd = await startTrapd();
});

afterAll(async () => {
  await snmptrapd?.stop();
  await trapd?.stop();
});

type Case = [NetSnmpTool, string[]];
const CASES: Case[] = [
  [
    'snmptrap',
    [
      '-v2c',
      '-c',
      'public',
      '@',
      '12345',
      '.1.3.6.1.6.3.1.1.5.3',
      '.1.3.6.1.2.1.2.2.1.1.2',
      'i',
      '2',
      '.1.3.6.1.2.1.2.2.1.2.2',
      's',
      'eth0 "x"',
    ],
  ],
  [
    'snmptrap',
    [
      '-v2c',
      '-c',
      'public',
      '@',
      '0',
      '.1.3.6.1.4.1.8072.4.0.1',
      '.1.3.6.1.4.1.8072.9',
      'x',
      '00 1b 21',
      '.1.3.6.1.4.1.8072.10',
      'u',
      '5',
    ],
  ],
  ['snmptrap', ['-v2c', '-c', 'public', '-Ci', '@', '4242', '.1.3.6.1.6.3.1.1.5.1']],
  [
    'snmptrap',
    [
      '-v1',
      '-c',
      'public',
      '@',
      '.1.3.6.1.4.1.8072',
      '192.0.2.1',
      '6',
      '17',
      '555',
      '.1.3.6.1.2.1.1.5.0',
      's',
      'hostname',
      '.1.3.6.1.2.1.1.3.0',
      't',
      '100',
    ],
  ],
  ['snmptrap', ['-v1', '-c', 'public', '@', '.1.3.6.1.4.1.8072', '127.0.0.1', '2', '0', '555']],
  ['snmpinform', ['-v2c', '-c', 'public', '@', '77', '.1.3.6.1.6.3.1.1.5.4', '.1.3.6.1.2.1.2.2.1.1.3', 'i', '3']],
  [
    'snmptrap',
    [
      '-v2c',
      '-c',
      'public',
      '-On',
      '@',
      '9',
      '.1.3.6.1.6.3.1.1.5.2',
      '.1.3.6.1.2.1.1.2.0',
      'o',
      '.1.3.6.1.4.1.8072.3.2.10',
    ],
  ],
];

describe('notifications: snmpkit trap/inform and trapd against snmptrap/snmpinform and snmptrapd', () => {
  it.each(CASES.map((c) => [`${c[0]} ${c[1].join(' ')}`, c] as const))('%s', async (_, [tool, args]) => {
    await expectSameBothWays(tool, args, { snmptrapd, trapd });
  });

  it('trapd --json prints one object per notification', async () => {
    const json = await startTrapd(['--json']);
    try {
      const sent = await runSnmpkit([
        'trap',
        '-v2c',
        '-c',
        'kit',
        `127.0.0.1:${json.port}`,
        '321',
        '1.3.6.1.6.3.1.1.5.3',
        '1.3.6.1.2.1.2.2.1.1.7',
        'i',
        '7',
      ]);
      expect(sent.exitCode).toBe(0);
      const record = (await firstJsonNotification(json)) as { varbinds: unknown[] };
      expect(record).toMatchObject({ version: '2c', community: 'kit', type: 'TrapV2', trapOid: '1.3.6.1.6.3.1.1.5.3' });
      expect(record.varbinds).toEqual([
        expect.objectContaining({ oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 321 }),
        expect.objectContaining({ oid: '1.3.6.1.6.3.1.1.4.1.0', value: '1.3.6.1.6.3.1.1.5.3' }),
        expect.objectContaining({ oid: '1.3.6.1.2.1.2.2.1.1.7', type: 'Integer', value: 7 }),
      ]);
    } finally {
      await json.stop();
    }
  });

  it('trapd --json names a v1 trap by RFC 3584 §3.1 (as snmptrapd names it to its trap handlers)', async () => {
    const json = await startTrapd(['--json']);
    try {
      const trap = ['-v1', '-c', 'kit', `127.0.0.1:${json.port}`, '1.3.6.1.4.1.8072', '192.0.2.9', '3', '0', '55'];
      const sent = await runNetSnmp('snmptrap', trap, { env: NO_MIBS });
      expect(sent.exitCode).toBe(0);
      const record = await firstJsonNotification(json);
      expect(record).toMatchObject({
        version: '1',
        type: 'TrapV1',
        enterprise: '1.3.6.1.4.1.8072',
        genericTrap: 3,
        trapOid: '1.3.6.1.6.3.1.1.5.4',
      });
    } finally {
      await json.stop();
    }
  });

  it('an inform nobody answers times out like snmpinform', async () => {
    const port = await freeUdpPort();
    const args = ['-v2c', '-c', 'public', '-t', '0.2', '-r', '0', `127.0.0.1:${port}`, '1', '.1.3.6.1.6.3.1.1.5.1'];
    const theirs = await runNetSnmp('snmpinform', args, { env: NO_MIBS });
    const ours = await runSnmpkit(['inform', ...args]);
    expect(ours.exitCode).toBe(theirs.exitCode);
    expect(ours.stderr).toBe(theirs.stderr.replace(/^snmpinform:/, 'snmpkit inform:'));
  });
});
