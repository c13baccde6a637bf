/**
 * One client of the poller benchmark, in its own process so that its CPU time, RSS and sockets are its own. Polls
 * the devices listed in TARGETS-FILE (the first COUNT of them): a GET of five system scalars and a GETBULK walk of
 * ifTable (max-repetitions 10) each, CONCURRENCY requests (or processes) at once, and prints one JSON line:
 * { client, devices, answered, failed, lost, duplicated, seconds, cpuSeconds, maxRssMB, maxSockets, note }.
 *
 * Clients: snmpkit (this package's Poller), net-snmp (the npm client, one session per device), net-snmp-tools
 * (an snmpget and an snmpbulkwalk process per device, CONCURRENCY devices in parallel), snmp-exporter (Prometheus'
 * snmp_exporter scraping each device with a module that GETs the same scalars and walks ifTable), raw-dgram (the
 * floor: pre-encoded requests, replies matched by request-id and counted). snmpkit and net-snmp check every varbind
 * (an exception fails the device) and count them.
 *
 * Run by bench/poller.bench.ts: tsx bench/poller-client.ts CLIENT TARGETS-FILE COUNT CONCURRENCY
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// The built package, as users get it.
import { isException, type Pdu } from '@snmpkit/ber';
import { Poller } from '@snmpkit/session';
import { IF_TABLE, SYSTEM_SCALARS, TEMPLATE, VARBINDS_PER_DEVICE } from './poller-data.js';

const [client, targetsFile, countText, concurrencyText] = process.argv.slice(2);
const count = Number(countText);
const concurrency = Number(concurrencyText);
const targets = readFileSync(targetsFile!, 'utf8').trim().split('\n').slice(0, count);

/**
 * Sockets open in process `pid` now (its /proc/PID/fd entries that are sockets). A client's stdin and stdout count:
 * libuv makes a child's stdio pipes of UNIX socket pairs.
 */
function socketsOf(pid: number | 'self'): number {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    // the process is gone
  }
  return n;
}

/** user+system CPU seconds of process `pid`, and of its children waited for (/proc/PID/stat, clock ticks of 1/100 s). */
function cpuOf(pid: number | 'self'): { own: number; children: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const tick = (i: number) => Number(fields[i - 3]) / 100;
  return { own: tick(14) + tick(15), children: tick(16) + tick(17) };
}

function maxRssMbOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Outcome {
  answered: number;
  failed: number;
  lost: number;
  duplicated: number;
  note?: string;
  /** For clients measured outside this process. */
  cpuSeconds?: number;
  maxRssMB?: number;
  maxSockets?: number;
}

/** Counts each device's reports: every device must be reported once, with all its varbinds. */
class Tally {
  private readonly seen = new Map<string, number>();
  answered = 0;
  failed = 0;
  report(target: string, varbinds: number | Error): void {
    this.seen.set(target, (this.seen.get(target) ?? 0) + 1);
    if (typeof varbinds === 'number' && varbinds === VARBINDS_PER_DEVICE) this.answered++;
    else this.failed++;
  }
  outcome(note?: string): Outcome {
    let lost = 0;
    let duplicated = 0;
    for (const t of targets) {
      const n = this.seen.get(t) ?? 0;
      if (n === 0) lost++;
      if (n > 1) duplicated += n - 1;
    }
    return { answered: this.answered, failed: this.failed, lost, duplicated, ...(note ? { note } : {}) };
  }
}

async function snmpkit(): Promise<Outcome> {
  const poller = new Poller({
    defaults: { community: 'public', timeout: 1000, retries: 3 },
    maxInFlight: concurrency,
  });
  const tally = new Tally();
  const run = poller.poll(
    targets.map((peer) => ({ peer })),
    { get: SYSTEM_SCALARS, walk: [IF_TABLE] },
  );
  let sockets = 0;
  for await (const r of run) {
    // Every varbind looked at: an exception (noSuchObject...) fails the device, as isVarbindError does for net-snmp.
    tally.report(r.target.peer, r.ok ? countValues(r.varbinds, (vb) => isException(vb.value)) : r.error);
    sockets = Math.max(sockets, poller.sockets);
  }
  await poller.close();
  return tally.outcome(`${sockets} socket(s) by the poller's count`);
}

/** The number of varbinds, or an Error when one of them is an exception (the same check for every client). */
function countValues<V>(varbinds: readonly V[], isError: (vb: V) => boolean): number | Error {
  for (const vb of varbinds) if (isError(vb)) return new Error('a varbind is an exception');
  return varbinds.length;
}

interface NetSnmpSession {
  get(oids: string[], cb: (error: Error | null, varbinds: unknown[]) => void): void;
  subtree(oid: string, maxRepetitions: number, feed: (vbs: unknown[]) => void, done: (error?: Error) => void): void;
  close(): void;
}
interface NetSnmpModule {
  createSession(target: string, community: string, options: object): NetSnmpSession;
  isVarbindError(varbind: unknown): boolean;
  Version2c: number;
}

async function netSnmp(): Promise<Outcome> {
  const lib = createRequire(import.meta.url)('net-snmp') as NetSnmpModule;
  const tally = new Tally();
  const pollOne = (target: string) =>
    new Promise<void>((resolve) => {
      const [address, port] = target.split(':') as [string, string];
      const session = lib.createSession(address, 'public', {
        port: Number(port),
        version: lib.Version2c,
        timeout: 1000,
        retries: 3,
      });
      const finish = (result: number | Error) => {
        session.close();
        tally.report(target, result);
        resolve();
      };
      session.get(SYSTEM_SCALARS, (error, got) => {
        if (error) return finish(error);
        let n: number | Error = countValues(got, lib.isVarbindError);
        session.subtree(
          IF_TABLE,
          10,
          (vbs) => {
            const more = countValues(vbs, lib.isVarbindError);
            n = typeof n === 'number' && typeof more === 'number' ? n + more : n instanceof Error ? n : more;
          },
          (walkError) => finish(walkError ?? n),
        );
      });
    });
  await pool(targets, concurrency, pollOne);
  return tally.outcome(`one session (one socket) per device, ${concurrency} devices at once`);
}

/**
 * The floor: what the same exchanges cost a client that does nothing else. Every request is encoded before the run
 * (the walk's six GETBULKs too: from ifTable, then from the last cell of each page of the template's sorted table)
 * and only its request-id is written in; one socket; a reply is matched by its request-id and its varbinds counted
 * by stepping over their TLVs (a walk's only when their OID bytes lie under ifTable's), nothing decoded. Not a
 * usable client: it knows the answers' OIDs in advance.
 */
/** The floor over node:dgram (one datagram per system call). */
function rawDgram(): Promise<Outcome> {
  return rawFloor('dgram');
}

/** The floor over @snmpkit/udp-pktinfo's socket: datagrams read with recvmmsg and sent with sendmmsg, in batches. */
function rawPktinfo(): Promise<Outcome> {
  return rawFloor('pktinfo');
}

interface RawSocket {
  send(bytes: Buffer, port: number, address: string): void;
  close(): Promise<void>;
}

async function openRawSocket(kind: 'dgram' | 'pktinfo', onMessage: (b: Buffer) => void): Promise<RawSocket> {
  if (kind === 'pktinfo') {
    const { load, parseIPv4, unavailableReason } = await import('@snmpkit/udp-pktinfo');
    const pktinfo = load();
    if (!pktinfo) throw new Error(unavailableReason());
    const socket = pktinfo.openSocket({
      address: '127.0.0.1',
      port: 0,
      onBatch(batch) {
        // Copied: the replies are read in promise continuations, after the batch's memory is reused.
        for (let i = 0; i < batch.count; i++) onMessage(Buffer.from(batch.payload(i)));
      },
    });
    const addresses = new Map<string, number>();
    return {
      send(bytes, port, address) {
        let n = addresses.get(address);
        if (n === undefined) {
          n = parseIPv4(address)!;
          addresses.set(address, n);
        }
        socket.sendIPv4(bytes, port, n, 0); // copied into the send batch
      },
      close: () => socket.close(),
    };
  }
  const socket = dgram.createSocket({ type: 'udp4', lookup: (host, _o, cb) => cb(null, host, 4) });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.on('message', onMessage);
  return {
    send: (bytes, port, address) => socket.send(bytes, port, address),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function rawFloor(kind: 'dgram' | 'pktinfo'): Promise<Outcome> {
  const { Device } = await import('@snmpkit/simulator');
  const { encodeMessage, compareOids, oidStartsWith } = await import('@snmpkit/ber');
  const cells = Device.fromSnmprec(readFileSync(TEMPLATE, 'latin1'))
    .varbinds()
    .map((vb) => vb.oid)
    .filter((oid) => oidStartsWith(oid, IF_TABLE) && oid !== IF_TABLE)
    .sort(compareOids);
  const ID = 0x7a5a5a5a;
  const encode = (pdu: object) =>
    Buffer.from(encodeMessage({ version: 1, community: 'public', pdu: { requestId: ID, ...pdu } as Pdu }));
  const NULL = { type: 'Null' } as const;
  const requests = [
    encode({
      type: 'GetRequest',
      errorStatus: 0,
      errorIndex: 0,
      varbinds: SYSTEM_SCALARS.map((oid) => ({ oid, value: NULL })),
    }),
    ...[IF_TABLE, ...cells.filter((_, i) => i % 10 === 9)].map((from) =>
      encode({ type: 'GetBulkRequest', nonRepeaters: 0, maxRepetitions: 10, varbinds: [{ oid: from, value: NULL }] }),
    ),
  ];
  const idTlv = Buffer.from([0x02, 0x04, 0x7a, 0x5a, 0x5a, 0x5a]);
  const idAt = requests.map((r) => r.indexOf(idTlv) + 2);
  // ifTable's OID TLV content: a walked varbind counts when its OID starts with it and goes on.
  const tableOid = Buffer.from(
    encodeMessage({
      version: 1,
      community: 'public',
      pdu: {
        type: 'GetRequest',
        requestId: 0,
        errorStatus: 0,
        errorIndex: 0,
        varbinds: [{ oid: IF_TABLE, value: NULL }],
      } as Pdu,
    }),
  );
  // The message ends with the varbind: 06 L <the OID's content> 05 00.
  const oidEnd = tableOid.length - 2;
  let oidLen = 1;
  while (!(tableOid[oidEnd - oidLen - 2] === 0x06 && tableOid[oidEnd - oidLen - 1] === oidLen)) oidLen++;
  const tablePrefix = tableOid.subarray(oidEnd - oidLen, oidEnd);
  const header = (b: Buffer, p: number): [number, number] => {
    let len = b[p + 1]!;
    let at = p + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[at++]!;
    }
    return [at, len];
  };
  const waiting = new Map<number, (reply: Buffer) => void>();
  const socket = await openRawSocket(kind, (b: Buffer) => {
    let [p] = header(b, 0); // Message
    for (let k = 0; k < 2; k++) {
      const [at, len] = header(b, p); // version, community
      p = at + len;
    }
    [p] = header(b, p); // PDU
    const [idStart, idLen] = header(b, p);
    let id = 0;
    for (let i = 0; i < idLen; i++) id = id * 256 + b[idStart + i]!;
    const answer = waiting.get(id);
    if (!answer) return;
    waiting.delete(id);
    answer(b.subarray(idStart + idLen));
  });
  /** The varbinds after error-status and error-index; with `under`, only those whose OID lies under it. */
  const countVarbinds = (b: Buffer, under?: Buffer): number => {
    let p = 0;
    for (let k = 0; k < 2; k++) {
      const [at, len] = header(b, p);
      p = at + len;
    }
    const [start, listLen] = header(b, p);
    let n = 0;
    for (p = start; p < start + listLen; ) {
      const [vb, vbLen] = header(b, p);
      const [oid, oidLen] = header(b, vb);
      if (!under || (oidLen > under.length && b.subarray(oid, oid + under.length).equals(under))) n++;
      p = vb + vbLen;
    }
    return n;
  };
  let nextId = 1;
  const exchange = (address: string, port: number, i: number) =>
    new Promise<Buffer>((resolve) => {
      const id = nextId++;
      requests[i]!.writeUInt32BE(id, idAt[i]!);
      waiting.set(id, resolve);
      socket.send(requests[i]!, port, address);
    });
  const tally = new Tally();
  await pool(targets, concurrency, async (target) => {
    const [address, port] = target.split(':') as [string, string];
    let n = countVarbinds(await exchange(address, Number(port), 0));
    for (let i = 1; i < requests.length; i++) n += countVarbinds(await exchange(address, Number(port), i), tablePrefix);
    tally.report(target, n);
  });
  await socket.close();
  return tally.outcome(
    `the floor${kind === 'pktinfo' ? ' with batched system calls (udp-pktinfo)' : ''}: pre-encoded requests, ` +
      'replies matched by request-id, varbinds counted, no retries',
  );
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

function runTool(file: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, MIBS: '' } });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

async function netSnmpTools(): Promise<Outcome> {
  const tally = new Tally();
  const common = ['-v2c', '-c', 'public', '-t', '1', '-r', '3', '-On'];
  await pool(targets, concurrency, async (target) => {
    const get = await runTool('snmpget', [...common, target, ...SYSTEM_SCALARS]);
    if (get.code !== 0) return tally.report(target, new Error('snmpget failed'));
    const walk = await runTool('snmpbulkwalk', [...common, target, IF_TABLE]);
    if (walk.code !== 0) return tally.report(target, new Error('snmpbulkwalk failed'));
    const lines = (get.stdout + walk.stdout).split('\n').filter((l) => l.startsWith('.1.3.6')).length;
    tally.report(target, lines);
  });
  // One process's peak RSS, from the kernel's accounting (GNU time): the tools' resident memory is this times the
  // processes running at once.
  let perProcessMb = 0;
  try {
    const err = execFileSync(
      'sh',
      ['-c', `/usr/bin/time -f %M snmpbulkwalk ${common.join(' ')} ${targets[0]} ${IF_TABLE} 2>&1 >/dev/null`],
      {
        encoding: 'utf8',
      },
    );
    perProcessMb = Number(err.trim().split('\n').at(-1)) / 1024;
  } catch {
    perProcessMb = 0;
  }
  const self = cpuOf('self');
  return {
    ...tally.outcome(
      `${concurrency} processes at once, one socket each; RSS: ${perProcessMb.toFixed(1)} MB per snmpbulkwalk x ${concurrency}; CPU: the tools (children) + this driver`,
    ),
    cpuSeconds: self.own + self.children,
    maxRssMB: perProcessMb * concurrency,
    maxSockets: concurrency,
  };
}

/** A snmp.yml with one module, `if_mib`: the five scalars by GET, ifTable by GETBULK walk (max-repetitions 10). */
function snmpExporterConfig(): string {
  const scalar = (name: string, oid: string, type: string) =>
    `  - name: ${name}\n    oid: ${oid.replace(/\.0$/, '')}\n    type: ${type}\n    help: ${name}\n`;
  const column = (name: string, n: number, type: string) =>
    `  - name: ${name}\n    oid: ${IF_TABLE}.1.${n}\n    type: ${type}\n    help: ${name}\n    indexes:\n    - labelname: ifIndex\n      type: gauge\n`;
  const columns: [string, string][] = [
    ['ifIndex', 'gauge'],
    ['ifDescr', 'DisplayString'],
    ['ifType', 'gauge'],
    ['ifMtu', 'gauge'],
    ['ifSpeed', 'gauge'],
    ['ifPhysAddress', 'PhysAddress48'],
    ['ifAdminStatus', 'gauge'],
    ['ifOperStatus', 'gauge'],
    ['ifLastChange', 'gauge'],
    ['ifInOctets', 'counter'],
    ['ifInUcastPkts', 'counter'],
    ['ifInNUcastPkts', 'counter'],
    ['ifInDiscards', 'counter'],
    ['ifInErrors', 'counter'],
    ['ifInUnknownProtos', 'counter'],
    ['ifOutOctets', 'counter'],
    ['ifOutUcastPkts', 'counter'],
    ['ifOutNUcastPkts', 'counter'],
    ['ifOutDiscards', 'counter'],
    ['ifOutErrors', 'counter'],
    ['ifOutQLen', 'gauge'],
    ['ifSpecific', 'OctetString'],
  ];
  // snmp_exporter 0.21 (Debian 12) reads modules at the top level (later versions under `modules:`, auths apart).
  return `if_mib:
  get:
${SYSTEM_SCALARS.map((o) => `  - ${o}\n`).join('')}  walk:
  - ${IF_TABLE}
  metrics:
${scalar('sysDescr', SYSTEM_SCALARS[0]!, 'DisplayString')}${scalar('sysObjectID', SYSTEM_SCALARS[1]!, 'OctetString')}${scalar('sysUpTime', SYSTEM_SCALARS[2]!, 'gauge')}${scalar('sysContact', SYSTEM_SCALARS[3]!, 'DisplayString')}${scalar('sysName', SYSTEM_SCALARS[4]!, 'DisplayString')}${columns.map(([name, type], i) => column(name, i + 1, type)).join('')}  version: 2
  max_repetitions: 10
  retries: 3
  timeout: 1s
  auth:
    community: public
`;
}

function exporterVersion(binary: string): string {
  // It prints its version on stderr.
  const text = execFileSync('sh', ['-c', `${binary} --version 2>&1`], { encoding: 'utf8' });
  return /version (\S+)/.exec(text)?.[1] ?? '';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function snmpExporter(): Promise<Outcome> {
  const binary = '/usr/bin/prometheus-snmp-exporter';
  try {
    readFileSync(binary);
  } catch {
    return {
      answered: 0,
      failed: targets.length,
      lost: 0,
      duplicated: 0,
      note: 'not installed (apt-get install prometheus-snmp-exporter)',
    };
  }
  const config = join(tmpdir(), `snmpkit-bench-snmp-${process.pid}.yml`);
  writeFileSync(config, snmpExporterConfig());
  const port = await freePort();
  const exporter: ChildProcess = spawn(
    binary,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/`)).ok) break;
      } catch {
        if (i > 100) throw new Error('snmp_exporter did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const pid = exporter.pid!;
    const before = cpuOf(pid).own;
    let maxSockets = 0;
    const sampler = setInterval(() => {
      maxSockets = Math.max(maxSockets, socketsOf(pid));
    }, 50);
    const tally = new Tally();
    await pool(targets, concurrency, async (target) => {
      try {
        const response = await fetch(`${base}/snmp?module=if_mib&target=${target}`);
        const text = await response.text();
        if (!response.ok) return tally.report(target, new Error(`HTTP ${response.status}`));
        // Each varbind is one sample line (the string ones as a label of a sample): count them.
        const samples = text.split('\n').filter((l) => /^(sys|if)[A-Za-z]+[{ ]/.test(l)).length;
        tally.report(target, samples);
      } catch (error) {
        tally.report(target, error as Error);
      }
    });
    clearInterval(sampler);
    const cpu = cpuOf(pid).own - before;
    return {
      ...tally.outcome(
        `snmp_exporter ${
          execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
            .split('\n')[0]
            ?.trim() ?? ''
        }: its process only (sockets include the HTTP connections of ${concurrency} scrapes at once)`,
      ),
      cpuSeconds: cpu,
      maxRssMB: maxRssMbOf(pid),
      maxSockets,
    };
  } finally {
    exporter.kill();
  }
}

const CLIENTS: Record<string, () => Promise<Outcome>> = {
  snmpkit,
  'net-snmp': netSnmp,
  'net-snmp-tools': netSnmpTools,
  'snmp-exporter': snmpExporter,
  'raw-dgram': rawDgram,
  'raw-pktinfo': rawPktinfo,
};

const measure = CLIENTS[client!];
if (!measure) throw new Error(`unknown client ${client}; one of ${Object.keys(CLIENTS).join(', ')}`);
let maxSockets = 0;
// Every 200 ms: reading /proc/self/fd costs the client CPU time of its own.
const sampler = setInterval(() => {
  maxSockets = Math.max(maxSockets, socketsOf('self'));
}, 200);
const cpuBefore = process.cpuUsage();
const start = performance.now();
const outcome = await measure();
const seconds = (performance.now() - start) / 1000;
clearInterval(sampler);
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    client,
    devices: targets.length,
    seconds,
    cpuSeconds: outcome.cpuSeconds ?? (cpu.user + cpu.system) / 1e6,
    maxRssMB: outcome.maxRssMB ?? process.resourceUsage().maxRSS / 1024,
    maxSockets: outcome.maxSockets ?? maxSockets,
    ...outcome,
  })}\n`,
);
