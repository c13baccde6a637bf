import { runNetSnmp } from '@snmpkit/testkit';
import { expect } from 'vitest';
import { type Notification, NotificationReceiver, type NotificationReceiverOptions } from '../src/index.js';

export const NOTIFICATION = '1.3.6.1.4.1.8072.2.3.0.1';
export const SYS_NAME = '1.3.6.1.2.1.1.5.0';

/** snmptrap's and snmpinform's last arguments for NOTIFICATION at `uptime`, carrying sysName.0 = `sysName`. */
export const sysNameTrapArgs = (uptime: string, sysName: string) => [uptime, NOTIFICATION, SYS_NAME, 's', sysName];

/**
 * A NotificationReceiver that collects what it receives, for tests: `next(n)` resolves once n notifications have
 * arrived. Its close() is pushed onto `cleanup`, which the test file runs after each test.
 */
export async function collectingReceiver(
  options: Omit<NotificationReceiverOptions, 'onNotification'>,
  cleanup: (() => Promise<void>)[],
) {
  const received: Notification[] = [];
  let wake: (() => void) | undefined;
  const r = await NotificationReceiver.listen({
    ...options,
    onNotification: (n) => {
      received.push(n);
      wake?.();
    },
  });
  cleanup.push(() => r.close());
  const next = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => (wake = resolve));
    return received;
  };
  return { r, received, next };
}

/** Sends a notification with Net-SNMP's snmptrap or snmpinform (`args` as on its command line), which must succeed. */
export async function sendWithNetSnmp(tool: 'snmptrap' | 'snmpinform', args: readonly string[]): Promise<void> {
  const sent = await runNetSnmp(tool, args);
  expect(sent.stderr, `${tool} ${args.join(' ')}`).toBe('');
  expect(sent.exitCode, `${tool} ${args.join(' ')}`).toBe(0);
}
