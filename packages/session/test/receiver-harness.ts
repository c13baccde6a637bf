import { type Notification, NotificationReceiver, type NotificationReceiverOptions } from '../src/index.js';

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
