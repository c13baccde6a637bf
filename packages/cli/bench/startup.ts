/**
 * Startup benchmark: wall time of one `snmpkit get` process (spawn to exit) beside Net-SNMP's `snmpget` process,
 * same request, same snmpd, same run, interleaved so that all see the same machine load. Both run without MIB
 * modules (MIBS empty), as in the golden tests; snmpkit is also timed with its default MIB modules, and a bare
 * `node -e 0` shows how much of snmpkit's time is Node's own start. Prints medians and ratios.
 * Run with `npm run bench` (after `npm run build`); SNMPKIT_BENCH_RUNS sets N (default 40).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNetSnmp, startSnmpd } from '@snmpkit/testkit';

/** The installed command: the bundled build when `npm run build` could bundle, else the plain tsc output. */
const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/snmpkit.js');
/** The plain tsc output, to show what bundling saves. */
const UNBUNDLED = join(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const RUNS = Number(process.env.SNMPKIT_BENCH_RUNS ?? 40);
const NO_MIBS = { MIBS: '', MIBDIRS: '/nonexistent' };

interface Run {
  durationMs: number;
  stdout: string;
  exitCode: number | null;
}

function runNode(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ durationMs: performance.now() - started, stdout, exitCode }));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const withoutMibs = { ...process.env, ...NO_MIBS };
// No snmp.conf (Debian's says `mibs :`, which would load none).
const withDefaultMibs = { ...process.env, MIBS: undefined, MIBDIRS: undefined, SNMPCONFPATH: '/nonexistent' };
const snmpd = await startSnmpd({ transports: ['udp'] });
try {
  const args = ['-v2c', '-c', 'public', snmpd.endpoints.udp!, '.1.3.6.1.2.1.1.5.0'];
  // One of each first: the answers must agree, and the file cache is warm for all.
  const ours = await runNode([BIN, 'get', ...args], withoutMibs);
  const theirs = await runNetSnmp('snmpget', args, { env: NO_MIBS });
  if (ours.exitCode !== 0 || ours.stdout !== theirs.stdout) {
    throw new Error(`outputs differ:\n snmpkit: ${ours.stdout}\n snmpget: ${theirs.stdout}`);
  }
  await runNode([BIN, 'get', ...args], withDefaultMibs);
  const times = {
    snmpkit: [] as number[],
    unbundled: [] as number[],
    snmpkitMibs: [] as number[],
    snmpget: [] as number[],
    node: [] as number[],
  };
  for (let i = 0; i < RUNS; i++) {
    times.snmpkit.push((await runNode([BIN, 'get', ...args], withoutMibs)).durationMs);
    times.snmpget.push((await runNetSnmp('snmpget', args, { env: NO_MIBS })).durationMs);
    times.snmpkitMibs.push((await runNode([BIN, 'get', ...args], withDefaultMibs)).durationMs);
    times.unbundled.push((await runNode([UNBUNDLED, 'get', ...args], withoutMibs)).durationMs);
    times.node.push((await runNode(['-e', '0'], withoutMibs)).durationMs);
  }
  const line = (label: string, values: number[]) =>
    `  ${label.padEnd(36)} median ${median(values).toFixed(1).padStart(6)} ms  (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<
    keyof typeof times,
    number
  >;
  console.log(`startup: one GET per process, ${RUNS} runs of each, interleaved, against snmpd on loopback`);
  console.log(line('snmpkit get (MIBS empty)', times.snmpkit));
  console.log(line('snmpget (MIBS empty)', times.snmpget));
  console.log(line('snmpkit get (default MIB modules)', times.snmpkitMibs));
  console.log(line('snmpkit get, unbundled (MIBS empty)', times.unbundled));
  console.log(line('node -e 0 (Node start alone)', times.node));
  console.log(`  ratio snmpkit/snmpget: ${(m.snmpkit / m.snmpget).toFixed(2)}x`);
  console.log(
    `  snmpkit beyond Node's own start: ${(m.snmpkit - m.node).toFixed(1)} ms (MIB modules add ${(m.snmpkitMibs - m.snmpkit).toFixed(1)} ms)`,
  );
  console.log(`  target: snmpkit get median < 120 ms -> ${m.snmpkit < 120 ? 'met' : 'NOT met'}`);
} finally {
  await snmpd.stop();
}
