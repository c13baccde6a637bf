/**
 * Notifications, golden both ways: Net-SNMP's snmptrapd and `snmpkit trapd` run side by side; each notification is
 * sent by snmptrap/snmpinform and by `snmpkit trap`/`snmpkit inform` with the same arguments. What snmptrapd prints
 * for snmpkit's notification must equal what it prints for Net-SNMP's (the sender is right), and what
 * `snmpkit trapd` prints for Net-SNMP's must equal what snmptrapd prints (the receiver is right). Timestamps and
 * ports, which differ between runs, are masked.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NetSnmpTool, runNetSnmp } from '@snmpkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, NO_MIBS, runSnmpkit } from './run-snmpkit.js';

let dir: string;
let snmptrapd: ChildProcess;
let snmptrapdLog: string;
let snmptrapdPort: number;
let trapd: ChildProcess;
let trapdOut = '';
let trapdPort: number;

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function waitFor(read: () => Promise<string> | string, test: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = await read();
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; so far:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const readLog = () => readFile(snmptrapdLog, 'utf8').catch(() => '');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'snmpkit-trapd-'));
  snmptrapdLog = join(dir, 'snmptrapd.log');
  await writeFile(join(dir, 'snmptrapd.conf'), 'disableAuthorization yes\n');
  snmptrapdPort = await freeUdpPort();
  snmptrapd = spawn(
    '/usr/sbin/snmptrapd',
    ['-f', '-C', '-c', join(dir, 'snmptrapd.conf'), '-Lf', snmptrapdLog, `udp:127.0.0.1:${snmptrapdPort}`],
    { stdio: 'ignore', env: { ...process.env, ...NO_MIBS, SNMP_PERSISTENT_DIR: dir } },
  );
  trapd = spawn(process.execPath, [BIN, 'trapd', '--listen', 'udp:127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...NO_MIBS },
  });
  trapd.stdout!.on('data', (b: Buffer) => {
    trapdOut += b.toString();
  });
  const listening = await waitFor(
    () => trapdOut,
    (t) => t.includes('\n'),
    'snmpkit trapd',
  );
  trapdPort = Number(/listening on udp:127\.0\.0\.1:(\d+)/.exec(listening)![1]);
  await waitFor(readLog, (t) => t.includes('NET-SNMP version'), 'snmptrapd');
});

afterAll(async () => {
  for (const child of [snmptrapd, trapd]) {
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/** Masks what differs between two receptions of the same notification: the time and the ports. */
function mask(text: string): string {
  return text
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, 'DATE ')
    .replace(/\[127\.0\.0\.1\]:\d+->\[127\.0\.0\.1\]:\d+/g, '[127.0.0.1]:PORT->[127.0.0.1]:PORT');
}

/** Sends one notification and returns what the receiver printed for it. */
async function receive(
  send: () => Promise<{ exitCode: number | null; stderr: string }>,
  read: () => Promise<string> | string,
): Promise<string> {
  const before = (await read()).length;
  const sent = await send();
  expect(sent.stderr).toBe('');
  expect(sent.exitCode).toBe(0);
  // A notification's text ends with its last varbind's line; wait for it to settle.
  let last = '';
  const text = await waitFor(
    async () => (await read()).slice(before),
    (t) => {
      const settled = t !== '' && t === last;
      last = t;
      return settled;
    },
    'the notification',
  );
  return mask(text);
}

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

const at = (args: string[], port: number) => args.map((a) => (a === '@' ? `127.0.0.1:${port}` : a));
const snmpkitCommand = (tool: NetSnmpTool) => (tool === 'snmpinform' ? 'inform' : 'trap');

describe('notifications: snmpkit trap/inform and trapd against snmptrap/snmpinform and snmptrapd', () => {
  it.each(CASES.map((c) => [`${c[0]} ${c[1].join(' ')}`, c] as const))('%s', async (_, [tool, args]) => {
    const theirs = await receive(() => runNetSnmp(tool, at(args, snmptrapdPort), { env: NO_MIBS }), readLog);
    const oursSent = await receive(() => runSnmpkit([snmpkitCommand(tool), ...at(args, snmptrapdPort)]), readLog);
    expect(oursSent, "what snmptrapd prints for snmpkit's notification").toBe(theirs);
    const oursReceived = await receive(
      () => runNetSnmp(tool, at(args, trapdPort), { env: NO_MIBS }),
      () => trapdOut,
    );
    expect(oursReceived, "what snmpkit trapd prints for Net-SNMP's notification").toBe(theirs);
  });

  it('trapd --json prints one object per notification', async () => {
    const child = spawn(process.execPath, [BIN, 'trapd', '--json', '--listen', 'udp:127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...NO_MIBS },
    });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const port = Number(
        /:(\d+)\n/.exec(
          await waitFor(
            () => out,
            (t) => t.includes('\n'),
            'trapd --json',
          ),
        )![1],
      );
      const sent = await runSnmpkit([
        'trap',
        '-v2c',
        '-c',
        'kit',
        `127.0.0.1:${port}`,
        '321',
        '1.3.6.1.6.3.1.1.5.3',
        '1.3.6.1.2.1.2.2.1.1.7',
        'i',
        '7',
      ]);
      expect(sent.exitCode).toBe(0);
      const line = (
        await waitFor(
          () => out,
          (t) => t.split('\n').length > 2,
          'the notification',
        )
      ).split('\n')[1]!;
      const record = JSON.parse(line);
      expect(record).toMatchObject({ version: '2c', community: 'kit', type: 'TrapV2', trapOid: '1.3.6.1.6.3.1.1.5.3' });
      expect(record.varbinds).toEqual([
        expect.objectContaining({ oid: '1.3.6.1.2.1.1.3.0', type: 'TimeTicks', value: 321 }),
        expect.objectContaining({ oid: '1.3.6.1.6.3.1.1.4.1.0', value: '1.3.6.1.6.3.1.1.5.3' }),
        expect.objectContaining({ oid: '1.3.6.1.2.1.2.2.1.1.7', type: 'Integer', value: 7 }),
      ]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(child.pid!, 'SIGTERM');
      await exited;
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
