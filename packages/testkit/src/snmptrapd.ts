/**
 * Net-SNMP's snmptrapd on a free loopback port, printing what it receives to its stdout (which a test reads), and the
 * small helpers around a receiver running as a child process. Shared by the CLI's notification golden tests and the
 * simulator's sink interop tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** No MIB files: the tools would print a page of warnings about missing modules. */
const NO_MIBS = { MIBS: '', MIBDIRS: '/nonexistent' };

/** A receiver running as a child process: its port, what it has printed so far, and how to stop it. */
export interface NotificationPrinter {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A UDP port free on every IPv4 address at the moment of asking (the system picks it for a wildcard socket, which is
 * then closed): also what a device lab's shared socket needs, which holds its port on every loopback address.
 */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '0.0.0.0', resolve));
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
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Spawns a child whose stdout is collected (stderr goes to the test's, where a failure shows it). */
export function spawnPrinter(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return { output: () => out, stop: () => stopChild(child) };
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
  const snmptrapd = spawnPrinter('/usr/sbin/snmptrapd', ['-f', '-Lo', '-C', '-c', conf, `udp:127.0.0.1:${port}`], {
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

/** Masks what differs between two receptions of the same notification by snmptrapd: the time and the ports. */
export function maskNotification(text: string): string {
  return text
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /gm, 'DATE ')
    .replace(/\[127\.0\.0\.1\]:\d+->\[127\.0\.0\.1\]:\d+/g, '[127.0.0.1]:PORT->[127.0.0.1]:PORT');
}

/**
 * Runs `send` and returns what the receiver printed after it, masked (maskNotification), once its output stops
 * growing: a notification's text ends with its last varbind's line.
 */
export async function nextNotification(receiver: NotificationPrinter, send: () => Promise<unknown>): Promise<string> {
  const before = receiver.output().length;
  await send();
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
  return maskNotification(text);
}
