/**
 * The harness of the notification golden tests (notifications.test.ts for v1/v2c, notifications-v3.test.ts): Net-SNMP's
 * snmptrapd and `snmpkit trapd` on free loopback ports, and the comparison of what each prints for one notification
 * sent by Net-SNMP's snmptrap/snmpinform and by `snmpkit trap`/`snmpkit inform`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NetSnmpTool, runNetSnmp } from '@snmpkit/testkit';
import { expect } from 'vitest';
import { BIN, NO_MIBS, runSnmpkit } from './run-snmpkit.js';

/** A receiver running as a child process: its port, what it has printed so far, and how to stop it. */
export interface NotificationPrinter {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** Polls `read` every 25 ms until `test` accepts what it returns; fails after 5 s, showing what came so far. */
export async function waitFor(read: () => string, test: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = read();
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; so far:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Stops a child by PID: SIGTERM, SIGKILL if it is still there after 3 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Spawns a child whose stdout is collected (stderr goes to the test's, where a failure shows it). */
function printer(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return { output: () => out, stop: () => stopChild(child) };
}

/**
 * `snmpkit trapd` with these arguments on a port of its choosing (`--listen udp:127.0.0.1:0`), once it has printed
 * `listening on ...`.
 */
export async function startTrapd(args: readonly string[] = []): Promise<NotificationPrinter> {
  const trapd = printer(process.execPath, [BIN, 'trapd', ...args, '--listen', 'udp:127.0.0.1:0'], NO_MIBS);
  const listening = await waitFor(trapd.output, (t) => t.includes('\n'), 'snmpkit trapd');
  const port = Number(/listening on udp:127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
  if (!port) {
    await trapd.stop();
    throw new Error(`snmpkit trapd did not say where it listens: ${listening}`);
  }
  return { port, ...trapd };
}

/**
 * Net-SNMP's snmptrapd with these snmptrapd.conf lines on a free loopback port, printing to its stdout, once it has
 * started. `dir` is its configuration and persistent directory (removed by stop()): v3 senders that must find the
 * engine IDs snmptrapd keeps there are given it as their SNMP_PERSISTENT_DIR.
 */
export async function startSnmptrapd(config: readonly string[]): Promise<NotificationPrinter & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'snmpkit-snmptrapd-'));
  const conf = join(dir, 'snmptrapd.conf');
  await writeFile(conf, `${config.join('\n')}\n`);
  const port = await freeUdpPort();
  const snmptrapd = printer('/usr/sbin/snmptrapd', ['-f', '-Lo', '-C', '-c', conf, `udp:127.0.0.1:${port}`], {
    ...NO_MIBS,
    SNMP_PERSISTENT_DIR: dir,
  });
  const stop = async () => {
    await snmptrapd.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(snmptrapd.output, (t) => t.includes('NET-SNMP version'), 'snmptrapd');
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dir, output: snmptrapd.output, stop };
}

/** Masks what differs between two receptions of the same notification: the time and the ports. */
function mask(text: string): string {
  return text
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, 'DATE ')
    .replace(/\[127\.0\.0\.1\]:\d+->\[127\.0\.0\.1\]:\d+/g, '[127.0.0.1]:PORT->[127.0.0.1]:PORT');
}

/** Sends one notification and returns what the receiver printed for it, masked. */
async function receive(
  send: () => Promise<{ exitCode: number | null; stderr: string }>,
  receiver: NotificationPrinter,
): Promise<string> {
  const before = receiver.output().length;
  const sent = await send();
  expect(sent.stderr).toBe('');
  expect(sent.exitCode).toBe(0);
  // A notification's text ends with its last varbind's line; wait for it to settle.
  let last = '';
  const text = await waitFor(
    () => receiver.output().slice(before),
    (t) => {
      const settled = t !== '' && t === last;
      last = t;
      return settled;
    },
    'the notification',
  );
  return mask(text);
}

/** The arguments with '@' replaced by the receiver's address. */
export const at = (args: readonly string[], port: number) => args.map((a) => (a === '@' ? `127.0.0.1:${port}` : a));

/**
 * One notification, golden both ways: `tool` (snmptrap or snmpinform) sends `args` to snmptrapd, which gives the
 * reference text; `snmpkit trap`/`inform` sends `oursArgs` (default the same) to snmptrapd, which must print the same
 * (the sender is right); `tool` sends `args` to `snmpkit trapd`, which must print the same (the receiver is right).
 * '@' in the arguments stands for the receiver. Returns the reference text.
 */
export async function expectSameBothWays(
  tool: NetSnmpTool,
  args: readonly string[],
  receivers: { snmptrapd: NotificationPrinter; trapd: NotificationPrinter },
  options: { toolEnv?: Record<string, string>; oursArgs?: readonly string[] } = {},
): Promise<string> {
  const { snmptrapd, trapd } = receivers;
  const env = { ...NO_MIBS, ...options.toolEnv };
  const command = tool === 'snmpinform' ? 'inform' : 'trap';
  const theirs = await receive(() => runNetSnmp(tool, at(args, snmptrapd.port), { env }), snmptrapd);
  const oursSent = await receive(
    () => runSnmpkit([command, ...at(options.oursArgs ?? args, snmptrapd.port)]),
    snmptrapd,
  );
  expect(oursSent, "what snmptrapd prints for snmpkit's notification").toBe(theirs);
  const oursReceived = await receive(() => runNetSnmp(tool, at(args, trapd.port), { env }), trapd);
  expect(oursReceived, "what snmpkit trapd prints for Net-SNMP's notification").toBe(theirs);
  return theirs;
}

/** The first notification `snmpkit trapd --json` printed, parsed (its first line says where it listens). */
export async function firstJsonNotification(trapd: NotificationPrinter): Promise<unknown> {
  const text = await waitFor(trapd.output, (t) => t.split('\n').length > 2, 'the notification');
  return JSON.parse(text.split('\n')[1]!);
}
