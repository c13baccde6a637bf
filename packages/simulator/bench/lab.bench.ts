/**
 * The device lab at scale, beside its peers in the same run (not a timed test; `npm run bench:lab`):
 * - the template: a full walk of a local snmpd (@snmpkit/testkit) without its process tables, about 7,000 OIDs;
 * - 10,000 devices on 10,000 loopback addresses (127.200.0.1 ...): start time, RSS, marginal memory per device (from
 *   a 1,000-device lab measured the same way);
 * - aggregate GETs/s with 64 in flight, each to a random device and a random OID of the template, from this process
 *   (the lab runs in another), p50/p99 latency; the same load against the single-device simulator serving the
 *   template (startSimulator), as a ratio;
 * - snmpsim serving 1,000 devices (a data directory of 1,000 copies of the template) beside a 1,000-device lab:
 *   start time, memory, and the time of `snmpbulkwalk -Cr25` of one device, as ratios.
 *
 *   BENCH_LAB_DEVICES=10000        devices of the big lab
 *   BENCH_SNMPSIM_DEVICES=1000     devices (files) for snmpsim and the lab beside it
 *   BENCH_GET_SECONDS=5            how long each GET load runs
 *   BENCH_LAB_STRETCH=100000       also start a lab this large (start time and RSS only)
 *   BENCH_SKIP_SNMPSIM=1           skip snmpsim (it indexes every file on its first start: minutes)
 *
 * Each lab device holds a socket: when the open-file limit (RLIMIT_NOFILE) is below what a lab needs, the lab's
 * process is started through `sh -c 'ulimit -n N; exec ...'` (raising the hard limit needs root), and this says so.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeMessage } from '@snmpkit/ber';
import { runNetSnmp, startSnmpd, startSnmpsim } from '@snmpkit/testkit';
import { sharedUdpUnavailable } from '@snmpkit/transport';
import { Device, openFileLimit } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '../../../node_modules/.bin/tsx');
const DEVICES = Number(process.env.BENCH_LAB_DEVICES ?? 10_000);
const SNMPSIM_DEVICES = Number(process.env.BENCH_SNMPSIM_DEVICES ?? 1000);
const GET_SECONDS = Number(process.env.BENCH_GET_SECONDS ?? 5);
const STRETCH = Number(process.env.BENCH_LAB_STRETCH ?? 0);
const FIRST = [127, 200, 0, 1];
const PORT = 16161;

function address(k: number): string {
  const v = ((FIRST[0]! << 24) >>> 0) + (FIRST[1]! << 16) + (FIRST[2]! << 8) + FIRST[3]! + k;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

interface Child {
  startMs: number;
  /** The lab's process (for its CPU time). */
  pid: number;
  /** How the lab's UDP devices listen: one socket ('shared') or a socket each. */
  sockets?: string;
  rssMB: number;
  heapMB: number;
  port: number;
  stop(): Promise<void>;
}

/** A lab-child.ts process, its open-file limit raised when the lab needs more sockets than allowed. */
async function startChild(args: string[], sockets = 0): Promise<Child> {
  const limit = openFileLimit();
  const need = sockets + 256;
  const command = [tsx, join(here, 'lab-child.ts'), ...args];
  let child: ChildProcess;
  if (limit && need > limit.soft) {
    console.log(
      `  (the open-file limit is ${limit.soft}; this lab needs ${sockets} sockets: its process runs under ulimit -n ${need})`,
    );
    child = spawn('sh', ['-c', `ulimit -n ${need} && exec "$@"`, 'sh', ...command], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '--expose-gc --max-old-space-size=8192' },
    });
  } else {
    child = spawn(command[0]!, command.slice(1), {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '--expose-gc --max-old-space-size=8192' },
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`lab-child ${args[0]} exited with ${code}`)));
  });
  const info = JSON.parse(line) as Omit<Child, 'stop'>;
  return {
    ...info,
    stop: async () => {
      if (child.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/PID/stat. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** A GET of `oid` encoded once, with a 4-byte request-id at `at` that each send patches. */
function getTemplate(oid: string): { bytes: Uint8Array; at: number } {
  const bytes = encodeMessage({
    version: 1,
    community: 'public',
    pdu: {
      type: 'GetRequest',
      requestId: 0x01000000,
      errorStatus: 0,
      errorIndex: 0,
      varbinds: [{ oid, value: { type: 'Null' } }],
    },
  });
  // The first INTEGER of length 4: version is 02 01 01, so this is the request-id.
  for (let i = 0; i + 5 < bytes.length; i++) {
    if (bytes[i] === 2 && bytes[i + 1] === 4 && bytes[i + 2] === 1) return { bytes, at: i + 2 };
  }
  throw new Error('no request-id');
}

/** Skips one TLV's header at `i`: the offset of its content, and its length. */
function header(b: Uint8Array, i: number): [number, number] {
  const first = b[i + 1]!;
  if (first < 0x80) return [i + 2, first];
  let length = 0;
  for (let k = 0; k < (first & 0x7f); k++) length = length * 256 + b[i + 2 + k]!;
  return [i + 2 + (first & 0x7f), length];
}

/** request-id and error-status of a v1/v2c response, read without decoding the rest. */
function responseIds(b: Uint8Array): { requestId: number; errorStatus: number } {
  let [i] = header(b, 0); // the message SEQUENCE
  let [at, length] = header(b, i); // version
  i = at + length;
  [at, length] = header(b, i); // community
  [i] = header(b, at + length); // the PDU
  [at, length] = header(b, i); // request-id
  let requestId = 0;
  for (let k = 0; k < length; k++) requestId = requestId * 256 + b[at + k]!;
  [at] = header(b, at + length); // error-status
  return { requestId, errorStatus: b[at]! };
}

/**
 * GETs with `inFlight` outstanding, each to a random target and OID: requests/s, latency percentiles (ms), and the
 * server's CPU per request (µs) when its pid is given. The requests are encoded once per OID and the answers read
 * only as far as their request-id and error-status, so that the load generator spends little and the server's
 * capacity shows.
 */
async function getLoad(
  target: (random: number) => string,
  port: number,
  oids: readonly string[],
  seconds: number,
  serverPid?: number,
  inFlight = 64,
): Promise<{ perSecond: number; p50: number; p99: number; answered: number; resent: number; serverUs: number }> {
  const templates = oids.map(getTemplate);
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, resolve));
  let requestId = 0x01000000;
  let answered = 0;
  let resent = 0;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const latencies: number[] = [];
  const outstanding = new Map<number, number>();
  const send = () => {
    const id = requestId++;
    const t = templates[random() % templates.length]!;
    const bytes = Buffer.from(t.bytes);
    bytes.writeUInt32BE(id, t.at);
    outstanding.set(id, performance.now());
    socket.send(bytes, port, target(random()));
  };
  const cpuBefore = serverPid === undefined ? 0 : cpuSeconds(serverPid);
  const start = performance.now();
  const end = start + seconds * 1000;
  await new Promise<void>((resolve) => {
    socket.on('message', (msg) => {
      const { requestId: id, errorStatus } = responseIds(msg);
      const sent = outstanding.get(id);
      if (sent === undefined) return;
      outstanding.delete(id);
      if (errorStatus !== 0) throw new Error('bad GET answer');
      const now = performance.now();
      latencies.push(now - sent);
      answered++;
      if (now < end) send();
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
          resent++;
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
  const serverUs = serverPid === undefined ? 0 : ((cpuSeconds(serverPid) - cpuBefore) * 1e6) / answered;
  socket.close();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: answered / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    answered,
    resent,
    serverUs,
  };
}

/** `snmpbulkwalk -v2c -Cr25 -On` of a whole device: ms and lines (endOfMibView lines left out). */
async function walk(community: string, endpoint: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  const r = await runNetSnmp('snmpbulkwalk', ['-v2c', '-c', community, '-Cr25', '-On', '-t', '30', endpoint, '.1'], {
    timeoutMs: 600_000,
  });
  const ms = performance.now() - started;
  if (r.exitCode !== 0) throw new Error(`snmpbulkwalk ${endpoint} failed: ${r.stderr}`);
  return { ms, lines: r.stdout.split('\n').filter((l) => l !== '' && !l.includes('No more variables left')).length };
}

async function walks(community: string, endpoint: string, runs = 3): Promise<{ ms: number; lines: number }> {
  const results: { ms: number; lines: number }[] = [];
  for (let i = 0; i < runs; i++) results.push(await walk(community, endpoint));
  return { ms: median(results.map((r) => r.ms)), lines: results[0]!.lines };
}

function rssOfProcess(pid: number): number {
  // The command responder is a Python process: its resident set, as the kernel counts it.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round((kb * 1024) / 1e6);
}

const dir = await mkdtemp(join(tmpdir(), 'snmpkit-bench-lab-'));
try {
  // The template: a full walk of snmpd, as a user records a real device.
  const snmpd = await startSnmpd({ transports: ['udp'] });
  const recorded = await runNetSnmp(
    'snmpbulkwalk',
    ['-v2c', '-c', 'public', '-On', '-Cr50', '-t', '10', snmpd.endpoints.udp!, '.1'],
    { timeoutMs: 300_000 },
  );
  await snmpd.stop();
  const device = Device.fromWalk(recorded.stdout, { badRecords: 'serve', liveSysUpTime: false });
  // hrSWRun and hrSWRunPerf list the machine's processes (hundreds to thousands on a busy machine): left out, so
  // that the template is the same size from run to run, about 7,000 OIDs.
  device.removeSubtree('1.3.6.1.2.1.25.4');
  device.removeSubtree('1.3.6.1.2.1.25.5');
  const template = join(dir, 'template.snmprec');
  await writeFile(template, device.toSnmprec());
  const oids = device.varbinds().map((vb) => vb.oid);
  console.log(`template: a walk of snmpd, ${oids.length} OIDs (${template})`);
  console.log(`open-file limit of this process: ${JSON.stringify(openFileLimit())}`);

  // A 1,000-device lab: the marginal memory's baseline, and the peer of snmpsim's 1,000 devices.
  const small = await startChild(['lab', String(SNMPSIM_DEVICES), template, address(0), String(PORT)], SNMPSIM_DEVICES);
  const smallWalk = await walks('public', `udp:${address(SNMPSIM_DEVICES / 2 - 1)}:${PORT}`);
  await small.stop();
  console.log(
    `lab of ${SNMPSIM_DEVICES}: started in ${small.startMs} ms, RSS ${small.rssMB} MB (heap ${small.heapMB} MB); ` +
      `snmpbulkwalk -Cr25 of device ${SNMPSIM_DEVICES / 2}: ${smallWalk.ms.toFixed(0)} ms, ${smallWalk.lines} lines`,
  );

  // The big lab and the GET load over all of its devices (BENCH_LAB_DEVICES=0 skips them).
  if (DEVICES > SNMPSIM_DEVICES) await bigLab(template, oids, small.rssMB);

  if (STRETCH > 0) {
    // Behind the shared UDP socket the devices need no descriptors. Without it (the addon not built) each needs one,
    // and raising the hard open-file limit needs CAP_SYS_RESOURCE (root outside a container): where it cannot be
    // raised, the devices are built without sockets, and the sockets' share is the 10,000-device lab's.
    const shared = sharedUdpUnavailable() === undefined;
    const limit = openFileLimit();
    const sockets = shared || !limit || limit.hard >= STRETCH + 256 || process.getuid?.() === 0;
    let huge: Child;
    try {
      huge = await startChild(
        [sockets ? 'lab' : 'memory', String(STRETCH), template, address(0), String(PORT)],
        shared ? 0 : STRETCH,
      );
    } catch (error) {
      console.log(`  (${(error as Error).message}: the open-file limit could not be raised; without sockets)`);
      huge = await startChild(['memory', String(STRETCH), template, address(0), String(PORT)]);
    }
    console.log(
      `lab of ${STRETCH} (${huge.sockets === 'shared' ? 'udp: one socket' : huge.sockets === 'none' ? 'no sockets' : 'a socket per device'}): ` +
        `started in ${huge.startMs} ms, RSS ${huge.rssMB} MB (stretch target < 4,000)`,
    );
    if (huge.sockets === 'shared') {
      await getLoad((r) => address(r % STRETCH), PORT, oids, 1); // warm-up
      const gets = await getLoad((r) => address(r % STRETCH), PORT, oids, GET_SECONDS, huge.pid);
      console.log(
        `  GETs/s over its ${STRETCH} devices, 64 in flight: ${gets.perSecond.toFixed(0)}/s p50 ${gets.p50.toFixed(2)} ` +
          `ms p99 ${gets.p99.toFixed(2)} ms; server CPU ${gets.serverUs.toFixed(1)} µs per GET`,
      );
    }
    await huge.stop();
  }

  if (!process.env.BENCH_SKIP_SNMPSIM) await beside(template, small.startMs, small.rssMB, smallWalk.ms);
} finally {
  await rm(dir, { recursive: true, force: true });
}

async function bigLab(template: string, oids: string[], smallRssMB: number): Promise<void> {
  const big = await startChild(['lab', String(DEVICES), template, address(0), String(PORT)], DEVICES);
  const perDeviceKB = ((big.rssMB - smallRssMB) * 1e6) / (DEVICES - SNMPSIM_DEVICES) / 1024;
  console.log(
    `lab of ${DEVICES} (udp: ${big.sockets === 'shared' ? 'one socket' : 'a socket per device'}): started in ` +
      `${big.startMs} ms (target < 10,000), RSS ${big.rssMB} MB (target < 1,000; heap ${big.heapMB} MB), marginal ` +
      `${perDeviceKB.toFixed(1)} KB per device`,
  );
  await getLoad((r) => address(r % DEVICES), PORT, oids, 1); // warm-up
  const labGets = await getLoad((r) => address(r % DEVICES), PORT, oids, GET_SECONDS, big.pid);
  await big.stop();

  // The same lab with a socket per device: the design where the native addon is not built.
  const perDevice = await startChild(['lab-per-device', String(DEVICES), template, address(0), String(PORT)], DEVICES);
  await getLoad((r) => address(r % DEVICES), PORT, oids, 1); // warm-up
  const perDeviceGets = await getLoad((r) => address(r % DEVICES), PORT, oids, GET_SECONDS, perDevice.pid);
  await perDevice.stop();

  const single = await startChild(['single', template]);
  await getLoad(() => '127.0.0.1', single.port, oids, 1); // warm-up
  const singleGets = await getLoad(() => '127.0.0.1', single.port, oids, GET_SECONDS, single.pid);
  await single.stop();
  console.log(
    `GETs/s, 64 in flight, ${GET_SECONDS} s, random device (of ${DEVICES}) and OID:\n` +
      `  lab, ${big.sockets === 'shared' ? 'one socket' : 'a socket per device (the addon is not built)'}: ` +
      `${labGets.perSecond.toFixed(0)}/s p50 ${labGets.p50.toFixed(2)} ms p99 ${labGets.p99.toFixed(2)} ms, ` +
      `${labGets.resent} unanswered in 1 s (sent again); server CPU ${labGets.serverUs.toFixed(1)} µs per GET\n` +
      `  lab, a socket per device: ${perDeviceGets.perSecond.toFixed(0)}/s p50 ${perDeviceGets.p50.toFixed(2)} ms ` +
      `p99 ${perDeviceGets.p99.toFixed(2)} ms, ${perDeviceGets.resent} unanswered in 1 s; server CPU ` +
      `${perDeviceGets.serverUs.toFixed(1)} µs per GET\n` +
      `  single-device simulator: ${singleGets.perSecond.toFixed(0)}/s p50 ${singleGets.p50.toFixed(2)} ms ` +
      `p99 ${singleGets.p99.toFixed(2)} ms, ${singleGets.resent} unanswered in 1 s; server CPU ` +
      `${singleGets.serverUs.toFixed(1)} µs per GET\n` +
      `  ratios lab/single: ${(labGets.perSecond / singleGets.perSecond).toFixed(2)}x (target >= 1), socket per ` +
      `device ${(perDeviceGets.perSecond / singleGets.perSecond).toFixed(2)}x; server CPU per GET lab/single ` +
      `${(labGets.serverUs / singleGets.serverUs).toFixed(2)}x, socket per device ` +
      `${(perDeviceGets.serverUs / singleGets.serverUs).toFixed(2)}x`,
  );
}

/** snmpsim serving the template as SNMPSIM_DEVICES data files, beside the lab of as many devices. */
async function beside(template: string, labStartMs: number, labRssMB: number, labWalkMs: number): Promise<void> {
  // A directory of its own: snmpsim reads it as another user (testkit makes it world-readable).
  const data = await mkdtemp(join(tmpdir(), 'snmpkit-bench-snmpsim-'));
  const name = (k: number) => `device${String(k).padStart(4, '0')}`;
  for (let k = 1; k <= SNMPSIM_DEVICES; k++) await copyFile(template, join(data, `${name(k)}.snmprec`));
  const started = performance.now();
  const snmpsim = await startSnmpsim({ dataDir: data, probeCommunity: name(1), timeoutMs: 3_600_000 });
  const snmpsimStartMs = performance.now() - started;
  const snmpsimRss = rssOfProcess(snmpsim.pid);
  try {
    const theirs = await walks(name(SNMPSIM_DEVICES / 2), `udp:${snmpsim.endpoints[0]}`);
    console.log(
      `snmpsim, ${SNMPSIM_DEVICES} data files: started (indexed and answering) in ${snmpsimStartMs.toFixed(0)} ms, ` +
        `RSS ${snmpsimRss} MB; snmpbulkwalk -Cr25 of one device: ${theirs.ms.toFixed(0)} ms, ${theirs.lines} lines`,
    );
    console.log(
      `ratios snmpsim/lab (${SNMPSIM_DEVICES} devices): start ${(snmpsimStartMs / labStartMs).toFixed(1)}x, ` +
        `memory ${(snmpsimRss / labRssMB).toFixed(2)}x, walk of one device ${(theirs.ms / labWalkMs).toFixed(1)}x`,
    );
  } finally {
    await snmpsim.stop();
    await rm(data, { recursive: true, force: true });
  }
}
