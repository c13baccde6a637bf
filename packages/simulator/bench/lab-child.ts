/**
 * Runs a lab (or the single-device simulator) in its own process, so that the load generator does not share its
 * CPU: `tsx lab-child.ts lab|lab-per-device|memory COUNT TEMPLATE FIRST-ADDRESS PORT` (memory: no sockets) or `tsx lab-child.ts
 * single TEMPLATE`.
 * Prints one JSON line {startMs, rssMB, heapMB, port} once every device answers, then serves until killed.
 */
import { startLab, startSimulator } from '@snmpkit/simulator';

const [mode, ...args] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;

function memory(): { rssMB: number; heapMB: number } {
  gc?.();
  const m = process.memoryUsage();
  return { rssMB: Math.round(m.rss / 1e6), heapMB: Math.round(m.heapUsed / 1e6) };
}

const started = performance.now();
let close: () => Promise<void>;
let port: number;
let sockets: string | undefined;
if (mode === 'lab' || mode === 'lab-per-device' || mode === 'memory') {
  const [count, template, address, portText] = args as [string, string, string, string];
  const lab = await startLab({
    groups: [{ template, count: Number(count), address, port: Number(portText) }],
    // 'memory': the devices without sockets (in-memory transport), where the open-file limit cannot be raised.
    listen: mode !== 'memory',
    // 'lab': the UDP devices behind one socket where the addon is built (the default); 'lab-per-device': a socket each.
    sockets: mode === 'lab-per-device' ? 'per-device' : 'shared',
    deviceOptions: { badRecords: 'serve' },
    onProgress: (done, total) => process.stderr.write(`\r  lab: ${done} of ${total} devices started`),
  });
  process.stderr.write('\n');
  port = Number(portText);
  sockets = lab.groups[0]?.sockets;
  close = () => lab.close();
} else {
  const sim = await startSimulator({
    data: args[0]!,
    listen: ['udp:127.0.0.1:0'],
    deviceOptions: { badRecords: 'serve' },
  });
  port = sim.listeners[0]!.port;
  close = () => sim.close();
}
const startMs = Math.round(performance.now() - started);
console.log(JSON.stringify({ startMs, port, sockets, pid: process.pid, ...memory() }));
process.once('SIGTERM', () => {
  void close().then(() => process.exit(0));
});
