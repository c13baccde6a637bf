/**
 * The harness of the notification golden tests (notifications.test.ts for v1/v2c, notifications-v3.test.ts): Net-SNMP's
 * snmptrapd and `snmpkit trapd` on free loopback ports, and the comparison of what each prints for one notification
 * sent by Net-SNMP's snmptrap/snmpinform and by `snmpkit trap`/`snmpkit inform`.
 */
import {
  freeUdpPort,
  type NetSnmpTool,
  type NotificationPrinter,
  nextNotification,
  runNetSnmp,
  spawnPrinter,
  startSnmptrapd,
  waitFor,
} from '@snmpkit/testkit';
import { expect } from 'vitest';
import { BIN, NO_MIBS, runSnmpkit } from './run-snmpkit.js';

export { freeUdpPort, type NotificationPrinter, startSnmptrapd, waitFor };

/**
 * `snmpkit trapd` with these arguments on a port of its choosing (`--listen udp:127.0.0.1:0`), once it has printed
 * `listening on ...`.
 */
export async function startTrapd(args: readonly string[] = []): Promise<NotificationPrinter> {
  const trapd = spawnPrinter(process.execPath, [BIN, 'trapd', ...args, '--listen', 'udp:127.0.0.1:0'], NO_MIBS);
  const listening = await waitFor(trapd.output, (t) => t.includes('\n'), 'snmpkit trapd');
  const port = Number(/listening on udp:127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
  if (!port) {
    await trapd.stop();
    throw new Error(`snmpkit trapd did not say where it listens: ${listening}`);
  }
  return { port, ...trapd };
}

/** Sends one notification and returns what the receiver printed for it, masked. */
function receive(
  send: () => Promise<{ exitCode: number | null; stderr: string }>,
  receiver: NotificationPrinter,
): Promise<string> {
  return nextNotification(receiver, async () => {
    const sent = await send();
    expect(sent.stderr).toBe('');
    expect(sent.exitCode).toBe(0);
  });
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
