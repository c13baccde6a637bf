/**
 * SNMPv3 notifications, golden both ways as in notifications.test.ts: snmptrapd (with `createUser -e` users for
 * traps and its own engine's users for informs) and `snmpkit trapd --user ...` run side by side; each notification
 * is sent by snmptrap/snmpinform -v3 and by `snmpkit trap/inform -v3` with the same arguments. snmptrapd must print
 * the same for ours as for Net-SNMP's (the sender is right), and `snmpkit trapd` the same as snmptrapd for
 * Net-SNMP's (the receiver is right). Times and ports are masked.
 */
import { type NetSnmpTool, runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityFailureLine } from '../src/commands/trapd.js';
import { parseUserSpec } from '../src/v3-user.js';
import {
  expectSameBothWays,
  firstJsonNotification,
  type NotificationPrinter,
  startSnmptrapd,
  startTrapd,
  waitFor,
} from './notification-harness.js';
import { runSnmpkit } from './run-snmpkit.js';

/**
 * The senders' engines for traps (-e): one for Net-SNMP's, one for ours. Both send the host's uptime in hundredths as
 * the engine time, so one engine ID would do too (notifications-review-b.test.ts sends both from one).
 */
const SENDER_ENGINE = '8000000001020304';
const OUR_ENGINE = '8000000001020305';
const RECEIVER_ENGINE = '80001f8803aabbccddeeff';
const AUTH_USER = ['-u', 'kitauth', '-l', 'authNoPriv', '-a', 'SHA', '-A', 'authpass123'];
const PRIV_USER = [
  '-u',
  'kitpriv',
  '-l',
  'authPriv',
  '-a',
  'SHA-256',
  '-A',
  'authpass456',
  '-x',
  'AES',
  '-X',
  'privpass456',
];
const DES_USER = ['-u', 'kitdes', '-l', 'authPriv', '-a', 'MD5', '-A', 'md5pass789', '-x', 'DES', '-X', 'despass789'];
/** The same users for `snmpkit trapd --user`. */
const TRAPD_USERS = [
  ...[SENDER_ENGINE, OUR_ENGINE].flatMap((engine) => [
    `kitauth:SHA:authpass123@${engine}`,
    `kitpriv:SHA-256:authpass456:AES:privpass456@0x${engine}`,
    `kitdes:MD5:md5pass789:DES:despass789@${engine}`,
  ]),
  'kitpriv:SHA-256:authpass456:AES:privpass456',
];

let snmptrapd: NotificationPrinter & { dir: string };
let trapd: NotificationPrinter;

beforeAll(async () => {
  snmptrapd = await startSnmptrapd([
    ...[SENDER_ENGINE, OUR_ENGINE].flatMap((engine) => [
      `createUser -e 0x${engine} kitauth SHA authpass123`,
      `createUser -e 0x${engine} kitpriv SHA-256 authpass456 AES privpass456`,
      `createUser -e 0x${engine} kitdes MD5 md5pass789 DES despass789`,
    ]),
    // Without -e: localized to snmptrapd's own engine, for informs.
    'createUser kitpriv SHA-256 authpass456 AES privpass456',
    `oldEngineID 0x${RECEIVER_ENGINE}`,
    'authUser log,execute kitauth auth',
    'authUser log,execute kitpriv priv',
    'authUser log,execute kitdes priv',
  ]);
  trapd = await startTrapd(['--engine-id', RECEIVER_ENGINE, ...TRAPD_USERS.flatMap((u) => ['--user', u])]);
});

afterAll(async () => {
  await snmptrapd?.stop();
  await trapd?.stop();
});

const E = ['-e', `0x${SENDER_ENGINE}`];
const CASES: [NetSnmpTool, string[]][] = [
  ['snmptrap', ['-v3', ...AUTH_USER, ...E, '@', '12345', '.1.3.6.1.6.3.1.1.5.3', '.1.3.6.1.2.1.2.2.1.1.2', 'i', '2']],
  ['snmptrap', ['-v3', ...PRIV_USER, ...E, '@', '0', '.1.3.6.1.4.1.8072.4.0.1', '.1.3.6.1.4.1.8072.9', 's', 'aes']],
  ['snmptrap', ['-v3', ...DES_USER, ...E, '@', '77', '.1.3.6.1.6.3.1.1.5.4', '.1.3.6.1.2.1.1.5.0', 's', 'des']],
  ['snmpinform', ['-v3', ...PRIV_USER, '@', '4242', '.1.3.6.1.6.3.1.1.5.1', '.1.3.6.1.2.1.1.5.0', 's', 'inform']],
  ['snmptrap', ['-v3', ...PRIV_USER, '-Ci', '@', '9', '.1.3.6.1.6.3.1.1.5.2']],
];

/** Our sender's arguments: the same, from our engine. */
const ours = (args: string[]) => args.map((a) => (a === `0x${SENDER_ENGINE}` ? `0x${OUR_ENGINE}` : a));

describe('v3 notifications: snmpkit trap/inform -v3 and trapd --user against snmptrap/snmpinform and snmptrapd', () => {
  it.each(CASES.map((c) => [`${c[0]} ${c[1].join(' ')}`, c] as const))('%s', async (_, [tool, args]) => {
    // Net-SNMP's tools find the engine IDs snmptrapd keeps in its persistent directory (informs' discovery).
    const theirs = await expectSameBothWays(
      tool,
      args,
      { snmptrapd, trapd },
      { toolEnv: { SNMP_PERSISTENT_DIR: snmptrapd.dir }, oursArgs: ours(args) },
    );
    expect(theirs).toContain('DATE localhost [UDP: [127.0.0.1]:PORT->[127.0.0.1]:PORT]:\n');
  });

  it.each([
    [
      'authentication',
      ['-u', 'kitauth', '-l', 'authNoPriv', '-a', 'SHA', '-A', 'wrongpass1'],
      'Authentication failed for kitauth',
    ],
    [
      'privacy',
      ['-u', 'kitpriv', '-l', 'authPriv', '-a', 'SHA-256', '-A', 'authpass456', '-x', 'AES', '-X', 'wrongpass2'],
      'security service 3 error parsing ScopedPDU',
    ],
  ])(
    'a trap with a wrong %s password is refused by both receivers, which print the same line',
    async (_, user, line) => {
      const wrong = ['-v3', ...user, ...E];
      const theirsBefore = snmptrapd.output().length;
      const sent = await runSnmpkit(['trap', ...wrong, `127.0.0.1:${snmptrapd.port}`, '1', '.1.3.6.1.6.3.1.1.5.1']);
      expect(sent.exitCode).toBe(0);
      const theirLine = await waitFor(
        () => snmptrapd.output().slice(theirsBefore),
        (t) => t.includes('\n'),
        'snmptrapd to refuse it',
      );
      expect(theirLine).toBe(`${line}\n`);
      const before = trapd.output().length;
      const theirs = await runNetSnmp('snmptrap', [...wrong, `127.0.0.1:${trapd.port}`, '1', '.1.3.6.1.6.3.1.1.5.1']);
      expect(theirs.exitCode).toBe(0);
      // Then a good one: once it is printed, the refused one had its chance and printed only snmptrapd's line.
      const good = await runSnmpkit([
        'trap',
        '-v3',
        ...AUTH_USER,
        ...ours(E),
        `127.0.0.1:${trapd.port}`,
        '2',
        '.1.3.6.1.6.3.1.1.5.2',
      ]);
      expect(good.exitCode).toBe(0);
      const text = await waitFor(
        () => trapd.output().slice(before),
        (t) => t.includes('iso.3.6.1.6.3.1.1.5.2'),
        'the good trap',
      );
      expect(text.startsWith(theirLine)).toBe(true);
      expect(text).not.toContain('iso.3.6.1.6.3.1.1.5.1');
      expect(text).not.toContain('wrongpass');
      expect(text.match(/^\d{4}-/gm) ?? []).toHaveLength(1);
    },
  );

  it('trapd --json names the v3 user, level and engine', async () => {
    const json = await startTrapd(['--json', '--user', `kitauth:SHA:authpass123@${SENDER_ENGINE}`]);
    try {
      const sent = await runSnmpkit([
        'trap',
        '-v3',
        ...AUTH_USER,
        ...E,
        `127.0.0.1:${json.port}`,
        '321',
        '1.3.6.1.6.3.1.1.5.3',
      ]);
      expect(sent.exitCode).toBe(0);
      expect(await firstJsonNotification(json)).toMatchObject({
        version: '3',
        user: 'kitauth',
        level: 'authNoPriv',
        engineId: SENDER_ENGINE,
        type: 'TrapV2',
        trapOid: '1.3.6.1.6.3.1.1.5.3',
      });
    } finally {
      await json.stop();
    }
  });

  it('prints only the refusals snmptrapd logs (an unknown user or engine, a stale time: nothing, as snmptrapd)', () => {
    const failure = {
      userName: 'ops',
      engineId: SENDER_ENGINE,
      source: { address: '127.0.0.1', port: 1 },
      endpoint: '',
    };
    const lines = ['wrongDigests', 'decryptionErrors', 'unknownUserName', 'unknownEngineID', 'notInTimeWindow'].map(
      (reason) => securityFailureLine({ ...failure, reason }),
    );
    expect(lines).toEqual([
      'Authentication failed for ops\n',
      'security service 3 error parsing ScopedPDU\n',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('parses --user specs, and refuses malformed ones', () => {
    expect(parseUserSpec('ops')).toEqual({ name: 'ops', level: 'noAuthNoPriv' });
    expect(parseUserSpec('ops:SHA-512:pass1234@0x8000ABCDEF')).toEqual({
      name: 'ops',
      level: 'authNoPriv',
      authProtocol: 'sha512',
      authPassword: 'pass1234',
      engineId: '8000abcdef',
    });
    // An engine ID is 5 to 32 bytes (RFC 3411 §5), and trapd takes the same spec (and reader) as simulate.
    expect(() => parseUserSpec('ops:SHA:pass1234@8000ABCD')).toThrow(/4 bytes; an engine ID has 5 to 32/);
    expect(parseUserSpec('ops:SHA-2:pass1234:3DES:priv5678')).toMatchObject({
      authProtocol: 'sha224',
      privProtocol: '3des',
    });
    expect(parseUserSpec('ops:MD5:pass1234:AES-256-C:priv5678')).toMatchObject({
      level: 'authPriv',
      privProtocol: 'aes256c',
      privPassword: 'priv5678',
    });
    expect(() => parseUserSpec('ops:SHA')).toThrow(/expected NAME/);
    expect(() => parseUserSpec('ops:XYZ:pass1234')).toThrow(
      /ops:\*\*\*:\*\*\*: field 2 is not a known authentication protocol/,
    );
    expect(() => parseUserSpec('ops:SHA:pass1234@800')).toThrow(/whole bytes/);
  });
});
