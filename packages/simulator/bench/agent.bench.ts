/**
 * The simulator beside snmpd (the table as `override` lines) and the `net-snmp` npm agent (a table provider), in
 * the same run: load time and memory, `snmpbulkwalk -Cr25` varbinds/s through the table, GET requests/s with 64 in
 * flight, and the 1,000,000-OID load. Each agent runs in its own process.
 *
 *   BENCH_ROWS=20000 npm run bench     the issue's full size (100,000 varbinds); default 4,000 rows (20,000)
 *   BENCH_GET_SECONDS=3                how long each GET load runs (default 2)
 *   BENCH_SKIP_1M=1                    skip the 1,000,000-OID load
 *   BENCH_SNMPD_TIMEOUT_S=900          how long snmpd may take to read its override lines
 *
 * The machine is shared (2 cores, other jobs): numbers are noisy; the ratios, measured minutes apart, are what counts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { decodeMessage, encodeMessage } from '@snmpkit/ber';
import { runNetSnmp, startSnmpd } from '@snmpkit/testkit';
import { COLUMNS, TABLE_ENTRY, tableOverrides } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));
const rows = Number(process.env.BENCH_ROWS ?? 4000);
const getSeconds = Number(process.env.BENCH_GET_SECONDS ?? 2);
const tsx = join(here, '../../../node_modules/.bin/tsx');

interface Measured {
  name: string;
  loadMs: number;
  rssMB: number;
  walkVarbindsPerSecond: number;
  walkVarbinds: number;
  getsPerSecond: number;
}

interface Child {
  port: number;
  loadMs: number;
  rssMB: number;
  stop(): Promise<void>;
}

async function startChild(kind: string, extra: string[] = []): Promise<Child> {
  const child: ChildProcess = spawn(tsx, [join(here, 'agent-child.ts'), kind, String(rows), ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '--expose-gc' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} agent exited with ${code}`)));
  });
  const info = JSON.parse(line) as { port: number; loadMs: number; rssMB: number };
  return {
    ...info,
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      await exited;
    },
  };
}

/**
 * Best of `times` runs of snmpbulkwalk -Cr25 over `oid` after one warm-up run (JIT, lazily encoded values, page
 * cache for every agent alike): varbinds per second, the tool's start-up included.
 */
async function bulkwalk(
  port: number,
  oid: string,
  times: number,
  warmUp = true,
): Promise<{ perSecond: number; varbinds: number }> {
  let best = 0;
  let varbinds = 0;
  for (let i = warmUp ? -1 : 0; i < times; i++) {
    const r = await runNetSnmp(
      'snmpbulkwalk',
      ['-v2c', '-c', 'public', '-On', '-Cr25', '-t', '30', `udp:127.0.0.1:${port}`, oid],
      {
        timeoutMs: 600_000,
      },
    );
    if (r.exitCode !== 0) throw new Error(`snmpbulkwalk failed: ${r.stderr}`);
    // Lines of values: not the "No more variables left" line a walk to the end of the MIB prints.
    varbinds = r.stdout.split('\n').filter((l) => l.startsWith('.') && !l.includes(' = No more variables')).length;
    if (i >= 0) best = Math.max(best, varbinds / (r.durationMs / 1000));
  }
  return { perSecond: best, varbinds };
}

/** GET requests per second with `inFlight` outstanding, each for a random cell of the table. */
async function getLoad(port: number, seconds: number, inFlight = 64): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let requestId = 1;
  let answered = 0;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const outstanding = new Map<number, number>();
  const send = () => {
    const id = requestId++;
    const oid = `${TABLE_ENTRY}.${1 + (random() % COLUMNS)}.${1 + (random() % rows)}`;
    const bytes = encodeMessage({
      version: 1,
      community: 'public',
      pdu: {
        type: 'GetRequest',
        requestId: id,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid, value: { type: 'Null' } }],
      },
    });
    outstanding.set(id, performance.now());
    socket.send(bytes, port, '127.0.0.1');
  };
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise<void>((resolve) => {
    socket.on('message', (msg) => {
      const m = decodeMessage(new Uint8Array(msg.buffer, msg.byteOffset, msg.length));
      if (m.version === 3 || m.pdu.type !== 'Response' || !outstanding.delete(m.pdu.requestId)) return;
      if (m.pdu.errorStatus !== 0 || m.pdu.varbinds[0]?.value.type === 'NoSuchInstance')
        throw new Error('bad GET answer');
      answered++;
      if (performance.now() < end) send();
      else if (outstanding.size === 0) resolve();
    });
    for (let i = 0; i < inFlight; i++) send();
    // Lost datagrams would stall the window: resend what waited too long.
    const sweep = setInterval(() => {
      const now = performance.now();
      if (now > end + 5000) {
        clearInterval(sweep);
        resolve();
        return;
      }
      for (const [id, sent] of outstanding) {
        if (now - sent > 1000) {
          outstanding.delete(id);
          if (now < end) send();
        }
      }
      if (now >= end && outstanding.size === 0) {
        clearInterval(sweep);
        resolve();
      }
    }, 100);
  });
  const elapsed = (performance.now() - start) / 1000;
  socket.close();
  return answered / elapsed;
}

/** Walks and loads an agent already running on `port`: the measurements every agent gets. */
async function measure(
  name: string,
  agent: { port: number; loadMs: number; rssMB: number },
  walk: { oid: string; times: number; warmUp: boolean },
): Promise<Measured> {
  const walked = await bulkwalk(agent.port, walk.oid, walk.times, walk.warmUp);
  return {
    name,
    loadMs: agent.loadMs,
    rssMB: agent.rssMB,
    walkVarbindsPerSecond: walked.perSecond,
    walkVarbinds: walked.varbinds,
    getsPerSecond: await getLoad(agent.port, getSeconds),
  };
}

async function measureSimulator(): Promise<Measured> {
  const agent = await startChild('simulator');
  try {
    return await measure('@snmpkit/simulator', agent, { oid: TABLE_ENTRY, times: 5, warmUp: true });
  } finally {
    await agent.stop();
  }
}

async function measureSnmpd(): Promise<Measured> {
  const started = performance.now();
  const snmpd = await startSnmpd({
    transports: ['udp'],
    extraArgs: ['-I', '-smux'],
    extraConfig: ['dontLogTCPWrappersConnects yes', ...tableOverrides(rows)],
    // snmpd registers override lines one by one (slower than linear): 100,000 of them take minutes.
    startTimeoutMs: Number(process.env.BENCH_SNMPD_TIMEOUT_S ?? 900) * 1000,
  });
  try {
    // Until snmpd answers: reading its configuration (the override lines) is its load.
    const loadMs = performance.now() - started;
    const status = readFileSync(`/proc/${snmpd.pid}/status`, 'utf8');
    const rssMB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1000;
    return await measure(
      'snmpd (override lines)',
      { port: snmpd.port, loadMs, rssMB },
      { oid: TABLE_ENTRY, times: 5, warmUp: true },
    );
  } finally {
    await snmpd.stop();
  }
}

async function measureNetSnmp(): Promise<Measured> {
  const agent = await startChild('net-snmp');
  try {
    // At a few hundred varbinds/s a whole table would take minutes: walk the second column (ROWS varbinds) of the
    // full-size table, once.
    return await measure('net-snmp npm agent', agent, { oid: `${TABLE_ENTRY}.2`, times: 1, warmUp: false });
  } finally {
    await agent.stop();
  }
}

async function millionOids(): Promise<{ loadMs: number; rssMB: number; oids: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'snmpkit-1m-'));
  const file = join(dir, 'million.snmprec');
  try {
    const lines: string[] = [];
    for (let c = 1; c <= 50; c++) {
      for (let r = 1; r <= 20_000; r++)
        lines.push(`1.3.6.1.4.1.99999.2.1.${c}.${r}|${c % 2 ? 2 : 4}|${c % 2 ? r : `value ${r}`}`);
    }
    await writeFile(file, `${lines.join('\n')}\n`);
    const child = await startChild('simulator', [file]);
    await child.stop();
    return { loadMs: child.loadMs, rssMB: child.rssMB, oids: 1_000_000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`Agent benchmark: table of ${fmt(rows)} rows x ${COLUMNS} columns = ${fmt(rows * COLUMNS)} varbinds`);
console.log(
  '(shared machine: numbers are noisy; each agent in its own process; walks include snmpbulkwalk start-up)\n',
);
const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `${pad('agent', 24)}${pad('load ms', 10)}${pad('RSS MB', 9)}${pad('bulkwalk varbinds/s', 28)}GET/s (64 in flight)`,
);
const row = (r: Measured): Measured => {
  console.log(
    `${pad(r.name, 24)}${pad(fmt(r.loadMs), 10)}${pad(fmt(r.rssMB), 9)}${pad(`${fmt(r.walkVarbindsPerSecond)} (${fmt(r.walkVarbinds)} walked)`, 28)}${fmt(r.getsPerSecond)}`,
  );
  return r;
};
const sim = row(await measureSimulator());
const snmpd = row(await measureSnmpd());
const npm = row(await measureNetSnmp());
console.log('');
console.log(
  `bulkwalk: simulator / snmpd   = ${fmt(sim.walkVarbindsPerSecond / snmpd.walkVarbindsPerSecond, 2)}x (target >= 1)`,
);
console.log(
  `bulkwalk: simulator / net-snmp = ${fmt(sim.walkVarbindsPerSecond / npm.walkVarbindsPerSecond, 1)}x (target >= 100)`,
);
console.log(`GET/s:    simulator / snmpd   = ${fmt(sim.getsPerSecond / snmpd.getsPerSecond, 2)}x`);
console.log(`GET/s:    simulator / net-snmp = ${fmt(sim.getsPerSecond / npm.getsPerSecond, 1)}x`);
if (!process.env.BENCH_SKIP_1M) {
  const m = await millionOids();
  console.log(
    `\n1,000,000 OIDs: loaded in ${fmt(m.loadMs)} ms (target < 3000), process RSS ${fmt(m.rssMB)} MB (target < 500)`,
  );
}
