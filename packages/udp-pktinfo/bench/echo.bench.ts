/**
 * What one pktinfo socket for N addresses costs beside node:dgram: an echo server in its own process, a client in
 * another (64 requests in flight, each to a random one of the N addresses, as the device-lab benchmark does), and
 * the server's CPU time per request read from /proc/PID/stat. Three designs in the same run:
 *   dgram-1      one node:dgram socket on one address (the single-device simulator's case: the floor to match)
 *   dgram-N      one node:dgram socket per address (the lab's design without this package)
 *   pktinfo-1    one @snmpkit/udp-pktinfo socket bound to 0.0.0.0 on lo, the client sending to one address
 *   pktinfo-N    the same socket, the client sending to each of the N addresses
 * Each runs with no work per request and with a fixed CPU cost per request standing in for SNMP processing (the same
 * loop in every design), since batching only pays when the server is the busy side.
 *
 *   ulimit -n 20000; flock /tmp/snmpkit-bench.lock npm run bench -w @snmpkit/udp-pktinfo [-- --devices 10000 --seconds 4]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { load } from '../src/index.js';

const PORT_BASE = 0x7fc80001; // 127.200.0.1
const IN_FLIGHT = 64;
const self = fileURLToPath(import.meta.url);

function option(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
}

function address(k: number): string {
  const v = PORT_BASE + k;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

// The stand-in for request processing: a fixed loop, identical in every design.
let sink = 0;
function work(iterations: number): void {
  let x = sink;
  for (let j = 0; j < iterations; j++) x = (x * 31 + j) | 0;
  sink = x;
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
}

function serve(design: string, devices: number, port: number, iterations: number): void {
  const ready = () => process.stdout.write('ready\n');
  if (design === 'pktinfo') {
    const first = PORT_BASE;
    const end = PORT_BASE + devices;
    load()!.openSocket({
      port,
      onBatch(batch) {
        for (let i = 0; i < batch.count; i++) {
          const to = batch.destinationIPv4(i);
          if (to < first || to >= end) continue; // not one of ours
          work(iterations);
          batch.reply(i, batch.payload(i));
        }
      },
    });
    ready();
    return;
  }
  let bound = 0;
  for (let k = 0; k < devices; k++) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (message, from) => {
      work(iterations);
      socket.send(message, from.port, from.address);
    });
    socket.bind(port, address(k), () => {
      if (++bound === devices) ready();
    });
  }
}

async function client(devices: number, port: number, seconds: number): Promise<void> {
  const targets = Array.from({ length: devices }, (_, k) => address(k));
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let seed = 1;
  const next = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return targets[seed % devices]!;
  };
  const request = Buffer.alloc(60, 1);
  let answered = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await new Promise<void>((resolve) => {
    socket.on('message', () => {
      answered++;
      if (performance.now() < end) socket.send(request, port, next());
      else resolve();
    });
    for (let k = 0; k < IN_FLIGHT; k++) socket.send(request, port, next());
  });
  const elapsed = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ answered, elapsed })}\n`);
  process.exit(0);
}

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', self, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
}

async function firstLine(p: ChildProcess): Promise<string> {
  const lines = createInterface({ input: p.stdout! });
  for await (const line of lines) return line;
  throw new Error('the child exited without output (for 10,000 addresses: ulimit -n 20000)');
}

async function measure(design: string, devices: number, iterations: number, seconds: number) {
  // A port free on every address: one the system gives a wildcard socket (a random one may be in use on some
  // 127.x address by another program, and then 0.0.0.0 cannot have it).
  const probe = load()!.openSocket({ onBatch() {} });
  const port = probe.port;
  await probe.close();
  const serverDevices = design.endsWith('-1') ? 1 : devices;
  const server = child([
    'server',
    design.startsWith('pktinfo') ? 'pktinfo' : 'dgram',
    String(serverDevices),
    String(port),
    String(iterations),
  ]);
  try {
    if ((await firstLine(server)) !== 'ready') throw new Error(`${design}: the server did not start`);
    const before = cpuSeconds(server.pid!);
    const requester = child(['client', String(serverDevices), String(port), String(seconds)]);
    const { answered, elapsed } = JSON.parse(await firstLine(requester)) as { answered: number; elapsed: number };
    const cpu = cpuSeconds(server.pid!) - before;
    return { design, perSecond: Math.round(answered / elapsed), serverMicrosPerRequest: (cpu * 1e6) / answered };
  } finally {
    server.kill();
  }
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'server') return serve(rest[0]!, Number(rest[1]), Number(rest[2]), Number(rest[3]));
  if (mode === 'client') return client(Number(rest[0]), Number(rest[1]), Number(rest[2]));
  if (!load()) throw new Error('the addon is not built: npm rebuild @snmpkit/udp-pktinfo');
  const devices = option('devices', 10_000);
  const seconds = option('seconds', 4);
  // Calibrate the stand-in for SNMP processing to about 40 µs of CPU here (the lab spends ~70 µs per GET in all).
  let iterations = 1000;
  const cost = (n: number) => {
    const t = process.cpuUsage();
    for (let k = 0; k < 2000; k++) work(n);
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 2000;
  };
  cost(iterations);
  iterations = Math.round((iterations * 40) / cost(iterations));
  const workMicros = cost(iterations);
  console.log(`${devices} addresses, ${IN_FLIGHT} in flight, ${seconds} s per design; server CPU from /proc/PID/stat`);
  for (const [label, n] of [
    ['no work per request', 0],
    [`${workMicros.toFixed(1)} µs of work per request`, iterations],
  ] as const) {
    const rows = [];
    for (const design of ['dgram-1', 'dgram-N', 'pktinfo-1', 'pktinfo-N'])
      rows.push(await measure(design, devices, n, seconds));
    const perN = rows[1]!;
    const per1 = rows[0]!;
    console.log(`\n${label}`);
    for (const r of rows) {
      console.log(
        `  ${r.design.padEnd(10)} ${String(r.perSecond).padStart(7)} req/s  ${r.serverMicrosPerRequest.toFixed(1).padStart(6)} µs server CPU/req` +
          `  req/s ${(r.perSecond / perN.perSecond).toFixed(2)}x dgram-N, ${(r.perSecond / per1.perSecond).toFixed(2)}x dgram-1;` +
          `  CPU/req ${(r.serverMicrosPerRequest / perN.serverMicrosPerRequest).toFixed(2)}x dgram-N, ${(r.serverMicrosPerRequest / per1.serverMicrosPerRequest).toFixed(2)}x dgram-1`,
      );
    }
  }
}

await main();
