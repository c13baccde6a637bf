/**
 * Polling many devices from one process (issue 19): the session's Poller beside the `net-snmp` npm client (one
 * session per device, the same requests in flight), Net-SNMP's C tools as simple pollers run them (an snmpget and an
 * snmpbulkwalk process per device, N in parallel) and Prometheus' snmp_exporter (when installed), against the same
 * device lab in the same run. Each device: a GET of five system scalars and a GETBULK walk of its ifTable
 * (max-repetitions 10: 56 cells, 6 round trips). Reports devices/s, CPU seconds, peak RSS and sockets for each, and
 * the ratios against the targets (>= 3x net-snmp's devices/s, >= 10x the tools', < 200 MB and < 16 sockets for
 * 10,000 devices, no device lost or reported twice). On the fast lab also `raw-dgram`, the floor: pre-encoded requests
 * and replies only counted (bench/poller-client.ts), what the same exchanges cost a client that does nothing else.
 *
 * The lab (bench/poller-lab.ts) and each client (bench/poller-client.ts) run in processes of their own, so that
 * every client's CPU, RSS and sockets are its own. Not a test: nothing here passes or fails a build.
 *
 * Run: npm run bench:poller (in packages/session). Environment: SNMPKIT_BENCH_DEVICES (default 10000),
 * SNMPKIT_BENCH_CONCURRENCY (requests in flight for snmpkit and net-snmp, scrapes at once for snmp_exporter;
 * default 100), SNMPKIT_BENCH_PROCESSES (the C tools' parallel processes; default 32), SNMPKIT_BENCH_TOOL_DEVICES
 * (devices the C tools and snmp_exporter poll, a subset: default 1000), SNMPKIT_BENCH_ONLY (comma-separated clients).
 *
 * Open files: the lab holds one socket per device (10,000 devices: about 10,050 descriptors); it refuses to start
 * when RLIMIT_NOFILE is too low and says how to raise it (`ulimit -n 20000`). The clients need few, except net-snmp
 * (one per session in progress) and the C tools (one per process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DEVICES = Number(process.env.SNMPKIT_BENCH_DEVICES ?? 10_000);
const CONCURRENCY = Number(process.env.SNMPKIT_BENCH_CONCURRENCY ?? 100);
const PROCESSES = Number(process.env.SNMPKIT_BENCH_PROCESSES ?? 32);
const TOOL_DEVICES = Math.min(DEVICES, Number(process.env.SNMPKIT_BENCH_TOOL_DEVICES ?? 1000));
const ONLY = process.env.SNMPKIT_BENCH_ONLY?.split(',');

interface Measurement {
  client: string;
  devices: number;
  answered: number;
  failed: number;
  lost: number;
  duplicated: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMB: number;
  maxSockets: number;
  note?: string;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function node(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

async function measure(client: string, targets: string, count: number, concurrency: number): Promise<Measurement> {
  const child = node([here('./poller-client.ts'), client, targets, String(count), String(concurrency)]);
  child.stdin.end();
  let line = '';
  for await (const l of createInterface({ input: child.stdout })) line = l;
  const code = await new Promise<number>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code !== 0 || !line) throw new Error(`client ${client} failed (exit ${code})`);
  return JSON.parse(line) as Measurement;
}

const rate = (m: Measurement) => m.answered / m.seconds;

function print(m: Measurement): void {
  console.log(
    `  ${m.client.padEnd(15)} ${String(m.devices).padStart(6)} devices ${rate(m).toFixed(0).padStart(6)} devices/s  ` +
      `CPU ${m.cpuSeconds.toFixed(2)} s (${((m.cpuSeconds / m.devices) * 1e3).toFixed(2)} ms/device)  ` +
      `RSS ${m.maxRssMB.toFixed(0)} MB  sockets ${m.maxSockets}  answered ${m.answered} failed ${m.failed} ` +
      `lost ${m.lost} duplicated ${m.duplicated}${m.note ? `  (${m.note})` : ''}`,
  );
}

function compare(results: Measurement[], checkTargets: boolean): void {
  const ours = results.find((m) => m.client === 'snmpkit');
  if (!ours) return;
  for (const peer of results.filter((m) => m !== ours && m.answered > 0)) {
    console.log(
      `  snmpkit / ${peer.client}: ${(rate(ours) / rate(peer)).toFixed(2)}x devices/s, ` +
        `${(peer.cpuSeconds / peer.devices / (ours.cpuSeconds / ours.devices)).toFixed(2)}x less CPU per device`,
    );
  }
  if (!checkTargets) return;
  const netSnmp = results.find((m) => m.client === 'net-snmp');
  const tools = results.find((m) => m.client === 'net-snmp-tools');
  const check = (ok: boolean, what: string) => console.log(`  ${ok ? 'met    ' : 'MISSED '} ${what}`);
  if (netSnmp) check(rate(ours) >= 3 * rate(netSnmp), '>= 3x net-snmp devices/s');
  if (tools) check(rate(ours) >= 10 * rate(tools), '>= 10x the process-per-device tools');
  check(ours.maxRssMB < 200, `< 200 MB RSS for ${ours.devices} devices (${ours.maxRssMB.toFixed(0)} MB)`);
  check(ours.maxSockets < 16, `< 16 sockets (${ours.maxSockets})`);
  check(ours.lost === 0 && ours.duplicated === 0 && ours.failed === 0, 'every device reported once, with its data');
}

/** Starts a lab process, runs the clients of `plan` against it one after another, stops it. */
async function phase(title: string, labScript: string, plan: [string, number, number][], checkTargets: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'snmpkit-poller-bench-'));
  const targets = join(dir, 'targets.txt');
  const started = performance.now();
  const lab = node([here(labScript), String(DEVICES), targets]);
  try {
    for await (const l of createInterface({ input: lab.stdout })) if (l === 'ready') break;
    if (lab.exitCode !== null) throw new Error('the lab did not start (its error is above)');
    console.log(`${title}: ${DEVICES} devices, started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Warms the lab (its JIT, its caches) so that the first client measured does not pay for it.
    await measure('snmpkit', targets, Math.min(DEVICES, 2000), CONCURRENCY);
    const results: Measurement[] = [];
    for (const [client, count, concurrency] of plan) {
      if (ONLY && !ONLY.includes(client)) continue;
      const m = await measure(client, targets, count, concurrency);
      results.push(m);
      print(m);
    }
    compare(results, checkTargets);
  } finally {
    lab.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await phase(
  "the simulator's device lab (startLab: a full agent per device, one process)",
  './poller-lab.ts',
  [
    ['snmpkit', DEVICES, CONCURRENCY],
    ['net-snmp', DEVICES, CONCURRENCY],
    ['net-snmp-tools', TOOL_DEVICES, PROCESSES],
    ['snmp-exporter', TOOL_DEVICES, CONCURRENCY],
  ],
  true,
);
await phase(
  'a fast lab (bench/fast-lab.ts: pre-encoded answers, so that the clients are the bottleneck)',
  './fast-lab.ts',
  [
    ['snmpkit', DEVICES, CONCURRENCY],
    ['net-snmp', DEVICES, CONCURRENCY],
    ['raw-dgram', DEVICES, CONCURRENCY],
    ['raw-pktinfo', DEVICES, CONCURRENCY],
  ],
  false,
);
