/**
 * Startup benchmark: wall time of one `snmpkit get` process (spawn to exit) beside Net-SNMP's `snmpget` process,
 * same request, same snmpd, same run, alternating so that both see the same machine load. Prints the medians and
 * their ratio. Run with `npm run bench` (after `npm run build`); SNMPKIT_BENCH_RUNS sets N (default 40).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNetSnmp, startSnmpd } from '@snmpkit/testkit';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const RUNS = Number(process.env.SNMPKIT_BENCH_RUNS ?? 40);
const ENV = { MIBS: '', MIBDIRS: '/nonexistent' };

function runSnmpkit(args: string[]): Promise<{ durationMs: number; stdout: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...ENV },
    });
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

const snmpd = await startSnmpd({ transports: ['udp'] });
try {
  const args = ['-v2c', '-c', 'public', snmpd.endpoints.udp!, '.1.3.6.1.2.1.1.5.0'];
  // One of each first: the answers must agree, and the file cache is warm for both.
  const ours = await runSnmpkit(['get', ...args]);
  const theirs = await runNetSnmp('snmpget', args, { env: ENV });
  if (ours.exitCode !== 0 || ours.stdout !== theirs.stdout) {
    throw new Error(`outputs differ:\n snmpkit: ${ours.stdout}\n snmpget: ${theirs.stdout}`);
  }
  const snmpkitMs: number[] = [];
  const snmpgetMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    snmpkitMs.push((await runSnmpkit(['get', ...args])).durationMs);
    snmpgetMs.push((await runNetSnmp('snmpget', args, { env: ENV })).durationMs);
  }
  const a = median(snmpkitMs);
  const b = median(snmpgetMs);
  console.log(`startup: one GET per process, ${RUNS} runs each, alternating, against snmpd on loopback`);
  console.log(
    `  snmpkit get  median ${a.toFixed(1)} ms  (min ${Math.min(...snmpkitMs).toFixed(1)}, max ${Math.max(...snmpkitMs).toFixed(1)})`,
  );
  console.log(
    `  snmpget      median ${b.toFixed(1)} ms  (min ${Math.min(...snmpgetMs).toFixed(1)}, max ${Math.max(...snmpgetMs).toFixed(1)})`,
  );
  console.log(
    `  ratio snmpkit/snmpget: ${(a / b).toFixed(2)}x   target: snmpkit median < 120 ms -> ${a < 120 ? 'met' : 'NOT met'}`,
  );
} finally {
  await snmpd.stop();
}
