/** What the poller benchmark's devices hold and what each client asks of them (bench/poller.bench.ts). */
import { fileURLToPath } from 'node:url';

/** The CLI's sample switch: system group, ifTable of 4 interfaces x 14 columns. */
export const TEMPLATE = fileURLToPath(new URL('../../cli/data/sample-device.snmprec', import.meta.url));

export const SYSTEM_SCALARS = [
  '1.3.6.1.2.1.1.1.0', // sysDescr
  '1.3.6.1.2.1.1.2.0', // sysObjectID
  '1.3.6.1.2.1.1.3.0', // sysUpTime
  '1.3.6.1.2.1.1.4.0', // sysContact
  '1.3.6.1.2.1.1.5.0', // sysName
];
export const IF_TABLE = '1.3.6.1.2.1.2.2';
/** What each device answers: 5 scalars and ifTable's 56 cells. */
export const VARBINDS_PER_DEVICE = 5 + 56;
