/**
 * Walk time against snmpsim, in the same run: one data directory (the benchmark table, ROWS x 5 columns, or the file
 * BENCH_DATA names) served by snmpsim (`startSnmpsim` of @snmpkit/testkit) and by the simulator, each walked with
 * `snmpbulkwalk -v2c -Cr25 -On`, interleaved, RUNS times each; prints the medians and the ratio, and checks that both
 * walks printed the same number of lines.
 *
 *   npx tsx bench/snmpsim-walk.ts                    4,000 rows (20,000 varbinds), 3 runs each
 *   BENCH_ROWS=10000 BENCH_RUNS=5 npx tsx bench/snmpsim-walk.ts
 *   BENCH_DATA=/path/to/device.snmprec npx tsx bench/snmpsim-walk.ts
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { runNetSnmp, startSnmpsim } from '@snmpkit/testkit';
import { startSimulator } from '../src/index.js';
import { tableSnmprec } from './table.js';

const rows = Number(process.env.BENCH_ROWS ?? 4000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const dataFile = process.env.BENCH_DATA;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function walk(endpoint: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', 'device', '-Cr25', '-On', '-t', '30', endpoint, '.1'], {
    timeoutMs: 600_000,
  });
  const ms = performance.now() - started;
  if (r.exitCode !== 0) throw new Error(`snmpbulkwalk failed: ${r.stderr}`);
  // snmpsim ends a GETBULK walk with endOfMibView lines of its own: not data.
  const lines = r.stdout.split('\n').filter((l) => l !== '' && !l.includes('No more variables left')).length;
  return { ms, lines };
}

const dir = await mkdtemp(join(tmpdir(), 'snmpkit-bench-snmpsim-'));
try {
  if (dataFile) await copyFile(dataFile, join(dir, `device${extname(dataFile)}`));
  else await writeFile(join(dir, 'device.snmprec'), tableSnmprec(rows));
  const snmpsim = await startSnmpsim({ dataDir: dir, probeCommunity: 'device', timeoutMs: 300_000 });
  const sim = await startSimulator({
    data: dir,
    listen: ['udp:127.0.0.1:0'],
    deviceOptions: { badRecords: 'serve' },
  });
  try {
    const theirs: number[] = [];
    const ours: number[] = [];
    let lines = { snmpsim: 0, snmpkit: 0 };
    for (let i = 0; i < runs; i++) {
      const a = await walk(`udp:${snmpsim.endpoints[0]}`);
      const b = await walk(sim.endpoints[0]!);
      theirs.push(a.ms);
      ours.push(b.ms);
      lines = { snmpsim: a.lines, snmpkit: b.lines };
    }
    if (lines.snmpsim !== lines.snmpkit) {
      throw new Error(`the walks differ: ${lines.snmpsim} lines from snmpsim, ${lines.snmpkit} from the simulator`);
    }
    const what = dataFile ?? `the benchmark table, ${rows} rows x 5 columns`;
    console.log(
      `data: ${what} (${lines.snmpkit} varbinds); snmpbulkwalk -v2c -Cr25 -On, ${runs} runs each, interleaved`,
    );
    console.log(`snmpsim:   median ${median(theirs).toFixed(0)} ms (${theirs.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`simulator: median ${median(ours).toFixed(0)} ms (${ours.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`ratio snmpsim/simulator: ${(median(theirs) / median(ours)).toFixed(1)}x`);
  } finally {
    await sim.close();
    await snmpsim.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
