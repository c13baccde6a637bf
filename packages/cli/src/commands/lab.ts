/**
 * lab: many simulated devices from a lab file (@snmpkit/simulator's startLabFile). Shows progress on stderr while
 * thousands start, prints where each group listens (`group NAME: N devices, udp 127.1.0.1 .. 127.1.39.16 port 161 (udp: one socket)`)
 * (and the control endpoint's URL, when the file asks for one) and `lab ready: N devices`, logs scenario steps on
 * stderr, then serves until SIGINT/SIGTERM and closes every socket.
 */
import { startLabFile } from '@snmpkit/simulator';
import { parseArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';

export const LAB_SWITCHES = ['strict', 'quiet', 'socket-per-device'];

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, { longWithValue: [], longSwitches: LAB_SWITCHES });
  if (positionals.length !== 1) throw new UsageError('lab needs one lab file: snmpkit lab FILE');
  const path = positionals[0]!;
  const quiet = options.long.quiet !== undefined;
  const interactive = process.stderr.isTTY === true;
  const started = performance.now();
  let lab: Awaited<ReturnType<typeof startLabFile>>;
  try {
    lab = await startLabFile(path, {
      // As simulate: a record whose value cannot be served answers noSuchInstance, as snmpsim does.
      deviceOptions: { badRecords: options.long.strict !== undefined ? 'refuse' : 'serve' },
      sockets: options.long['socket-per-device'] !== undefined ? 'per-device' : 'shared',
      // Scenario steps as they run (a scenario file, or the control endpoint).
      onEvent: (event) =>
        io.err(
          `snmpkit lab: ${(event.atMs / 1000).toFixed(1)} s ${event.device} ${event.action}${event.error ? `: ${event.error}` : ''}\n`,
        ),
      onProgress: (done, total) => {
        if (quiet || total < 1000) return;
        // On a terminal one line rewritten; in a log, a line every few thousand devices.
        if (interactive) io.err(`\rsnmpkit lab: ${done} of ${total} devices started`);
        else if (done === total || done % 5000 === 0) io.err(`snmpkit lab: ${done} of ${total} devices started\n`);
      },
    });
  } catch (error) {
    if (interactive && !quiet) io.err('\n');
    io.err(`snmpkit lab: ${(error as Error).message}\n`);
    return 1;
  }
  if (interactive && !quiet && lab.devices.length >= 1000) io.err('\n');
  for (const group of lab.groups) {
    io.out(`group ${group.name}: ${group.count} device${group.count === 1 ? '' : 's'}, ${group.description}\n`);
  }
  if (lab.control) io.out(`control ${lab.control.url} (POST /action, GET /devices, GET /events)\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.out(`lab ready: ${lab.devices.length} devices in ${seconds} s\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await lab.close();
  return 0;
}
